// SPDX-License-Identifier: GPL-2.0
/*
 * The processor monitor: runs programs whose memory lives in the ExCache.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": pmon: " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <net/netlink.h>

#include "lego/excache.h"
#include "lego/genl.h"
#include "lego/lego.h"

static struct excache pmon_excache;
static struct dentry *pmon_debugfs;

static int excache_show(struct seq_file *m, void *unused)
{
	const struct excache_geometry *geo = &pmon_excache.geo;

	seq_printf(m, "bytes %llu\n", geo->lines << PAGE_SHIFT);
	seq_printf(m, "lines %llu\n", geo->lines);
	seq_printf(m, "sets %u\n", geo->sets);
	seq_printf(m, "ways %u\n", geo->ways);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(excache);

int pmon_start(u64 excache_bytes, u32 excache_ways)
{
	int ret;

	ret = excache_init(&pmon_excache, excache_bytes, excache_ways);
	if (ret) {
		pr_err("cannot reserve a %llu MiB ExCache: %d\n",
		       excache_bytes >> 20, ret);
		return ret;
	}
	pmon_debugfs = debugfs_create_file("excache", 0444, lego_debugfs, NULL,
					   &excache_fops);
	pr_info("ExCache of %llu MiB: %u sets of %u ways\n", excache_bytes >> 20,
		pmon_excache.geo.sets, pmon_excache.geo.ways);
	return 0;
}

void pmon_stop(void)
{
	debugfs_remove(pmon_debugfs);
	excache_destroy(&pmon_excache);
}

int pmon_nl_fill(struct sk_buff *msg)
{
	const struct excache_geometry *geo = &pmon_excache.geo;

	if (nla_put_u64_64bit(msg, LEGO_ATTR_EXCACHE_BYTES,
			      geo->lines << PAGE_SHIFT, LEGO_ATTR_PAD) ||
	    nla_put_u32(msg, LEGO_ATTR_EXCACHE_WAYS, geo->ways) ||
	    nla_put_u32(msg, LEGO_ATTR_EXCACHE_SETS, geo->sets))
		return -EMSGSIZE;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The processor monitor: runs programs whose memory lives in the ExCache,
 * in front of the mmons.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": pmon: " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <net/netlink.h>

#include "lego/genl.h"
#include "lego/lego.h"
#include "pmon.h"

struct excache pmon_excache;
static struct dentry *pmon_debugfs;

static int excache_show(struct seq_file *m, void *unused)
{
	const struct excache_geometry *geo = &pmon_excache.geo;
	struct excache_stats *st = &pmon_excache.stats;
	unsigned int i;

	seq_printf(m, "bytes %llu\n", geo->lines << PAGE_SHIFT);
	seq_printf(m, "lines %llu\n", geo->lines);
	seq_printf(m, "sets %u\n", geo->sets);
	seq_printf(m, "ways %u\n", geo->ways);
	seq_printf(m, "policy %s\n", excache_policy_name(pmon_excache.policy));
	seq_printf(m, "hits %lld\n", atomic64_read(&st->hits));
	seq_printf(m, "misses %lld\n", atomic64_read(&st->misses));
	seq_printf(m, "zero_fills %lld\n", atomic64_read(&pmon_zero_fills));
	seq_printf(m, "prefetches %lld\n", atomic64_read(&st->prefetches));
	seq_printf(m, "prefetch_hits %lld\n",
		   atomic64_read(&st->prefetch_hits));
	seq_printf(m, "evictions %lld\n", atomic64_read(&st->evictions));
	seq_printf(m, "writebacks %lld\n", atomic64_read(&st->writebacks));
	seq_printf(m, "held %lld\n", atomic64_read(&st->held));
	seq_printf(m, "lost %lld\n", atomic64_read(&st->lost));
	seq_printf(m, "errors %lld\n", atomic64_read(&st->errors));
	/* Bucket b: fetches of [2^(b-1), 2^b) us; bucket 0 under 1 us. */
	for (i = 0; i < EXCACHE_LAT_BUCKETS; i++)
		seq_printf(m, "fetch_lt_%lluus %lld\n", 1ULL << i,
			   atomic64_read(&st->fetch_us[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(excache);

int pmon_start(const struct pmon_params *p)
{
	u64 excache_bytes = p->excache_bytes;
	int ret;

	ret = excache_init(&pmon_excache, excache_bytes, p->excache_ways,
			   p->policy, &pmon_space_ops);
	if (ret) {
		pr_err("cannot reserve a %llu MiB ExCache: %d\n",
		       excache_bytes >> 20, ret);
		return ret;
	}
	pmon_vnodes_init(p->mmons, p->nr_mmons);
	pmon_space_init(p->prefetch);
	ret = pmon_blk_init(p->smon, p->blk_inline);
	if (ret)
		goto err_excache;
	ret = pmon_dev_register();
	if (ret) {
		pr_err("cannot register /dev/lego: %d\n", ret);
		goto err_blk;
	}
	pmon_debugfs = debugfs_create_file("excache", 0444, lego_debugfs, NULL,
					   &excache_fops);
	pr_info("ExCache of %llu MiB: %u sets of %u ways, %s, prefetch %u\n",
		excache_bytes >> 20, pmon_excache.geo.sets,
		pmon_excache.geo.ways, excache_policy_name(p->policy),
		p->prefetch);
	return 0;

err_blk:
	pmon_blk_exit();
err_excache:
	excache_destroy(&pmon_excache);
	return ret;
}

/* No /dev/lego file is open: each holds the module. */
void pmon_stop(void)
{
	debugfs_remove(pmon_debugfs);
	pmon_dev_unregister();
	pmon_blk_exit();
	excache_destroy(&pmon_excache);
}

/* The whole ExCache's counters: evictions are not any one vNode's doing. */
static int pmon_excache_nl_fill(struct sk_buff *msg)
{
	struct excache_stats *st = &pmon_excache.stats;
	struct nlattr *group = lego_nl_group_start(msg, "excache", "");

	if (!group ||
	    lego_nl_stat(msg, "bytes", pmon_excache.geo.lines << PAGE_SHIFT) ||
	    pmon_stat(msg, "hits", &st->hits) ||
	    pmon_stat(msg, "misses", &st->misses) ||
	    pmon_stat(msg, "zero_fills", &pmon_zero_fills) ||
	    pmon_stat(msg, "prefetches", &st->prefetches) ||
	    pmon_stat(msg, "prefetch_hits", &st->prefetch_hits) ||
	    pmon_stat(msg, "evictions", &st->evictions) ||
	    pmon_stat(msg, "writebacks", &st->writebacks) ||
	    pmon_stat(msg, "held", &st->held) ||
	    pmon_stat(msg, "lost", &st->lost) ||
	    pmon_stat(msg, "errors", &st->errors))
		return -EMSGSIZE;
	nla_nest_end(msg, group);
	return 0;
}

/* LEGO_CMD_STATS_GET: the ExCache, then every vNode or only @vnode. */
int pmon_stats_nl_fill(struct sk_buff *msg, const char *vnode)
{
	int ret = pmon_excache_nl_fill(msg);

	return ret ?: pmon_vnode_stats_nl_fill(msg, vnode);
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

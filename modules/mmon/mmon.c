// SPDX-License-Identifier: GPL-2.0
/*
 * The memory monitor: holds the pages of vNodes in its memory pool.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": mmon: " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <net/netlink.h>

#include "lego/genl.h"
#include "lego/lego.h"
#include "lego/pagepool.h"

static struct lego_pagepool mmon_pool;
static struct dentry *mmon_debugfs;

static int pool_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "bytes %llu\n", mmon_pool.nr_pages << PAGE_SHIFT);
	seq_printf(m, "pages %llu\n", mmon_pool.nr_pages);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool);

int mmon_start(u64 pool_bytes)
{
	int ret;

	ret = lego_pagepool_init(&mmon_pool, pool_bytes >> PAGE_SHIFT);
	if (ret) {
		pr_err("cannot reserve a %llu MiB memory pool: %d\n",
		       pool_bytes >> 20, ret);
		return ret;
	}
	mmon_debugfs = debugfs_create_file("pool", 0444, lego_debugfs, NULL,
					   &pool_fops);
	pr_info("memory pool of %llu MiB\n", pool_bytes >> 20);
	return 0;
}

void mmon_stop(void)
{
	debugfs_remove(mmon_debugfs);
	lego_pagepool_destroy(&mmon_pool);
}

int mmon_nl_fill(struct sk_buff *msg)
{
	if (nla_put_u64_64bit(msg, LEGO_ATTR_POOL_BYTES,
			      mmon_pool.nr_pages << PAGE_SHIFT, LEGO_ATTR_PAD))
		return -EMSGSIZE;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The memory monitor: holds the pages of vNodes in its memory pool, as the
 * home and as an owner of their address spaces.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": mmon: " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <net/netlink.h>

#include "lego/genl.h"
#include "lego/lego.h"
#include "mmon.h"

static struct dentry *mmon_debugfs;

static int pool_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "bytes %llu\n", mmon_pool_pages() << PAGE_SHIFT);
	seq_printf(m, "pages %llu\n", mmon_pool_pages());
	seq_printf(m, "used %llu\n", mmon_pool_used_pages());
	seq_printf(m, "free %llu\n", mmon_pool_free_pages());
	seq_printf(m, "available %llu\n", mmon_available_pages());
	seq_printf(m, "refused %lld\n", atomic64_read(&mmon_refused));
	seq_printf(m, "copied %lld\n", atomic64_read(&mmon_copied));
	seq_printf(m, "filled %lld\n", atomic64_read(&mmon_filled));
	seq_printf(m, "set_aside %lld\n", atomic64_read(&mmon_set_aside));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool);

/* LEGO_OP_MEM_STAT: how much a home may place here. */
static int mmon_serve_stat(struct lego_peer *peer, const struct lego_msg *msg,
			   const void *payload, void *reply, u32 *reply_len)
{
	struct lego_mem_stat_reply *st = reply;

	st->free_pages = cpu_to_le64(mmon_available_pages());
	st->used_pages = cpu_to_le64(mmon_pool_used_pages());
	*reply_len = sizeof(*st);
	return 0;
}

int mmon_start(u64 pool_bytes)
{
	u16 op;
	int ret;

	ret = mmon_pool_init(pool_bytes >> PAGE_SHIFT);
	if (ret) {
		pr_err("cannot reserve a %llu MiB memory pool: %d\n",
		       pool_bytes >> 20, ret);
		return ret;
	}
	ret = mmon_replica_init();
	if (ret) {
		mmon_pool_destroy();
		return ret;
	}
	for (op = LEGO_OP_MEM_MAP; op <= LEGO_OP_MEM_FREE; op++)
		lego_serve_register(op, mmon_serve_home, true);
	lego_serve_register(LEGO_OP_MEM_FETCH, mmon_serve_fetch, false);
	lego_serve_register(LEGO_OP_MEM_WRITEBACK, mmon_serve_writeback, false);
	lego_serve_register(LEGO_OP_MEM_OWN, mmon_serve_own, true);
	lego_serve_register(LEGO_OP_MEM_STAT, mmon_serve_stat, false);
	lego_serve_register(LEGO_OP_VNODE_NEW, mmon_serve_vnode, true);
	lego_serve_register(LEGO_OP_VNODE_DEL, mmon_serve_vnode, true);
	lego_serve_register(LEGO_OP_MEM_CLONE, mmon_serve_clone, true);
	lego_serve_register(LEGO_OP_MEM_REPLACE, mmon_serve_replace, true);
	lego_serve_register(LEGO_OP_MEM_COPY, mmon_serve_copy, true);
	lego_serve_register(LEGO_OP_MEM_FILL, mmon_serve_fill, true);
	mmon_debugfs = debugfs_create_file("pool", 0444, lego_debugfs, NULL,
					   &pool_fops);
	pr_info("memory pool of %llu MiB\n", pool_bytes >> 20);
	return 0;
}

/* Before the transport goes: nothing of ours may use its peers after. */
void mmon_quiesce(void)
{
	mmon_replica_stop();
}

/* After the transport: no request can come any more. */
void mmon_stop(void)
{
	debugfs_remove(mmon_debugfs);
	mmon_replica_exit();
	mmon_homes_destroy();
	mmon_spaces_destroy();
	mmon_pool_destroy();
}

int mmon_nl_fill(struct sk_buff *msg)
{
	if (nla_put_u64_64bit(msg, LEGO_ATTR_POOL_BYTES,
			      mmon_pool_pages() << PAGE_SHIFT, LEGO_ATTR_PAD))
		return -EMSGSIZE;
	return 0;
}

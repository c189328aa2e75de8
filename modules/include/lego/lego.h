/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of lego.ko offer each other.
 */
#ifndef _LEGO_H
#define _LEGO_H

#include <linux/dcache.h>
#include <linux/skbuff.h>
#include <linux/types.h>

#include "lego/excache_policy.h"
#include "lego/genl.h"

/* Each role's state is shown under /sys/kernel/debug/lego/. */
extern struct dentry *lego_debugfs;

/* Roles: start at load, stop at unload; fill adds the role's attributes
 * to a LEGO_CMD_STATUS_GET reply.
 */
struct pmon_params {
	u64 excache_bytes;
	u32 excache_ways;
	enum excache_policy policy;
	u32 prefetch;			/* pages ahead of sequential misses */
	const u32 *mmons;		/* the first is every space's home */
	unsigned int nr_mmons;
	u32 smon;			/* vNode disks' smon, 0 for none */
	bool blk_inline;		/* small disk I/O in the messages */
};

int pmon_start(const struct pmon_params *params);
void pmon_stop(void);
int pmon_nl_fill(struct sk_buff *msg);
int pmon_stats_nl_fill(struct sk_buff *msg, const char *vnode);
void pmon_unload_vnodes(void);

/* vNodes, on a pmon (LEGO_CMD_VNODE_*). */
struct netlink_ext_ack;
int pmon_vnode_create(const char *name, u64 mem, const __be32 *mmons,
		      u32 nr_mmons, u32 copies, u64 disk,
		      struct netlink_ext_ack *extack, u32 *id);
int pmon_vnode_destroy(const char *name, bool force,
		       struct netlink_ext_ack *extack);
int pmon_vnode_nl_fill(struct sk_buff *msg, const char *name,
		       unsigned long *pos);

int mmon_start(u64 pool_bytes);
void mmon_quiesce(void);
void mmon_stop(void);
int mmon_nl_fill(struct sk_buff *msg);

int smon_start(const char *backing);
void smon_stop(void);
int smon_nl_fill(struct sk_buff *msg);
int smon_stats_nl_fill(struct sk_buff *msg);

bool lego_is_mmon(__be32 addr);

int lego_genl_register(u32 roles);
void lego_genl_unregister(void);
void lego_genl_event(enum lego_event event, __be32 addr, const char *vnode);

/* Statistics groups of LEGO_CMD_STATS_GET replies (see genl.h). */
struct nlattr *lego_nl_group_start(struct sk_buff *msg, const char *kind,
				   const char *name);
int lego_nl_stat(struct sk_buff *msg, const char *name, u64 value);

#endif /* _LEGO_H */

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
};

int pmon_start(const struct pmon_params *params);
void pmon_stop(void);
int pmon_nl_fill(struct sk_buff *msg);

int mmon_start(u64 pool_bytes);
void mmon_stop(void);
int mmon_nl_fill(struct sk_buff *msg);

int smon_start(const char *backing);
void smon_stop(void);
int smon_nl_fill(struct sk_buff *msg);

int lego_genl_register(u32 roles);
void lego_genl_unregister(void);

#endif /* _LEGO_H */

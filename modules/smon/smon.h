/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the storage monitor: the backing and its volume table (smon.c),
 * the block requests served from them (io.c).
 */
#ifndef _LEGO_SMON_H
#define _LEGO_SMON_H

#include <linux/fs.h>
#include <linux/rwsem.h>

#include "lego/smon_volumes.h"
#include "lego/wire_check.h"

struct lego_peer;

struct smon_stats {
	atomic64_t reads;
	atomic64_t writes;
	atomic64_t flushes;
	atomic64_t discards;
	atomic64_t write_zeroes;
	atomic64_t read_bytes;
	atomic64_t write_bytes;
	atomic64_t errors;		/* served, but the backing failed */
	atomic64_t refused[__SMON_REFUSE_MAX];
};

extern struct file *smon_backing;
extern struct smon_table *smon_table;
extern struct rw_semaphore smon_table_sem;	/* the table, the backing's size */
extern struct smon_stats smon_stats;

int smon_table_store(void);
int smon_zero(u64 offset, u64 len);
u64 smon_room(void);

int smon_serve_create(struct lego_peer *peer, const struct lego_msg *msg,
		      const void *payload, void *reply, u32 *reply_len);
int smon_serve_delete(struct lego_peer *peer, const struct lego_msg *msg,
		      const void *payload, void *reply, u32 *reply_len);
int smon_serve_io(struct lego_peer *peer, const struct lego_msg *msg,
		  const void *payload, void *reply, u32 *reply_len);

#endif /* _LEGO_SMON_H */

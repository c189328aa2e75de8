/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the memory monitor: its page pool, the address spaces it owns
 * vRegions of (space.c) and those it is the home of (home.c).
 */
#ifndef _LEGO_MMON_H
#define _LEGO_MMON_H

#include <linux/types.h>

#include "lego/transport.h"
#include "lego/wire.h"

struct page;
struct work_struct;

/* Address spaces are named by vNode and asid, both up to 16 bits. */
static inline unsigned long mmon_key(u32 vnode, u32 asid)
{
	return (unsigned long)vnode << 16 | asid;
}

/* A vNode, at its home mmon; mmon[0] is the home itself. */
struct mmon_vnode {
	__be32 pmon;
	u64 mem;
	u32 copies;			/* of each page: 1 or 2 */
	u32 nr;
	__be32 mmon[LEGO_VNODE_MMONS_MAX];
};

struct mmon_vnode *mmon_vnode_find(u32 id, __be32 pmon);
int mmon_vnode_add(u32 id, __be32 pmon, const struct lego_vnode_req *req);
void mmon_vnode_del(u32 id);
void mmon_vnodes_destroy(void);

int mmon_pool_init(u64 nr_pages);
void mmon_pool_destroy(void);
s64 mmon_pool_alloc(__be32 tenant, u32 *hint);
void mmon_pool_free(u64 index);
struct page *mmon_pool_page(u64 index);
void mmon_pool_locate(struct lego_peer *peer, u64 index,
		      struct lego_mem_page_loc *loc);
u64 mmon_pool_free_pages(void);
u64 mmon_pool_used_pages(void);
u64 mmon_pool_pages(void);

u64 mmon_available_pages(void);
int mmon_own(const struct lego_mem_own_req *own, u32 vnode);
void mmon_spaces_destroy(void);
int mmon_serve_own(struct lego_peer *peer, const struct lego_msg *msg,
		   const void *payload, void *reply, u32 *reply_len);
int mmon_serve_fetch(struct lego_peer *peer, const struct lego_msg *msg,
		     const void *payload, void *reply, u32 *reply_len);
int mmon_serve_writeback(struct lego_peer *peer, const struct lego_msg *msg,
			 const void *payload, void *reply, u32 *reply_len);
int mmon_serve_fill(struct lego_peer *peer, const struct lego_msg *msg,
		    const void *payload, void *reply, u32 *reply_len);
bool mmon_space_of(unsigned long key, __be32 pmon, u64 space_key);
int mmon_space_next_page(unsigned long key, __be32 pmon, u64 space_key,
			 unsigned long *index, unsigned long last, void *buf);

int mmon_replica_init(void);
bool mmon_replica_queue(struct work_struct *work);
void mmon_replica_stop(void);
void mmon_replica_exit(void);
int mmon_serve_copy(struct lego_peer *peer, const struct lego_msg *msg,
		    const void *payload, void *reply, u32 *reply_len);

int mmon_serve_home(struct lego_peer *peer, const struct lego_msg *msg,
		    const void *payload, void *reply, u32 *reply_len);
int mmon_serve_vnode(struct lego_peer *peer, const struct lego_msg *msg,
		     const void *payload, void *reply, u32 *reply_len);
int mmon_serve_clone(struct lego_peer *peer, const struct lego_msg *msg,
		     const void *payload, void *reply, u32 *reply_len);
int mmon_serve_replace(struct lego_peer *peer, const struct lego_msg *msg,
		       const void *payload, void *reply, u32 *reply_len);
void mmon_homes_destroy(void);

/* Requests refused because they named what the sender may not touch. */
extern atomic64_t mmon_refused;
/* Pages another holder copied here, and pages this one copied out. */
extern atomic64_t mmon_filled, mmon_copied;
/* Pages set aside for the rest of a group at its first write-back. */
extern atomic64_t mmon_set_aside;

#endif /* _LEGO_MMON_H */

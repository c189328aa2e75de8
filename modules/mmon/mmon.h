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

/* Address spaces are named by vNode and asid, both up to 16 bits. */
static inline unsigned long mmon_key(u32 vnode, u32 asid)
{
	return (unsigned long)vnode << 16 | asid;
}

int mmon_pool_init(u64 nr_pages);
void mmon_pool_destroy(void);
struct page *mmon_pool_alloc(void);
void mmon_pool_free(struct page *page);
u64 mmon_pool_free_pages(void);
u64 mmon_pool_used_pages(void);
u64 mmon_pool_pages(void);

u64 mmon_available_pages(void);
int mmon_own(u16 op, __be32 pmon, u32 vnode, const struct lego_mem_req *req);
void mmon_spaces_destroy(void);
int mmon_serve_own(struct lego_peer *peer, const struct lego_msg *msg,
		   const void *payload, void *reply, u32 *reply_len);
int mmon_serve_fetch(struct lego_peer *peer, const struct lego_msg *msg,
		     const void *payload, void *reply, u32 *reply_len);
int mmon_serve_writeback(struct lego_peer *peer, const struct lego_msg *msg,
			 const void *payload, void *reply, u32 *reply_len);

int mmon_serve_home(struct lego_peer *peer, const struct lego_msg *msg,
		    const void *payload, void *reply, u32 *reply_len);
void mmon_homes_destroy(void);

/* Requests refused because they named what the sender may not touch. */
extern atomic64_t mmon_refused;

#endif /* _LEGO_MMON_H */

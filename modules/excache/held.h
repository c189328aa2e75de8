/* SPDX-License-Identifier: GPL-2.0 */
/* The ExCache's held copies of dirty victims (held.c), for excache.c. */
#ifndef _LEGO_EXCACHE_HELD_H
#define _LEGO_EXCACHE_HELD_H

struct excache;
struct excache_held;
struct page;

int excache_held_init(struct excache *cache);
void excache_held_destroy(struct excache *cache);
int excache_hold(struct excache *cache, void *space, u64 tag,
		 struct page *page);
struct excache_held *excache_unhold(struct excache *cache, u64 tag);
void excache_held_copy(struct excache_held *h, struct page *to);
void excache_held_put(struct excache *cache, struct excache_held *h);
void excache_rehold(struct excache *cache, struct excache_held *h);
int excache_unhold_range(struct excache *cache, void *space, u32 asid,
			 u64 vpn_start, u64 vpn_end, bool writeback);

#endif /* _LEGO_EXCACHE_HELD_H */

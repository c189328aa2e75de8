/* SPDX-License-Identifier: GPL-2.0 */
/* The ExCache's held copies of dirty victims (held.c), for excache.c. */
#ifndef _LEGO_EXCACHE_HELD_COPIES_H
#define _LEGO_EXCACHE_HELD_COPIES_H

struct excache;
struct page;

int excache_held_init(struct excache *cache);
void excache_held_destroy(struct excache *cache);
int excache_hold(struct excache *cache, void *space, u64 tag,
		 struct page *page);
int excache_unhold(struct excache *cache, u64 tag);
void excache_held_copy(struct excache *cache, int i, struct page *to);
void excache_held_put(struct excache *cache, int i);
void excache_rehold(struct excache *cache, int i);
int excache_unhold_range(struct excache *cache, void *space, u32 asid,
			 u64 vpn_start, u64 vpn_end, bool writeback);

#endif /* _LEGO_EXCACHE_HELD_COPIES_H */

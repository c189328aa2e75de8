/* SPDX-License-Identifier: GPL-2.0 */
/* The ExCache's background eviction (evictor.c), for excache.c. */
#ifndef _LEGO_EXCACHE_EVICTOR_H
#define _LEGO_EXCACHE_EVICTOR_H

#include <linux/types.h>

struct excache;

int excache_evictor_init(struct excache *cache, u32 free_target);
void excache_evictor_destroy(struct excache *cache);
void excache_evictor_kick(struct excache *cache, u32 set);

/* In excache.c: evict lines of @set until free_target are free. */
void excache_evict_ahead(struct excache *cache, u32 set);

#endif /* _LEGO_EXCACHE_EVICTOR_H */

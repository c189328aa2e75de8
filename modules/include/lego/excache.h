/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_EXCACHE_H
#define _LEGO_EXCACHE_H

#include "lego/excache_geometry.h"
#include "lego/pagepool.h"

/* The pmon's ExCache: reserved local DRAM, one page per line. */
struct excache {
	struct excache_geometry geo;
	struct lego_pagepool lines;
};

int excache_init(struct excache *cache, u64 bytes, u32 ways);
void excache_destroy(struct excache *cache);

#endif /* _LEGO_EXCACHE_H */

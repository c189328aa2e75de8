/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ExCache geometry: how lines are grouped into sets and which set a page
 * belongs to. Pure logic shared by lego.ko and the unit tests.
 */
#ifndef _LEGO_EXCACHE_GEOMETRY_H
#define _LEGO_EXCACHE_GEOMETRY_H

#include "lego/compat.h"

#define EXCACHE_MAX_WAYS	512

struct excache_geometry {
	u64 lines;		/* one page each */
	u32 ways;		/* lines per set */
	u32 sets;		/* a power of two */
	u32 set_bits;		/* log2(sets) */
};

int excache_geometry_init(struct excache_geometry *g, u64 bytes, u32 ways,
			  u32 page_size);
u32 excache_set_index(const struct excache_geometry *g, u32 asid, u64 vpn);

static inline u64 excache_line_index(const struct excache_geometry *g,
				     u32 set, u32 way)
{
	return (u64)set * g->ways + way;
}

#endif /* _LEGO_EXCACHE_GEOMETRY_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vRegions: a vNode address space's window cut into 1 GiB pieces, each
 * owned by one mmon, which keeps its vmas and pages. The home mmon of the
 * address space assigns them. Pure logic shared by lego.ko and the unit
 * tests; the caller locks.
 */
#ifndef _LEGO_VREGION_H
#define _LEGO_VREGION_H

#include "lego/compat.h"

#define LEGO_VREGION_SHIFT	30
#define LEGO_VREGION_SIZE	BIT_ULL(LEGO_VREGION_SHIFT)
#define LEGO_VREGION_NONE	0xff	/* not assigned */
#define LEGO_MAX_MMONS		16

/*
 * With two copies each vRegion has an owner and a replica, two different
 * mmons holding the same vmas and pages; the pmon reads from the owner and
 * writes back to both. A replica lost is LEGO_VREGION_NONE until replaced.
 */
struct lego_vregion_table {
	u64 base;		/* the window's first address, 1 GiB aligned */
	u32 nr;			/* vRegions in the window */
	u32 copies;		/* 1, or 2 with replicas */
	u8 *replica;		/* mmon index of each replica, or NONE */
	u8 owner[];		/* mmon index of each, or LEGO_VREGION_NONE */
};

struct lego_vregion_table *lego_vregion_table_new(u64 base, u32 nr,
						  u32 copies);
void lego_vregion_table_copy(struct lego_vregion_table *to,
			     const struct lego_vregion_table *from);
int lego_vregion_owner(const struct lego_vregion_table *t, u64 addr);
int lego_vregion_replica(const struct lego_vregion_table *t, u64 addr);
int lego_vregion_assign(struct lego_vregion_table *t, u64 start, u64 end,
			u64 *free_pages, u32 nr_mmons, u32 home);
int lego_vregion_drop(struct lego_vregion_table *t, u64 addr, u32 holder);
int lego_vregion_add_replica(struct lego_vregion_table *t, u64 addr,
			     u64 *free_pages, u32 nr_mmons, u32 home,
			     u64 pages);

#endif /* _LEGO_VREGION_H */

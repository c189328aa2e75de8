// SPDX-License-Identifier: GPL-2.0
/*
 * Assigning vRegions to owner mmons. Pure C: built into lego.ko and
 * tests/unit/test_vregion.
 */
#include "lego/vregion.h"

#define LEGO_PAGE_SHIFT		12

/**
 * lego_vregion_table_new() - a window of @nr vRegions from @base, unassigned
 * @base: 1 GiB aligned
 * @nr: vRegions, at least 1
 *
 * Return: the table (free it with lego_free()), or NULL.
 */
struct lego_vregion_table *lego_vregion_table_new(u64 base, u32 nr)
{
	struct lego_vregion_table *t;

	if (!nr || base & (LEGO_VREGION_SIZE - 1) ||
	    base + ((u64)nr << LEGO_VREGION_SHIFT) < base)
		return NULL;
	t = lego_zalloc(sizeof(*t) + nr);
	if (!t)
		return NULL;
	t->base = base;
	t->nr = nr;
	memset(t->owner, LEGO_VREGION_NONE, nr);
	return t;
}

static bool lego_vregion_index(const struct lego_vregion_table *t, u64 addr,
			       u32 *index)
{
	if (addr < t->base || (addr - t->base) >> LEGO_VREGION_SHIFT >= t->nr)
		return false;
	*index = (u32)((addr - t->base) >> LEGO_VREGION_SHIFT);
	return true;
}

/**
 * lego_vregion_owner() - the mmon that owns @addr
 * @t: the table
 * @addr: an address
 *
 * Return: the owner's index, -ENOENT if its vRegion is not assigned,
 * -EFAULT if @addr is outside the window.
 */
int lego_vregion_owner(const struct lego_vregion_table *t, u64 addr)
{
	u32 i;

	if (!lego_vregion_index(t, addr, &i))
		return -EFAULT;
	return t->owner[i] == LEGO_VREGION_NONE ? -ENOENT : t->owner[i];
}

/* The home while it has room for @pages, else the mmon with the most. */
static int lego_vregion_pick(const u64 *free_pages, u32 nr_mmons, u32 home,
			     u64 pages)
{
	int best = -1;
	u32 i;

	if (free_pages[home] >= pages)
		return home;
	for (i = 0; i < nr_mmons; i++)
		if (free_pages[i] >= pages &&
		    (best < 0 || free_pages[i] > free_pages[best]))
			best = i;
	return best;
}

/**
 * lego_vregion_assign() - give owners to the vRegions under [@start, @end)
 * @t: the table
 * @start: page-aligned start of a new vma
 * @end: its page-aligned end
 * @free_pages: free pages of each mmon, charged with the vma's pages
 * @nr_mmons: how many mmons, up to LEGO_MAX_MMONS
 * @home: the index of the address space's home mmon
 *
 * Each vRegion's share of the vma is charged to its owner; an unassigned
 * vRegion goes to the home mmon while it has room for that share, else
 * to the mmon with the most free pages.
 *
 * Return: 0; -EFAULT if the range leaves the window; -ENOSPC if no mmon
 * has room for a share, and then nothing is assigned or charged.
 */
int lego_vregion_assign(struct lego_vregion_table *t, u64 start, u64 end,
			u64 *free_pages, u32 nr_mmons, u32 home)
{
	u64 charged[LEGO_MAX_MMONS] = { 0 };
	u8 before[LEGO_MAX_MMONS];
	u32 first, last, i, n = 0;
	u64 addr;
	int owner;

	if (start >= end || !nr_mmons || nr_mmons > LEGO_MAX_MMONS ||
	    home >= nr_mmons || !lego_vregion_index(t, start, &first) ||
	    !lego_vregion_index(t, end - 1, &last))
		return -EFAULT;
	if (last - first >= LEGO_MAX_MMONS)
		return -EFAULT;	/* a vma of more than 16 GiB */

	for (i = first, addr = start; i <= last; i++) {
		u64 stop = t->base + ((u64)(i + 1) << LEGO_VREGION_SHIFT);
		u64 pages = ((stop < end ? stop : end) - addr) >> LEGO_PAGE_SHIFT;

		before[n++] = t->owner[i];
		owner = t->owner[i];
		if (owner == LEGO_VREGION_NONE)
			owner = lego_vregion_pick(free_pages, nr_mmons, home,
						  pages);
		if (owner < 0 || owner >= (int)nr_mmons ||
		    free_pages[owner] < pages)
			goto undo;
		t->owner[i] = owner;
		free_pages[owner] -= pages;
		charged[owner] += pages;
		addr = stop;
	}
	return 0;

undo:
	for (i = 0; i < nr_mmons; i++)
		free_pages[i] += charged[i];
	for (i = 0; i < n; i++)
		t->owner[first + i] = before[i];
	return -ENOSPC;
}

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
 * @copies: of each page: 1, or 2 (an owner and a replica)
 *
 * Return: the table (free it with lego_free()), or NULL.
 */
struct lego_vregion_table *lego_vregion_table_new(u64 base, u32 nr,
						  u32 copies)
{
	struct lego_vregion_table *t;

	if (!nr || base & (LEGO_VREGION_SIZE - 1) ||
	    base + ((u64)nr << LEGO_VREGION_SHIFT) < base ||
	    !copies || copies > 2)
		return NULL;
	t = lego_zalloc(sizeof(*t) + 2 * nr);
	if (!t)
		return NULL;
	t->base = base;
	t->nr = nr;
	t->copies = copies;
	t->replica = t->owner + nr;
	memset(t->owner, LEGO_VREGION_NONE, 2 * nr);
	return t;
}

/* A fork's space: @to, as large as @from, gets its holders. */
void lego_vregion_table_copy(struct lego_vregion_table *to,
			     const struct lego_vregion_table *from)
{
	memcpy(to->owner, from->owner, 2 * from->nr);
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

/* As lego_vregion_owner(), for the second copy. */
int lego_vregion_replica(const struct lego_vregion_table *t, u64 addr)
{
	u32 i;

	if (!lego_vregion_index(t, addr, &i))
		return -EFAULT;
	return t->replica[i] == LEGO_VREGION_NONE ? -ENOENT : t->replica[i];
}

/* The mmon other than @not with the most room for @pages, or -1. */
static int lego_vregion_roomiest(const u64 *free_pages, u32 nr_mmons,
				 u64 pages, int not, int nor)
{
	int best = -1;
	u32 i;

	for (i = 0; i < nr_mmons; i++)
		if ((int)i != not && (int)i != nor && free_pages[i] >= pages &&
		    (best < 0 || free_pages[i] > free_pages[best]))
			best = i;
	return best;
}

/*
 * One copy: the home while it has room for @pages, else the mmon with
 * the most. Two: the mmons other than the home with the most room (other
 * than @not), so that one mmon's death never takes both a copy and the
 * home that replaces it; the home only when no other has room.
 */
static int lego_vregion_pick(const struct lego_vregion_table *t,
			     const u64 *free_pages, u32 nr_mmons, u32 home,
			     u64 pages, int not)
{
	int best;

	if (t->copies == 1 && free_pages[home] >= pages)
		return home;
	best = lego_vregion_roomiest(free_pages, nr_mmons, pages, not, home);
	if (best < 0 && (int)home != not && free_pages[home] >= pages)
		best = home;
	return best;
}

/* Charge @pages to holder @m of a vRegion, if it has them. */
static bool lego_vregion_charge(u64 *free_pages, u64 *charged, int m,
				u32 nr_mmons, u64 pages)
{
	if (m < 0 || m >= (int)nr_mmons || free_pages[m] < pages)
		return false;
	free_pages[m] -= pages;
	charged[m] += pages;
	return true;
}

/**
 * lego_vregion_assign() - give holders to the vRegions under [@start, @end)
 * @t: the table
 * @start: page-aligned start of a new vma
 * @end: its page-aligned end
 * @free_pages: free pages of each mmon, charged with the vma's pages
 * @nr_mmons: how many mmons, up to LEGO_MAX_MMONS
 * @home: the index of the address space's home mmon
 *
 * Each vRegion's share of the vma is charged to each of its holders; an
 * unassigned vRegion gets them as lego_vregion_pick() says.
 *
 * Return: 0; -EFAULT if the range leaves the window; -ENOSPC if no mmon
 * has room for a share, and then nothing is assigned or charged.
 */
int lego_vregion_assign(struct lego_vregion_table *t, u64 start, u64 end,
			u64 *free_pages, u32 nr_mmons, u32 home)
{
	u64 charged[LEGO_MAX_MMONS] = { 0 };
	u8 before[2][LEGO_MAX_MMONS];
	u32 first, last, i, n = 0;
	int owner, replica;
	u64 addr;

	if (start >= end || !nr_mmons || nr_mmons > LEGO_MAX_MMONS ||
	    home >= nr_mmons || !lego_vregion_index(t, start, &first) ||
	    !lego_vregion_index(t, end - 1, &last))
		return -EFAULT;
	if (last - first >= LEGO_MAX_MMONS)
		return -EFAULT;	/* a vma of more than 16 GiB */

	for (i = first, addr = start; i <= last; i++) {
		u64 stop = t->base + ((u64)(i + 1) << LEGO_VREGION_SHIFT);
		u64 pages = ((stop < end ? stop : end) - addr) >> LEGO_PAGE_SHIFT;

		before[0][n] = t->owner[i];
		before[1][n++] = t->replica[i];
		owner = t->owner[i];
		replica = t->replica[i];
		if (owner == LEGO_VREGION_NONE) {
			owner = lego_vregion_pick(t, free_pages, nr_mmons,
						  home, pages, -1);
			replica = t->copies == 1 ? LEGO_VREGION_NONE :
				  lego_vregion_pick(t, free_pages, nr_mmons,
						    home, pages, owner);
			if (replica < 0)
				goto undo;
		}
		if (!lego_vregion_charge(free_pages, charged, owner, nr_mmons,
					 pages) ||
		    (replica != LEGO_VREGION_NONE &&
		     !lego_vregion_charge(free_pages, charged, replica,
					  nr_mmons, pages)))
			goto undo;
		t->owner[i] = owner;
		t->replica[i] = replica;
		addr = stop;
	}
	return 0;

undo:
	for (i = 0; i < nr_mmons; i++)
		free_pages[i] += charged[i];
	for (i = 0; i < n; i++) {
		t->owner[first + i] = before[0][i];
		t->replica[first + i] = before[1][i];
	}
	return -ENOSPC;
}

/**
 * lego_vregion_drop() - holder @holder of @addr's vRegion is gone
 * @t: the table
 * @addr: in the vRegion
 * @holder: an mmon index
 *
 * The replica takes the place of a lost owner; a lost replica leaves the
 * vRegion with one copy.
 *
 * Return: 0, -ENOENT if @holder does not hold it (any more), or -EFAULT.
 */
int lego_vregion_drop(struct lego_vregion_table *t, u64 addr, u32 holder)
{
	u32 i;

	if (!lego_vregion_index(t, addr, &i))
		return -EFAULT;
	if (t->copies == 1 || t->owner[i] == LEGO_VREGION_NONE)
		return -ENOENT;
	if (t->owner[i] == holder && t->replica[i] != LEGO_VREGION_NONE) {
		t->owner[i] = t->replica[i];
		t->replica[i] = LEGO_VREGION_NONE;
		return 0;
	}
	if (t->replica[i] == holder) {
		t->replica[i] = LEGO_VREGION_NONE;
		return 0;
	}
	return -ENOENT;
}

/**
 * lego_vregion_add_replica() - a new second copy for @addr's vRegion
 * @t: the table
 * @addr: in the vRegion, which has an owner and no replica
 * @free_pages: free pages of each mmon; the new one's is charged
 * @nr_mmons: how many mmons
 * @home: the home's index
 * @pages: the vRegion's vma pages, to be promised there
 *
 * Return: the new replica's index; -ENOSPC if no other mmon has room,
 * -EEXIST if the vRegion has its two copies, -ENOENT if it has none, or
 * -EFAULT.
 */
int lego_vregion_add_replica(struct lego_vregion_table *t, u64 addr,
			     u64 *free_pages, u32 nr_mmons, u32 home,
			     u64 pages)
{
	int replica;
	u32 i;

	if (!lego_vregion_index(t, addr, &i) || !nr_mmons ||
	    nr_mmons > LEGO_MAX_MMONS || home >= nr_mmons)
		return -EFAULT;
	if (t->owner[i] == LEGO_VREGION_NONE || t->copies == 1)
		return -ENOENT;
	if (t->replica[i] != LEGO_VREGION_NONE)
		return -EEXIST;
	replica = lego_vregion_pick(t, free_pages, nr_mmons, home, pages,
				    t->owner[i]);
	if (replica < 0)
		return -ENOSPC;
	free_pages[replica] -= pages;
	t->replica[i] = replica;
	return replica;
}

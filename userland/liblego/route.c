// SPDX-License-Identifier: GPL-2.0
/*
 * liblego's routing. Anonymous private read/write memory goes to
 * /dev/lego, whose mappings all lie in the window the home mmon places
 * them in; nothing else is ever put there, so an address alone says whose
 * it is: no table of regions.
 *
 * mimalloc 2.0.9 (Debian's libmimalloc2.0, src/os.c) on Linux, and where
 * each of its calls goes:
 * - a segment: mmap(hint, 32 MiB (more for huge blocks), PROT_READ |
 *   PROT_WRITE, or PROT_NONE to commit later, MAP_PRIVATE | MAP_ANONYMOUS
 *   | MAP_NORESERVE, -1, 0), the hint 32 MiB aligned in [2 TiB, 30 TiB):
 *   /dev/lego, the hint ignored.
 * - if that is not 32 MiB aligned: munmap() of it, mmap() of 32 MiB more
 *   and munmap() of the unaligned head and tail: the kernel's (partial)
 *   munmap, not interposed.
 * - commit: mprotect(PROT_READ | PROT_WRITE); decommit: madvise(
 *   MADV_DONTNEED), or mprotect(PROT_NONE) in debug and secure builds:
 *   a discard, or the kernel's mprotect. (Decommit by mmap(MAP_FIXED,
 *   PROT_NONE) is compiled out in 2.0.9; it would be a fixed map over.)
 * - reset of free pages: madvise(MADV_FREE), MADV_DONTNEED from the first
 *   EINVAL on, retried while EAGAIN: a discard either way.
 * - shrink: munmap() of a tail; free: munmap().
 * - large OS pages (options, off by default): madvise(MADV_HUGEPAGE), a
 *   hint; mmap(MAP_HUGETLB), at hints from 32 TiB for reserved 1 GiB
 *   pages: the kernel's, local memory.
 * - no mremap.
 */
#include <errno.h>

#include "route.h"

#define LEGO_PAGE_LOW	((uint64_t)LEGO_PAGE_SIZE - 1)

/* [@addr, @addr + @len) lies inside the window. */
bool lego_in_window(uint64_t addr, uint64_t len)
{
	return addr >= LEGO_WINDOW_START && addr <= LEGO_WINDOW_END &&
	       len <= LEGO_WINDOW_END - addr;
}

/* Some byte of [@addr, @addr + @len) is in the window. */
bool lego_meets_window(uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len < addr ? UINT64_MAX : addr + len;

	return len && addr < LEGO_WINDOW_END && end > LEGO_WINDOW_START;
}

/* @len rounded up to pages in *@out, false if that overflows. */
static bool lego_pages(uint64_t len, uint64_t *out)
{
	*out = (len + LEGO_PAGE_LOW) & ~LEGO_PAGE_LOW;
	return *out >= len;
}

/*
 * What /dev/lego takes: private anonymous memory, read/write at most.
 * Code (PROT_EXEC), shared memory, huge pages, low addresses and stacks
 * (thread stacks are MAP_STACK) stay local.
 */
static bool lego_kind(int prot, int flags, int fd)
{
	return (flags & MAP_TYPE) == MAP_PRIVATE && flags & MAP_ANONYMOUS &&
	       fd == -1 && !(prot & ~LEGO_RW) &&
	       !(flags & (MAP_HUGETLB | MAP_GROWSDOWN | MAP_STACK |
			  MAP_32BIT));
}

static void lego_map_fail(struct lego_map_plan *plan, int err)
{
	plan->how = LEGO_ROUTE_FAIL;
	plan->err = err;
}

/**
 * lego_route_mmap() - where an mmap(2) goes
 * @addr: its address: a hint, or where with MAP_FIXED(_NOREPLACE)
 * @len: its length
 * @prot: its protection
 * @flags: its flags
 * @fd: its file descriptor
 * @plan: set to the route, address, length (or error)
 *
 * A hint is ignored by /dev/lego (the home mmon places), and cleared for
 * the kernel when it points into the window. A fixed map elsewhere than
 * in the window is the kernel's, as is one of another kind there (the
 * program's own choice). Errors are as mmap(2)'s.
 */
void lego_route_mmap(uint64_t addr, uint64_t len, int prot, int flags,
		     int fd, struct lego_map_plan *plan)
{
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);

	plan->how = LEGO_ROUTE_REAL;
	plan->addr = addr;
	plan->len = len;
	plan->err = 0;
	if (!lego_kind(prot, flags, fd) || !len ||
	    (fixed && !lego_meets_window(addr, len))) {
		if (!fixed && lego_meets_window(addr, len))
			plan->addr = 0;
		return;
	}
	if (!lego_pages(len, &plan->len) || plan->len > LEGO_MAP_MAX) {
		lego_map_fail(plan, ENOMEM);
	} else if (!fixed) {
		plan->how = LEGO_ROUTE_ANY;
		plan->addr = 0;
	} else if (addr & LEGO_PAGE_LOW) {
		lego_map_fail(plan, EINVAL);
	} else if (!lego_in_window(addr, plan->len)) {
		lego_map_fail(plan, ENOMEM);	/* across the window's edge */
	} else {
		/* MAP_FIXED_NOREPLACE wins over MAP_FIXED, as in mm/mmap.c */
		plan->how = flags & MAP_FIXED_NOREPLACE ? LEGO_ROUTE_AT :
							  LEGO_ROUTE_OVER;
	}
}

static void lego_remap_fail(struct lego_remap_plan *plan, int err)
{
	plan->how = LEGO_REMAP_FAIL;
	plan->err = err;
}

/* MREMAP_FIXED of ours: only into the window, local memory never is. */
static void lego_route_to(uint64_t old, struct lego_remap_plan *plan)
{
	uint64_t to = plan->to;

	if (to & LEGO_PAGE_LOW || !lego_in_window(to, plan->new_len) ||
	    (to < old + plan->old_len && old < to + plan->new_len))
		lego_remap_fail(plan, EINVAL);
	else if (plan->new_len > LEGO_MAP_MAX)
		lego_remap_fail(plan, ENOMEM);
	else
		plan->how = LEGO_REMAP_MOVE_TO;
}

/* Growing ours: in place if the window has the next range, else a move. */
static void lego_route_grow(uint64_t old, int flags,
			    struct lego_remap_plan *plan)
{
	uint64_t grow = plan->new_len - plan->old_len;

	plan->may_move = flags & MREMAP_MAYMOVE &&
			 plan->new_len <= LEGO_MAP_MAX;
	if (grow <= LEGO_MAP_MAX && lego_in_window(old + plan->old_len, grow))
		plan->how = LEGO_REMAP_GROW;
	else if (plan->may_move)
		plan->how = LEGO_REMAP_MOVE;
	else
		lego_remap_fail(plan, ENOMEM);
}

/**
 * lego_route_mremap() - how an mremap(2) is done
 * @old: its old address
 * @old_len: its old length
 * @new_len: its new length
 * @flags: its flags
 * @to: its new address, with MREMAP_FIXED
 * @plan: set to the way (or error), lengths rounded up to pages
 *
 * The kernel shrinks our mappings but neither grows nor moves them:
 * growing is a second mapping right after the old one when the window
 * has that range (else a move, if allowed); moving is a copy into a new
 * mapping, which must be in the window. An empty @old_len (a second
 * mapping of the same pages) and MREMAP_DONTUNMAP are refused. Errors are
 * as mremap(2)'s.
 */
void lego_route_mremap(uint64_t old, uint64_t old_len, uint64_t new_len,
		       int flags, uint64_t to, struct lego_remap_plan *plan)
{
	bool fixed = flags & MREMAP_FIXED;

	plan->how = LEGO_REMAP_REAL;
	plan->old_len = old_len;
	plan->new_len = new_len;
	plan->to = to;
	plan->may_move = false;
	plan->err = 0;
	/* An empty old range stands for its address. */
	if (!lego_meets_window(old, old_len ? old_len : 1)) {
		/* Local memory never moves or grows into the window. */
		if (fixed && lego_meets_window(to, new_len))
			lego_remap_fail(plan, EINVAL);
		else if (!fixed && lego_meets_window(old, new_len))
			lego_remap_fail(plan, ENOMEM);
		return;
	}
	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED) ||
	    (fixed && !(flags & MREMAP_MAYMOVE)) || old & LEGO_PAGE_LOW ||
	    !old_len || !new_len || !lego_pages(old_len, &plan->old_len) ||
	    !lego_pages(new_len, &plan->new_len))
		lego_remap_fail(plan, EINVAL);
	else if (!lego_in_window(old, plan->old_len))
		lego_remap_fail(plan, EFAULT);	/* not one mapping */
	else if (fixed)
		lego_route_to(old, plan);
	else if (plan->new_len > plan->old_len)
		lego_route_grow(old, flags, plan);
	/* else a shrink: the kernel unmaps the tail */
}

/**
 * lego_route_madvise() - what an madvise(2) does
 * @addr: its address
 * @len: its length
 * @advice: its advice
 * @rlen: set to @len rounded up to pages, in the window
 * @err: set to the error, for LEGO_ADVICE_FAIL
 *
 * In the window: MADV_DONTNEED(_LOCKED) and MADV_FREE (which allows
 * zeroes) discard, which the kernel does not on our mappings. MADV_REMOVE
 * fails as on private anonymous memory, and MADV_WIPEONFORK as where
 * Linux cannot (a child gets a copy): a program then falls back instead
 * of trusting it. Other advice, hints about paging or forks, is ignored,
 * as the kernel would refuse some on our mappings.
 *
 * Return: the action.
 */
enum lego_advice lego_route_madvise(uint64_t addr, uint64_t len, int advice,
				    uint64_t *rlen, int *err)
{
	if (!lego_meets_window(addr, len))
		return LEGO_ADVICE_REAL;
	*err = EINVAL;
	if (addr & LEGO_PAGE_LOW || !lego_pages(len, rlen))
		return LEGO_ADVICE_FAIL;
	if (!lego_in_window(addr, *rlen)) {
		*err = ENOMEM;	/* across the window's edge: unmapped there */
		return LEGO_ADVICE_FAIL;
	}
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
		return LEGO_ADVICE_DISCARD;
	case MADV_REMOVE:
	case MADV_WIPEONFORK:
		return LEGO_ADVICE_FAIL;
	default:
		return LEGO_ADVICE_IGNORE;
	}
}

/*
 * mmap(2)'s errno for a failed LEGO_IOC_MAP: a full vNode (ENOSPC) or a
 * failed request to an mmon (EIO, ETIMEDOUT...) is no memory.
 */
int lego_map_errno(int err)
{
	return err == EINVAL || err == EEXIST ? err : ENOMEM;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * mremap(2) of /dev/lego memory beyond a shrink, which the kernel
 * refuses: growing in place maps the next range as a second mapping;
 * moving maps anew, copies and unmaps the old range. The new pages take
 * the protections of the old ones, as /proc/self/maps shows them.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "maps.h"
#include "remap.h"
#include "space.h"
#include "sys.h"

/* What the old range is like. */
struct lego_survey {
	int last_prot;		/* of its last page, so of a growth */
	bool plain;		/* all of it readable and writable */
};

static int lego_survey_piece(const struct lego_piece *pc, void *arg)
{
	struct lego_survey *s = arg;

	s->last_prot = pc->prot & LEGO_RW;
	if (s->last_prot != LEGO_RW)
		s->plain = false;
	return 0;
}

struct lego_copy {
	uint64_t from;
	uint64_t to;
};

/* A piece of the old range into the new one, protected alike. */
static int lego_copy_piece(const struct lego_piece *pc, void *arg)
{
	const struct lego_copy *c = arg;
	uint64_t len = pc->end - pc->start, to = c->to + pc->start - c->from;
	int prot = pc->prot & LEGO_RW;

	/* The old range goes: it may stay readable. */
	if (!(prot & PROT_READ) &&
	    lego_sys_mprotect(pc->start, len, PROT_READ))
		return -errno;
	memcpy((void *)to, (const void *)pc->start, len);
	if (prot != LEGO_RW && lego_sys_mprotect(to, len, prot))
		return -errno;
	return 0;
}

/* Map the new range (at @to if @fixed), copy the old, unmap it. */
static long lego_move(uint64_t old, const struct lego_remap_plan *p,
		      const struct lego_survey *s, uint64_t to, bool fixed)
{
	uint64_t len = p->old_len < p->new_len ? p->old_len : p->new_len;
	struct lego_copy c = { .from = old, .to = to };
	int ret;

	ret = lego_space_map(&c.to, p->new_len, LEGO_RW, fixed);
	if (ret)
		return -lego_map_errno(-ret);
	if (s->plain)
		memcpy((void *)c.to, (const void *)old, len);
	else
		ret = lego_maps_walk(old, old + len, lego_copy_piece, &c);
	if (!ret && p->new_len > len && s->last_prot != LEGO_RW &&
	    lego_sys_mprotect(c.to + len, p->new_len - len, s->last_prot))
		ret = -errno;
	if (ret) {
		lego_sys_munmap(c.to, p->new_len);
		return ret;
	}
	lego_sys_munmap(old, p->old_len);
	return (long)c.to;
}

/**
 * lego_remap() - carry out an mremap(2) of ours
 * @old: its old address, in the window
 * @p: lego_route_mremap()'s plan: GROW, MOVE or MOVE_TO
 *
 * Return: the new address, or -errno as mremap(2)'s (-EFAULT if the old
 * range is not all mapped).
 */
long lego_remap(uint64_t old, const struct lego_remap_plan *p)
{
	struct lego_survey s = { .plain = true };
	uint64_t at = old + p->old_len;
	long ret;

	ret = lego_maps_walk(old, old + p->old_len, lego_survey_piece, &s);
	if (ret)
		return ret;
	switch (p->how) {
	case LEGO_REMAP_GROW:
		ret = lego_space_map(&at, p->new_len - p->old_len,
				     s.last_prot, true);
		if (!ret)
			return (long)old;
		if (ret != -EEXIST)
			return -lego_map_errno(-ret);
		if (!p->may_move)
			return -ENOMEM;		/* the next range is taken */
		return lego_move(old, p, &s, 0, false);
	case LEGO_REMAP_MOVE:
		return lego_move(old, p, &s, 0, false);
	default:	/* LEGO_REMAP_MOVE_TO */
		if (lego_sys_munmap(p->to, p->new_len))
			return -errno;
		return lego_move(old, p, &s, p->to, true);
	}
}

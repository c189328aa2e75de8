/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liblego's decisions: which memory calls go to /dev/lego, and how an
 * mremap(2) of its memory is done. Pure logic, no I/O, unit-tested by
 * tests/unit/test_liblego_route.c.
 */
#ifndef _LIBLEGO_ROUTE_H
#define _LIBLEGO_ROUTE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include "lego/vregion.h"
#include "lego/wire.h"

#define LEGO_WINDOW_START	LEGO_MEM_WINDOW_BASE
#define LEGO_WINDOW_END		(LEGO_MEM_WINDOW_BASE + \
				 LEGO_MEM_WINDOW_VREGIONS * LEGO_VREGION_SIZE)
#define LEGO_MAP_MAX		(LEGO_MEM_MAP_MAX_VREGIONS * LEGO_VREGION_SIZE)
#define LEGO_RW			(PROT_READ | PROT_WRITE)

bool lego_in_window(uint64_t addr, uint64_t len);
bool lego_meets_window(uint64_t addr, uint64_t len);

enum lego_route {
	LEGO_ROUTE_REAL,	/* the kernel's mmap, at @addr */
	LEGO_ROUTE_ANY,		/* /dev/lego, where the home mmon chooses */
	LEGO_ROUTE_AT,		/* /dev/lego at @addr, which must be free */
	LEGO_ROUTE_OVER,	/* /dev/lego at @addr, once unmapped */
	LEGO_ROUTE_FAIL,	/* fails with @err */
};

struct lego_map_plan {
	enum lego_route how;
	uint64_t addr;		/* REAL: the hint, cleared in the window */
	uint64_t len;		/* /dev/lego: rounded up to pages */
	int err;
};

void lego_route_mmap(uint64_t addr, uint64_t len, int prot, int flags,
		     int fd, struct lego_map_plan *plan);

enum lego_remap {
	LEGO_REMAP_REAL,	/* not ours, or shrinking ours: the kernel's */
	LEGO_REMAP_GROW,	/* map [old end, new end) right after it */
	LEGO_REMAP_MOVE,	/* map anew anywhere, copy, unmap the old */
	LEGO_REMAP_MOVE_TO,	/* unmap @to, map there, copy, unmap the old */
	LEGO_REMAP_FAIL,	/* fails with @err */
};

struct lego_remap_plan {
	enum lego_remap how;
	uint64_t old_len;	/* rounded up to pages */
	uint64_t new_len;	/* rounded up to pages */
	uint64_t to;		/* MOVE_TO */
	bool may_move;		/* GROW: move if the next range is taken */
	int err;
};

void lego_route_mremap(uint64_t old, uint64_t old_len, uint64_t new_len,
		       int flags, uint64_t to, struct lego_remap_plan *plan);

enum lego_advice {
	LEGO_ADVICE_REAL,	/* not ours: the kernel's madvise */
	LEGO_ADVICE_DISCARD,	/* LEGO_IOC_DISCARD of [addr, addr + *len) */
	LEGO_ADVICE_IGNORE,	/* a hint: 0 */
	LEGO_ADVICE_FAIL,	/* fails with *err */
};

enum lego_advice lego_route_madvise(uint64_t addr, uint64_t len, int advice,
				    uint64_t *rlen, int *err);

int lego_map_errno(int err);

#endif /* _LIBLEGO_ROUTE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ExCache's held copies of dirty victims as their bookkeeping sees
 * them: which page each holds and where its write-back is. Pure logic
 * shared by lego.ko (modules/excache/held.c, which keeps the pages and
 * the locking) and tests/unit/test_excache_held.
 *
 * A slot is FREE, RESERVED (its copy being made and its write-back
 * started), WRITING, then FREE again once written, or FAILED, keeping the
 * copy for the page's next fault. A fault claims the copy of its page:
 * a claimed one that gets written stays as WRITTEN until the fault lets
 * it go, so the fault sees how it ended.
 */
#ifndef _LEGO_EXCACHE_HELD_H
#define _LEGO_EXCACHE_HELD_H

#include "lego/compat.h"

#define EXCACHE_HELD_MAX	16	/* dirty victims written from copies */

enum excache_held_state {
	EXCACHE_HELD_FREE,
	EXCACHE_HELD_RESERVED,
	EXCACHE_HELD_WRITING,
	EXCACHE_HELD_WRITTEN,
	EXCACHE_HELD_FAILED,
};

struct excache_held_slot {
	u64 tag;		/* excache_tag() of the page it holds */
	void *space;
	int status;		/* FAILED: the write-back's error */
	u8 state;
	bool claimed;		/* a fault waits for it, and lets it go */
};

struct excache_held_table {
	struct excache_held_slot slot[EXCACHE_HELD_MAX];
};

int excache_held_reserve(struct excache_held_table *t);
void excache_held_start(struct excache_held_table *t, int i, void *space,
			u64 tag);
bool excache_held_end(struct excache_held_table *t, int i, int status);
int excache_held_find(const struct excache_held_table *t, u64 tag);
int excache_held_find_range(const struct excache_held_table *t, void *space,
			    u64 vpn_start, u64 vpn_end);
void excache_held_release(struct excache_held_table *t, int i);

#endif /* _LEGO_EXCACHE_HELD_H */

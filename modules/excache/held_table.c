// SPDX-License-Identifier: GPL-2.0
/*
 * Bookkeeping of the ExCache's held copies (lego/excache_held.h). The
 * caller holds its lock around every call. Pure C: built into lego.ko and
 * tests/unit/test_excache_held.
 */
#include "lego/excache_held.h"
#include "lego/excache_policy.h"

/* A free slot, now RESERVED, or -1 when every slot is taken. */
int excache_held_reserve(struct excache_held_table *t)
{
	int i;

	for (i = 0; i < EXCACHE_HELD_MAX; i++) {
		if (t->slot[i].state == EXCACHE_HELD_FREE) {
			t->slot[i].state = EXCACHE_HELD_RESERVED;
			return i;
		}
	}
	return -1;
}

/* Slot @i's write-back of page @tag of @space is in flight. */
void excache_held_start(struct excache_held_table *t, int i, void *space,
			u64 tag)
{
	struct excache_held_slot *s = &t->slot[i];

	s->space = space;
	s->tag = tag;
	s->status = 0;
	s->claimed = false;
	s->state = EXCACHE_HELD_WRITING;
}

/*
 * Slot @i's write-back ended with @status. Return: true if the slot is
 * free now (written, and no fault waits for it): the caller lets its
 * space go.
 */
bool excache_held_end(struct excache_held_table *t, int i, int status)
{
	struct excache_held_slot *s = &t->slot[i];

	s->status = status;
	if (status) {
		s->state = EXCACHE_HELD_FAILED;
		return false;
	}
	if (s->claimed) {
		s->state = EXCACHE_HELD_WRITTEN;
		return false;
	}
	s->state = EXCACHE_HELD_FREE;
	return true;
}

static bool excache_held_holds(const struct excache_held_slot *s)
{
	return s->state == EXCACHE_HELD_WRITING ||
	       s->state == EXCACHE_HELD_WRITTEN ||
	       s->state == EXCACHE_HELD_FAILED;
}

/* The slot holding page @tag, or -1. */
int excache_held_find(const struct excache_held_table *t, u64 tag)
{
	int i;

	for (i = 0; i < EXCACHE_HELD_MAX; i++)
		if (excache_held_holds(&t->slot[i]) && t->slot[i].tag == tag)
			return i;
	return -1;
}

/* A slot holding a page of @space in [@vpn_start, @vpn_end), or -1. */
int excache_held_find_range(const struct excache_held_table *t, void *space,
			    u64 vpn_start, u64 vpn_end)
{
	const struct excache_held_slot *s;
	u64 vpn;
	int i;

	for (i = 0; i < EXCACHE_HELD_MAX; i++) {
		s = &t->slot[i];
		vpn = excache_tag_vpn(s->tag);
		if (excache_held_holds(s) && s->space == space &&
		    vpn >= vpn_start && vpn < vpn_end)
			return i;
	}
	return -1;
}

/* Slot @i is free again: a claimed copy let go, or a reservation undone. */
void excache_held_release(struct excache_held_table *t, int i)
{
	t->slot[i].state = EXCACHE_HELD_FREE;
	t->slot[i].claimed = false;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Handing out the mmon's pool pages by chunk. A pmon's pages go to chunks
 * it already holds, else to a free chunk that becomes its own. Only when
 * no chunk is free does a page go to another tenant's chunk (a "foreign"
 * page, which the caller does not expose): pages are promised when vmas
 * are mapped, so an allocation must not fail while any page is free.
 * Pure C: built into lego.ko and tests/unit/test_chunks.
 */
#include "lego/chunks.h"

/**
 * lego_chunks_init() - @nr free chunks in @array (zeroed by the caller)
 * @c: the chunks
 * @array: nr entries, zeroed
 * @nr: chunks; page n is in chunk n >> LEGO_CHUNK_SHIFT
 */
void lego_chunks_init(struct lego_chunks *c, struct lego_chunk *array,
		      u32 nr)
{
	c->chunk = array;
	c->nr = nr;
	c->used_pages = 0;
}

static bool lego_chunk_has_room(const struct lego_chunk *ch, u32 tenant)
{
	return ch->state == LEGO_CHUNK_OWNED && ch->nr_used < LEGO_CHUNK_PAGES &&
	       (!tenant || ch->tenant == tenant);
}

static u32 lego_chunks_find(const struct lego_chunks *c, u32 tenant)
{
	u32 i;

	for (i = 0; i < c->nr; i++)
		if (lego_chunk_has_room(&c->chunk[i], tenant))
			break;
	return i;
}

static u32 lego_chunks_claim(struct lego_chunks *c, u32 tenant)
{
	u32 i;

	for (i = 0; i < c->nr; i++) {
		struct lego_chunk *ch = &c->chunk[i];

		if (ch->state == LEGO_CHUNK_FREE) {
			ch->state = LEGO_CHUNK_OWNED;
			ch->tenant = tenant;
			break;
		}
	}
	return i;
}

/**
 * lego_chunks_alloc() - a page for @tenant
 * @c: the chunks
 * @tenant: not 0
 * @hint: the caller's last chunk, kept per address space: tried first
 *
 * Return: the page's number, or -ENOMEM when every page is taken. The
 * page is foreign if lego_chunk_of() it has another tenant.
 */
s64 lego_chunks_alloc(struct lego_chunks *c, u32 tenant, u32 *hint)
{
	struct lego_chunk *ch;
	u32 i = *hint, w, bit;

	if (!tenant)
		return -EINVAL;
	if (i >= c->nr || !lego_chunk_has_room(&c->chunk[i], tenant)) {
		i = lego_chunks_find(c, tenant);
		if (i == c->nr)
			i = lego_chunks_claim(c, tenant);
		if (i < c->nr)
			*hint = i;
		else
			i = lego_chunks_find(c, 0);
		if (i == c->nr)
			return -ENOMEM;
	}
	ch = &c->chunk[i];
	for (w = 0; ~ch->used[w] == 0; w++)
		;
	bit = __builtin_ctzll(~ch->used[w]);
	ch->used[w] |= 1ULL << bit;
	ch->nr_used++;
	c->used_pages++;
	return (s64)i << LEGO_CHUNK_SHIFT | w * 64 | bit;
}

/**
 * lego_chunks_free() - page @page is free again
 * @c: the chunks
 * @page: from lego_chunks_alloc()
 *
 * A chunk left empty goes back to the free ones, unless it is exposed.
 * Return: the chunk, if it was exposed and is now empty: the caller ends
 * its exposure, then calls lego_chunks_released(). Else NULL.
 */
struct lego_chunk *lego_chunks_free(struct lego_chunks *c, u64 page)
{
	u32 w = (page & (LEGO_CHUNK_PAGES - 1)) / 64;
	u64 bit = 1ULL << (page & 63);
	struct lego_chunk *ch;

	if (page >> LEGO_CHUNK_SHIFT >= c->nr)
		return NULL;
	ch = lego_chunk_of(c, page);
	if (!(ch->used[w] & bit))
		return NULL;
	ch->used[w] &= ~bit;
	ch->nr_used--;
	c->used_pages--;
	if (ch->nr_used)
		return NULL;
	if (ch->serial) {
		ch->state = LEGO_CHUNK_RELEASING;
		return ch;
	}
	lego_chunks_released(ch);
	return NULL;
}

/* @ch is no longer exposed: it is free. */
void lego_chunks_released(struct lego_chunk *ch)
{
	ch->state = LEGO_CHUNK_FREE;
	ch->tenant = 0;
	ch->serial = 0;
	ch->rkey = 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mmon's pool in chunks: each chunk's pages hold one pmon's data (its
 * tenant), so one registration per chunk can let that pmon READ them and
 * nobody else. Pure C, shared with tests/unit/test_chunks.
 */
#ifndef _LEGO_CHUNKS_H
#define _LEGO_CHUNKS_H

#include "lego/compat.h"

#define LEGO_CHUNK_SHIFT	8
#define LEGO_CHUNK_PAGES	256U	/* 1 << LEGO_CHUNK_SHIFT */
#define LEGO_CHUNK_WORDS	(LEGO_CHUNK_PAGES / 64)

enum lego_chunk_state {
	LEGO_CHUNK_FREE,
	LEGO_CHUNK_OWNED,
	LEGO_CHUNK_RELEASING,	/* empty; its exposure is being ended */
};

struct lego_chunk {
	u32 tenant;		/* whose pages it holds; 0 while free */
	u16 state;
	u16 nr_used;
	u64 used[LEGO_CHUNK_WORDS];
	u64 serial;		/* the connection it is exposed on, or 0 */
	u32 rkey;		/* and the rkey there */
};

struct lego_chunks {
	struct lego_chunk *chunk;
	u32 nr;
	u64 used_pages;
};

void lego_chunks_init(struct lego_chunks *c, struct lego_chunk *array,
		      u32 nr);
s64 lego_chunks_alloc(struct lego_chunks *c, u32 tenant, u32 *hint);
struct lego_chunk *lego_chunks_free(struct lego_chunks *c, u64 page);
void lego_chunks_released(struct lego_chunk *ch);

static inline struct lego_chunk *lego_chunk_of(struct lego_chunks *c,
					       u64 page)
{
	return &c->chunk[page >> LEGO_CHUNK_SHIFT];
}

#endif /* _LEGO_CHUNKS_H */

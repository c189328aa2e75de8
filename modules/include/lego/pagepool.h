/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_PAGEPOOL_H
#define _LEGO_PAGEPOOL_H

#include <linux/minmax.h>
#include <linux/mm_types.h>
#include <linux/types.h>

/*
 * Pages reserved at load time and held until unload: the pmon's ExCache
 * lines and the mmon's memory pool.
 */
struct lego_pagepool {
	struct page **pages;
	u64 nr_pages;
};

int lego_pagepool_init(struct lego_pagepool *pool, u64 nr_pages);
void lego_pagepool_destroy(struct lego_pagepool *pool);

static inline struct page *lego_pagepool_page(struct lego_pagepool *pool,
					      u64 index)
{
	return pool->pages[index];
}

/* Pages @a and @b change places: neither may be in use. */
static inline void lego_pagepool_swap(struct lego_pagepool *pool, u64 a,
				      u64 b)
{
	swap(pool->pages[a], pool->pages[b]);
}

#endif /* _LEGO_PAGEPOOL_H */

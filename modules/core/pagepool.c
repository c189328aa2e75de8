// SPDX-License-Identifier: GPL-2.0
/*
 * Reserved page pools. Pages come from the buddy allocator in the largest
 * blocks it can give at once, split so that each page can later be handed
 * out and freed on its own.
 */
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "lego/pagepool.h"

/* High orders only if free at once; order 0 may reclaim but never OOM-kill. */
static gfp_t lego_pagepool_gfp(unsigned int order)
{
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN;

	return gfp | (order ? __GFP_NORETRY : __GFP_RETRY_MAYFAIL);
}

/**
 * lego_pagepool_init() - reserve @nr_pages zeroed pages
 * @pool: the pool
 * @nr_pages: how many
 *
 * Return: 0, or -ENOMEM with nothing held when they cannot all be had.
 */
int lego_pagepool_init(struct lego_pagepool *pool, u64 nr_pages)
{
	unsigned int order = MAX_ORDER - 1;
	u64 got = 0;

	pool->nr_pages = 0;
	pool->pages = kvcalloc(nr_pages, sizeof(*pool->pages), GFP_KERNEL);
	if (!pool->pages)
		return -ENOMEM;

	while (got < nr_pages) {
		struct page *page;
		unsigned int i;

		order = min_t(unsigned int, order, ilog2(nr_pages - got));
		page = alloc_pages(lego_pagepool_gfp(order), order);
		if (!page) {
			if (!order)
				goto err_free;
			order--;
			continue;
		}
		split_page(page, order);
		for (i = 0; i < (1U << order); i++)
			pool->pages[got++] = page + i;
		pool->nr_pages = got;
		cond_resched();
	}
	return 0;

err_free:
	lego_pagepool_destroy(pool);
	return -ENOMEM;
}

void lego_pagepool_destroy(struct lego_pagepool *pool)
{
	u64 i;

	for (i = 0; i < pool->nr_pages; i++)
		__free_page(pool->pages[i]);
	kvfree(pool->pages);
	pool->pages = NULL;
	pool->nr_pages = 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The mmon's memory pool: pages reserved at load, handed out one at a
 * time for the pages of address spaces and given back the moment they
 * are freed.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "lego/pagepool.h"
#include "mmon.h"

static struct lego_pagepool mmon_pages;
static struct page **mmon_free;		/* a stack of the free pages */
static u64 mmon_nr_free;
static DEFINE_SPINLOCK(mmon_pool_lock);

int mmon_pool_init(u64 nr_pages)
{
	u64 i;
	int ret;

	ret = lego_pagepool_init(&mmon_pages, nr_pages);
	if (ret)
		return ret;
	mmon_free = kvcalloc(nr_pages, sizeof(*mmon_free), GFP_KERNEL);
	if (!mmon_free) {
		lego_pagepool_destroy(&mmon_pages);
		return -ENOMEM;
	}
	for (i = 0; i < nr_pages; i++)
		mmon_free[i] = lego_pagepool_page(&mmon_pages, nr_pages - 1 - i);
	mmon_nr_free = nr_pages;
	return 0;
}

void mmon_pool_destroy(void)
{
	kvfree(mmon_free);
	mmon_free = NULL;
	lego_pagepool_destroy(&mmon_pages);
}

/* A page of the pool, zeroed, or NULL when the pool is used up. */
struct page *mmon_pool_alloc(void)
{
	struct page *page = NULL;

	spin_lock(&mmon_pool_lock);
	if (mmon_nr_free)
		page = mmon_free[--mmon_nr_free];
	spin_unlock(&mmon_pool_lock);
	if (page)
		clear_highpage(page);
	return page;
}

void mmon_pool_free(struct page *page)
{
	spin_lock(&mmon_pool_lock);
	mmon_free[mmon_nr_free++] = page;
	spin_unlock(&mmon_pool_lock);
}

u64 mmon_pool_free_pages(void)
{
	return READ_ONCE(mmon_nr_free);
}

u64 mmon_pool_pages(void)
{
	return mmon_pages.nr_pages;
}

u64 mmon_pool_used_pages(void)
{
	return mmon_pages.nr_pages - READ_ONCE(mmon_nr_free);
}

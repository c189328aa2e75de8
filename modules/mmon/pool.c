// SPDX-License-Identifier: GPL-2.0
/*
 * The mmon's memory pool: pages reserved at load, handed out one at a
 * time for the pages of address spaces and given back the moment they
 * are freed. Pages are grouped in chunks of one pmon's data (chunks.c),
 * and a chunk is exposed to its pmon's connection, so that the pmon READs
 * and WRITEs the pages it wrote back once instead of asking the mmon.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "lego/chunks.h"
#include "lego/pagepool.h"
#include "mmon.h"

static struct lego_pagepool mmon_pages;
static struct lego_chunks mmon_chunks;
static DEFINE_SPINLOCK(mmon_pool_lock);	/* mmon_chunks */

static void mmon_pool_release_work(struct work_struct *work);
static DECLARE_WORK(mmon_pool_release, mmon_pool_release_work);

int mmon_pool_init(u64 nr_pages)
{
	struct lego_chunk *array;
	u32 nr_chunks = nr_pages >> LEGO_CHUNK_SHIFT;
	int ret;

	if (!nr_chunks)
		return -EINVAL;
	array = kvcalloc(nr_chunks, sizeof(*array), GFP_KERNEL);
	if (!array)
		return -ENOMEM;
	ret = lego_pagepool_init(&mmon_pages,
				 (u64)nr_chunks << LEGO_CHUNK_SHIFT);
	if (ret) {
		kvfree(array);
		return ret;
	}
	lego_chunks_init(&mmon_chunks, array, nr_chunks);
	lego_expose_setup(nr_chunks, LEGO_CHUNK_PAGES);
	return 0;
}

/* After the transport: no connection holds an exposure any more. */
void mmon_pool_destroy(void)
{
	cancel_work_sync(&mmon_pool_release);
	kvfree(mmon_chunks.chunk);
	mmon_chunks.chunk = NULL;
	lego_pagepool_destroy(&mmon_pages);
}

struct page *mmon_pool_page(u64 index)
{
	return lego_pagepool_page(&mmon_pages, index);
}

/*
 * A chunk a pmon claims may hold another's old data, which its exposure
 * would show: it starts zeroed.
 */
static void mmon_chunk_clear(u64 index)
{
	u64 first = index & ~(u64)(LEGO_CHUNK_PAGES - 1);
	u32 i;

	for (i = 0; i < LEGO_CHUNK_PAGES; i++)
		clear_highpage(mmon_pool_page(first + i));
}

/**
 * mmon_pool_alloc() - a page for a pmon's address space
 * @tenant: the pmon
 * @hint: the space's last chunk, tried first
 *
 * Its content is undefined: the caller fills it whole.
 * Return: the page's index, or -ENOMEM when the pool is used up.
 */
s64 mmon_pool_alloc(__be32 tenant, u32 *hint)
{
	s64 index;

	spin_lock_bh(&mmon_pool_lock);
	index = lego_chunks_alloc(&mmon_chunks, (__force u32)tenant, hint);
	if (index >= 0 && lego_chunk_of(&mmon_chunks, index)->nr_used == 1)
		mmon_chunk_clear(index);
	spin_unlock_bh(&mmon_pool_lock);
	return index;
}

void mmon_pool_free(u64 index)
{
	struct lego_chunk *ch;

	spin_lock_bh(&mmon_pool_lock);
	ch = lego_chunks_free(&mmon_chunks, index);
	spin_unlock_bh(&mmon_pool_lock);
	if (ch)
		schedule_work(&mmon_pool_release);
}

/* Chunks left empty while exposed: end their exposure, then free them. */
static void mmon_pool_release_work(struct work_struct *work)
{
	struct lego_chunk *ch;
	bool releasing;
	u64 serial;
	u32 i;

	for (i = 0; i < mmon_chunks.nr; i++) {
		ch = &mmon_chunks.chunk[i];
		spin_lock_bh(&mmon_pool_lock);
		releasing = ch->state == LEGO_CHUNK_RELEASING;
		serial = ch->serial;
		spin_unlock_bh(&mmon_pool_lock);
		if (!releasing)
			continue;
		lego_unexpose(serial, i);
		spin_lock_bh(&mmon_pool_lock);
		lego_chunks_released(ch);
		spin_unlock_bh(&mmon_pool_lock);
	}
}

/**
 * mmon_pool_locate() - where @peer may READ and WRITE page @index, if so
 * @peer: the connection of the pmon that wrote the page back
 * @index: the page
 * @loc: set to its address and rkey, or left zero
 *
 * Only a page in a chunk of @peer's pmon is exposed (the chunk whole, on
 * its first page written back over this connection). Does not sleep.
 */
void mmon_pool_locate(struct lego_peer *peer, u64 index,
		      struct lego_mem_page_loc *loc)
{
	u32 nr = index >> LEGO_CHUNK_SHIFT, rkey;
	u64 serial = lego_peer_serial(peer);
	struct lego_chunk *ch;

	spin_lock_bh(&mmon_pool_lock);
	ch = lego_chunk_of(&mmon_chunks, index);
	if (ch->tenant != (__force u32)lego_peer_addr(peer))
		goto out;
	if (ch->serial != serial) {
		if (lego_expose(peer, nr,
				&mmon_pages.pages[(u64)nr << LEGO_CHUNK_SHIFT],
				LEGO_CHUNK_PAGES,
				(u64)nr << (LEGO_CHUNK_SHIFT + PAGE_SHIFT),
				&rkey))
			goto out;
		ch->serial = serial;
		ch->rkey = rkey;
	}
	loc->addr = cpu_to_le64(index << PAGE_SHIFT);
	loc->rkey = cpu_to_le32(ch->rkey);
out:
	spin_unlock_bh(&mmon_pool_lock);
}

u64 mmon_pool_pages(void)
{
	return mmon_pages.nr_pages;
}

u64 mmon_pool_used_pages(void)
{
	return READ_ONCE(mmon_chunks.used_pages);
}

u64 mmon_pool_free_pages(void)
{
	return mmon_pool_pages() - mmon_pool_used_pages();
}

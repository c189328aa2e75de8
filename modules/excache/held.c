// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty victims written back from a copy, LegoOS's victim cache: the miss
 * that evicted one fills its line at once while a work item waits for the
 * write-back. A fault on a page still held waits for its write-back; one
 * whose write-back failed gets the held copy back, dirty, so nothing is
 * lost and its next eviction tries again. The slots' bookkeeping is
 * held_table.c; here are their pages, work items and locking.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "lego/excache.h"
#include "held.h"

struct excache_held_copy {
	struct excache *cache;
	int slot;
	struct page *page;		/* the copy being written back */
	void *wb;			/* its write-back */
	struct work_struct work;
};

static void excache_held_work(struct work_struct *work);

static void excache_held_free_pages(struct excache *cache)
{
	int i;

	for (i = 0; i < EXCACHE_HELD_MAX; i++)
		if (cache->held_copy[i].page)
			__free_page(cache->held_copy[i].page);
	kfree(cache->held_copy);
}

int excache_held_init(struct excache *cache)
{
	struct excache_held_copy *c;
	int i;

	spin_lock_init(&cache->held_lock);
	memset(&cache->held, 0, sizeof(cache->held));
	cache->held_copy = kcalloc(EXCACHE_HELD_MAX, sizeof(*c), GFP_KERNEL);
	if (!cache->held_copy)
		return -ENOMEM;
	for (i = 0; i < EXCACHE_HELD_MAX; i++) {
		c = &cache->held_copy[i];
		c->cache = cache;
		c->slot = i;
		INIT_WORK(&c->work, excache_held_work);
		c->page = alloc_page(GFP_KERNEL);
		if (!c->page)
			goto err_pages;
	}
	cache->held_wq = alloc_workqueue("lego_held", WQ_UNBOUND,
					 EXCACHE_HELD_MAX);
	if (!cache->held_wq)
		goto err_pages;
	return 0;

err_pages:
	excache_held_free_pages(cache);
	return -ENOMEM;
}

/* Every space has let its copies go by now (excache_unhold_range()). */
void excache_held_destroy(struct excache *cache)
{
	destroy_workqueue(cache->held_wq);
	excache_held_free_pages(cache);
}

static void excache_held_work(struct work_struct *work)
{
	struct excache_held_copy *c = container_of(work,
						   struct excache_held_copy,
						   work);
	struct excache *cache = c->cache;
	struct excache_held_slot *s = &cache->held.slot[c->slot];
	void *space = s->space;
	int ret = cache->ops->writeback_end(space, excache_tag_vpn(s->tag),
					    c->wb);
	bool freed;

	if (!ret) {
		atomic64_inc(&cache->stats.writebacks);
		atomic64_inc(&cache->stats.evictions);
	}
	spin_lock(&cache->held_lock);
	freed = excache_held_end(&cache->held, c->slot, ret);
	spin_unlock(&cache->held_lock);
	if (freed)
		cache->ops->put(space);
	wake_up_all(&cache->busy_wait);
}

/**
 * excache_hold() - write a dirty victim back from a copy, without waiting
 * @cache: the ExCache
 * @space: the victim's space; the line's reference to it passes to the copy
 * @tag: the victim's tag
 * @page: the line's page, free again when this returns 0
 *
 * Return: 0 if held; -EAGAIN if every copy is in use: the caller writes
 * the victim back itself; or the error of starting the write-back.
 */
int excache_hold(struct excache *cache, void *space, u64 tag,
		 struct page *page)
{
	struct excache_held_copy *c;
	int i;

	spin_lock(&cache->held_lock);
	i = excache_held_reserve(&cache->held);
	spin_unlock(&cache->held_lock);
	if (i < 0)
		return -EAGAIN;
	c = &cache->held_copy[i];
	copy_highpage(c->page, page);
	c->wb = cache->ops->writeback_begin(space, excache_tag_vpn(tag),
					    c->page);
	spin_lock(&cache->held_lock);
	if (IS_ERR(c->wb))
		excache_held_release(&cache->held, i);
	else
		excache_held_start(&cache->held, i, space, tag);
	spin_unlock(&cache->held_lock);
	if (IS_ERR(c->wb))
		return PTR_ERR(c->wb);
	atomic64_inc(&cache->stats.held);
	queue_work(cache->held_wq, &c->work);
	return 0;
}

/* The copy in slot @i is not needed any more. */
void excache_held_put(struct excache *cache, int i)
{
	void *space;

	spin_lock(&cache->held_lock);
	space = cache->held.slot[i].space;
	excache_held_release(&cache->held, i);
	spin_unlock(&cache->held_lock);
	cache->ops->put(space);
}

/**
 * excache_unhold() - settle @tag before it is fetched
 * @cache: the ExCache
 * @tag: the page, with its set's miss lock held, so no one else claims it
 *
 * Waits for the write-back of the page's held copy, if any: after it, the
 * owner has the page. Return: -1, or the slot of the copy whose
 * write-back failed: the caller fills the line from it (dirty) and lets
 * it go with excache_held_put(), or keeps it held with excache_rehold().
 */
int excache_unhold(struct excache *cache, u64 tag)
{
	struct excache_held_slot *s;
	bool failed;
	int i;

	spin_lock(&cache->held_lock);
	i = excache_held_find(&cache->held, tag);
	if (i >= 0)
		cache->held.slot[i].claimed = true;
	spin_unlock(&cache->held_lock);
	if (i < 0)
		return -1;
	s = &cache->held.slot[i];
	wait_event(cache->busy_wait,
		   READ_ONCE(s->state) != EXCACHE_HELD_WRITING);
	spin_lock(&cache->held_lock);
	failed = s->state == EXCACHE_HELD_FAILED;
	spin_unlock(&cache->held_lock);
	if (failed)
		return i;
	excache_held_put(cache, i);	/* written: the owner has the page */
	return -1;
}

void excache_held_copy(struct excache *cache, int i, struct page *to)
{
	copy_highpage(to, cache->held_copy[i].page);
}

/* The copy in slot @i stays held, still to be written back. */
void excache_rehold(struct excache *cache, int i)
{
	spin_lock(&cache->held_lock);
	cache->held.slot[i].claimed = false;
	spin_unlock(&cache->held_lock);
}

/**
 * excache_unhold_range() - settle the copies of a range of @space
 * @cache: the ExCache
 * @space: the address space
 * @asid: its id
 * @vpn_start: first page
 * @vpn_end: one past the last
 * @writeback: a copy whose write-back failed stays held, and its error is
 *	       returned; else it is dropped with the range
 *
 * Waits for their write-backs, so that what the owner is asked next
 * (free, discard, protect, copy for a fork) comes after them.
 * Return: 0 or, with @writeback, a write-back's error.
 */
int excache_unhold_range(struct excache *cache, void *space, u32 asid,
			 u64 vpn_start, u64 vpn_end, bool writeback)
{
	u64 tag = 0;
	int i, ret;
	u32 set;

	do {
		spin_lock(&cache->held_lock);
		i = excache_held_find_range(&cache->held, space, vpn_start,
					    vpn_end);
		if (i >= 0)
			tag = cache->held.slot[i].tag;
		spin_unlock(&cache->held_lock);
		if (i < 0)
			return 0;
		/* A failed copy is ours only while its set's miss lock is. */
		set = excache_set_index(&cache->geo, asid, excache_tag_vpn(tag));
		mutex_lock(&cache->sets[set].miss);
		i = excache_unhold(cache, tag);
		ret = 0;
		if (i >= 0 && writeback) {
			ret = cache->held.slot[i].status;
			excache_rehold(cache, i);
		} else if (i >= 0) {
			excache_held_put(cache, i);
		}
		mutex_unlock(&cache->sets[set].miss);
	} while (!ret);
	return ret;
}

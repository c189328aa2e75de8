// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty victims written back from a copy, LegoOS's victim cache: the miss
 * that evicted one fills its line at once while a work item waits for the
 * write-back. A fault on a page still held waits for its write-back; one
 * whose write-back failed gets the held copy back, dirty, so nothing is
 * lost and its next eviction tries again.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "lego/excache.h"
#include "held.h"

struct excache_held {
	struct list_head node;		/* in cache->held */
	struct excache *cache;
	void *space;			/* the line's reference, now ours */
	u64 tag;
	struct page *page;		/* the copy being written back */
	void *wb;
	int status;			/* -EINPROGRESS until written back */
	bool claimed;			/* a fault waits for it: it frees it */
	struct work_struct work;
};

int excache_held_init(struct excache *cache)
{
	spin_lock_init(&cache->held_lock);
	INIT_LIST_HEAD(&cache->held);
	cache->held_wq = alloc_workqueue("lego_held", WQ_UNBOUND,
					 EXCACHE_HELD_MAX);
	return cache->held_wq ? 0 : -ENOMEM;
}

/* Every space has let its held copies go by now (excache_unhold_range()). */
void excache_held_destroy(struct excache *cache)
{
	destroy_workqueue(cache->held_wq);
}

static void excache_held_free(struct excache *cache, struct excache_held *h)
{
	cache->ops->put(h->space);
	__free_page(h->page);
	kfree(h);
}

/* With held_lock: out of the list, the caller's to free. */
static void excache_held_unlink(struct excache *cache, struct excache_held *h)
{
	list_del(&h->node);
	cache->nr_held--;
}

static void excache_held_work(struct work_struct *work)
{
	struct excache_held *h = container_of(work, struct excache_held, work);
	struct excache *cache = h->cache;
	int ret = cache->ops->writeback_end(h->space, excache_tag_vpn(h->tag),
					    h->wb);
	bool release;

	if (!ret) {
		atomic64_inc(&cache->stats.writebacks);
		atomic64_inc(&cache->stats.evictions);
	}
	spin_lock(&cache->held_lock);
	WRITE_ONCE(h->status, ret);
	/* A failed one stays, with its data, for the page's next fault. */
	release = !ret && !h->claimed;
	if (release)
		excache_held_unlink(cache, h);
	spin_unlock(&cache->held_lock);
	if (release)
		excache_held_free(cache, h);
	wake_up_all(&cache->busy_wait);
}

/**
 * excache_hold() - write a dirty victim back from a copy, without waiting
 * @cache: the ExCache
 * @space: the victim's space; the line's reference to it passes to the copy
 * @tag: the victim's tag
 * @page: the line's page, free again when this returns 0
 *
 * Return: 0 if held; -EAGAIN if no copy could be had (too many held, or
 * no memory): the caller writes the victim back itself; or the error of
 * starting the write-back.
 */
int excache_hold(struct excache *cache, void *space, u64 tag,
		 struct page *page)
{
	struct excache_held *h;
	int ret = -EAGAIN;
	bool room;

	spin_lock(&cache->held_lock);
	room = cache->nr_held < EXCACHE_HELD_MAX;
	if (room)
		cache->nr_held++;
	spin_unlock(&cache->held_lock);
	if (!room)
		return -EAGAIN;
	h = kzalloc(sizeof(*h), GFP_KERNEL | __GFP_NOWARN);
	if (!h)
		goto err_room;
	h->page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
	if (!h->page)
		goto err_free;
	copy_highpage(h->page, page);
	h->wb = cache->ops->writeback_begin(space, excache_tag_vpn(tag),
					    h->page);
	if (IS_ERR(h->wb)) {
		ret = PTR_ERR(h->wb);
		goto err_page;
	}
	h->cache = cache;
	h->space = space;
	h->tag = tag;
	h->status = -EINPROGRESS;
	INIT_WORK(&h->work, excache_held_work);
	spin_lock(&cache->held_lock);
	list_add_tail(&h->node, &cache->held);
	spin_unlock(&cache->held_lock);
	atomic64_inc(&cache->stats.held);
	queue_work(cache->held_wq, &h->work);
	return 0;

err_page:
	__free_page(h->page);
err_free:
	kfree(h);
err_room:
	spin_lock(&cache->held_lock);
	cache->nr_held--;
	spin_unlock(&cache->held_lock);
	return ret;
}

/**
 * excache_unhold() - settle @tag before it is fetched
 * @cache: the ExCache
 * @tag: the page, with its set's miss lock held, so no one else claims it
 *
 * Waits for the write-back of the page's held copy, if any: after it, the
 * owner has the page. Return: NULL, or the copy whose write-back failed,
 * out of the list: the caller fills the line from it (dirty) and passes it
 * to excache_held_put(), or gives it back with excache_rehold().
 */
struct excache_held *excache_unhold(struct excache *cache, u64 tag)
{
	struct excache_held *h, *found = NULL;

	spin_lock(&cache->held_lock);
	list_for_each_entry(h, &cache->held, node) {
		if (h->tag == tag) {
			found = h;
			found->claimed = true;
			break;
		}
	}
	spin_unlock(&cache->held_lock);
	if (!found)
		return NULL;
	wait_event(cache->busy_wait,
		   READ_ONCE(found->status) != -EINPROGRESS);
	spin_lock(&cache->held_lock);
	excache_held_unlink(cache, found);
	spin_unlock(&cache->held_lock);
	if (!found->status) {
		excache_held_free(cache, found);
		return NULL;
	}
	return found;
}

void excache_held_copy(struct excache_held *h, struct page *to)
{
	copy_highpage(to, h->page);
}

void excache_held_put(struct excache *cache, struct excache_held *h)
{
	excache_held_free(cache, h);
}

/* A copy taken by excache_unhold() is held again, still to be written. */
void excache_rehold(struct excache *cache, struct excache_held *h)
{
	spin_lock(&cache->held_lock);
	h->claimed = false;
	list_add_tail(&h->node, &cache->held);
	cache->nr_held++;
	spin_unlock(&cache->held_lock);
}

/* The first copy of @space in [@vpn_start, @vpn_end), or false. */
static bool excache_held_first(struct excache *cache, void *space,
			       u64 vpn_start, u64 vpn_end, u64 *tag)
{
	struct excache_held *h;
	bool found = false;
	u64 vpn;

	spin_lock(&cache->held_lock);
	list_for_each_entry(h, &cache->held, node) {
		vpn = excache_tag_vpn(h->tag);
		if (h->space == space && vpn >= vpn_start && vpn < vpn_end) {
			*tag = h->tag;
			found = true;
			break;
		}
	}
	spin_unlock(&cache->held_lock);
	return found;
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
	struct excache_held *h;
	u32 set;
	u64 tag;
	int ret;

	while (excache_held_first(cache, space, vpn_start, vpn_end, &tag)) {
		set = excache_set_index(&cache->geo, asid, excache_tag_vpn(tag));
		mutex_lock(&cache->sets[set].miss);
		h = excache_unhold(cache, tag);
		mutex_unlock(&cache->sets[set].miss);
		if (!h)
			continue;
		if (writeback) {
			ret = h->status;
			excache_rehold(cache, h);
			return ret;
		}
		excache_held_free(cache, h);
	}
	return 0;
}

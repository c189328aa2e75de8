// SPDX-License-Identifier: GPL-2.0
/*
 * Background eviction. A miss that finds its set full must evict a line
 * (unmap it everywhere, copy or write it back) before it can fetch. When
 * that happens the set is queued here, and a work item evicts its lines
 * until free_target of them are free, so that the set's next misses only
 * fetch, while the eviction's work overlaps their waits for the link.
 * Only such a miss queues a set: with no pressure nothing is evicted
 * ahead, and a working set that just fits pays at most free_target more
 * misses per set each time it overflows.
 */
#include <linux/bitmap.h>
#include <linux/sched.h>
#include <linux/workqueue.h>

#include "lego/excache.h"
#include "evictor.h"

static void excache_evictor_work(struct work_struct *work)
{
	struct excache *cache = container_of(work, struct excache,
					     evict_work);
	unsigned long set;

	for_each_set_bit(set, cache->evict_pending, cache->geo.sets) {
		clear_bit(set, cache->evict_pending);
		excache_evict_ahead(cache, set);
		cond_resched();
	}
}

int excache_evictor_init(struct excache *cache, u32 free_target)
{
	cache->free_target = free_target;
	INIT_WORK(&cache->evict_work, excache_evictor_work);
	cache->evict_pending = bitmap_zalloc(cache->geo.sets, GFP_KERNEL);
	return cache->evict_pending ? 0 : -ENOMEM;
}

/* No fault or prefetch can kick it any more. */
void excache_evictor_destroy(struct excache *cache)
{
	cancel_work_sync(&cache->evict_work);
	bitmap_free(cache->evict_pending);
}

/* A miss had to evict in @set: free some of its lines ahead of the next. */
void excache_evictor_kick(struct excache *cache, u32 set)
{
	if (cache->free_target &&
	    !test_and_set_bit(set, cache->evict_pending))
		queue_work(system_unbound_wq, &cache->evict_work);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pmon's ExCache: reserved local DRAM, one page per line, in sets.
 * It knows nothing of processes or the network: its owner (the pmon) says
 * how to fetch, write back and unmap a page of an address space.
 */
#ifndef _LEGO_EXCACHE_H
#define _LEGO_EXCACHE_H

#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "lego/excache_geometry.h"
#include "lego/excache_held.h"
#include "lego/excache_policy.h"
#include "lego/pagepool.h"

#define EXCACHE_LAT_BUCKETS	24	/* log2(us) of a miss's fetch */
#define EXCACHE_PREFETCH_MAX	8	/* pages one prefetch brings in */

/* The fetch_us bucket of a fetch begun at @start: log2 of its us. */
static inline unsigned int excache_lat_bucket(ktime_t start)
{
	u64 us = ktime_us_delta(ktime_get(), start);

	return us ? min_t(unsigned int, ilog2(us) + 1,
			  EXCACHE_LAT_BUCKETS - 1) : 0;
}

/* What the cache asks of the address spaces whose pages it holds. */
struct excache_space_ops {
	int (*fetch)(void *space, u64 vpn, struct page *page);
	/*
	 * Begin fetching @vpn into @page (post its READ) so that the miss
	 * evicts its victim meanwhile: what fetch_end() waits for, or NULL
	 * if it cannot be begun so (then fetch() it).
	 */
	void *(*fetch_begin)(void *space, u64 vpn, struct page *page);
	int (*fetch_end)(void *space, u64 vpn, struct page *page, void *f);
	/* Fetch @nr pages together: 0 if every one came, else an error. */
	int (*fetch_many)(void *space, const u64 *vpn, struct page **pages,
			  u32 nr);
	/*
	 * Begin writing @page back; the cache leaves @page alone until
	 * writeback_end(). An ERR_PTR(), or what writeback_end() waits for.
	 */
	void *(*writeback_begin)(void *space, u64 vpn, struct page *page);
	int (*writeback_end)(void *space, u64 vpn, void *wb);
	void (*unmap)(void *space, u64 vpn);	/* no process maps it after */
	/* Its dirty page could not be written back and is dropped. */
	void (*lose)(void *space, u64 vpn);
	void (*get)(void *space);		/* a line holds the space */
	void (*put)(void *space);
};

struct excache_stats {
	atomic64_t hits;
	atomic64_t misses;
	atomic64_t prefetches;		/* lines brought in ahead */
	atomic64_t prefetch_hits;	/* of those, later used */
	atomic64_t evictions;
	atomic64_t writebacks;
	atomic64_t held;		/* of those, from a copy, not waited */
	atomic64_t errors;
	atomic64_t lost;		/* other spaces' victims, see lose() */
	atomic64_t fetch_us[EXCACHE_LAT_BUCKETS];
};

struct excache_set {
	spinlock_t lock;		/* the lines' meta */
	struct mutex miss;		/* one miss at a time per set */
	struct excache_set_state state;
};

struct excache {
	struct excache_geometry geo;
	struct lego_pagepool lines;	/* per line, then a spare per set */
	struct excache_meta *meta;	/* per line */
	void **space;			/* per line: whose page it holds */
	struct excache_set *sets;
	wait_queue_head_t busy_wait;	/* a BUSY line became ready */
	enum excache_policy policy;
	const struct excache_space_ops *ops;
	struct excache_stats stats;
	spinlock_t held_lock;		/* held */
	struct excache_held_table held;	/* dirty victims' copies, held.c */
	struct excache_held_copy *held_copy;	/* per slot */
	struct workqueue_struct *held_wq;
};

/* How excache_fault() found its page. */
enum excache_found {
	EXCACHE_HIT,
	EXCACHE_HIT_PREFETCHED,	/* the first use of a line brought in ahead */
	EXCACHE_MISSED,
};

int excache_init(struct excache *cache, u64 bytes, u32 ways,
		 enum excache_policy policy,
		 const struct excache_space_ops *ops);
void excache_destroy(struct excache *cache);

int excache_fault(struct excache *cache, void *space, u32 asid, u64 vpn,
		  bool write, u64 *line, enum excache_found *found);
void excache_prefetch(struct excache *cache, void *space, u32 asid, u64 vpn,
		      u32 nr, u32 stride);
unsigned long excache_line_pfn(struct excache *cache, u64 line);
void excache_unpin(struct excache *cache, u64 line);
void excache_mark_dirty(struct excache *cache, u32 asid, u64 vpn);
int excache_invalidate(struct excache *cache, void *space, u32 asid,
		       u64 vpn_start, u64 vpn_end, bool writeback);

#endif /* _LEGO_EXCACHE_H */

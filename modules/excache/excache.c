// SPDX-License-Identifier: GPL-2.0
/*
 * The ExCache at run time. A fault looks its page up in the page's set:
 * a hit pins the line for the caller to map; a miss takes the set's miss
 * lock, starts fetching the new page into the set's spare page, picks a
 * victim, unmaps it from every process, writes it back if dirty, then
 * puts the spare, full, in the line's place and pins it. Lines in flight
 * are BUSY under their tag, so other faults on the same page wait for
 * them instead of fetching it twice.
 */
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "lego/excache.h"
#include "held.h"

static struct excache_set *excache_set_of(struct excache *cache, u32 set)
{
	return &cache->sets[set];
}

static struct excache_meta *excache_ways(struct excache *cache, u32 set)
{
	return &cache->meta[excache_line_index(&cache->geo, set, 0)];
}

int excache_init(struct excache *cache, u64 bytes, u32 ways,
		 enum excache_policy policy,
		 const struct excache_space_ops *ops)
{
	u32 i;
	int ret;

	ret = excache_geometry_init(&cache->geo, bytes, ways, PAGE_SIZE);
	if (ret)
		return ret;
	cache->policy = policy;
	cache->ops = ops;
	init_waitqueue_head(&cache->busy_wait);
	cache->meta = kvcalloc(cache->geo.lines, sizeof(*cache->meta),
			       GFP_KERNEL);
	cache->space = kvcalloc(cache->geo.lines, sizeof(*cache->space),
				GFP_KERNEL);
	cache->sets = kvcalloc(cache->geo.sets, sizeof(*cache->sets),
			       GFP_KERNEL);
	if (!cache->meta || !cache->space || !cache->sets) {
		ret = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < cache->geo.sets; i++) {
		spin_lock_init(&cache->sets[i].lock);
		mutex_init(&cache->sets[i].miss);
	}
	ret = lego_pagepool_init(&cache->lines,
				 cache->geo.lines + cache->geo.sets);
	if (ret)
		goto err_free;
	ret = excache_held_init(cache);
	if (ret)
		goto err_lines;
	return 0;

err_lines:
	lego_pagepool_destroy(&cache->lines);
err_free:
	kvfree(cache->sets);
	kvfree(cache->space);
	kvfree(cache->meta);
	return ret;
}

/* Every space has dropped its lines by now (their files are closed). */
void excache_destroy(struct excache *cache)
{
	excache_held_destroy(cache);
	lego_pagepool_destroy(&cache->lines);
	kvfree(cache->sets);
	kvfree(cache->space);
	kvfree(cache->meta);
}

unsigned long excache_line_pfn(struct excache *cache, u64 line)
{
	return page_to_pfn(lego_pagepool_page(&cache->lines, line));
}

static void excache_count_fetch(struct excache *cache, ktime_t start)
{
	atomic64_inc(&cache->stats.fetch_us[excache_lat_bucket(start)]);
}

/* A line being evicted, while its write-back may be in flight. */
struct excache_victim {
	void *space;
	u64 vpn;
	u64 tag;
	void *wb;		/* the write-back in flight, or NULL */
};

/* It is valid and dirty again: its write-back failed. */
static void excache_victim_restore(struct excache *cache, u32 set, u64 line,
				   const struct excache_victim *v)
{
	struct excache_set *s = excache_set_of(cache, set);
	struct excache_meta *m = &cache->meta[line];

	spin_lock(&s->lock);
	excache_line_restore(m, v->tag);
	spin_unlock(&s->lock);
	cache->space[line] = v->space;
	wake_up_all(&cache->busy_wait);
}

/* The victim is lost to its own space: see excache_evict_end(). */
static void excache_lose(struct excache *cache, struct excache_victim *v)
{
	cache->ops->lose(v->space, v->vpn);
	atomic64_inc(&cache->stats.lost);
}

/*
 * Start to free @way of @set (BUSY, still under its old tag) for a fault
 * of @space (NULL: none): unmap it and, if @writeback and it is dirty,
 * begin writing it back: from a held copy if @hold and one can be had,
 * else from its page, which is left alone until excache_evict_end().
 * Else, or if the write-back cannot start and the victim is another
 * space's (lost to it, as in excache_evict_end()), its space is let go.
 */
static int excache_evict_begin(struct excache *cache, void *space, u32 set,
			       u32 way, bool writeback, bool hold,
			       struct excache_victim *v)
{
	u64 line = excache_line_index(&cache->geo, set, way);
	struct excache_meta *m = &cache->meta[line];
	struct page *page = lego_pagepool_page(&cache->lines, line);
	void *wb;
	int ret;

	v->space = cache->space[line];
	v->tag = m->tag;
	v->vpn = excache_tag_vpn(v->tag);
	v->wb = NULL;
	cache->ops->unmap(v->space, v->vpn);
	/* No PTE maps it now: DIRTY cannot change any more. */
	if (writeback && READ_ONCE(m->flags) & EXCACHE_LINE_DIRTY) {
		ret = hold ? excache_hold(cache, v->space, v->tag, page) :
			     -EAGAIN;
		if (!ret) {
			cache->space[line] = NULL;
			return 0;
		}
		if (ret == -EAGAIN) {
			wb = cache->ops->writeback_begin(v->space, v->vpn, page);
			if (!IS_ERR(wb)) {
				v->wb = wb;
				return 0;
			}
			ret = PTR_ERR(wb);
		}
		if (!space || v->space == space) {
			excache_victim_restore(cache, set, line, v);
			return ret;
		}
		excache_lose(cache, v);
	}
	if (writeback)
		atomic64_inc(&cache->stats.evictions);
	cache->space[line] = NULL;
	cache->ops->put(v->space);
	return 0;
}

/*
 * Wait for the victim's write-back; its space is let go if it went well.
 * If it failed and the victim is not of @space, whose fault evicts it
 * (NULL: none), it is its own space's loss (its mmon is gone), not that
 * fault's failure: the page is dropped, lost to its space, which gets
 * SIGBUS on it, and other vNodes run on.
 */
static int excache_evict_end(struct excache *cache, struct excache_victim *v,
			     void *space)
{
	int ret = cache->ops->writeback_end(v->space, v->vpn, v->wb);

	v->wb = NULL;
	if (ret && (!space || v->space == space))
		return ret;
	if (ret)
		excache_lose(cache, v);
	else
		atomic64_inc(&cache->stats.writebacks);
	atomic64_inc(&cache->stats.evictions);
	cache->ops->put(v->space);
	return 0;
}

/*
 * Make @way of @set (BUSY, still under its old tag) free: unmap it and,
 * if @writeback, write it back if dirty (an eviction); else its data is
 * dropped. On a failed write-back it is valid and dirty again.
 */
static int excache_evict(struct excache *cache, u32 set, u32 way,
			 bool writeback)
{
	u64 line = excache_line_index(&cache->geo, set, way);
	struct excache_victim v;
	int ret;

	ret = excache_evict_begin(cache, NULL, set, way, writeback, false,
				  &v);
	if (ret || !v.wb)
		return ret;
	ret = excache_evict_end(cache, &v, NULL);
	if (ret) {
		excache_victim_restore(cache, set, line, &v);
		return ret;
	}
	cache->space[line] = NULL;
	return 0;
}

/* Wait until a BUSY line is no longer busy under @tag. */
static void excache_wait_line(struct excache *cache, struct excache_meta *m,
			      u64 tag)
{
	wait_event(cache->busy_wait,
		   !(READ_ONCE(m->flags) & EXCACHE_LINE_BUSY) ||
		   READ_ONCE(m->tag) != tag);
}

/*
 * A hit (maybe after waiting): the line pinned, or -1 on a miss;
 * *@found says whether it is the first use of a line brought in ahead.
 */
static s64 excache_lookup_pin(struct excache *cache, u32 set, u64 tag,
			      bool write, enum excache_found *found)
{
	struct excache_set *s = excache_set_of(cache, set);
	struct excache_meta *ways = excache_ways(cache, set);
	int way;

	for (;;) {
		spin_lock(&s->lock);
		way = excache_set_lookup(ways, cache->geo.ways, tag);
		if (way < 0) {
			spin_unlock(&s->lock);
			return -1;
		}
		if (!(ways[way].flags & EXCACHE_LINE_BUSY))
			break;
		spin_unlock(&s->lock);
		excache_wait_line(cache, &ways[way], tag);
	}
	*found = EXCACHE_HIT;
	if (excache_line_use(&ways[way], write)) {
		atomic64_inc(&cache->stats.prefetch_hits);
		*found = EXCACHE_HIT_PREFETCHED;
	}
	spin_unlock(&s->lock);
	return excache_line_index(&cache->geo, set, way);
}

/*
 * With @set's miss lock: pick a victim for @tag and begin its eviction
 * (*@v: its write-back, if one is in flight), then make the line BUSY
 * under @tag for @space. Return: 0 and *@line; -EBUSY if every line is
 * pinned or in flight; else the victim's error (it is back).
 */
static int excache_take_line(struct excache *cache, void *space, u32 set,
			     u64 tag, u64 *line, struct excache_victim *v)
{
	struct excache_set *s = excache_set_of(cache, set);
	struct excache_meta *ways = excache_ways(cache, set);
	struct excache_meta *m;
	int way, ret;

	spin_lock(&s->lock);
	way = excache_pick_victim(&s->state, ways, cache->geo.ways,
				  cache->policy, NULL, NULL);
	if (way < 0) {
		spin_unlock(&s->lock);
		return -EBUSY;
	}
	m = &ways[way];
	*line = excache_line_index(&cache->geo, set, way);
	if (m->flags) {
		m->flags |= EXCACHE_LINE_BUSY;
		spin_unlock(&s->lock);
		ret = excache_evict_begin(cache, space, set, way, true, true,
					  v);
		if (ret)
			return ret;
		spin_lock(&s->lock);
	}
	excache_line_start_fill(&s->state, m, tag);
	spin_unlock(&s->lock);
	wake_up_all(&cache->busy_wait);	/* waiters on the old tag */
	cache->ops->get(space);
	cache->space[*line] = space;
	return 0;
}

/* The index of @set's spare: the page its misses fill, see excache_miss(). */
static u64 excache_spare(struct excache *cache, u32 set)
{
	return cache->geo.lines + set;
}

/*
 * Fill @spare with @tag for @space: from a held copy whose write-back
 * failed (*@dirty then), else by the fetch begun (@f) or now.
 */
static int excache_fill(struct excache *cache, void *space, u64 tag,
			struct page *spare, int held, void *f, ktime_t start,
			bool *dirty)
{
	u64 vpn = excache_tag_vpn(tag);
	int ret;

	if (held >= 0) {
		excache_held_copy(cache, held, spare);
		*dirty = true;
		return 0;
	}
	if (f)
		ret = cache->ops->fetch_end(space, vpn, spare, f);
	else
		ret = cache->ops->fetch(space, vpn, spare);
	excache_count_fetch(cache, start);
	return ret;
}

/*
 * With the set's miss lock: evict a victim, fetch @vpn and pin its line
 * (@write: dirty). The page is fetched into the set's spare, which takes
 * the line's place when it is full: so its READ goes out before the
 * victim is unmapped and written back, which overlap with it, and a
 * failed write-back leaves the victim intact.
 */
static int excache_miss(struct excache *cache, void *space, u32 set, u64 tag,
			u64 vpn, bool write, u64 *line)
{
	struct page *spare = lego_pagepool_page(&cache->lines,
						excache_spare(cache, set));
	struct excache_set *s = excache_set_of(cache, set);
	struct excache_victim v = {};
	struct excache_meta *m;
	bool dirty = false;
	ktime_t start;
	void *f = NULL;
	int held, ret;
	int wb_err = 0;

	/* A copy still being written back is waited for: then READ it. */
	held = excache_unhold(cache, tag);
	start = ktime_get();
	if (held < 0)
		f = cache->ops->fetch_begin(space, vpn, spare);
	ret = excache_take_line(cache, space, set, tag, line, &v);
	if (ret) {
		if (f)	/* the spare is the set's again once it is done */
			cache->ops->fetch_end(space, vpn, spare, f);
		if (held >= 0)
			excache_rehold(cache, held);
		return ret;
	}
	m = &cache->meta[*line];
	ret = excache_fill(cache, space, tag, spare, held, f, start, &dirty);
	if (v.wb)
		wb_err = excache_evict_end(cache, &v, space);
	if (held >= 0 && wb_err)
		excache_rehold(cache, held);
	else if (held >= 0)
		excache_held_put(cache, held);
	if (wb_err) {
		cache->ops->put(space);
		excache_victim_restore(cache, set, *line, &v);
		return wb_err;
	}
	if (!ret)
		lego_pagepool_swap(&cache->lines, *line,
				   excache_spare(cache, set));
	spin_lock(&s->lock);
	if (ret) {
		m->flags = 0;
		cache->space[*line] = NULL;
	} else {
		excache_line_filled(m, false, write || dirty);
	}
	spin_unlock(&s->lock);
	wake_up_all(&cache->busy_wait);
	if (ret)
		cache->ops->put(space);
	return ret;
}

/**
 * excache_fault() - find or bring in page @vpn of address space @asid
 * @cache: the ExCache
 * @space: the address space, passed back to the ops
 * @asid: its id
 * @vpn: the virtual page number
 * @write: the fault is a write: the line is dirty from now on
 * @line: set to the line, pinned until excache_unpin()
 * @found: set to how: a hit, the first use of a prefetched line, a miss
 *
 * Sleeps. Return: 0, or the error of the write-back or fetch that failed.
 */
int excache_fault(struct excache *cache, void *space, u32 asid, u64 vpn,
		  bool write, u64 *line, enum excache_found *found)
{
	u32 set = excache_set_index(&cache->geo, asid, vpn);
	struct excache_set *s = excache_set_of(cache, set);
	u64 tag = excache_tag(asid, vpn);
	s64 hit;
	int ret, tries;

	for (tries = 0; tries < 100; tries++) {
		hit = excache_lookup_pin(cache, set, tag, write, found);
		if (hit >= 0) {
			atomic64_inc(&cache->stats.hits);
			*line = hit;
			return 0;
		}
		mutex_lock(&s->miss);
		/* Another fault may have brought it in meanwhile. */
		hit = excache_lookup_pin(cache, set, tag, write, found);
		if (hit >= 0) {
			mutex_unlock(&s->miss);
			atomic64_inc(&cache->stats.hits);
			*line = hit;
			return 0;
		}
		ret = excache_miss(cache, space, set, tag, vpn, write, line);
		mutex_unlock(&s->miss);
		if (ret != -EBUSY)
			break;
		/* Every line pinned: let the mapping faults finish. */
		schedule_timeout_uninterruptible(1);
	}
	if (ret)
		atomic64_inc(&cache->stats.errors);
	else
		atomic64_inc(&cache->stats.misses);
	*found = EXCACHE_MISSED;
	return ret;
}

/*
 * With @set's miss lock: take a line for @tag, which is missing, for a
 * prefetch by @space. The prefetch reads into the line itself, so the
 * victim's write-back, if one is in flight, is waited for. Return: 0 and
 * *@line, BUSY under @tag; -EEXIST if @tag is there; else as
 * excache_take_line().
 */
static int excache_claim(struct excache *cache, void *space, u32 set,
			 u64 tag, u64 *line)
{
	struct excache_set *s = excache_set_of(cache, set);
	struct excache_victim v = {};
	bool there;
	int ret;

	/* Only the miss lock's holder adds a tag: this stays true. */
	spin_lock(&s->lock);
	there = excache_set_lookup(excache_ways(cache, set), cache->geo.ways,
				   tag) >= 0;
	spin_unlock(&s->lock);
	if (there)
		return -EEXIST;
	ret = excache_take_line(cache, space, set, tag, line, &v);
	if (ret || !v.wb)
		return ret;
	ret = excache_evict_end(cache, &v, space);
	if (ret) {
		cache->ops->put(space);
		excache_victim_restore(cache, set, *line, &v);
	}
	return ret;
}

/* A line claimed for a prefetch. */
struct excache_fill {
	u32 set;
	u64 line;
	u64 vpn;
	bool held;		/* filled from a held copy: dirty */
};

/*
 * Claim lines for the missing pages of @vpn, @vpn + @stride, ... (@nr of
 * them). The miss lock of the first page's set is waited for; a page
 * whose set is busy with a miss (or with another page of the run) is left
 * to its fault. Return: the lines claimed, their miss locks held.
 */
static u32 excache_claim_run(struct excache *cache, void *space, u32 asid,
			     u64 vpn, u32 nr, u32 stride,
			     struct excache_fill *fill)
{
	struct excache_set *s;
	u32 i, n = 0;
	u64 tag;

	for (i = 0; i < nr; i++, vpn += stride) {
		fill[n].set = excache_set_index(&cache->geo, asid, vpn);
		fill[n].vpn = vpn;
		fill[n].held = false;
		s = excache_set_of(cache, fill[n].set);
		if (!i)
			mutex_lock(&s->miss);
		else if (!mutex_trylock(&s->miss))
			continue;
		tag = excache_tag(asid, vpn);
		if (excache_claim(cache, space, fill[n].set, tag,
				  &fill[n].line)) {
			mutex_unlock(&s->miss);
			continue;
		}
		n++;
	}
	return n;
}

/**
 * excache_prefetch() - bring pages in ahead of their faults, if missing
 * @cache: the ExCache
 * @space: the address space
 * @asid: its id
 * @vpn: the first page
 * @nr: how many, up to EXCACHE_PREFETCH_MAX
 * @stride: pages from one to the next
 *
 * The pages are fetched together (the space's fetch_many), so that a run
 * costs one wait, not one per page. Sleeps. Failures are not errors: the
 * faults will fetch the pages themselves.
 */
void excache_prefetch(struct excache *cache, void *space, u32 asid, u64 vpn,
		      u32 nr, u32 stride)
{
	struct excache_fill fill[EXCACHE_PREFETCH_MAX];
	struct page *pages[EXCACHE_PREFETCH_MAX];
	u64 vpns[EXCACHE_PREFETCH_MAX];
	struct excache_meta *m;
	struct excache_set *s;
	struct page *page;
	u32 i, n, nr_fetch = 0;
	ktime_t start;
	int held, ret = 0;

	n = excache_claim_run(cache, space, asid, vpn,
			      min_t(u32, nr, EXCACHE_PREFETCH_MAX), stride, fill);
	for (i = 0; i < n; i++) {
		page = lego_pagepool_page(&cache->lines, fill[i].line);
		held = excache_unhold(cache, excache_tag(asid, fill[i].vpn));
		if (held >= 0) {
			/* Its write-back failed: the copy is the page. */
			excache_held_copy(cache, held, page);
			excache_held_put(cache, held);
			fill[i].held = true;
			continue;
		}
		vpns[nr_fetch] = fill[i].vpn;
		pages[nr_fetch++] = page;
	}
	if (nr_fetch) {
		start = ktime_get();
		ret = cache->ops->fetch_many(space, vpns, pages, nr_fetch);
		atomic64_add(nr_fetch,
			     &cache->stats.fetch_us[excache_lat_bucket(start)]);
	}
	for (i = 0; i < n; i++) {
		s = excache_set_of(cache, fill[i].set);
		m = &cache->meta[fill[i].line];
		spin_lock(&s->lock);
		if (ret && !fill[i].held) {
			m->flags = 0;
			cache->space[fill[i].line] = NULL;
		} else {
			excache_line_filled(m, true, fill[i].held);
		}
		spin_unlock(&s->lock);
		mutex_unlock(&s->miss);
		if (ret && !fill[i].held)
			cache->ops->put(space);
		else
			atomic64_inc(&cache->stats.prefetches);
	}
	if (n)
		wake_up_all(&cache->busy_wait);
}

void excache_unpin(struct excache *cache, u64 line)
{
	u32 set = (u32)(line / cache->geo.ways);
	struct excache_set *s = excache_set_of(cache, set);

	spin_lock(&s->lock);
	cache->meta[line].pins--;
	spin_unlock(&s->lock);
}

/* A write to a mapped, clean line (pfn_mkwrite). */
void excache_mark_dirty(struct excache *cache, u32 asid, u64 vpn)
{
	u32 set = excache_set_index(&cache->geo, asid, vpn);
	struct excache_set *s = excache_set_of(cache, set);
	struct excache_meta *ways = excache_ways(cache, set);
	int way;

	spin_lock(&s->lock);
	way = excache_set_lookup(ways, cache->geo.ways, excache_tag(asid, vpn));
	if (way >= 0)
		ways[way].flags |= EXCACHE_LINE_DIRTY | EXCACHE_LINE_REF;
	spin_unlock(&s->lock);
}

/* Drop one line of @space if it holds @tag; wait for it if in flight. */
static int excache_drop(struct excache *cache, void *space, u32 set,
			u64 tag, bool writeback)
{
	struct excache_set *s = excache_set_of(cache, set);
	struct excache_meta *ways = excache_ways(cache, set);
	u64 line;
	int way, ret = 0;

	mutex_lock(&s->miss);	/* no miss of this set is in flight */
	spin_lock(&s->lock);
	way = excache_set_lookup(ways, cache->geo.ways, tag);
	line = excache_line_index(&cache->geo, set, way);
	if (way < 0 || cache->space[line] != space) {
		spin_unlock(&s->lock);
		goto out;
	}
	ways[way].flags |= EXCACHE_LINE_BUSY;
	spin_unlock(&s->lock);
	ret = excache_evict(cache, set, way, writeback);
	if (!ret) {
		spin_lock(&s->lock);
		ways[way].flags = 0;
		spin_unlock(&s->lock);
		wake_up_all(&cache->busy_wait);
	}
out:
	mutex_unlock(&s->miss);
	return ret;
}

/**
 * excache_invalidate() - drop the lines of pages [@vpn_start, @vpn_end)
 * @cache: the ExCache
 * @space: their address space
 * @asid: its id
 * @vpn_start: first page
 * @vpn_end: one past the last
 * @writeback: write dirty lines back first (mprotect), or discard them
 *	       (munmap, MADV_DONTNEED, exit)
 *
 * Return: 0, or the first write-back error.
 */
int excache_invalidate(struct excache *cache, void *space, u32 asid,
		       u64 vpn_start, u64 vpn_end, bool writeback)
{
	int ret, first = 0;
	u64 vpn, line;

	if (vpn_end - vpn_start <= cache->geo.lines) {
		for (vpn = vpn_start; vpn < vpn_end; vpn++) {
			ret = excache_drop(cache, space,
					   excache_set_index(&cache->geo, asid,
							     vpn),
					   excache_tag(asid, vpn), writeback);
			first = first ?: ret;
		}
	} else {
		/* A large range: look at every line once instead. */
		for (line = 0; line < cache->geo.lines; line++) {
			u64 tag = READ_ONCE(cache->meta[line].tag);

			vpn = excache_tag_vpn(tag);
			if (READ_ONCE(cache->space[line]) != space ||
			    vpn < vpn_start || vpn >= vpn_end)
				continue;
			ret = excache_drop(cache, space,
					   (u32)(line / cache->geo.ways), tag,
					   writeback);
			first = first ?: ret;
			cond_resched();
		}
	}
	/*
	 * Last, the held copies, those of lines another space's miss
	 * evicted while this ran too: their write-backs go to the owner
	 * before what follows (a free, discard, protect or copy).
	 */
	ret = excache_unhold_range(cache, space, asid, vpn_start, vpn_end,
				   writeback);
	return first ?: ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ExCache lookup and replacement. Pure C: built into lego.ko and
 * tests/unit/test_excache_policy. The caller holds the set's lock.
 */
#include "lego/excache_policy.h"

static const char *const excache_policy_names[__EXCACHE_POLICY_MAX] = {
	[EXCACHE_POLICY_FIFO]	= "fifo",
	[EXCACHE_POLICY_LRU]	= "lru",
	[EXCACHE_POLICY_CLOCK]	= "clock",
};

int excache_parse_policy(const char *name, enum excache_policy *policy)
{
	int i;

	for (i = 0; i < __EXCACHE_POLICY_MAX; i++) {
		if (!strcmp(name, excache_policy_names[i])) {
			*policy = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *excache_policy_name(enum excache_policy policy)
{
	return policy < __EXCACHE_POLICY_MAX ? excache_policy_names[policy] :
					       "?";
}

/**
 * excache_set_lookup() - the line of a set holding or filling @tag
 * @ways: the set's lines
 * @nr_ways: how many
 * @tag: excache_tag() of the page
 *
 * Return: the way, or -1 on a miss. A BUSY line found is being filled or
 * evicted: the caller waits for it and looks again.
 */
int excache_set_lookup(const struct excache_meta *ways, u32 nr_ways, u64 tag)
{
	u32 i;

	for (i = 0; i < nr_ways; i++)
		if (ways[i].flags && ways[i].tag == tag)
			return i;
	return -1;
}

/* Claim @line (free, or a victim now evicted) for page @tag. */
void excache_line_start_fill(struct excache_set_state *set,
			     struct excache_meta *line, u64 tag)
{
	line->tag = tag;
	line->flags = EXCACHE_LINE_BUSY;
	line->stamp = set->fills++;
	line->age = 0x80;
}

/*
 * @line's fill went well: it is valid, and either pinned for the fault
 * that missed (referenced) or, for a prefetch, unused until its first
 * fault (excache_line_use()). @dirty: newer than the owner's copy.
 */
void excache_line_filled(struct excache_meta *line, bool prefetch, bool dirty)
{
	line->flags = EXCACHE_LINE_VALID |
		      (prefetch ? EXCACHE_LINE_PREFETCHED : EXCACHE_LINE_REF) |
		      (dirty ? EXCACHE_LINE_DIRTY : 0);
	if (!prefetch)
		line->pins++;
}

/*
 * A fault found @line (valid, not busy): pin it, mark it used, and dirty
 * if @write. Return: true if this is the first use of a prefetched line.
 */
bool excache_line_use(struct excache_meta *line, bool write)
{
	bool prefetched = line->flags & EXCACHE_LINE_PREFETCHED;

	line->flags &= ~EXCACHE_LINE_PREFETCHED;
	line->flags |= EXCACHE_LINE_REF | (write ? EXCACHE_LINE_DIRTY : 0);
	line->pins++;
	return prefetched;
}

/* The write-back of @line, a victim of page @tag, failed: it is back. */
void excache_line_restore(struct excache_meta *line, u64 tag)
{
	line->tag = tag;
	line->flags = EXCACHE_LINE_VALID | EXCACHE_LINE_DIRTY;
}

static bool excache_evictable(const struct excache_meta *line)
{
	return (line->flags & (EXCACHE_LINE_VALID | EXCACHE_LINE_BUSY)) ==
	       EXCACHE_LINE_VALID && !line->pins;
}

/* The REF bit and the page tables' access bits, both cleared. */
static bool excache_referenced(struct excache_meta *line, u32 way,
			       excache_test_clear_ref_fn test_clear_ref,
			       void *ctx)
{
	bool ref = line->flags & EXCACHE_LINE_REF;

	line->flags &= ~EXCACHE_LINE_REF;
	if (test_clear_ref && test_clear_ref(ctx, way))
		ref = true;
	return ref;
}

/* Was @a filled before @b? Stamps wrap: compare distances to the next. */
static bool excache_filled_before(const struct excache_set_state *set,
				  const struct excache_meta *a,
				  const struct excache_meta *b)
{
	return set->fills - a->stamp > set->fills - b->stamp;
}

static int excache_victim_fifo(struct excache_set_state *set,
			       struct excache_meta *ways, u32 nr_ways)
{
	int victim = -1;
	u32 i;

	for (i = 0; i < nr_ways; i++) {
		if (!excache_evictable(&ways[i]))
			continue;
		if (victim < 0 ||
		    excache_filled_before(set, &ways[i], &ways[victim]))
			victim = i;
	}
	return victim;
}

/*
 * LRU approximated by aging: at each eviction in the set every line's age
 * shifts right and takes its access bit as the top bit, so the smallest
 * age is the line least recently used, at the granularity of evictions.
 */
static int excache_victim_lru(struct excache_set_state *set,
			      struct excache_meta *ways, u32 nr_ways,
			      excache_test_clear_ref_fn test_clear_ref,
			      void *ctx)
{
	int victim = -1;
	u32 i;

	for (i = 0; i < nr_ways; i++) {
		if (!excache_evictable(&ways[i]))
			continue;
		ways[i].age >>= 1;
		if (excache_referenced(&ways[i], i, test_clear_ref, ctx))
			ways[i].age |= 0x80;
		if (victim < 0 || ways[i].age < ways[victim].age ||
		    (ways[i].age == ways[victim].age &&
		     excache_filled_before(set, &ways[i], &ways[victim])))
			victim = i;
	}
	return victim;
}

/*
 * Second chance: a referenced line loses its bit and is passed over once.
 * A free line is taken where the hand next finds one, and the hand moves
 * past it, so that the hand meets lines in the order they were filled.
 * Filling the first free way instead would leave the hand wherever the
 * set's last evictions left it: once all the lines were referenced, the
 * hand would take a line just filled before the one idle longest.
 */
static int excache_victim_clock(struct excache_set_state *set,
				struct excache_meta *ways, u32 nr_ways,
				excache_test_clear_ref_fn test_clear_ref,
				void *ctx)
{
	u32 step, way;

	for (step = 0; step < nr_ways; step++) {
		way = (set->hand + step) % nr_ways;
		if (!ways[way].flags) {
			set->hand = (way + 1) % nr_ways;
			return way;
		}
	}
	for (step = 0; step < 2 * nr_ways; step++) {
		way = set->hand;
		set->hand = (set->hand + 1) % nr_ways;
		if (!excache_evictable(&ways[way]))
			continue;
		if (!excache_referenced(&ways[way], way, test_clear_ref, ctx))
			return way;
	}
	/* Every line was referenced: the first evictable one goes. */
	for (step = 0; step < nr_ways; step++) {
		way = set->hand;
		set->hand = (set->hand + 1) % nr_ways;
		if (excache_evictable(&ways[way]))
			return way;
	}
	return -1;
}

/**
 * excache_pick_victim() - the line of a set to fill next
 * @set: the set's policy state
 * @ways: its lines
 * @nr_ways: how many
 * @policy: how to choose among valid lines
 * @test_clear_ref: reads and clears a line's access bits, or NULL
 * @ctx: passed to @test_clear_ref
 *
 * A free line is taken first. Lines being filled or evicted, and lines
 * pinned by a fault mapping them, are skipped.
 *
 * Return: the way, or -1 if every line is busy.
 */
int excache_pick_victim(struct excache_set_state *set,
			struct excache_meta *ways, u32 nr_ways,
			enum excache_policy policy,
			excache_test_clear_ref_fn test_clear_ref, void *ctx)
{
	u32 i;

	if (policy == EXCACHE_POLICY_CLOCK)
		return excache_victim_clock(set, ways, nr_ways,
					    test_clear_ref, ctx);
	for (i = 0; i < nr_ways; i++)
		if (!ways[i].flags)
			return i;
	if (policy == EXCACHE_POLICY_LRU)
		return excache_victim_lru(set, ways, nr_ways, test_clear_ref,
					  ctx);
	return excache_victim_fifo(set, ways, nr_ways);
}

/*
 * Is the run a scan? Two misses on consecutive pages say so; a stride of
 * more pages needs three misses, two gaps alike, or random misses a few
 * pages apart would prefetch.
 */
static bool excache_stream_sure(const struct excache_stream *s)
{
	return s->run >= (s->stride == 1 ? 2 : 3);
}

/**
 * excache_stream_miss() - record a miss; how many next pages to prefetch
 * @s: the address space's stream
 * @vpn: the page that missed
 * @window: most pages to prefetch, 0 for none
 *
 * Misses @s->stride pages apart, up to EXCACHE_STRIDE_MAX, are a scan,
 * sequential (a stride of 1) or strided: its next pages are then worth
 * fetching before they are asked for. The prefetched pages continue the
 * run without missing.
 *
 * Return: the number of pages to prefetch: @vpn + @s->stride and so on,
 * the last @s->stride before the stream's new next_vpn.
 */
u32 excache_stream_miss(struct excache_stream *s, u64 vpn, u32 window)
{
	u64 gap = vpn - s->last_vpn;
	u32 ahead;

	if (s->run && vpn == s->next_vpn) {
		s->run++;
	} else if (s->run && gap && gap <= EXCACHE_STRIDE_MAX) {
		s->run = gap == s->stride ? s->run + 1 : 2;
		s->stride = gap;
	} else {
		s->run = 1;
		s->stride = 1;
	}
	ahead = excache_stream_sure(s) ? window : 0;
	s->last_vpn = vpn;
	s->next_vpn = vpn + (u64)s->stride * (1 + ahead);
	return ahead;
}

/**
 * excache_stream_hit() - a fault used prefetched page @vpn; how many more
 * @s: the address space's stream
 * @vpn: the page, brought in ahead of the fault
 * @window: pages to prefetch at a time, 0 for none
 *
 * Prefetching again only at the next miss would leave the scan waiting
 * on one page in every @window + 1. Once the scan has used the first
 * half of the pages ahead of it, the next @window pages are prefetched
 * instead, as one run (the idea of Linux's asynchronous readahead).
 *
 * Return: the number of pages to prefetch, the last ones before the
 * stream's new next_vpn, @s->stride apart.
 */
u32 excache_stream_hit(struct excache_stream *s, u64 vpn, u32 window)
{
	if (!excache_stream_sure(s) || !window || vpn >= s->next_vpn ||
	    (s->next_vpn - vpn) / s->stride - 1 > window / 2)
		return 0;
	s->next_vpn += (u64)window * s->stride;
	return window;
}

// SPDX-License-Identifier: GPL-2.0
/* ExCache lookup, replacement and prefetch: modules/excache/policy.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lego/excache_policy.h"

#define WAYS 4

static struct excache_meta ways[WAYS];
static struct excache_set_state set;

/* Fill every way with valid pages 100.. of address space 1, in order. */
static int fill_set(void **state)
{
	u32 i;

	(void)state;
	memset(ways, 0, sizeof(ways));
	memset(&set, 0, sizeof(set));
	for (i = 0; i < WAYS; i++) {
		excache_line_start_fill(&set, &ways[i], excache_tag(1, 100 + i));
		ways[i].flags = EXCACHE_LINE_VALID;
	}
	return 0;
}

/* Access bits as the page tables would report them, per way. */
static bool pte_young[WAYS];

static bool test_clear_young(void *ctx, u32 way)
{
	bool young = pte_young[way];

	(void)ctx;
	pte_young[way] = false;
	return young;
}

static void tags(void **state)
{
	(void)state;
	assert_true(excache_tag(1, 5) != excache_tag(2, 5));
	assert_true(excache_tag(1, 5) != excache_tag(1, 6));
	/* The largest page number of a 57-bit address space keeps its asid. */
	assert_true(excache_tag(1, (1ULL << 45) - 1) !=
		    excache_tag(2, (1ULL << 45) - 1));
	assert_int_equal(excache_tag(0xffff, 0) >> EXCACHE_VPN_BITS, 0xffff);
}

static void lookup(void **state)
{
	(void)state;
	assert_int_equal(excache_set_lookup(ways, WAYS, excache_tag(1, 102)), 2);
	assert_int_equal(excache_set_lookup(ways, WAYS, excache_tag(2, 102)), -1);
	assert_int_equal(excache_set_lookup(ways, WAYS, excache_tag(1, 99)), -1);
	/* A line being filled is found, so a second fault waits for it. */
	ways[3].flags = EXCACHE_LINE_BUSY;
	assert_int_equal(excache_set_lookup(ways, WAYS, excache_tag(1, 103)), 3);
	/* A free line matches nothing, not even its stale tag. */
	ways[3].flags = 0;
	assert_int_equal(excache_set_lookup(ways, WAYS, excache_tag(1, 103)), -1);
}

static void free_line_first(void **state)
{
	enum excache_policy p;

	(void)state;
	ways[2].flags = 0;
	for (p = 0; p < __EXCACHE_POLICY_MAX; p++)
		assert_int_equal(excache_pick_victim(&set, ways, WAYS, p, NULL,
						     NULL), 2);
}

static void busy_lines_are_never_victims(void **state)
{
	enum excache_policy p;
	u32 i;

	(void)state;
	for (i = 0; i < WAYS; i++)
		ways[i].flags |= EXCACHE_LINE_BUSY;
	for (p = 0; p < __EXCACHE_POLICY_MAX; p++)
		assert_int_equal(excache_pick_victim(&set, ways, WAYS, p, NULL,
						     NULL), -1);
	ways[1].flags &= ~EXCACHE_LINE_BUSY;
	for (p = 0; p < __EXCACHE_POLICY_MAX; p++)
		assert_int_equal(excache_pick_victim(&set, ways, WAYS, p, NULL,
						     NULL), 1);
	/* A line a fault is mapping is not a victim either. */
	ways[1].pins = 1;
	for (p = 0; p < __EXCACHE_POLICY_MAX; p++)
		assert_int_equal(excache_pick_victim(&set, ways, WAYS, p, NULL,
						     NULL), -1);
}

static void fifo_evicts_oldest_fill(void **state)
{
	int v;

	(void)state;
	/* Access bits do not matter to FIFO. */
	ways[0].flags |= EXCACHE_LINE_REF;
	assert_int_equal(excache_pick_victim(&set, ways, WAYS,
					     EXCACHE_POLICY_FIFO, NULL, NULL), 0);
	/* Refill way 0: now way 1 is the oldest, then 2, 3, 0. */
	excache_line_start_fill(&set, &ways[0], excache_tag(1, 200));
	ways[0].flags = EXCACHE_LINE_VALID;
	v = excache_pick_victim(&set, ways, WAYS, EXCACHE_POLICY_FIFO, NULL,
				NULL);
	assert_int_equal(v, 1);
}

static void fifo_survives_stamp_wrap(void **state)
{
	u32 i;

	(void)state;
	set.fills = 0xfffffffeU;
	for (i = 0; i < WAYS; i++) {
		excache_line_start_fill(&set, &ways[i], excache_tag(1, i));
		ways[i].flags = EXCACHE_LINE_VALID;
	}
	/* Stamps fffffffe, ffffffff, 0, 1: way 0 is still the oldest. */
	assert_int_equal(excache_pick_victim(&set, ways, WAYS,
					     EXCACHE_POLICY_FIFO, NULL, NULL), 0);
}

static void lru_evicts_least_recently_used(void **state)
{
	int v;

	(void)state;
	memset(pte_young, 0, sizeof(pte_young));
	/* Round 1: ways 0, 1, 3 used (one via the fault-time REF bit). */
	pte_young[0] = true;
	pte_young[1] = true;
	ways[3].flags |= EXCACHE_LINE_REF;
	v = excache_pick_victim(&set, ways, WAYS, EXCACHE_POLICY_LRU,
				test_clear_young, NULL);
	assert_int_equal(v, 2);
	assert_false(ways[3].flags & EXCACHE_LINE_REF);
	assert_false(pte_young[0]);
	/* Way 2 refilled; round 2: only way 2 and way 3 used again. */
	excache_line_start_fill(&set, &ways[2], excache_tag(1, 300));
	ways[2].flags = EXCACHE_LINE_VALID;
	pte_young[2] = true;
	pte_young[3] = true;
	v = excache_pick_victim(&set, ways, WAYS, EXCACHE_POLICY_LRU,
				test_clear_young, NULL);
	/* Ways 0 and 1 were last used a round ago; 0 was filled first. */
	assert_int_equal(v, 0);
}

static void clock_gives_second_chance(void **state)
{
	(void)state;
	memset(pte_young, 0, sizeof(pte_young));
	pte_young[0] = true;
	ways[1].flags |= EXCACHE_LINE_REF;
	/* Hand at 0: 0 and 1 are passed over (and cleared), 2 goes. */
	assert_int_equal(excache_pick_victim(&set, ways, WAYS,
					     EXCACHE_POLICY_CLOCK,
					     test_clear_young, NULL), 2);
	assert_int_equal(set.hand, 3);
	assert_false(ways[1].flags & EXCACHE_LINE_REF);
	/* Next: 3 is unreferenced. Then 0, whose chance is spent. */
	assert_int_equal(excache_pick_victim(&set, ways, WAYS,
					     EXCACHE_POLICY_CLOCK,
					     test_clear_young, NULL), 3);
	assert_int_equal(excache_pick_victim(&set, ways, WAYS,
					     EXCACHE_POLICY_CLOCK,
					     test_clear_young, NULL), 0);
}

static void clock_all_referenced(void **state)
{
	u32 i;

	(void)state;
	for (i = 0; i < WAYS; i++)
		ways[i].flags |= EXCACHE_LINE_REF;
	/* One full sweep clears every bit; the line under the hand goes. */
	assert_int_equal(excache_pick_victim(&set, ways, WAYS,
					     EXCACHE_POLICY_CLOCK, NULL, NULL), 0);
}

/*
 * Lines freed (their process exited) leave the hand where it was; the
 * set refills from the hand on, so that with every line referenced again
 * the first filled goes, not the one under a stale hand.
 */
static void clock_fills_at_the_hand(void **state)
{
	static const int want[WAYS] = { 2, 3, 0, 1 };
	u32 i;
	int v;

	(void)state;
	memset(ways, 0, sizeof(ways));
	set.hand = 2;
	for (i = 0; i < WAYS; i++) {
		v = excache_pick_victim(&set, ways, WAYS, EXCACHE_POLICY_CLOCK,
					NULL, NULL);
		assert_int_equal(v, want[i]);
		excache_line_start_fill(&set, &ways[v], excache_tag(1, 200 + i));
		excache_line_filled(&ways[v], false, false);
		ways[v].pins = 0;
	}
	assert_int_equal(excache_pick_victim(&set, ways, WAYS,
					     EXCACHE_POLICY_CLOCK, NULL, NULL),
			 2);
}

static void dirty_victim_keeps_its_bit(void **state)
{
	int v;

	(void)state;
	ways[0].flags |= EXCACHE_LINE_DIRTY;
	v = excache_pick_victim(&set, ways, WAYS, EXCACHE_POLICY_FIFO, NULL,
				NULL);
	assert_int_equal(v, 0);
	/* The caller sees it must write the page back before reusing it. */
	assert_true(ways[v].flags & EXCACHE_LINE_DIRTY);
	ways[v].flags |= EXCACHE_LINE_BUSY;
	assert_int_equal(excache_pick_victim(&set, ways, WAYS,
					     EXCACHE_POLICY_FIFO, NULL, NULL), 1);
	excache_line_start_fill(&set, &ways[v], excache_tag(1, 400));
	assert_int_equal(ways[v].flags, EXCACHE_LINE_BUSY);
}

/* A fault's miss: the line is pinned and used; its write makes it dirty. */
static void fault_fill(void **state)
{
	struct excache_meta *m = &ways[0];

	(void)state;
	excache_line_start_fill(&set, m, excache_tag(1, 7));
	assert_int_equal(m->flags, EXCACHE_LINE_BUSY);
	excache_line_filled(m, false, false);
	assert_int_equal(m->flags, EXCACHE_LINE_VALID | EXCACHE_LINE_REF);
	assert_int_equal(m->pins, 1);
	/* Pinned: no victim while the fault maps it. */
	ways[1].pins = 1;
	ways[2].pins = 1;
	ways[3].pins = 1;
	assert_int_equal(excache_pick_victim(&set, ways, WAYS,
					     EXCACHE_POLICY_FIFO, NULL, NULL),
			 -1);
	excache_line_start_fill(&set, m, excache_tag(1, 8));
	excache_line_filled(m, false, true);
	assert_true(m->flags & EXCACHE_LINE_DIRTY);
}

/* Prefetched and unused, then used: the first use alone says so. */
static void prefetch_fill_then_use(void **state)
{
	struct excache_meta *m = &ways[0];

	(void)state;
	excache_line_start_fill(&set, m, excache_tag(1, 7));
	excache_line_filled(m, true, false);
	assert_int_equal(m->flags,
			 EXCACHE_LINE_VALID | EXCACHE_LINE_PREFETCHED);
	assert_int_equal(m->pins, 0);
	/* Unused and unreferenced: CLOCK takes it before the used lines. */
	ways[1].flags |= EXCACHE_LINE_REF;
	ways[2].flags |= EXCACHE_LINE_REF;
	ways[3].flags |= EXCACHE_LINE_REF;
	assert_int_equal(excache_pick_victim(&set, ways, WAYS,
					     EXCACHE_POLICY_CLOCK, NULL, NULL),
			 0);
	assert_true(excache_line_use(m, false));
	assert_int_equal(m->flags, EXCACHE_LINE_VALID | EXCACHE_LINE_REF);
	assert_int_equal(m->pins, 1);
	assert_false(excache_line_use(m, true));
	assert_int_equal(m->flags, EXCACHE_LINE_VALID | EXCACHE_LINE_REF |
				   EXCACHE_LINE_DIRTY);
	assert_int_equal(m->pins, 2);
}

/* Filled from a held copy whose write-back failed: dirty, even unused. */
static void prefetch_fill_from_held_copy(void **state)
{
	struct excache_meta *m = &ways[0];

	(void)state;
	excache_line_start_fill(&set, m, excache_tag(1, 7));
	excache_line_filled(m, true, true);
	assert_int_equal(m->flags, EXCACHE_LINE_VALID |
				   EXCACHE_LINE_PREFETCHED |
				   EXCACHE_LINE_DIRTY);
	assert_true(excache_line_use(m, false));
	assert_true(m->flags & EXCACHE_LINE_DIRTY);
}

/* A victim being written back is busy; if that fails it is back, dirty. */
static void failed_write_back_restores_the_victim(void **state)
{
	struct excache_meta *m = &ways[2];
	u64 tag = m->tag;

	(void)state;
	m->flags |= EXCACHE_LINE_DIRTY | EXCACHE_LINE_BUSY;
	assert_int_not_equal(excache_pick_victim(&set, ways, WAYS,
						 EXCACHE_POLICY_FIFO, NULL,
						 NULL),
			     2);
	excache_line_start_fill(&set, m, excache_tag(1, 7));
	excache_line_restore(m, tag);
	assert_int_equal(m->flags, EXCACHE_LINE_VALID | EXCACHE_LINE_DIRTY);
	assert_int_equal(excache_set_lookup(ways, WAYS, tag), 2);
	assert_int_equal(excache_set_lookup(ways, WAYS, excache_tag(1, 7)),
			 -1);
}

static void policy_names(void **state)
{
	enum excache_policy p;

	(void)state;
	assert_int_equal(excache_parse_policy("clock", &p), 0);
	assert_int_equal(p, EXCACHE_POLICY_CLOCK);
	assert_int_equal(excache_parse_policy("lru", &p), 0);
	assert_int_equal(p, EXCACHE_POLICY_LRU);
	assert_int_equal(excache_parse_policy("fifo", &p), 0);
	assert_int_equal(p, EXCACHE_POLICY_FIFO);
	assert_int_equal(excache_parse_policy("LRU", &p), -EINVAL);
	assert_int_equal(excache_parse_policy("", &p), -EINVAL);
	assert_string_equal(excache_policy_name(EXCACHE_POLICY_LRU), "lru");
	assert_string_equal(excache_policy_name(__EXCACHE_POLICY_MAX), "?");
}

static void sequential_prefetch(void **state)
{
	struct excache_stream s = { 0 };

	(void)state;
	assert_int_equal(excache_stream_miss(&s, 10, 4), 0);
	/* Second consecutive miss: prefetch 11's next four, 12..15. */
	assert_int_equal(excache_stream_miss(&s, 11, 4), 4);
	/* The scan goes on past the prefetched pages: 16 continues it. */
	assert_int_equal(excache_stream_miss(&s, 16, 4), 4);
	/* A jump ends the run. */
	assert_int_equal(excache_stream_miss(&s, 100, 4), 0);
	assert_int_equal(excache_stream_miss(&s, 50, 4), 0);
	/* Window 0: prefetch off. */
	assert_int_equal(excache_stream_miss(&s, 51, 0), 0);
	assert_int_equal(excache_stream_miss(&s, 52, 0), 0);
}

/* Misses 3 pages apart: the third, its gap like the second's, prefetches. */
static void strided_scan(void **state)
{
	struct excache_stream s = { 0 };

	(void)state;
	assert_int_equal(excache_stream_miss(&s, 100, 4), 0);
	assert_int_equal(excache_stream_miss(&s, 103, 4), 0);
	assert_int_equal(excache_stream_miss(&s, 106, 4), 4);
	assert_int_equal(s.stride, 3);
	/* 109 .. 118 prefetched: the scan's next miss would be 121. */
	assert_int_equal(s.next_vpn, 121);
	/* Using the first half of them keeps the prefetch ahead. */
	assert_int_equal(excache_stream_hit(&s, 109, 4), 0);
	assert_int_equal(excache_stream_hit(&s, 112, 4), 4);
	assert_int_equal(s.next_vpn, 133);
	assert_int_equal(excache_stream_miss(&s, 133, 4), 4);
	/* Random misses a few pages apart, no two gaps alike: nothing. */
	assert_int_equal(excache_stream_miss(&s, 500, 4), 0);
	assert_int_equal(excache_stream_miss(&s, 505, 4), 0);
	assert_int_equal(excache_stream_miss(&s, 507, 4), 0);
	assert_int_equal(excache_stream_miss(&s, 516, 4), 0);
	/* Gaps alike but too wide for a stride. */
	assert_int_equal(excache_stream_miss(&s, 600, 4), 0);
	assert_int_equal(excache_stream_miss(&s, 700, 4), 0);
	assert_int_equal(excache_stream_miss(&s, 800, 4), 0);
}

static void prefetch_keeps_ahead(void **state)
{
	struct excache_stream s = { 0 };

	(void)state;
	/* Before a run of misses the stream prefetches nothing. */
	assert_int_equal(excache_stream_hit(&s, 0, 4), 0);
	excache_stream_miss(&s, 10, 4);
	assert_int_equal(excache_stream_hit(&s, 11, 4), 0);
	/* 11 prefetches 12..15; with 12 used, three pages are still ahead. */
	assert_int_equal(excache_stream_miss(&s, 11, 4), 4);
	assert_int_equal(excache_stream_hit(&s, 12, 4), 0);
	/* With 13 used only two are: the next four, 16..19, go as one run. */
	assert_int_equal(excache_stream_hit(&s, 13, 4), 4);
	assert_int_equal(s.next_vpn, 20);
	assert_int_equal(excache_stream_hit(&s, 14, 4), 0);
	assert_int_equal(excache_stream_hit(&s, 17, 4), 4);
	assert_int_equal(s.next_vpn, 24);
	/* A page used again, or behind the window, moves nothing. */
	assert_int_equal(excache_stream_hit(&s, 17, 4), 0);
	assert_int_equal(excache_stream_hit(&s, 13, 4), 0);
	/* Nor does one past the stream, or any with prefetch off. */
	assert_int_equal(excache_stream_hit(&s, 24, 4), 0);
	assert_int_equal(excache_stream_hit(&s, 23, 0), 0);
	/* The miss at its end continues the run. */
	assert_int_equal(excache_stream_miss(&s, 24, 4), 4);
	assert_int_equal(s.next_vpn, 29);
	/* Window 1: each page used fetches the next one. */
	assert_int_equal(excache_stream_hit(&s, 28, 1), 1);
	assert_int_equal(s.next_vpn, 30);
	/* After a jump the old stream's pages move nothing. */
	excache_stream_miss(&s, 100, 4);
	assert_int_equal(excache_stream_hit(&s, 27, 4), 0);
	assert_int_equal(excache_stream_hit(&s, 99, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tags),
		cmocka_unit_test_setup(lookup, fill_set),
		cmocka_unit_test_setup(free_line_first, fill_set),
		cmocka_unit_test_setup(busy_lines_are_never_victims, fill_set),
		cmocka_unit_test_setup(fifo_evicts_oldest_fill, fill_set),
		cmocka_unit_test_setup(fifo_survives_stamp_wrap, fill_set),
		cmocka_unit_test_setup(lru_evicts_least_recently_used, fill_set),
		cmocka_unit_test_setup(clock_gives_second_chance, fill_set),
		cmocka_unit_test_setup(clock_all_referenced, fill_set),
		cmocka_unit_test_setup(clock_fills_at_the_hand, fill_set),
		cmocka_unit_test_setup(dirty_victim_keeps_its_bit, fill_set),
		cmocka_unit_test_setup(fault_fill, fill_set),
		cmocka_unit_test_setup(prefetch_fill_then_use, fill_set),
		cmocka_unit_test_setup(prefetch_fill_from_held_copy, fill_set),
		cmocka_unit_test_setup(failed_write_back_restores_the_victim,
				       fill_set),
		cmocka_unit_test(policy_names),
		cmocka_unit_test(sequential_prefetch),
		cmocka_unit_test(prefetch_keeps_ahead),
		cmocka_unit_test(strided_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

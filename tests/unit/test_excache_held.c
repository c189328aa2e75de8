// SPDX-License-Identifier: GPL-2.0
/* The held copies' bookkeeping: modules/excache/held_table.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lego/excache_held.h"
#include "lego/excache_policy.h"

static struct excache_held_table t;
static int space_a, space_b;

static int setup(void **state)
{
	(void)state;
	memset(&t, 0, sizeof(t));
	return 0;
}

/* A slot reserved and its write-back of page @tag of @space started. */
static int writing(void *space, u64 tag)
{
	int i = excache_held_reserve(&t);

	assert_true(i >= 0);
	excache_held_start(&t, i, space, tag);
	return i;
}

/* Reserved, then written back: the slot is free again and the page gone. */
static void written_back_unclaimed_frees(void **state)
{
	u64 tag = excache_tag(1, 100);
	int i;

	(void)state;
	i = excache_held_reserve(&t);
	assert_true(i >= 0);
	assert_int_equal(t.slot[i].state, EXCACHE_HELD_RESERVED);
	/* Not found before its write-back started. */
	assert_int_equal(excache_held_find(&t, tag), -1);
	excache_held_start(&t, i, &space_a, tag);
	assert_int_equal(t.slot[i].state, EXCACHE_HELD_WRITING);
	assert_int_equal(excache_held_find(&t, tag), i);
	assert_true(excache_held_end(&t, i, 0));
	assert_int_equal(t.slot[i].state, EXCACHE_HELD_FREE);
	assert_int_equal(excache_held_find(&t, tag), -1);
}

/* A fault waiting for the copy sees it WRITTEN and lets it go itself. */
static void written_back_claimed_stays_for_the_fault(void **state)
{
	u64 tag = excache_tag(1, 7);
	int i;

	(void)state;
	i = writing(&space_a, tag);
	t.slot[i].claimed = true;
	assert_false(excache_held_end(&t, i, 0));
	assert_int_equal(t.slot[i].state, EXCACHE_HELD_WRITTEN);
	assert_int_equal(excache_held_find(&t, tag), i);
	excache_held_release(&t, i);
	assert_int_equal(excache_held_find(&t, tag), -1);
	assert_false(t.slot[i].claimed);
}

/* A failed write-back keeps the copy, with its error, and its slot. */
static void failed_write_back_keeps_the_copy(void **state)
{
	u64 tag = excache_tag(2, 9);
	int i;

	(void)state;
	i = writing(&space_b, tag);
	assert_false(excache_held_end(&t, i, -ETIMEDOUT));
	assert_int_equal(t.slot[i].state, EXCACHE_HELD_FAILED);
	assert_int_equal(t.slot[i].status, -ETIMEDOUT);
	assert_int_equal(excache_held_find(&t, tag), i);
	/* Held again and written the next time: a fresh start. */
	excache_held_start(&t, i, &space_b, tag);
	assert_int_equal(t.slot[i].status, 0);
	assert_true(excache_held_end(&t, i, 0));
}

/* Every slot taken (failed copies included): no reservation. */
static void full_table_refuses(void **state)
{
	int i, slot;

	(void)state;
	for (i = 0; i < EXCACHE_HELD_MAX; i++) {
		slot = writing(&space_a, excache_tag(1, i));
		assert_int_equal(slot, i);
	}
	assert_int_equal(excache_held_reserve(&t), -1);
	assert_false(excache_held_end(&t, 3, -EIO));
	assert_int_equal(excache_held_reserve(&t), -1);
	assert_true(excache_held_end(&t, 5, 0));
	assert_int_equal(excache_held_reserve(&t), 5);
	/* An undone reservation gives the slot back. */
	excache_held_release(&t, 5);
	assert_int_equal(excache_held_reserve(&t), 5);
}

/* Ranges are per space and half open; the same page of two spaces differs. */
static void range_finds_only_that_space(void **state)
{
	int a, b;

	(void)state;
	a = writing(&space_a, excache_tag(1, 50));
	b = writing(&space_b, excache_tag(2, 50));
	assert_int_equal(excache_held_find_range(&t, &space_a, 0, 50), -1);
	assert_int_equal(excache_held_find_range(&t, &space_a, 50, 51), a);
	assert_int_equal(excache_held_find_range(&t, &space_b, 10, 100), b);
	assert_int_equal(excache_held_find(&t, excache_tag(2, 50)), b);
	assert_true(excache_held_end(&t, a, 0));
	assert_int_equal(excache_held_find_range(&t, &space_a, 0, 100), -1);
	/* Failed copies are found too: a range drop must see them. */
	assert_false(excache_held_end(&t, b, -EIO));
	assert_int_equal(excache_held_find_range(&t, &space_b, 0, 100), b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(written_back_unclaimed_frees, setup),
		cmocka_unit_test_setup(written_back_claimed_stays_for_the_fault,
				       setup),
		cmocka_unit_test_setup(failed_write_back_keeps_the_copy, setup),
		cmocka_unit_test_setup(full_table_refuses, setup),
		cmocka_unit_test_setup(range_finds_only_that_space, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* vRegion assignment: modules/mmon/vregion.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lego/vregion.h"

#define GIB BIT_ULL(30)
#define PAGES_PER_GIB (GIB >> 12)
#define BASE (16 * 1024 * GIB)	/* where the pmon's windows start */

static struct lego_vregion_table *t;

static int setup(void **state)
{
	(void)state;
	t = lego_vregion_table_new(BASE, 8, 1);
	return t ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	lego_free(t);
	return 0;
}

static void table_bounds(void **state)
{
	(void)state;
	assert_null(lego_vregion_table_new(BASE + 4096, 8, 1));
	assert_null(lego_vregion_table_new(BASE, 0, 1));
	assert_null(lego_vregion_table_new(~0ULL << 30, 8, 1));
	assert_null(lego_vregion_table_new(BASE, 8, 0));
	assert_null(lego_vregion_table_new(BASE, 8, 3));
	assert_int_equal(lego_vregion_owner(t, BASE), -ENOENT);
	assert_int_equal(lego_vregion_owner(t, BASE + 8 * GIB - 1), -ENOENT);
	assert_int_equal(lego_vregion_owner(t, BASE + 8 * GIB), -EFAULT);
	assert_int_equal(lego_vregion_owner(t, BASE - 1), -EFAULT);
}

static void home_first(void **state)
{
	u64 free_pages[3] = { 1000, 5000, 3000 };

	(void)state;
	assert_int_equal(lego_vregion_assign(t, BASE, BASE + 400 * 4096,
					     free_pages, 3, 0), 0);
	assert_int_equal(lego_vregion_owner(t, BASE), 0);
	assert_int_equal(free_pages[0], 600);
	/* Same vRegion again: its owner is charged, whoever has more room. */
	assert_int_equal(lego_vregion_assign(t, BASE + 400 * 4096,
					     BASE + 900 * 4096, free_pages, 3,
					     0), 0);
	assert_int_equal(free_pages[0], 100);
	/* The owner is full: the mmap fails, nothing charged. */
	assert_int_equal(lego_vregion_assign(t, BASE + 900 * 4096,
					     BASE + 1100 * 4096, free_pages, 3,
					     0), -ENOSPC);
	assert_int_equal(free_pages[0], 100);
	assert_int_equal(free_pages[1], 5000);
}

static void full_home_spills_to_roomiest(void **state)
{
	u64 free_pages[3] = { 10, 2000, 3000 };

	(void)state;
	/* A new vRegion, and the home cannot hold it: mmon 2 has the most. */
	assert_int_equal(lego_vregion_assign(t, BASE + GIB,
					     BASE + GIB + 2500 * 4096,
					     free_pages, 3, 0), 0);
	assert_int_equal(lego_vregion_owner(t, BASE + GIB), 2);
	assert_int_equal(free_pages[2], 500);
	/* Next: mmon 1 now has the most room. */
	assert_int_equal(lego_vregion_assign(t, BASE + 2 * GIB,
					     BASE + 2 * GIB + 600 * 4096,
					     free_pages, 3, 0), 0);
	assert_int_equal(lego_vregion_owner(t, BASE + 2 * GIB), 1);
}

static void spanning_vma_split_by_capacity(void **state)
{
	u64 free_pages[2] = { PAGES_PER_GIB, PAGES_PER_GIB };

	(void)state;
	/* 1.5 GiB from the middle of vRegion 1: shares of 0.5 and 1 GiB. */
	assert_int_equal(lego_vregion_assign(t, BASE + GIB + GIB / 2,
					     BASE + 3 * GIB, free_pages, 2, 0),
			 0);
	assert_int_equal(lego_vregion_owner(t, BASE + GIB), 0);
	assert_int_equal(lego_vregion_owner(t, BASE + 2 * GIB), 1);
	assert_int_equal(free_pages[0], PAGES_PER_GIB / 2);
	assert_int_equal(free_pages[1], 0);
}

static void no_room_anywhere_undoes(void **state)
{
	u64 free_pages[2] = { PAGES_PER_GIB, 100 };

	(void)state;
	/* vRegion 0 fits on the home, vRegion 1 nowhere: neither is kept. */
	assert_int_equal(lego_vregion_assign(t, BASE, BASE + 2 * GIB,
					     free_pages, 2, 0), -ENOSPC);
	assert_int_equal(lego_vregion_owner(t, BASE), -ENOENT);
	assert_int_equal(lego_vregion_owner(t, BASE + GIB), -ENOENT);
	assert_int_equal(free_pages[0], PAGES_PER_GIB);
	assert_int_equal(free_pages[1], 100);
}

static void bad_ranges(void **state)
{
	u64 free_pages[2] = { 1000, 1000 };

	(void)state;
	assert_int_equal(lego_vregion_assign(t, BASE, BASE, free_pages, 2, 0),
			 -EFAULT);
	assert_int_equal(lego_vregion_assign(t, BASE + 7 * GIB,
					     BASE + 9 * GIB, free_pages, 2, 0),
			 -EFAULT);
	assert_int_equal(lego_vregion_assign(t, BASE, BASE + 4096, free_pages,
					     2, 2), -EFAULT);
	assert_int_equal(lego_vregion_assign(t, BASE, BASE + 4096, free_pages,
					     0, 0), -EFAULT);
	assert_int_equal(free_pages[0], 1000);
}

/* Two copies: both away from the home while others have room. */
static void replicas_avoid_home(void **state)
{
	struct lego_vregion_table *r = lego_vregion_table_new(BASE, 8, 2);
	u64 free_pages[3] = { 9000, 5000, 3000 };

	(void)state;
	assert_non_null(r);
	assert_int_equal(lego_vregion_assign(r, BASE, BASE + 1000 * 4096,
					     free_pages, 3, 0), 0);
	assert_int_equal(lego_vregion_owner(r, BASE), 1);
	assert_int_equal(lego_vregion_replica(r, BASE), 2);
	assert_int_equal(free_pages[0], 9000);
	assert_int_equal(free_pages[1], 4000);
	assert_int_equal(free_pages[2], 2000);
	/* More in the same vRegion: both holders are charged. */
	assert_int_equal(lego_vregion_assign(r, BASE + 1000 * 4096,
					     BASE + 2500 * 4096, free_pages, 3,
					     0), 0);
	assert_int_equal(free_pages[1], 2500);
	assert_int_equal(free_pages[2], 500);
	/* A share mmon 2 cannot take: nothing changes. */
	assert_int_equal(lego_vregion_assign(r, BASE + 2500 * 4096,
					     BASE + 3500 * 4096, free_pages, 3,
					     0), -ENOSPC);
	assert_int_equal(free_pages[1], 2500);
	assert_int_equal(free_pages[2], 500);
	/* A new vRegion: mmon 2 is too full, so the home holds a copy. */
	assert_int_equal(lego_vregion_assign(r, BASE + GIB,
					     BASE + GIB + 1000 * 4096,
					     free_pages, 3, 0), 0);
	assert_int_equal(lego_vregion_owner(r, BASE + GIB), 1);
	assert_int_equal(lego_vregion_replica(r, BASE + GIB), 0);
	lego_free(r);
}

/* Two mmons: the home is one of the two holders. */
static void replicas_on_two_mmons(void **state)
{
	struct lego_vregion_table *r = lego_vregion_table_new(BASE, 8, 2);
	u64 free_pages[2] = { 100, 5000 };

	(void)state;
	assert_int_equal(lego_vregion_assign(r, BASE, BASE + 100 * 4096,
					     free_pages, 2, 0), 0);
	assert_int_equal(lego_vregion_owner(r, BASE), 1);
	assert_int_equal(lego_vregion_replica(r, BASE), 0);
	/* One mmon: no second copy can be had. */
	assert_int_equal(lego_vregion_assign(r, BASE + GIB,
					     BASE + GIB + 4096, free_pages, 1,
					     0), -ENOSPC);
	assert_int_equal(lego_vregion_owner(r, BASE + GIB), -ENOENT);
	lego_free(r);
}

/* A holder lost: the replica becomes the owner, then a new one comes. */
static void replica_drop_and_replace(void **state)
{
	struct lego_vregion_table *r = lego_vregion_table_new(BASE, 8, 2);
	u64 free_pages[4] = { 1000, 5000, 4000, 3000 };

	(void)state;
	assert_int_equal(lego_vregion_assign(r, BASE, BASE + 500 * 4096,
					     free_pages, 4, 0), 0);
	assert_int_equal(lego_vregion_owner(r, BASE), 1);
	assert_int_equal(lego_vregion_replica(r, BASE), 2);
	assert_int_equal(lego_vregion_drop(r, BASE, 3), -ENOENT);
	assert_int_equal(lego_vregion_add_replica(r, BASE, free_pages, 4, 0,
						  500), -EEXIST);
	assert_int_equal(lego_vregion_drop(r, BASE, 1), 0);
	assert_int_equal(lego_vregion_owner(r, BASE), 2);
	assert_int_equal(lego_vregion_replica(r, BASE), -ENOENT);
	/* The same loss reported twice is dropped once. */
	assert_int_equal(lego_vregion_drop(r, BASE, 1), -ENOENT);
	/* The dead mmon 1 has no room: mmon 3, not the home. */
	free_pages[1] = 0;
	assert_int_equal(lego_vregion_add_replica(r, BASE, free_pages, 4, 0,
						  500), 3);
	assert_int_equal(lego_vregion_replica(r, BASE), 3);
	assert_int_equal(free_pages[3], 2500);
	/* Both others gone too: the home takes the copy. */
	assert_int_equal(lego_vregion_drop(r, BASE, 3), 0);
	free_pages[3] = 0;
	assert_int_equal(lego_vregion_add_replica(r, BASE, free_pages, 4, 0,
						  500), 0);
	/* The last holder cannot be dropped: its pages are all there is. */
	assert_int_equal(lego_vregion_drop(r, BASE, 0), 0);
	assert_int_equal(lego_vregion_drop(r, BASE, 2), -ENOENT);
	assert_int_equal(lego_vregion_owner(r, BASE), 2);
	free_pages[0] = 0;
	assert_int_equal(lego_vregion_add_replica(r, BASE, free_pages, 4, 0,
						  500), -ENOSPC);
	lego_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(table_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(home_first, setup, teardown),
		cmocka_unit_test_setup_teardown(full_home_spills_to_roomiest,
						setup, teardown),
		cmocka_unit_test_setup_teardown(spanning_vma_split_by_capacity,
						setup, teardown),
		cmocka_unit_test_setup_teardown(no_room_anywhere_undoes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(bad_ranges, setup, teardown),
		cmocka_unit_test(replicas_avoid_home),
		cmocka_unit_test(replicas_on_two_mmons),
		cmocka_unit_test(replica_drop_and_replace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

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
	t = lego_vregion_table_new(BASE, 8);
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
	assert_null(lego_vregion_table_new(BASE + 4096, 8));
	assert_null(lego_vregion_table_new(BASE, 0));
	assert_null(lego_vregion_table_new(~0ULL << 30, 8));
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* The mmon's vma tree: modules/mmon/vma_tree.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lego/vma_tree.h"

#define P 4096ULL
#define RW (LEGO_PROT_READ | LEGO_PROT_WRITE)

static struct lego_vma_tree tree;

/* Ranges reported as cut, in order. */
static u64 cuts[16][2];
static int nr_cuts;

static void record_cut(void *ctx, u64 start, u64 end)
{
	(void)ctx;
	assert_true(nr_cuts < 16);
	cuts[nr_cuts][0] = start;
	cuts[nr_cuts][1] = end;
	nr_cuts++;
}

static int setup(void **state)
{
	(void)state;
	lego_vma_tree_init(&tree);
	nr_cuts = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	lego_vma_tree_destroy(&tree, NULL, NULL);
	return 0;
}

static void map_and_find(void **state)
{
	(void)state;
	assert_int_equal(lego_vma_map(&tree, 10 * P, 20 * P, RW), 0);
	assert_int_equal(lego_vma_map(&tree, 30 * P, 31 * P, LEGO_PROT_READ), 0);
	assert_int_equal(tree.bytes, 11 * P);
	assert_null(lego_vma_find(&tree, 10 * P - 1));
	assert_int_equal(lego_vma_find(&tree, 10 * P)->start, 10 * P);
	assert_int_equal(lego_vma_find(&tree, 20 * P - 1)->end, 20 * P);
	assert_null(lego_vma_find(&tree, 20 * P));
	assert_int_equal(lego_vma_find(&tree, 30 * P)->prot, LEGO_PROT_READ);
	/* Overlaps are refused, touching is fine. */
	assert_int_equal(lego_vma_map(&tree, 19 * P, 21 * P, RW), -EEXIST);
	assert_int_equal(lego_vma_map(&tree, 5 * P, 40 * P, RW), -EEXIST);
	assert_int_equal(lego_vma_map(&tree, 20 * P, 30 * P, RW), 0);
	assert_int_equal(tree.bytes, 21 * P);
}

static void permissions(void **state)
{
	(void)state;
	assert_int_equal(lego_vma_map(&tree, 10 * P, 20 * P, LEGO_PROT_READ), 0);
	assert_true(lego_vma_allows(&tree, 15 * P, LEGO_PROT_READ));
	assert_false(lego_vma_allows(&tree, 15 * P, LEGO_PROT_WRITE));
	assert_false(lego_vma_allows(&tree, 25 * P, LEGO_PROT_READ));
}

static void gaps(void **state)
{
	u64 lo = 100 * P, hi = 200 * P;

	(void)state;
	assert_int_equal(lego_vma_find_gap(&tree, 10 * P, P, lo, hi), lo);
	assert_int_equal(lego_vma_map(&tree, lo, lo + 10 * P, RW), 0);
	assert_int_equal(lego_vma_map(&tree, lo + 15 * P, lo + 20 * P, RW), 0);
	/* The 5-page hole fits 5 pages, not 6. */
	assert_int_equal(lego_vma_find_gap(&tree, 5 * P, P, lo, hi), lo + 10 * P);
	assert_int_equal(lego_vma_find_gap(&tree, 6 * P, P, lo, hi), lo + 20 * P);
	/* Up to the end of the window exactly, and no further. */
	assert_int_equal(lego_vma_find_gap(&tree, 80 * P, P, lo, hi), lo + 20 * P);
	assert_int_equal(lego_vma_find_gap(&tree, 81 * P, P, lo, hi), 0);
	/* Aligned: past the holes too small once aligned. */
	assert_int_equal(lego_vma_find_gap(&tree, 4 * P, 16 * P, lo, hi),
			 lo + 28 * P);
	assert_int_equal(lego_vma_find_gap(&tree, 64 * P, 64 * P, lo, hi),
			 lo + 28 * P);
	assert_int_equal(lego_vma_find_gap(&tree, 73 * P, 64 * P, lo, hi), 0);
	/* A vma straddling the window's start. */
	assert_int_equal(lego_vma_find_gap(&tree, P, P, lo + 5 * P, hi),
			 lo + 10 * P);
}

static void unmap_splits_and_reports(void **state)
{
	(void)state;
	assert_int_equal(lego_vma_map(&tree, 10 * P, 20 * P, RW), 0);
	assert_int_equal(lego_vma_map(&tree, 30 * P, 40 * P, RW), 0);
	/* The middle of one vma: it splits in two. */
	assert_int_equal(lego_vma_unmap(&tree, 12 * P, 14 * P, record_cut,
					NULL), 0);
	assert_int_equal(nr_cuts, 1);
	assert_int_equal(cuts[0][0], 12 * P);
	assert_int_equal(cuts[0][1], 14 * P);
	assert_int_equal(lego_vma_find(&tree, 11 * P)->end, 12 * P);
	assert_int_equal(lego_vma_find(&tree, 14 * P)->start, 14 * P);
	assert_null(lego_vma_find(&tree, 13 * P));
	/* Across a hole: the tail of one vma, the head of the next. */
	assert_int_equal(lego_vma_unmap(&tree, 18 * P, 32 * P, record_cut,
					NULL), 0);
	assert_int_equal(nr_cuts, 3);
	assert_int_equal(cuts[1][0], 18 * P);
	assert_int_equal(cuts[1][1], 20 * P);
	assert_int_equal(cuts[2][0], 30 * P);
	assert_int_equal(cuts[2][1], 32 * P);
	assert_int_equal(tree.bytes, (2 + 4 + 8) * P);
	/* Nothing there: nothing cut. */
	assert_int_equal(lego_vma_unmap(&tree, 50 * P, 60 * P, record_cut,
					NULL), 0);
	assert_int_equal(nr_cuts, 3);
	/* Everything. */
	assert_int_equal(lego_vma_unmap(&tree, 0, 100 * P, record_cut, NULL), 0);
	assert_int_equal(tree.bytes, 0);
	assert_true(lego_vma_range_free(&tree, 0, 100 * P));
}

static void protect(void **state)
{
	(void)state;
	assert_int_equal(lego_vma_map(&tree, 10 * P, 20 * P, RW), 0);
	assert_int_equal(lego_vma_map(&tree, 20 * P, 30 * P, RW), 0);
	assert_int_equal(lego_vma_protect(&tree, 15 * P, 25 * P,
					  LEGO_PROT_READ), 0);
	assert_true(lego_vma_allows(&tree, 14 * P, LEGO_PROT_WRITE));
	assert_false(lego_vma_allows(&tree, 15 * P, LEGO_PROT_WRITE));
	assert_false(lego_vma_allows(&tree, 24 * P, LEGO_PROT_WRITE));
	assert_true(lego_vma_allows(&tree, 25 * P, LEGO_PROT_WRITE));
	assert_int_equal(tree.bytes, 20 * P);
	/* A hole in the range: -ENOMEM, as mprotect(2), and no change. */
	assert_int_equal(lego_vma_protect(&tree, 25 * P, 35 * P, 0), -ENOMEM);
	assert_int_equal(lego_vma_protect(&tree, 5 * P, 12 * P, 0), -ENOMEM);
	assert_true(lego_vma_allows(&tree, 25 * P, LEGO_PROT_WRITE));
	assert_true(lego_vma_allows(&tree, 10 * P, LEGO_PROT_WRITE));
}

/* A fork's copy has the same vmas and changes apart from the original. */
static void copy_is_independent(void **state)
{
	struct lego_vma_tree copy;

	(void)state;
	lego_vma_tree_init(&copy);
	assert_int_equal(lego_vma_map(&tree, 10 * P, 20 * P, RW), 0);
	assert_int_equal(lego_vma_map(&tree, 30 * P, 31 * P,
				      LEGO_PROT_READ), 0);
	assert_int_equal(lego_vma_tree_copy(&copy, &tree), 0);
	assert_int_equal(copy.bytes, tree.bytes);
	assert_true(lego_vma_allows(&copy, 15 * P, LEGO_PROT_WRITE));
	assert_false(lego_vma_allows(&copy, 30 * P, LEGO_PROT_WRITE));
	assert_true(lego_vma_allows(&copy, 30 * P, LEGO_PROT_READ));
	assert_int_equal(lego_vma_unmap(&tree, 10 * P, 20 * P, NULL, NULL), 0);
	assert_non_null(lego_vma_find(&copy, 10 * P));
	lego_vma_tree_destroy(&copy, NULL, NULL);
	assert_non_null(lego_vma_find(&tree, 30 * P));
}

static void destroy_reports_everything(void **state)
{
	(void)state;
	assert_int_equal(lego_vma_map(&tree, 10 * P, 20 * P, RW), 0);
	assert_int_equal(lego_vma_map(&tree, 40 * P, 41 * P, RW), 0);
	lego_vma_tree_destroy(&tree, record_cut, NULL);
	assert_int_equal(nr_cuts, 2);
	assert_int_equal(tree.bytes, 0);
	assert_null(lego_vma_find(&tree, 10 * P));
}

/* Many vmas: the tree stays ordered and lookups stay right. */
static void many(void **state)
{
	u64 i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		u64 at = ((i * 7919) % 1000) * 4 * P;

		assert_int_equal(lego_vma_map(&tree, at, at + 2 * P, RW), 0);
	}
	for (i = 0; i < 1000; i++) {
		assert_int_equal(lego_vma_find(&tree, i * 4 * P + P)->start,
				 i * 4 * P);
		assert_null(lego_vma_find(&tree, i * 4 * P + 2 * P));
	}
	assert_int_equal(lego_vma_find_gap(&tree, 3 * P, P, 0 + P, 4000 * P), 0);
	assert_int_equal(lego_vma_find_gap(&tree, 2 * P, P, P, 4000 * P), 2 * P);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(map_and_find, setup, teardown),
		cmocka_unit_test_setup_teardown(permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(gaps, setup, teardown),
		cmocka_unit_test_setup_teardown(unmap_splits_and_reports, setup,
						teardown),
		cmocka_unit_test_setup_teardown(protect, setup, teardown),
		cmocka_unit_test_setup_teardown(copy_is_independent, setup,
						teardown),
		cmocka_unit_test_setup_teardown(destroy_reports_everything,
						setup, teardown),
		cmocka_unit_test_setup_teardown(many, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

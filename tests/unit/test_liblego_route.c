// SPDX-License-Identifier: GPL-2.0
/*
 * liblego's routing: userland/liblego/route.c, the same file liblego.so
 * is built from.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <sys/mman.h>

#include "lego/compat.h"
#include "route.h"

#define PAGE	4096ULL
#define WIN	LEGO_WINDOW_START
#define WIN_END	LEGO_WINDOW_END
#define ANON	(MAP_PRIVATE | MAP_ANONYMOUS)
#define RW	(PROT_READ | PROT_WRITE)

static struct lego_map_plan map(uint64_t addr, uint64_t len, int prot,
				int flags, int fd)
{
	struct lego_map_plan p;

	lego_route_mmap(addr, len, prot, flags, fd, &p);
	return p;
}

static struct lego_remap_plan remap(uint64_t old, uint64_t old_len,
				    uint64_t new_len, int flags, uint64_t to)
{
	struct lego_remap_plan p;

	lego_route_mremap(old, old_len, new_len, flags, to, &p);
	return p;
}

static void window_bounds(void **state)
{
	(void)state;
	assert_int_equal(WIN, 0x100000000000ULL);
	assert_int_equal(WIN_END - WIN, 64 * LEGO_VREGION_SIZE);
	assert_true(lego_in_window(WIN, WIN_END - WIN));
	assert_true(lego_in_window(WIN_END - PAGE, PAGE));
	assert_true(lego_in_window(WIN, 0));
	assert_false(lego_in_window(WIN - PAGE, PAGE));
	assert_false(lego_in_window(WIN - PAGE, 2 * PAGE));
	assert_false(lego_in_window(WIN_END - PAGE, 2 * PAGE));
	assert_false(lego_in_window(WIN_END + PAGE, PAGE));
	assert_false(lego_in_window(WIN, UINT64_MAX));

	assert_true(lego_meets_window(WIN - PAGE, 2 * PAGE));
	assert_true(lego_meets_window(WIN_END - 1, PAGE));
	assert_true(lego_meets_window(0, UINT64_MAX));
	assert_true(lego_meets_window(WIN - PAGE, UINT64_MAX));
	assert_false(lego_meets_window(WIN - PAGE, PAGE));
	assert_false(lego_meets_window(WIN_END, PAGE));
	assert_false(lego_meets_window(WIN, 0));
}

static void anonymous_private_goes_to_lego(void **state)
{
	struct lego_map_plan p;

	(void)state;
	p = map(0, PAGE, RW, ANON, -1);
	assert_int_equal(p.how, LEGO_ROUTE_ANY);
	assert_int_equal(p.addr, 0);
	assert_int_equal(p.len, PAGE);
	/* reservations, to commit by mprotect, and partial pages */
	p = map(0, 1, PROT_NONE, ANON | MAP_NORESERVE, -1);
	assert_int_equal(p.how, LEGO_ROUTE_ANY);
	assert_int_equal(p.len, PAGE);
	p = map(0, 5 * PAGE - 1, PROT_READ, ANON | MAP_POPULATE, -1);
	assert_int_equal(p.how, LEGO_ROUTE_ANY);
	assert_int_equal(p.len, 5 * PAGE);
	/* a hint is the home's to ignore: mimalloc's aligned ones */
	p = map(2ULL << 40, 32 << 20, RW, ANON | MAP_NORESERVE, -1);
	assert_int_equal(p.how, LEGO_ROUTE_ANY);
	assert_int_equal(p.addr, 0);
	p = map(WIN + PAGE, PAGE, RW, ANON, -1);
	assert_int_equal(p.how, LEGO_ROUTE_ANY);
	assert_int_equal(p.addr, 0);
}

static void other_kinds_stay_local(void **state)
{
	const struct {
		int prot, flags, fd;
	} local[] = {
		{ RW, MAP_SHARED | MAP_ANONYMOUS, -1 },
		{ RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1 },
		{ RW, MAP_PRIVATE, 3 },			/* a file */
		{ RW, ANON, 3 },
		{ PROT_READ | PROT_EXEC, ANON, -1 },	/* code */
		{ RW | PROT_EXEC, ANON, -1 },
		{ RW, ANON | MAP_HUGETLB, -1 },
		{ RW, ANON | MAP_GROWSDOWN, -1 },
		{ RW, ANON | MAP_STACK, -1 },		/* thread stacks */
		{ RW, ANON | MAP_32BIT, -1 },
	};
	struct lego_map_plan p;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(local); i++) {
		p = map(0x7f0000000000ULL, PAGE, local[i].prot,
			local[i].flags, local[i].fd);
		assert_int_equal(p.how, LEGO_ROUTE_REAL);
		assert_int_equal(p.addr, 0x7f0000000000ULL);
		assert_int_equal(p.len, PAGE);
	}
	/* the kernel's EINVAL */
	assert_int_equal(map(0, 0, RW, ANON, -1).how, LEGO_ROUTE_REAL);
	assert_int_equal(map(WIN, 0, RW, ANON | MAP_FIXED, -1).how,
			 LEGO_ROUTE_REAL);
}

/* Nothing but /dev/lego's memory is placed in the window. */
static void local_hints_leave_the_window(void **state)
{
	struct lego_map_plan p;

	(void)state;
	p = map(WIN + 8 * PAGE, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1);
	assert_int_equal(p.how, LEGO_ROUTE_REAL);
	assert_int_equal(p.addr, 0);
	p = map(WIN - PAGE, 2 * PAGE, RW, ANON | MAP_HUGETLB, -1);
	assert_int_equal(p.addr, 0);
	p = map(WIN - PAGE, PAGE, RW, ANON | MAP_HUGETLB, -1);
	assert_int_equal(p.addr, WIN - PAGE);
	/* a fixed one there is the program's own choice */
	p = map(WIN, PAGE, PROT_READ | PROT_EXEC, ANON | MAP_FIXED, -1);
	assert_int_equal(p.how, LEGO_ROUTE_REAL);
	assert_int_equal(p.addr, WIN);
}

static void fixed_maps(void **state)
{
	struct lego_map_plan p;

	(void)state;
	p = map(WIN + PAGE, 3 * PAGE - 5, RW, ANON | MAP_FIXED, -1);
	assert_int_equal(p.how, LEGO_ROUTE_OVER);
	assert_int_equal(p.addr, WIN + PAGE);
	assert_int_equal(p.len, 3 * PAGE);
	/* mimalloc's decommit, were it compiled in */
	p = map(WIN, PAGE, PROT_NONE, ANON | MAP_FIXED | MAP_NORESERVE, -1);
	assert_int_equal(p.how, LEGO_ROUTE_OVER);
	p = map(WIN, PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1);
	assert_int_equal(p.how, LEGO_ROUTE_AT);
	p = map(WIN, PAGE, RW, ANON | MAP_FIXED | MAP_FIXED_NOREPLACE, -1);
	assert_int_equal(p.how, LEGO_ROUTE_AT);
	p = map(WIN_END - PAGE, PAGE, RW, ANON | MAP_FIXED, -1);
	assert_int_equal(p.how, LEGO_ROUTE_OVER);

	/* outside the window: the kernel's */
	p = map(WIN_END, PAGE, RW, ANON | MAP_FIXED, -1);
	assert_int_equal(p.how, LEGO_ROUTE_REAL);
	assert_int_equal(p.addr, WIN_END);
	p = map(WIN - PAGE, PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1);
	assert_int_equal(p.how, LEGO_ROUTE_REAL);
	p = map(0x10000, PAGE, RW, ANON | MAP_FIXED, -1);
	assert_int_equal(p.how, LEGO_ROUTE_REAL);

	/* across an edge, or not page aligned */
	p = map(WIN - PAGE, 2 * PAGE, RW, ANON | MAP_FIXED, -1);
	assert_int_equal(p.how, LEGO_ROUTE_FAIL);
	assert_int_equal(p.err, ENOMEM);
	p = map(WIN_END - PAGE, PAGE + 1, RW, ANON | MAP_FIXED, -1);
	assert_int_equal(p.how, LEGO_ROUTE_FAIL);
	assert_int_equal(p.err, ENOMEM);
	p = map(WIN + 12, PAGE, RW, ANON | MAP_FIXED, -1);
	assert_int_equal(p.how, LEGO_ROUTE_FAIL);
	assert_int_equal(p.err, EINVAL);
}

static void too_long_for_one_map(void **state)
{
	struct lego_map_plan p;

	(void)state;
	assert_int_equal(LEGO_MAP_MAX, 16 * LEGO_VREGION_SIZE);
	p = map(0, LEGO_MAP_MAX, PROT_NONE, ANON | MAP_NORESERVE, -1);
	assert_int_equal(p.how, LEGO_ROUTE_ANY);
	assert_int_equal(p.len, LEGO_MAP_MAX);
	p = map(0, LEGO_MAP_MAX + 1, PROT_NONE, ANON | MAP_NORESERVE, -1);
	assert_int_equal(p.how, LEGO_ROUTE_FAIL);
	assert_int_equal(p.err, ENOMEM);
	p = map(0, UINT64_MAX, RW, ANON, -1);	/* rounds past the end */
	assert_int_equal(p.how, LEGO_ROUTE_FAIL);
	assert_int_equal(p.err, ENOMEM);
	p = map(WIN, LEGO_MAP_MAX + PAGE, RW, ANON | MAP_FIXED, -1);
	assert_int_equal(p.how, LEGO_ROUTE_FAIL);
	assert_int_equal(p.err, ENOMEM);
}

static void remap_of_local_memory(void **state)
{
	struct lego_remap_plan p;

	(void)state;
	p = remap(0x7f0000000000ULL, PAGE, 4 * PAGE, MREMAP_MAYMOVE, 0);
	assert_int_equal(p.how, LEGO_REMAP_REAL);
	p = remap(WIN - 2 * PAGE, PAGE, PAGE, 0, 0);
	assert_int_equal(p.how, LEGO_REMAP_REAL);
	p = remap(0x7f0000000000ULL, PAGE, PAGE,
		  MREMAP_MAYMOVE | MREMAP_FIXED, 0x7e0000000000ULL);
	assert_int_equal(p.how, LEGO_REMAP_REAL);
	/* not into the window */
	p = remap(0x7f0000000000ULL, PAGE, PAGE,
		  MREMAP_MAYMOVE | MREMAP_FIXED, WIN);
	assert_int_equal(p.how, LEGO_REMAP_FAIL);
	assert_int_equal(p.err, EINVAL);
	p = remap(WIN - PAGE, PAGE, 4 * PAGE, MREMAP_MAYMOVE, 0);
	assert_int_equal(p.how, LEGO_REMAP_FAIL);
	assert_int_equal(p.err, ENOMEM);
}

static void remap_shrinks_in_the_kernel(void **state)
{
	struct lego_remap_plan p;

	(void)state;
	p = remap(WIN, 4 * PAGE, PAGE, 0, 0);
	assert_int_equal(p.how, LEGO_REMAP_REAL);
	p = remap(WIN, 4 * PAGE, 4 * PAGE - 7, MREMAP_MAYMOVE, 0);
	assert_int_equal(p.how, LEGO_REMAP_REAL);
	p = remap(WIN, 4 * PAGE, 4 * PAGE, 0, 0);
	assert_int_equal(p.how, LEGO_REMAP_REAL);
}

static void remap_grows_in_place_or_moves(void **state)
{
	struct lego_remap_plan p;

	(void)state;
	p = remap(WIN, PAGE, 3 * PAGE - 1, 0, 0);
	assert_int_equal(p.how, LEGO_REMAP_GROW);
	assert_int_equal(p.old_len, PAGE);
	assert_int_equal(p.new_len, 3 * PAGE);
	assert_false(p.may_move);
	p = remap(WIN, PAGE, 3 * PAGE, MREMAP_MAYMOVE, 0);
	assert_int_equal(p.how, LEGO_REMAP_GROW);
	assert_true(p.may_move);

	/* the window ends right after it */
	p = remap(WIN_END - PAGE, PAGE, 2 * PAGE, MREMAP_MAYMOVE, 0);
	assert_int_equal(p.how, LEGO_REMAP_MOVE);
	p = remap(WIN_END - PAGE, PAGE, 2 * PAGE, 0, 0);
	assert_int_equal(p.how, LEGO_REMAP_FAIL);
	assert_int_equal(p.err, ENOMEM);

	/* growth is one map: at most 16 GiB, and so is a move */
	p = remap(WIN, PAGE, LEGO_MAP_MAX + PAGE, MREMAP_MAYMOVE, 0);
	assert_int_equal(p.how, LEGO_REMAP_GROW);
	assert_false(p.may_move);
	p = remap(WIN, PAGE, LEGO_MAP_MAX + 2 * PAGE, MREMAP_MAYMOVE, 0);
	assert_int_equal(p.how, LEGO_REMAP_FAIL);
	assert_int_equal(p.err, ENOMEM);
}

static void remap_to_a_fixed_address(void **state)
{
	struct lego_remap_plan p;
	int fixed = MREMAP_MAYMOVE | MREMAP_FIXED;

	(void)state;
	p = remap(WIN, 2 * PAGE, 4 * PAGE, fixed, WIN + 8 * PAGE);
	assert_int_equal(p.how, LEGO_REMAP_MOVE_TO);
	assert_int_equal(p.to, WIN + 8 * PAGE);
	p = remap(WIN + 8 * PAGE, 4 * PAGE, PAGE, fixed, WIN);
	assert_int_equal(p.how, LEGO_REMAP_MOVE_TO);
	p = remap(WIN, 2 * PAGE, 2 * PAGE, fixed, WIN + 2 * PAGE);
	assert_int_equal(p.how, LEGO_REMAP_MOVE_TO);

	/* overlapping, misaligned, outside the window, too long */
	p = remap(WIN, 2 * PAGE, 2 * PAGE, fixed, WIN + PAGE);
	assert_int_equal(p.err, EINVAL);
	p = remap(WIN + 2 * PAGE, 2 * PAGE, 4 * PAGE, fixed, WIN);
	assert_int_equal(p.err, EINVAL);
	p = remap(WIN, PAGE, PAGE, fixed, WIN + 8 * PAGE + 1);
	assert_int_equal(p.err, EINVAL);
	p = remap(WIN, PAGE, PAGE, fixed, 0x7f0000000000ULL);
	assert_int_equal(p.how, LEGO_REMAP_FAIL);
	assert_int_equal(p.err, EINVAL);
	p = remap(WIN, PAGE, 2 * PAGE, fixed, WIN_END - PAGE);
	assert_int_equal(p.err, EINVAL);
	p = remap(WIN, PAGE, LEGO_MAP_MAX + PAGE, fixed, WIN + 2 * PAGE);
	assert_int_equal(p.how, LEGO_REMAP_FAIL);
	assert_int_equal(p.err, ENOMEM);
}

static void remap_refused(void **state)
{
	const struct {
		uint64_t old, old_len, new_len;
		int flags, err;
	} bad[] = {
		{ WIN, 0, PAGE, MREMAP_MAYMOVE, EINVAL },   /* a 2nd mapping */
		{ WIN, PAGE, 2 * PAGE,
		  MREMAP_MAYMOVE | MREMAP_DONTUNMAP, EINVAL },
		{ WIN, PAGE, 2 * PAGE, MREMAP_FIXED, EINVAL },
		{ WIN, PAGE, 2 * PAGE, 0x100, EINVAL },
		{ WIN + 1, PAGE, 2 * PAGE, 0, EINVAL },
		{ WIN, PAGE, 0, 0, EINVAL },
		{ WIN, PAGE, UINT64_MAX, MREMAP_MAYMOVE, EINVAL },
		{ WIN - PAGE, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE, EFAULT },
		{ WIN_END - PAGE, 2 * PAGE, PAGE, 0, EFAULT },
	};
	struct lego_remap_plan p;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		p = remap(bad[i].old, bad[i].old_len, bad[i].new_len,
			  bad[i].flags, WIN + LEGO_VREGION_SIZE);
		assert_int_equal(p.how, LEGO_REMAP_FAIL);
		assert_int_equal(p.err, bad[i].err);
	}
}

static enum lego_advice advise(uint64_t addr, uint64_t len, int advice,
			       uint64_t *rlen, int *err)
{
	*rlen = 0;
	*err = 0;
	return lego_route_madvise(addr, len, advice, rlen, err);
}

static void madvise_in_the_window(void **state)
{
	const int discard[] = { MADV_DONTNEED, MADV_DONTNEED_LOCKED,
				MADV_FREE };
	const int hints[] = { MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL,
			      MADV_WILLNEED, MADV_HUGEPAGE, MADV_NOHUGEPAGE,
			      MADV_MERGEABLE, MADV_DONTFORK, MADV_DOFORK,
			      MADV_KEEPONFORK, MADV_DONTDUMP, MADV_COLD,
			      MADV_PAGEOUT, MADV_POPULATE_WRITE };
	uint64_t rlen;
	size_t i;
	int err;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(discard); i++) {
		assert_int_equal(advise(WIN, PAGE + 1, discard[i], &rlen,
					&err), LEGO_ADVICE_DISCARD);
		assert_int_equal(rlen, 2 * PAGE);
	}
	for (i = 0; i < ARRAY_SIZE(hints); i++)
		assert_int_equal(advise(WIN, PAGE, hints[i], &rlen, &err),
				 LEGO_ADVICE_IGNORE);
	assert_int_equal(advise(WIN, PAGE, MADV_REMOVE, &rlen, &err),
			 LEGO_ADVICE_FAIL);
	assert_int_equal(err, EINVAL);
	assert_int_equal(advise(WIN, PAGE, MADV_WIPEONFORK, &rlen, &err),
			 LEGO_ADVICE_FAIL);
	assert_int_equal(err, EINVAL);
	assert_int_equal(advise(WIN + 1, PAGE, MADV_DONTNEED, &rlen, &err),
			 LEGO_ADVICE_FAIL);
	assert_int_equal(err, EINVAL);
	assert_int_equal(advise(WIN_END - PAGE, 2 * PAGE, MADV_DONTNEED,
				&rlen, &err), LEGO_ADVICE_FAIL);
	assert_int_equal(err, ENOMEM);
	assert_int_equal(advise(WIN, UINT64_MAX, MADV_FREE, &rlen, &err),
			 LEGO_ADVICE_FAIL);
}

static void madvise_elsewhere(void **state)
{
	uint64_t rlen;
	int err;

	(void)state;
	assert_int_equal(advise(0x7f0000000000ULL, PAGE, MADV_DONTNEED,
				&rlen, &err), LEGO_ADVICE_REAL);
	assert_int_equal(advise(WIN - PAGE, PAGE, MADV_FREE, &rlen, &err),
			 LEGO_ADVICE_REAL);
	assert_int_equal(advise(WIN_END, PAGE, MADV_DONTNEED, &rlen, &err),
			 LEGO_ADVICE_REAL);
	/* the kernel's answer for an empty range */
	assert_int_equal(advise(WIN, 0, MADV_DONTNEED, &rlen, &err),
			 LEGO_ADVICE_REAL);
}

static void map_errors_as_mmap(void **state)
{
	(void)state;
	assert_int_equal(lego_map_errno(EINVAL), EINVAL);
	assert_int_equal(lego_map_errno(EEXIST), EEXIST);
	assert_int_equal(lego_map_errno(ENOMEM), ENOMEM);
	assert_int_equal(lego_map_errno(ENOSPC), ENOMEM);
	assert_int_equal(lego_map_errno(EIO), ENOMEM);
	assert_int_equal(lego_map_errno(ETIMEDOUT), ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(window_bounds),
		cmocka_unit_test(anonymous_private_goes_to_lego),
		cmocka_unit_test(other_kinds_stay_local),
		cmocka_unit_test(local_hints_leave_the_window),
		cmocka_unit_test(fixed_maps),
		cmocka_unit_test(too_long_for_one_map),
		cmocka_unit_test(remap_of_local_memory),
		cmocka_unit_test(remap_shrinks_in_the_kernel),
		cmocka_unit_test(remap_grows_in_place_or_moves),
		cmocka_unit_test(remap_to_a_fixed_address),
		cmocka_unit_test(remap_refused),
		cmocka_unit_test(madvise_in_the_window),
		cmocka_unit_test(madvise_elsewhere),
		cmocka_unit_test(map_errors_as_mmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

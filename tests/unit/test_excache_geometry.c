// SPDX-License-Identifier: GPL-2.0
/* ExCache geometry: modules/excache/geometry.c, as built into lego.ko. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lego/excache_geometry.h"

#define PAGE 4096U
#define MiB (1024ULL * 1024)

static void default_geometry(void **state)
{
	struct excache_geometry g;

	(void)state;
	assert_int_equal(excache_geometry_init(&g, 64 * MiB, 64, PAGE), 0);
	assert_int_equal(g.lines, 16384);
	assert_int_equal(g.ways, 64);
	assert_int_equal(g.sets, 256);
	assert_int_equal(g.set_bits, 8);
}

static void extreme_ways(void **state)
{
	struct excache_geometry g;

	(void)state;
	/* direct-mapped */
	assert_int_equal(excache_geometry_init(&g, 4 * MiB, 1, PAGE), 0);
	assert_int_equal(g.sets, 1024);
	/* widest */
	assert_int_equal(excache_geometry_init(&g, 4 * MiB, 512, PAGE), 0);
	assert_int_equal(g.sets, 2);
	/* fully associative: one set */
	assert_int_equal(excache_geometry_init(&g, 2 * MiB, 512, PAGE), 0);
	assert_int_equal(g.sets, 1);
	assert_int_equal(g.set_bits, 0);
}

static void rejects_bad_geometry(void **state)
{
	struct excache_geometry g = { .lines = 7 };

	(void)state;
	assert_int_equal(excache_geometry_init(&g, 0, 64, PAGE), -EINVAL);
	assert_int_equal(excache_geometry_init(&g, 64 * MiB + 1, 64, PAGE), -EINVAL);
	assert_int_equal(excache_geometry_init(&g, 64 * MiB, 0, PAGE), -EINVAL);
	assert_int_equal(excache_geometry_init(&g, 64 * MiB, 3, PAGE), -EINVAL);
	assert_int_equal(excache_geometry_init(&g, 64 * MiB, 1024, PAGE), -EINVAL);
	/* fewer lines than ways */
	assert_int_equal(excache_geometry_init(&g, 1 * MiB, 512, PAGE), -EINVAL);
	/* 3 MiB = 768 lines: 12 sets of 64 is not a power of two */
	assert_int_equal(excache_geometry_init(&g, 3 * MiB, 64, PAGE), -EINVAL);
	assert_int_equal(excache_geometry_init(&g, 64 * MiB, 64, 3000), -EINVAL);
	assert_int_equal(g.lines, 7);	/* untouched on error */
}

static void set_index_in_range(void **state)
{
	struct excache_geometry g;
	u32 asid;
	u64 vpn;

	(void)state;
	assert_int_equal(excache_geometry_init(&g, 8 * MiB, 8, PAGE), 0);
	for (asid = 0; asid < 64; asid++)
		for (vpn = 0; vpn < 4096; vpn += 7)
			assert_true(excache_set_index(&g, asid, vpn) < g.sets);
	assert_true(excache_set_index(&g, UINT32_MAX, UINT64_MAX) < g.sets);
}

/* A sequential scan of sets * k pages puts exactly k pages in each set. */
static void sequential_pages_spread_evenly(void **state)
{
	struct excache_geometry g;
	unsigned int count[256] = { 0 };
	u64 vpn, base = 0x7f0000000ULL;
	u32 s;

	(void)state;
	assert_int_equal(excache_geometry_init(&g, 64 * MiB, 64, PAGE), 0);
	for (vpn = base; vpn < base + 4 * g.sets; vpn++)
		count[excache_set_index(&g, 42, vpn)]++;
	for (s = 0; s < g.sets; s++)
		assert_int_equal(count[s], 4);
	/* and consecutive pages land in consecutive sets */
	assert_int_equal((excache_set_index(&g, 42, base) + 1) % g.sets,
			 excache_set_index(&g, 42, base + 1));
}

static void address_spaces_start_apart(void **state)
{
	struct excache_geometry g;
	unsigned int seen[256] = { 0 };
	u32 asid, distinct = 0;

	(void)state;
	assert_int_equal(excache_geometry_init(&g, 64 * MiB, 64, PAGE), 0);
	/* page 0 of 16 address spaces: all in different sets */
	for (asid = 1; asid <= 16; asid++)
		if (!seen[excache_set_index(&g, asid, 0)]++)
			distinct++;
	assert_int_equal(distinct, 16);
}

static void one_set_takes_everything(void **state)
{
	struct excache_geometry g;

	(void)state;
	assert_int_equal(excache_geometry_init(&g, 2 * MiB, 512, PAGE), 0);
	assert_int_equal(excache_set_index(&g, 5, 12345), 0);
}

static void line_index(void **state)
{
	struct excache_geometry g;

	(void)state;
	assert_int_equal(excache_geometry_init(&g, 64 * MiB, 64, PAGE), 0);
	assert_int_equal(excache_line_index(&g, 0, 0), 0);
	assert_int_equal(excache_line_index(&g, 1, 0), 64);
	assert_int_equal(excache_line_index(&g, g.sets - 1, g.ways - 1),
			 g.lines - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_geometry),
		cmocka_unit_test(extreme_ways),
		cmocka_unit_test(rejects_bad_geometry),
		cmocka_unit_test(set_index_in_range),
		cmocka_unit_test(sequential_pages_spread_evenly),
		cmocka_unit_test(address_spaces_start_apart),
		cmocka_unit_test(one_set_takes_everything),
		cmocka_unit_test(line_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* Where the pmon knows a page is at its owner: modules/pmon/page_loc.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lego/page_loc.h"

#define MAX_INDEX	((1ULL << LEGO_LOC_INDEX_BITS) - 1)
#define XA_VALUE_MAX	((1ULL << 63) - 1)	/* what an xarray value holds */

static struct lego_mem_page_loc loc(u64 addr, u32 rkey)
{
	return (struct lego_mem_page_loc) {
		.addr = cpu_to_le64(addr),
		.rkey = cpu_to_le32(rkey),
	};
}

/* A place comes back as it was said, on the connection it was said on. */
static void round_trip(void **state)
{
	struct lego_mem_page_loc l = loc(5 << 12, 0x1234);
	u64 v = lego_loc_pack(&l, 7), addr;
	u32 rkey;

	(void)state;
	assert_true(lego_loc_located(v));
	assert_true(v <= XA_VALUE_MAX);
	assert_true(lego_loc_unpack(v, 7, &addr, &rkey));
	assert_int_equal(addr, 5 << 12);
	assert_int_equal(rkey, 0x1234);
}

/* Every field at its widest keeps to its bits. */
static void fields_at_their_widest(void **state)
{
	struct lego_mem_page_loc l = loc(MAX_INDEX << 12, 0xffffffff);
	u64 serial = (1 << LEGO_LOC_SERIAL_BITS) - 1, v, addr;
	u32 rkey;

	(void)state;
	v = lego_loc_pack(&l, serial);
	assert_true(v <= XA_VALUE_MAX);
	assert_true(lego_loc_unpack(v, serial, &addr, &rkey));
	assert_int_equal(addr, MAX_INDEX << 12);
	assert_int_equal(rkey, 0xffffffff);
}

/* An rkey means nothing on another connection: the page is asked for. */
static void other_connection(void **state)
{
	struct lego_mem_page_loc l = loc(1 << 12, 9);
	u64 v = lego_loc_pack(&l, 3), addr = 0;
	u32 rkey = 0;

	(void)state;
	assert_false(lego_loc_unpack(v, 4, &addr, &rkey));
	assert_false(lego_loc_unpack(v, 2, &addr, &rkey));
	assert_int_equal(addr, 0);
	assert_int_equal(rkey, 0);
	assert_true(lego_loc_located(v));	/* still a place, elsewhere */
}

/* No rkey, a torn address or a pool beyond the bits: not located. */
static void what_cannot_be_packed(void **state)
{
	struct lego_mem_page_loc none = loc(1 << 12, 0);
	struct lego_mem_page_loc torn = loc((1 << 12) + 8, 9);
	struct lego_mem_page_loc far = loc((MAX_INDEX + 1) << 12, 9);

	(void)state;
	assert_int_equal(lego_loc_pack(&none, 1), LEGO_LOC_UNLOCATED);
	assert_int_equal(lego_loc_pack(&torn, 1), LEGO_LOC_UNLOCATED);
	assert_int_equal(lego_loc_pack(&far, 1), LEGO_LOC_UNLOCATED);
}

/* The states are never taken for a place, on any connection. */
static void states_are_not_places(void **state)
{
	const u64 states[] = {
		LEGO_LOC_UNLOCATED, LEGO_LOC_CHARGED, LEGO_LOC_LOST,
	};
	u64 addr, serial;
	u32 rkey;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(states); i++) {
		assert_false(lego_loc_located(states[i]));
		for (serial = 0; serial < 1 << LEGO_LOC_SERIAL_BITS; serial++)
			assert_false(lego_loc_unpack(states[i], serial, &addr,
						     &rkey));
	}
}

/* Page 0 of the pool, rkey 1: still a place, not a state. */
static void smallest_place(void **state)
{
	struct lego_mem_page_loc l = loc(0, 1);
	u64 v = lego_loc_pack(&l, 0), addr;
	u32 rkey;

	(void)state;
	assert_true(v > LEGO_LOC_LOST);
	assert_true(lego_loc_unpack(v, 0, &addr, &rkey));
	assert_int_equal(addr, 0);
	assert_int_equal(rkey, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(fields_at_their_widest),
		cmocka_unit_test(other_connection),
		cmocka_unit_test(what_cannot_be_packed),
		cmocka_unit_test(states_are_not_places),
		cmocka_unit_test(smallest_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* mmon=/smon= address lists: modules/core/addrs.c, as built into lego.ko. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lego/addrs.h"

static void good_lists(void **state)
{
	u32 a[LEGO_MAX_PEERS];
	unsigned int n = 99;

	(void)state;
	assert_int_equal(lego_parse_addrs("", a, LEGO_MAX_PEERS, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(lego_parse_addrs("10.77.0.20", a, LEGO_MAX_PEERS, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0], 0x0a4d0014);
	assert_int_equal(lego_parse_addrs("10.77.0.20,10.77.0.21,192.168.1.255",
					  a, LEGO_MAX_PEERS, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(a[2], 0xc0a801ff);
	assert_int_equal(lego_parse_addrs("0.0.0.1,255.255.255.254", a, 2, &n), 0);
	assert_int_equal(a[1], 0xfffffffe);
}

static void bad_lists(void **state)
{
	static const char *const bad[] = {
		"1.2.3", "1.2.3.4.5", "1.2.3.256", "1.2.3.-1", "1..3.4",
		".1.2.3", "1.2.3.", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4",
		"1.2.3.4,", ",1.2.3.4", "1.2.3.4,,5.6.7.8", "a.b.c.d",
		"0.0.0.0", "255.255.255.255", "1.2.3.4,1.2.3.4", "1234.1.1.1",
		"host", "1.2.3.4;5.6.7.8",
	};
	unsigned int n = 99;
	u32 a[4];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(lego_parse_addrs(bad[i], a, 4, &n), -EINVAL);
	assert_int_equal(n, 99);	/* untouched on error */
	/* more than fit */
	assert_int_equal(lego_parse_addrs("1.1.1.1,2.2.2.2,3.3.3.3", a, 2, &n),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_lists),
		cmocka_unit_test(bad_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

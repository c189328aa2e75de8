// SPDX-License-Identifier: GPL-2.0
/* Role lists: modules/core/roles.c, as built into lego.ko. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lego/roles.h"

static void parse_single_roles(void **state)
{
	u32 mask;

	(void)state;
	assert_int_equal(lego_parse_roles("pmon", &mask), 0);
	assert_int_equal(mask, LEGO_ROLE_PMON);
	assert_int_equal(lego_parse_roles("mmon", &mask), 0);
	assert_int_equal(mask, LEGO_ROLE_MMON);
	assert_int_equal(lego_parse_roles("smon", &mask), 0);
	assert_int_equal(mask, LEGO_ROLE_SMON);
}

static void parse_lists_in_any_order(void **state)
{
	u32 mask;

	(void)state;
	assert_int_equal(lego_parse_roles("pmon,mmon", &mask), 0);
	assert_int_equal(mask, LEGO_ROLE_PMON | LEGO_ROLE_MMON);
	assert_int_equal(lego_parse_roles("smon,mmon,pmon", &mask), 0);
	assert_int_equal(mask, LEGO_ROLE_ALL);
}

static void parse_allows_one_trailing_newline(void **state)
{
	u32 mask;

	(void)state;
	assert_int_equal(lego_parse_roles("mmon\n", &mask), 0);
	assert_int_equal(mask, LEGO_ROLE_MMON);
	assert_int_equal(lego_parse_roles("mmon\n\n", &mask), -EINVAL);
}

static void parse_rejects_bad_lists(void **state)
{
	static const char *const bad[] = {
		"", "\n", ",", "pmon,", ",pmon", "pmon,,mmon", "bogus",
		"pmon,bogus", "PMON", "pmo", "pmonn", " pmon", "pmon ",
		"pmon,pmon", "mmon,smon,mmon", "pmon;mmon",
	};
	u32 mask = 0xdead;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(lego_parse_roles(bad[i], &mask), -EINVAL);
		assert_int_equal(mask, 0xdead);	/* untouched on error */
	}
}

static void role_names(void **state)
{
	(void)state;
	assert_string_equal(lego_role_name(LEGO_ROLE_PMON), "pmon");
	assert_string_equal(lego_role_name(LEGO_ROLE_MMON), "mmon");
	assert_string_equal(lego_role_name(LEGO_ROLE_SMON), "smon");
	assert_null(lego_role_name(0));
	assert_null(lego_role_name(LEGO_ROLE_PMON | LEGO_ROLE_MMON));
}

static void format_round_trips(void **state)
{
	char buf[LEGO_ROLES_MAXLEN];
	u32 mask, back;

	(void)state;
	for (mask = 1; mask <= LEGO_ROLE_ALL; mask++) {
		assert_true(lego_format_roles(mask, buf, sizeof(buf)) > 0);
		assert_int_equal(lego_parse_roles(buf, &back), 0);
		assert_int_equal(back, mask);
	}
	assert_int_equal(lego_format_roles(LEGO_ROLE_ALL, buf, sizeof(buf)),
			 (int)strlen("pmon,mmon,smon"));
	assert_string_equal(buf, "pmon,mmon,smon");
	assert_int_equal(lego_format_roles(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void format_rejects_bad_input(void **state)
{
	char buf[LEGO_ROLES_MAXLEN];

	(void)state;
	assert_int_equal(lego_format_roles(1U << 3, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(lego_format_roles(LEGO_ROLE_ALL, buf, 14), -EINVAL);
	assert_int_equal(lego_format_roles(LEGO_ROLE_ALL, buf, 15), 14);
	assert_int_equal(lego_format_roles(LEGO_ROLE_PMON, buf, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_single_roles),
		cmocka_unit_test(parse_lists_in_any_order),
		cmocka_unit_test(parse_allows_one_trailing_newline),
		cmocka_unit_test(parse_rejects_bad_lists),
		cmocka_unit_test(role_names),
		cmocka_unit_test(format_round_trips),
		cmocka_unit_test(format_rejects_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

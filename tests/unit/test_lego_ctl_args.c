// SPDX-License-Identifier: GPL-2.0
/* lego-ctl argument parsing: userland/lego-ctl/args.c, as built into lego-ctl. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "args.h"
#include "lego/compat.h"

#define PARSE(args, err, ...)						\
	({								\
		char *const argv_[] = { "lego-ctl", __VA_ARGS__ };	\
		lego_ctl_parse_args(ARRAY_SIZE(argv_),	\
				    argv_, (args), (err), sizeof(err));	\
	})

static void status_command(void **state)
{
	struct lego_ctl_args a;
	char err[128];

	(void)state;
	assert_int_equal(PARSE(&a, err, "status"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_STATUS);
	assert_false(a.json);
	assert_int_equal(PARSE(&a, err, "status", "--json"), 0);
	assert_true(a.json);
}

static void help_everywhere(void **state)
{
	struct lego_ctl_args a;
	char err[128];

	(void)state;
	assert_int_equal(PARSE(&a, err, "--help"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_HELP);
	assert_null(a.help_topic);
	assert_int_equal(PARSE(&a, err, "-h"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_HELP);
	assert_int_equal(PARSE(&a, err, "status", "--help"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_HELP);
	assert_string_equal(a.help_topic, "status");
	assert_int_equal(PARSE(&a, err, "status", "--json", "-h"), 0);
	assert_string_equal(a.help_topic, "status");
	assert_int_equal(PARSE(&a, err, "help", "status"), 0);
	assert_string_equal(a.help_topic, "status");
	assert_int_equal(PARSE(&a, err, "help"), 0);
	assert_null(a.help_topic);
	assert_ptr_not_equal(lego_ctl_usage("status"), lego_ctl_usage(NULL));
	assert_non_null(strstr(lego_ctl_usage("status"), "--json"));
}

static void version_option(void **state)
{
	struct lego_ctl_args a;
	char err[128];

	(void)state;
	assert_int_equal(PARSE(&a, err, "--version"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_VERSION);
	assert_int_equal(PARSE(&a, err, "-V"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_VERSION);
}

static void bad_arguments(void **state)
{
	struct lego_ctl_args a;
	char err[128];
	char *const none[] = { "lego-ctl" };

	(void)state;
	assert_int_equal(lego_ctl_parse_args(1, none, &a, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no command"));
	assert_int_equal(PARSE(&a, err, "bogus"), -EINVAL);
	assert_non_null(strstr(err, "unknown command 'bogus'"));
	assert_int_equal(PARSE(&a, err, "--bogus"), -EINVAL);
	assert_non_null(strstr(err, "unknown option '--bogus'"));
	assert_int_equal(PARSE(&a, err, "status", "--jsn"), -EINVAL);
	assert_non_null(strstr(err, "unknown option '--jsn'"));
	assert_int_equal(PARSE(&a, err, "status", "extra"), -EINVAL);
	assert_non_null(strstr(err, "unexpected argument 'extra'"));
	assert_int_equal(PARSE(&a, err, "help", "nope"), -EINVAL);
	assert_int_equal(PARSE(&a, err, "help", "status", "more"), -EINVAL);
	assert_int_equal(PARSE(&a, err, "--help", "more"), -EINVAL);
	assert_int_equal(PARSE(&a, err, "-V", "more"), -EINVAL);
	assert_null(strchr(err, '\n'));	/* one line */
}

static void sizes(void **state)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} good[] = {
		{ "0", 0 }, { "4096", 4096 }, { "1K", 1024 }, { "1k", 1024 },
		{ "64M", 64ULL << 20 }, { "64MiB", 64ULL << 20 },
		{ "64MB", 64ULL << 20 }, { "2G", 2ULL << 30 },
		{ "3T", 3ULL << 40 }, { "18446744073709551615", UINT64_MAX },
		{ "16777215T", 16777215ULL << 40 },
	};
	uint64_t bytes;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		assert_int_equal(lego_parse_size(good[i].text, &bytes), 0);
		assert_true(bytes == good[i].bytes);
	}
}

static void bad_sizes(void **state)
{
	static const char *const junk[] = {
		"", "M", "-1", "+1", " 1", "1 ", "1X", "1MM", "1Mi", "1MiBB",
		"1.5G", "0x10", "1KB2",
	};
	uint64_t bytes = 7;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(junk); i++)
		assert_int_equal(lego_parse_size(junk[i], &bytes), -EINVAL);
	assert_int_equal(lego_parse_size("18446744073709551616", &bytes), -ERANGE);
	assert_int_equal(lego_parse_size("16777216T", &bytes), -ERANGE);
	assert_int_equal(lego_parse_size("99999999999999999999G", &bytes), -ERANGE);
	assert_true(bytes == 7);	/* untouched on error */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_command),
		cmocka_unit_test(help_everywhere),
		cmocka_unit_test(version_option),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(sizes),
		cmocka_unit_test(bad_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

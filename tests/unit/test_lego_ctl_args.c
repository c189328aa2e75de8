// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl argument and size parsing: userland/lego-ctl/args.c, the same
 * file lego-ctl is built from.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "args.h"
#include "lego/compat.h"
#include "lego/genl.h"

/* lego_ctl_parse_args() on "lego-ctl ARGS..." */
#define PARSE(args, err, ...)						\
	({								\
		char *const argv_[] = { "lego-ctl", __VA_ARGS__ };	\
		lego_ctl_parse_args((int)ARRAY_SIZE(argv_), argv_,	\
				    (args), (err), sizeof(err));	\
	})

/* A bad command line: -EINVAL and one line naming @what. */
#define BAD(what, ...)							\
	do {								\
		struct lego_ctl_args a_;				\
		char e_[256];						\
									\
		assert_int_equal(PARSE(&a_, e_, __VA_ARGS__), -EINVAL);	\
		assert_non_null(strstr(e_, (what)));			\
		assert_null(strchr(e_, '\n'));				\
	} while (0)

static void status_command(void **state)
{
	struct lego_ctl_args a;
	char err[128];

	(void)state;
	assert_int_equal(PARSE(&a, err, "status"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_STATUS);
	assert_false(a.json);
	assert_int_equal(PARSE(&a, err, "status", "--json"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_STATUS);
	assert_true(a.json);
	assert_int_equal(PARSE(&a, err, "status", "--json", "--json"), 0);
	assert_true(a.json);
	/* nothing left over from a previous parse */
	assert_int_equal(PARSE(&a, err, "status"), 0);
	assert_false(a.json);
}

static void ping_command(void **state)
{
	struct lego_ctl_args a;
	char err[128];

	(void)state;
	assert_int_equal(PARSE(&a, err, "ping", "mmon0"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_PING);
	assert_string_equal(a.monitor, "mmon0");
	assert_int_equal(a.count, 1000);
	assert_int_equal(a.threads, 1);
	assert_int_equal(a.size, 4096);
	assert_false(a.json);
	assert_int_equal(PARSE(&a, err, "ping", "--count", "10000", "10.0.0.1",
			       "--threads", "8", "--size", "8K", "--json"), -EINVAL);
	assert_int_equal(PARSE(&a, err, "ping", "--count", "10000", "10.0.0.1",
			       "--threads", "8", "--size", "4K", "--json"), 0);
	assert_string_equal(a.monitor, "10.0.0.1");
	assert_int_equal(a.count, 10000);
	assert_int_equal(a.threads, 8);
	assert_int_equal(a.size, 4096);
	assert_true(a.json);
	assert_int_equal(PARSE(&a, err, "ping", "m", "--size", "0"), 0);
	assert_int_equal(a.size, 0);
	assert_int_equal(PARSE(&a, err, "ping", "m", "--size", "8160"), 0);
	assert_int_equal(a.op, LEGO_PING_ECHO);
	assert_int_equal(PARSE(&a, err, "ping", "m", "--op", "read", "--size",
			       "64K", "--threads", "16"), 0);
	assert_int_equal(a.op, LEGO_PING_READ);
	assert_int_equal(a.size, 65536);
	assert_int_equal(PARSE(&a, err, "ping", "m", "--op", "write"), 0);
	assert_int_equal(a.op, LEGO_PING_WRITE);
	assert_int_equal(a.size, 4096);
	assert_string_equal(lego_ctl_ping_op_name(a.op), "write");
	assert_int_equal(PARSE(&a, err, "ping", "m", "--op", "get", "--size",
			       "0"), 0);
	assert_int_equal(a.op, LEGO_PING_GET);
}

static void bad_ping_arguments(void **state)
{
	(void)state;
	BAD("which monitor", "ping");
	BAD("which monitor", "ping", "--json");
	BAD("unexpected argument 'b'", "ping", "a", "b");
	BAD("'--count' needs a value", "ping", "a", "--count");
	BAD("bad --count '0'", "ping", "a", "--count", "0");
	BAD("bad --count '1000001'", "ping", "a", "--count", "1000001");
	BAD("bad --count 'x'", "ping", "a", "--count", "x");
	BAD("bad --threads '65'", "ping", "a", "--threads", "65");
	BAD("bad --threads '0'", "ping", "a", "--threads", "0");
	BAD("bad --size 6: want a multiple of 4", "ping", "a", "--size", "6");
	BAD("bad --size 8164", "ping", "a", "--size", "8164");
	BAD("bad --size '65540'", "ping", "a", "--op", "read", "--size",
	    "65540");
	BAD("bad --size 0: want a multiple of 4, 4..65536 for --op read",
	    "ping", "a", "--op", "read", "--size", "0");
	BAD("--threads x --size exceeds 1048576", "ping", "a", "--op", "write",
	    "--size", "64K", "--threads", "17", "--count", "17");
	BAD("bad --op 'send'", "ping", "a", "--op", "send");
	BAD("'--op' needs a value", "ping", "a", "--op");
	BAD("--threads 8 exceeds --count 4", "ping", "a", "--count", "4",
	    "--threads", "8");
	BAD("unknown option '--bogus'", "ping", "a", "--bogus");
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
	assert_null(a.help_topic);
	assert_int_equal(PARSE(&a, err, "help"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_HELP);
	assert_null(a.help_topic);

	assert_int_equal(PARSE(&a, err, "help", "status"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_HELP);
	assert_string_equal(a.help_topic, "status");
	assert_int_equal(PARSE(&a, err, "--help", "status"), 0);
	assert_string_equal(a.help_topic, "status");
	assert_int_equal(PARSE(&a, err, "-h", "help"), 0);
	assert_string_equal(a.help_topic, "help");

	/* COMMAND --help, wherever it is and whatever else is there */
	assert_int_equal(PARSE(&a, err, "status", "--help"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_HELP);
	assert_string_equal(a.help_topic, "status");
	assert_int_equal(PARSE(&a, err, "status", "-h"), 0);
	assert_string_equal(a.help_topic, "status");
	assert_int_equal(PARSE(&a, err, "status", "--json", "-h"), 0);
	assert_string_equal(a.help_topic, "status");
	assert_int_equal(PARSE(&a, err, "status", "--bogus", "--help"), 0);
	assert_string_equal(a.help_topic, "status");
	assert_int_equal(PARSE(&a, err, "help", "--help"), 0);
	assert_string_equal(a.help_topic, "help");
	assert_int_equal(PARSE(&a, err, "help", "status", "-h"), 0);
	assert_string_equal(a.help_topic, "help");
}

static void usage_texts(void **state)
{
	const char *top = lego_ctl_usage(NULL);

	(void)state;
	assert_non_null(strstr(top, "SYNOPSIS"));
	assert_non_null(strstr(top, "lego-ctl [-h|--help] [-V|--version]"));
	assert_non_null(strstr(top, "status [--json]"));
	assert_non_null(strstr(top, "help [COMMAND]"));
	assert_non_null(strstr(lego_ctl_usage("status"),
			       "lego-ctl status [--json]"));
	assert_non_null(strstr(lego_ctl_usage("help"),
			       "lego-ctl help [COMMAND]"));
	assert_ptr_equal(lego_ctl_usage("nope"), top);
	assert_int_equal(top[strlen(top) - 1], '\n');
}

static void bad_arguments(void **state)
{
	struct lego_ctl_args a;
	char *const none[] = { "lego-ctl" };
	char err[128];

	(void)state;
	/* no command */
	assert_int_equal(lego_ctl_parse_args(1, none, &a, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "no command"));
	/* unknown command */
	BAD("unknown command 'bogus'", "bogus");
	BAD("unknown command 'Status'", "Status");
	BAD("unknown command '-'", "-");
	BAD("unknown command ''", "");
	/* unknown option, global or per command */
	BAD("unknown option '--bogus'", "--bogus");
	BAD("unknown option '-x'", "-x", "status");
	BAD("unknown option '--'", "--", "status");
	BAD("status: unknown option '--jsn'", "status", "--jsn");
	BAD("status: unknown option '-j'", "status", "-j");
	BAD("help: unknown option '-x'", "help", "-x");
	/* a value for an option that takes none */
	BAD("status: '--json' takes no value", "status", "--json=1");
	/* extra arguments */
	BAD("status: unexpected argument 'extra'", "status", "extra");
	BAD("status: unexpected argument 'x'", "status", "--json", "x");
	BAD("help: unexpected argument 'more'", "help", "status", "more");
	BAD("help: unexpected argument 'more'", "--help", "status", "more");
	BAD("unexpected argument 'more' after '-V'", "-V", "more");
	BAD("unexpected argument 'status' after '--version'", "--version",
	    "status");
	/* help on what does not exist */
	BAD("help: unknown command 'nope'", "help", "nope");
	BAD("help: unknown command 'nope'", "--help", "nope");
}

static void short_error_buffer(void **state)
{
	struct lego_ctl_args a;
	char err[8];

	(void)state;
	assert_int_equal(PARSE(&a, err, "a-very-long-unknown-command"),
			 -EINVAL);
	assert_int_equal(strlen(err), sizeof(err) - 1);
}

static void sizes(void **state)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} good[] = {
		{ "0", 0 }, { "1", 1 }, { "4096", 4096 }, { "007", 7 },
		{ "512B", 512 }, { "0K", 0 },
		{ "1K", 1024 }, { "1k", 1024 }, { "1KB", 1024 },
		{ "1KiB", 1024 }, { "1kiB", 1024 },
		{ "64M", 64ULL << 20 }, { "64m", 64ULL << 20 },
		{ "64MB", 64ULL << 20 }, { "64MiB", 64ULL << 20 },
		{ "2G", 2ULL << 30 }, { "2GiB", 2ULL << 30 },
		{ "3T", 3ULL << 40 }, { "3TB", 3ULL << 40 },
		{ "18446744073709551615", UINT64_MAX },
		{ "18446744073709551615B", UINT64_MAX },
		{ "17179869183G", 17179869183ULL << 30 },
		{ "16777215T", 16777215ULL << 40 },
	};
	uint64_t bytes;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		bytes = 12345;
		assert_int_equal(lego_parse_size(good[i].text, &bytes), 0);
		assert_true(bytes == good[i].bytes);
	}
}

static void bad_sizes(void **state)
{
	static const char *const junk[] = {
		"", "B", "K", "M", "iB", "KiB",		/* no digits */
		"-1", "-0", "+1", "-1K",		/* signs */
		" 1", "1 ", "1 K", "1\n", "\t1",	/* spaces */
		"1X", "1P", "1E", "1MM", "1Mi", "1MiBB", "1BB", "1iB",
		"1b", "1Kb", "1Kib", "1KIB", "1K B",	/* suffixes */
		"1.5G", "1,5G", "0x10", "1e3", "1KB2", "1_000", /* numbers */
	};
	static const char *const huge[] = {
		"18446744073709551616", "99999999999999999999",
		"18446744073709551616B", "99999999999999999999G",
		"16777216T", "17179869184G", "17592186044416M",
		"18014398509481984K",
	};
	uint64_t bytes = 7;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(junk); i++) {
		if (lego_parse_size(junk[i], &bytes) != -EINVAL)
			fail_msg("'%s' was not rejected as junk", junk[i]);
	}
	for (i = 0; i < ARRAY_SIZE(huge); i++) {
		if (lego_parse_size(huge[i], &bytes) != -ERANGE)
			fail_msg("'%s' was not rejected as too big", huge[i]);
	}
	assert_true(bytes == 7);	/* untouched on error */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_command),
		cmocka_unit_test(ping_command),
		cmocka_unit_test(bad_ping_arguments),
		cmocka_unit_test(version_option),
		cmocka_unit_test(help_everywhere),
		cmocka_unit_test(usage_texts),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(short_error_buffer),
		cmocka_unit_test(sizes),
		cmocka_unit_test(bad_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

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
#include <stdio.h>
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

static void vnode_create_command(void **state)
{
	struct lego_ctl_args a;
	char err[256];

	(void)state;
	assert_int_equal(PARSE(&a, err, "vnode", "create", "vn1", "--mem",
			       "512M"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_VNODE_CREATE);
	assert_string_equal(a.vnode, "vn1");
	assert_true(a.mem == 512ULL << 20);
	assert_int_equal(a.nr_mmons, 0);
	assert_true(a.disk == 0);
	assert_int_equal(a.replicas, 0);	/* not given: lego.ko's, 1 */
	/* --replicas: 1 or 2 */
	assert_int_equal(PARSE(&a, err, "vnode", "create", "vn1", "--mem",
			       "512M", "--replicas", "2"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_VNODE_CREATE);
	assert_int_equal(a.replicas, 2);
	assert_true(a.mem == 512ULL << 20);
	assert_int_equal(PARSE(&a, err, "vnode", "create", "--replicas=1",
			       "vn1", "--mem", "4K"), 0);
	assert_int_equal(a.replicas, 1);
	/* options before NAME, --opt=VALUE, mmons in order, home first */
	assert_int_equal(PARSE(&a, err, "vnode", "create", "--mmon",
			       "10.77.0.21", "--mem=4K", "b_2.x-y", "--mmon",
			       "mmon0", "--disk", "1G"), 0);
	assert_string_equal(a.vnode, "b_2.x-y");
	assert_true(a.mem == 4096);
	assert_int_equal(a.nr_mmons, 2);
	assert_string_equal(a.mmons[0], "10.77.0.21");
	assert_string_equal(a.mmons[1], "mmon0");
	assert_true(a.disk == 1ULL << 30);
	/* the last --mem wins */
	assert_int_equal(PARSE(&a, err, "vnode", "create", "v", "--mem", "1M",
			       "--mem", "2GiB"), 0);
	assert_true(a.mem == 2ULL << 30);
	/* 31 characters, and as many mmons as a vNode takes */
	assert_int_equal(PARSE(&a, err, "vnode", "create",
			       "abcdefghijklmnopqrstuvwxyz01234", "--mem", "8K",
			       "--mmon", "a", "--mmon", "b", "--mmon", "c",
			       "--mmon", "d", "--mmon", "e", "--mmon", "f",
			       "--mmon", "g", "--mmon", "h", "--mmon", "i",
			       "--mmon", "j", "--mmon", "k", "--mmon", "l",
			       "--mmon", "m", "--mmon", "n", "--mmon", "o",
			       "--mmon", "p"), 0);
	assert_int_equal(a.nr_mmons, LEGO_VNODE_MMONS_MAX);
	assert_string_equal(a.mmons[15], "p");
}

static void vnode_other_commands(void **state)
{
	struct lego_ctl_args a;
	char err[256];

	(void)state;
	assert_int_equal(PARSE(&a, err, "vnode", "list"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_VNODE_LIST);
	assert_false(a.json);
	assert_null(a.vnode);
	assert_int_equal(PARSE(&a, err, "vnode", "list", "--json"), 0);
	assert_true(a.json);
	assert_int_equal(PARSE(&a, err, "vnode", "show", "vn1"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_VNODE_SHOW);
	assert_string_equal(a.vnode, "vn1");
	assert_false(a.json);
	assert_int_equal(PARSE(&a, err, "vnode", "show", "--json", "vn1"), 0);
	assert_true(a.json);
	assert_int_equal(PARSE(&a, err, "vnode", "destroy", "vn1"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_VNODE_DESTROY);
	assert_string_equal(a.vnode, "vn1");
	assert_false(a.force);
	assert_int_equal(PARSE(&a, err, "vnode", "destroy", "vn1", "--force"),
			 0);
	assert_true(a.force);
}

static void bad_vnode_arguments(void **state)
{
	(void)state;
	BAD("vnode: which subcommand?", "vnode");
	BAD("vnode: unknown subcommand 'frobnicate'", "vnode", "frobnicate");
	BAD("vnode: unknown subcommand 'Create'", "vnode", "Create");
	BAD("vnode: unknown option '--json'", "vnode", "--json");
	/* missing or bad NAME */
	BAD("vnode create: which vNode?", "vnode", "create");
	BAD("vnode create: which vNode?", "vnode", "create", "--mem", "1M");
	BAD("vnode show: which vNode?", "vnode", "show");
	BAD("vnode destroy: which vNode?", "vnode", "destroy", "--force");
	BAD("vnode create: bad vNode name 'bad/name'", "vnode", "create",
	    "bad/name", "--mem", "1M");
	BAD("bad vNode name '.x'", "vnode", "create", ".x", "--mem", "1M");
	BAD("bad vNode name 'a b'", "vnode", "show", "a b");
	BAD("bad vNode name 'abcdefghijklmnopqrstuvwxyz012345'", "vnode",
	    "create", "abcdefghijklmnopqrstuvwxyz012345", "--mem", "1M");
	BAD("vnode show: unknown option '-x'", "vnode", "show", "-x");
	BAD("vnode create: unexpected argument 'b'", "vnode", "create", "a",
	    "b", "--mem", "1M");
	/* --mem: required, a multiple of 4 KiB above 0 */
	BAD("vnode create: how much memory? (--mem SIZE)", "vnode", "create",
	    "m1");
	BAD("vnode create: bad --mem '12Q'", "vnode", "create", "m1", "--mem",
	    "12Q");
	BAD("bad --mem '1000': want a multiple of 4K", "vnode", "create",
	    "m1", "--mem", "1000");
	BAD("bad --mem '4097'", "vnode", "create", "m1", "--mem", "4097");
	BAD("bad --mem '0'", "vnode", "create", "m1", "--mem", "0");
	BAD("bad --mem '0K'", "vnode", "create", "m1", "--mem=0K");
	BAD("bad --mem '-4K'", "vnode", "create", "m1", "--mem", "-4K");
	BAD("bad --mem ''", "vnode", "create", "m1", "--mem=");
	BAD("bad --mem '99999999999999999999'", "vnode", "create", "m1",
	    "--mem", "99999999999999999999");
	BAD("vnode create: '--mem' needs a value", "vnode", "create", "m1",
	    "--mem");
	BAD("bad --disk '1000'", "vnode", "create", "m1", "--mem", "1M",
	    "--disk", "1000");
	BAD("bad --disk '0'", "vnode", "create", "m1", "--mem", "1M",
	    "--disk", "0");
	/* --replicas: 1 or 2 */
	BAD("vnode create: bad --replicas '3': want 1..2", "vnode", "create",
	    "m1", "--mem", "1M", "--replicas", "3");
	BAD("vnode create: bad --replicas '0': want 1..2", "vnode", "create",
	    "m1", "--mem", "1M", "--replicas", "0");
	BAD("vnode create: bad --replicas 'x': want 1..2", "vnode", "create",
	    "m1", "--mem", "1M", "--replicas", "x");
	BAD("vnode create: bad --replicas '-1'", "vnode", "create", "m1",
	    "--mem", "1M", "--replicas", "-1");
	BAD("vnode create: bad --replicas ''", "vnode", "create", "m1",
	    "--mem", "1M", "--replicas=");
	BAD("vnode create: '--replicas' needs a value", "vnode", "create",
	    "m1", "--mem", "1M", "--replicas");
	BAD("vnode show: unknown option '--replicas'", "vnode", "show", "a",
	    "--replicas", "2");
	/* --mmon */
	BAD("vnode create: '--mmon' needs a value", "vnode", "create", "m1",
	    "--mem", "1M", "--mmon");
	BAD("vnode create: more than 16 --mmon", "vnode", "create", "m",
	    "--mem", "8K", "--mmon", "a", "--mmon", "b", "--mmon", "c",
	    "--mmon", "d", "--mmon", "e", "--mmon", "f", "--mmon", "g",
	    "--mmon", "h", "--mmon", "i", "--mmon", "j", "--mmon", "k",
	    "--mmon", "l", "--mmon", "m", "--mmon", "n", "--mmon", "o",
	    "--mmon", "p", "--mmon", "q");
	/* options of other subcommands */
	BAD("vnode show: unknown option '--force'", "vnode", "show", "a",
	    "--force");
	BAD("vnode destroy: unknown option '--json'", "vnode", "destroy", "a",
	    "--json");
	BAD("vnode list: unexpected argument 'a'", "vnode", "list", "a");
	BAD("vnode list: '--json' takes no value", "vnode", "list",
	    "--json=yes");
	BAD("vnode destroy: '--force' takes no value", "vnode", "destroy",
	    "a", "--force=1");
}

/* lego-ctl run ARGS...: CMD must be argv[want] of "lego-ctl ARGS...". */
#define RUN(want, ...)							\
	do {								\
		struct lego_ctl_args a_;				\
		char e_[256];						\
									\
		assert_int_equal(PARSE(&a_, e_, "run", __VA_ARGS__), 0);	\
		assert_int_equal(a_.cmd, LEGO_CTL_RUN);			\
		assert_string_equal(a_.vnode, "vn1");			\
		assert_int_equal(a_.cmd_index, (want));			\
	} while (0)

static void run_command(void **state)
{
	char *const argv[] = { "lego-ctl", "run", "vn1", "--malloc", "libc",
			       "--", "python3", "-c", "print(1)", NULL };
	struct lego_ctl_args a;
	char err[256];

	(void)state;
	assert_int_equal(lego_ctl_parse_args(9, argv, &a, err, sizeof(err)),
			 0);
	assert_int_equal(a.cmd, LEGO_CTL_RUN);
	assert_string_equal(a.vnode, "vn1");
	assert_int_equal(a.malloc, LEGO_MALLOC_LIBC);
	assert_int_equal(a.cmd_index, 6);
	assert_string_equal(argv[a.cmd_index], "python3");

	assert_int_equal(PARSE(&a, err, "run", "vn1", "true"), 0);
	assert_int_equal(a.malloc, LEGO_MALLOC_MIMALLOC);
	assert_int_equal(PARSE(&a, err, "run", "vn1", "--malloc=jemalloc",
			       "true"), 0);
	assert_int_equal(a.malloc, LEGO_MALLOC_JEMALLOC);
	assert_int_equal(PARSE(&a, err, "run", "--malloc", "mimalloc", "vn1",
			       "true"), 0);
	assert_int_equal(a.malloc, LEGO_MALLOC_MIMALLOC);

	RUN(3, "vn1", "sort", "-n", "--help");	/* CMD's options are its own */
	RUN(4, "vn1", "--", "sort");
	RUN(4, "vn1", "--", "--weird-program");
	RUN(4, "vn1", "--", "vn2");
	RUN(3, "vn1", "sh", "--", "-c", "exit 7");	/* CMD's own "--" */
	RUN(4, "--malloc=libc", "vn1", "ls");
	RUN(5, "vn1", "--malloc", "libc", "ls", "--malloc", "x");
	RUN(3, "vn1", "-");			/* "-" is no option */
}

static void bad_run_arguments(void **state)
{
	(void)state;
	BAD("run: which vNode?", "run");
	BAD("run: which vNode?", "run", "--", "true");
	BAD("run: which vNode?", "run", "--malloc", "libc");
	BAD("run: which command?", "run", "vn1");
	BAD("run: which command?", "run", "vn1", "--");
	BAD("run: which command?", "run", "vn1", "--malloc", "libc", "--");
	BAD("run: bad --malloc 'tcmalloc': want mimalloc, jemalloc or libc",
	    "run", "vn1", "--malloc", "tcmalloc", "true");
	BAD("run: '--malloc' needs a value", "run", "vn1", "--malloc");
	BAD("run: unknown option '--json'", "run", "vn1", "--json", "true");
	BAD("run: unknown option '-x'", "run", "-x", "vn1", "true");
	BAD("run: bad vNode name 'a/b'", "run", "a/b", "true");
}

static void stats_and_monitor_commands(void **state)
{
	struct lego_ctl_args a;
	char err[256];

	(void)state;
	assert_int_equal(PARSE(&a, err, "stats"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_STATS);
	assert_null(a.vnode);
	assert_false(a.json);
	assert_int_equal(a.watch, 0);
	assert_int_equal(PARSE(&a, err, "stats", "vn1", "--json", "--watch",
			       "2"), 0);
	assert_string_equal(a.vnode, "vn1");
	assert_true(a.json);
	assert_int_equal(a.watch, 2);
	assert_int_equal(PARSE(&a, err, "stats", "--watch=3600"), 0);
	assert_null(a.vnode);
	assert_int_equal(a.watch, 3600);
	assert_int_equal(PARSE(&a, err, "stats", "--watch", "1"), 0);
	assert_int_equal(a.watch, 1);

	assert_int_equal(PARSE(&a, err, "monitor"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_MONITOR);
	assert_false(a.json);
	assert_int_equal(PARSE(&a, err, "monitor", "--json"), 0);
	assert_true(a.json);
}

static void bad_stats_and_monitor_arguments(void **state)
{
	(void)state;
	BAD("stats: bad --watch '0': want 1..3600", "stats", "--watch", "0");
	BAD("stats: bad --watch '3601'", "stats", "--watch", "3601");
	BAD("stats: bad --watch '1K'", "stats", "--watch", "1K");
	BAD("stats: bad --watch '-1'", "stats", "--watch", "-1");
	BAD("stats: bad --watch 'x'", "stats", "--watch", "x");
	BAD("stats: bad --watch ''", "stats", "--watch=");
	BAD("stats: '--watch' needs a value", "stats", "--watch");
	BAD("stats: unexpected argument 'b'", "stats", "a", "b");
	BAD("stats: bad vNode name 'a:b'", "stats", "a:b");
	BAD("stats: unknown option '--force'", "stats", "--force");
	BAD("monitor: unexpected argument 'vn1'", "monitor", "vn1");
	BAD("monitor: unknown option '--watch'", "monitor", "--watch", "1");
}

static void subcommand_help(void **state)
{
	struct lego_ctl_args a;
	char err[256];

	(void)state;
	assert_int_equal(PARSE(&a, err, "vnode", "--help"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_HELP);
	assert_string_equal(a.help_topic, "vnode");
	assert_int_equal(PARSE(&a, err, "vnode", "bogus", "-h"), 0);
	assert_string_equal(a.help_topic, "vnode");
	assert_int_equal(PARSE(&a, err, "vnode", "create", "--help"), 0);
	assert_string_equal(a.help_topic, "vnode create");
	assert_int_equal(PARSE(&a, err, "vnode", "create", "x", "--mem",
			       "12Q", "-h"), 0);
	assert_string_equal(a.help_topic, "vnode create");
	assert_int_equal(PARSE(&a, err, "vnode", "destroy", "-h"), 0);
	assert_string_equal(a.help_topic, "vnode destroy");
	assert_int_equal(PARSE(&a, err, "help", "vnode"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_HELP);
	assert_string_equal(a.help_topic, "vnode");
	assert_int_equal(PARSE(&a, err, "help", "vnode", "list"), 0);
	assert_string_equal(a.help_topic, "vnode list");
	assert_int_equal(PARSE(&a, err, "--help", "vnode", "show"), 0);
	assert_string_equal(a.help_topic, "vnode show");
	assert_int_equal(PARSE(&a, err, "stats", "vn1", "--help"), 0);
	assert_string_equal(a.help_topic, "stats");
	assert_int_equal(PARSE(&a, err, "monitor", "-h"), 0);
	assert_string_equal(a.help_topic, "monitor");

	/* run: only before CMD, whose options are its own */
	assert_int_equal(PARSE(&a, err, "run", "--help"), 0);
	assert_string_equal(a.help_topic, "run");
	assert_int_equal(PARSE(&a, err, "run", "vn1", "--malloc", "libc",
			       "-h", "ls"), 0);
	assert_string_equal(a.help_topic, "run");
	assert_int_equal(PARSE(&a, err, "run", "vn1", "ls", "--help"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_RUN);
	assert_int_equal(PARSE(&a, err, "run", "vn1", "--", "--help"), 0);
	assert_int_equal(a.cmd, LEGO_CTL_RUN);
	assert_int_equal(a.cmd_index, 4);

	BAD("help: unknown command 'vnode bogus'", "help", "vnode", "bogus");
	BAD("help: unexpected argument 'x'", "help", "vnode", "create", "x");
	BAD("help: unexpected argument 'list'", "help", "status", "list");
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

/* Every command: its own page, named in its SYNOPSIS and in lego-ctl's. */
static void every_usage(void **state)
{
	static const struct {
		const char *topic;
		const char *synopsis;
	} pages[] = {
		{ "status", "status [--json]" },
		{ "vnode", "vnode create NAME --mem SIZE [--mmon ADDR]... [--disk SIZE]" },
		{ "vnode create", "vnode create NAME --mem SIZE [--mmon ADDR]... [--disk SIZE]" },
		{ "vnode list", "vnode list [--json]" },
		{ "vnode show", "vnode show NAME [--json]" },
		{ "vnode destroy", "vnode destroy NAME [--force]" },
		{ "run", "run NAME [--malloc mimalloc|jemalloc|libc] [--] CMD [ARGS...]" },
		{ "stats", "stats [NAME] [--json] [--watch SECS]" },
		{ "monitor", "monitor [--json]" },
		{ "ping", "ping MONITOR" },
		{ "help", "help [COMMAND]" },
	};
	const char *top = lego_ctl_usage(NULL);
	char want[128];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		const char *page = lego_ctl_usage(pages[i].topic);

		if (page == top)
			fail_msg("no usage for '%s'", pages[i].topic);
		snprintf(want, sizeof(want), "lego-ctl %s", pages[i].synopsis);
		if (!strstr(page, want))
			fail_msg("usage of '%s' lacks '%s'", pages[i].topic,
				 want);
		if (!strstr(top, pages[i].synopsis))
			fail_msg("lego-ctl's usage lacks '%s'",
				 pages[i].synopsis);
		assert_int_equal(page[strlen(page) - 1], '\n');
	}
	/* vnode create's last option, in its page and in lego-ctl's */
	assert_non_null(strstr(lego_ctl_usage("vnode create"),
			       "[--replicas N]\n"));
	assert_non_null(strstr(lego_ctl_usage("vnode create"),
			       "--replicas N "));
	assert_non_null(strstr(lego_ctl_usage("vnode"), "[--replicas N]\n"));
	assert_non_null(strstr(top, "[--replicas N]\n"));
	/* the allocator whose heap stays local says so */
	assert_non_null(strstr(lego_ctl_usage("run"), "NOT"));
	assert_non_null(strstr(lego_ctl_usage("run"), "127"));
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
		cmocka_unit_test(vnode_create_command),
		cmocka_unit_test(vnode_other_commands),
		cmocka_unit_test(bad_vnode_arguments),
		cmocka_unit_test(run_command),
		cmocka_unit_test(bad_run_arguments),
		cmocka_unit_test(stats_and_monitor_commands),
		cmocka_unit_test(bad_stats_and_monitor_arguments),
		cmocka_unit_test(subcommand_help),
		cmocka_unit_test(version_option),
		cmocka_unit_test(help_everywhere),
		cmocka_unit_test(usage_texts),
		cmocka_unit_test(every_usage),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(short_error_buffer),
		cmocka_unit_test(sizes),
		cmocka_unit_test(bad_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl command-line and size parsing. No I/O and no libnl here: an
 * error is one line written to the caller's buffer, so that every case
 * can be unit-tested.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "lego/genl.h"
#include "lego/wire.h"
#include "lego/compat.h"

static const char usage_main[] =
	"NAME\n"
	"       lego-ctl - control LegoLKM (lego.ko) on this host\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl [-h|--help] [-V|--version] COMMAND [ARGS]\n"
	"\n"
	"DESCRIPTION\n"
	"       lego-ctl talks to lego.ko over its \"lego\" generic netlink\n"
	"       family.\n"
	"\n"
	"COMMANDS\n"
	"       status [--json]\n"
	"              Print the roles of this host and the resources of\n"
	"              each role.\n"
	"\n"
	"       ping MONITOR [--op echo|get|read|write] [--count N] [--threads N]\n"
	"            [--size SIZE] [--json]\n"
	"              Send echo RPCs to a monitor over RDMA and check them.\n"
	"\n"
	"       help [COMMAND]\n"
	"              Print this text, or the usage of COMMAND.\n"
	"\n"
	"OPTIONS\n"
	"       -h, --help [COMMAND]\n"
	"              Same as help [COMMAND]. Every command also takes -h\n"
	"              and --help.\n"
	"\n"
	"       -V, --version\n"
	"              Print the version of lego-ctl.\n"
	"\n"
	"EXIT STATUS\n"
	"       0 on success. 1 on a bad argument, when lego.ko is not loaded\n"
	"       or when it reports an error; the reason is one line on\n"
	"       stderr.\n";

static const char usage_status[] =
	"NAME\n"
	"       lego-ctl status - roles and resources of this host\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl status [--json]\n"
	"\n"
	"DESCRIPTION\n"
	"       Print the roles lego.ko plays on this host (pmon, mmon, smon)\n"
	"       and what each one holds: the pmon's ExCache (size, sets and\n"
	"       ways), the mmon's memory pool, the smon's backing store.\n"
	"\n"
	"OPTIONS\n"
	"       --json\n"
	"              Print one JSON object instead of text.\n"
	"\n"
	"       -h, --help\n"
	"              Print this text.\n";

static const char usage_ping[] =
	"NAME\n"
	"       lego-ctl ping - measure the RDMA transport to a monitor\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl ping MONITOR [--op echo|get|read|write]\n"
	"                     [--count N] [--threads N] [--size SIZE] [--json]\n"
	"\n"
	"DESCRIPTION\n"
	"       lego.ko makes N transfers with MONITOR (an address or host\n"
	"       name given to lego.ko with mmon= or smon=) over its RDMA\n"
	"       connection, from several kernel threads at once, checks the\n"
	"       data of every one and prints the median and 99th percentile\n"
	"       of their times. Needs CAP_NET_ADMIN.\n"
	"\n"
	"OPTIONS\n"
	"       --op echo      RPCs whose payload comes back (default)\n"
	"       --op get       RPCs of a small request whose reply carries\n"
	"                      SIZE bytes of a known pattern (a page fetch)\n"
	"       --op read      one-sided RDMA READs of memory MONITOR lends,\n"
	"                      filled with a known pattern\n"
	"       --op write     one-sided RDMA WRITEs of a pattern to that\n"
	"                      memory, each read back (untimed) and checked\n"
	"       --count N      transfers in all (default 1000)\n"
	"       --threads N    threads at once, 1..64 (default 1)\n"
	"       --size SIZE    bytes per transfer, a multiple of 4: up to\n"
	"                      8160 for RPCs, 4..64K for read and write\n"
	"                      (threads x size up to 1M); K suffix allowed\n"
	"                      (default 4K)\n"
	"       --json         print one JSON object\n"
	"\n"
	"EXIT STATUS\n"
	"       0 if every transfer's data was intact, else 1.\n";

static const char usage_help[] =
	"NAME\n"
	"       lego-ctl help - usage of lego-ctl and of its commands\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl help [COMMAND]\n"
	"\n"
	"DESCRIPTION\n"
	"       Print the usage of lego-ctl, or of COMMAND.\n";

struct lego_ctl_command {
	const char *name;
	enum lego_ctl_cmd cmd;
	const char *usage;
	/* Parses the arguments after the command name. */
	int (*parse)(int argc, char *const argv[], struct lego_ctl_args *args,
		     char *err, size_t err_size);
};

static int parse_status(int argc, char *const argv[],
			struct lego_ctl_args *args, char *err, size_t err_size);
static int parse_ping(int argc, char *const argv[],
		      struct lego_ctl_args *args, char *err, size_t err_size);
static int parse_help(int argc, char *const argv[],
		      struct lego_ctl_args *args, char *err, size_t err_size);

static const struct lego_ctl_command commands[] = {
	{ "status", LEGO_CTL_STATUS, usage_status, parse_status },
	{ "ping", LEGO_CTL_PING, usage_ping, parse_ping },
	{ "help", LEGO_CTL_HELP, usage_help, parse_help },
};

static const struct lego_ctl_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/**
 * lego_ctl_usage() - the usage text of lego-ctl or of one command
 * @topic: a command name, or NULL for lego-ctl itself
 *
 * Return: the text, several lines ending with a newline.
 */
const char *lego_ctl_usage(const char *topic)
{
	const struct lego_ctl_command *c = topic ? find_command(topic) : NULL;

	return c ? c->usage : usage_main;
}

/* Print the one-line error into @err; evaluates to -EINVAL. */
#define arg_error(err, err_size, ...)	\
	(snprintf((err), (err_size), __VA_ARGS__), -EINVAL)

static bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

static bool is_option(const char *arg)
{
	return arg[0] == '-' && arg[1];
}

static int parse_status(int argc, char *const argv[],
			struct lego_ctl_args *args, char *err, size_t err_size)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--json"))
			args->json = true;
		else if (!strncmp(arg, "--json=", 7))
			return arg_error(err, err_size,
					 "status: '--json' takes no value");
		else if (is_option(arg))
			return arg_error(err, err_size,
					 "status: unknown option '%s'", arg);
		else
			return arg_error(err, err_size,
					 "status: unexpected argument '%s'",
					 arg);
	}
	return 0;
}

/* An option's value: "--opt VALUE"; NULL (and @err set) if it is missing. */
static const char *option_value(int argc, char *const argv[], int *i,
				char *err, size_t err_size)
{
	if (*i + 1 >= argc) {
		snprintf(err, err_size, "ping: '%s' needs a value", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t value;

	if (lego_parse_size(s, &value) || value < min || value > max)
		return -EINVAL;
	*out = (uint32_t)value;
	return 0;
}

/* ping's numeric options; --size is checked again once --op is known. */
static const struct {
	const char *name;
	size_t offset;
	uint32_t min, max;
} ping_numbers[] = {
	{ "--count", offsetof(struct lego_ctl_args, count), 1, 1000000 },
	{ "--threads", offsetof(struct lego_ctl_args, threads), 1, 64 },
	{ "--size", offsetof(struct lego_ctl_args, size), 0, LEGO_PING_RDMA_MAX },
};

static const char *const ping_ops[] = {
	[LEGO_PING_ECHO]	= "echo",
	[LEGO_PING_READ]	= "read",
	[LEGO_PING_WRITE]	= "write",
	[LEGO_PING_GET]		= "get",
};

/* The one-sided operations work on memory the monitor lends. */
static bool ping_is_rdma(uint32_t op)
{
	return op == LEGO_PING_READ || op == LEGO_PING_WRITE;
}

static int parse_ping_op(const char *value, uint32_t *op)
{
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(ping_ops); i++) {
		if (!strcmp(value, ping_ops[i])) {
			*op = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Returns 1 if @arg is none of ping_numbers, else 0 or -EINVAL. */
static int parse_ping_number(int argc, char *const argv[], int *i,
			     struct lego_ctl_args *args, char *err,
			     size_t err_size)
{
	const char *value;
	size_t n;

	for (n = 0; n < ARRAY_SIZE(ping_numbers); n++)
		if (!strcmp(argv[*i], ping_numbers[n].name))
			break;
	if (n == ARRAY_SIZE(ping_numbers))
		return 1;
	value = option_value(argc, argv, i, err, err_size);
	if (!value)
		return -EINVAL;
	if (parse_u32(value, ping_numbers[n].min, ping_numbers[n].max,
		      (uint32_t *)((char *)args + ping_numbers[n].offset)))
		return arg_error(err, err_size, "ping: bad %s '%s': want %u..%u",
				 ping_numbers[n].name, value,
				 ping_numbers[n].min, ping_numbers[n].max);
	return 0;
}

/* The limits of lego_ping() in lego.ko, said in the user's terms. */
static int check_ping_size(const struct lego_ctl_args *args, char *err,
			   size_t err_size)
{
	bool rdma = ping_is_rdma(args->op);
	uint32_t max = rdma ? LEGO_PING_RDMA_MAX : LEGO_PAYLOAD_MAX;

	if (args->size % 4 || args->size > max || (rdma && !args->size))
		return arg_error(err, err_size,
				 "ping: bad --size %u: want a multiple of 4, %u..%u for --op %s",
				 args->size, rdma ? 4 : 0, max, ping_ops[args->op]);
	if (rdma &&
	    (uint64_t)args->size * args->threads > LEGO_GRANT_MAX)
		return arg_error(err, err_size,
				 "ping: --threads x --size exceeds %u bytes of lent memory",
				 LEGO_GRANT_MAX);
	return 0;
}

static int parse_ping(int argc, char *const argv[],
		      struct lego_ctl_args *args, char *err, size_t err_size)
{
	const char *value;
	int i, ret;

	args->count = 1000;
	args->threads = 1;
	args->size = 4096;
	args->op = LEGO_PING_ECHO;
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		ret = parse_ping_number(argc, argv, &i, args, err, err_size);
		if (ret <= 0) {
			if (ret)
				return ret;
		} else if (!strcmp(arg, "--json")) {
			args->json = true;
		} else if (!strcmp(arg, "--op")) {
			value = option_value(argc, argv, &i, err, err_size);
			if (!value)
				return -EINVAL;
			if (parse_ping_op(value, &args->op))
				return arg_error(err, err_size,
						 "ping: bad --op '%s': want echo, get, read or write",
						 value);
		} else if (is_option(arg)) {
			return arg_error(err, err_size,
					 "ping: unknown option '%s'", arg);
		} else if (!args->monitor) {
			args->monitor = arg;
		} else {
			return arg_error(err, err_size,
					 "ping: unexpected argument '%s'", arg);
		}
	}
	if (!args->monitor)
		return arg_error(err, err_size, "ping: which monitor?");
	if (args->threads > args->count)
		return arg_error(err, err_size,
				 "ping: --threads %u exceeds --count %u",
				 args->threads, args->count);
	return check_ping_size(args, err, err_size);
}

/* The name of a ping operation, as --op spells it. */
const char *lego_ctl_ping_op_name(uint32_t op)
{
	return op < ARRAY_SIZE(ping_ops) ? ping_ops[op] : "?";
}

static int parse_help(int argc, char *const argv[],
		      struct lego_ctl_args *args, char *err, size_t err_size)
{
	if (argc > 0 && is_option(argv[0]))
		return arg_error(err, err_size, "help: unknown option '%s'",
				 argv[0]);
	if (argc > 1)
		return arg_error(err, err_size,
				 "help: unexpected argument '%s'", argv[1]);
	if (argc == 1 && !find_command(argv[0]))
		return arg_error(err, err_size,
				 "help: unknown command '%s' (try 'lego-ctl --help')",
				 argv[0]);
	args->help_topic = argc ? find_command(argv[0])->name : NULL;
	return 0;
}

/**
 * lego_ctl_parse_args() - parse lego-ctl's command line
 * @argc: argument count, argv[0] being the program
 * @argv: the arguments
 * @args: the parsed command
 * @err: where a one-line error goes, without "lego-ctl: " or newline
 * @err_size: size of @err
 *
 * -h or --help among a command's arguments asks for that command's usage,
 * whatever else is there.
 *
 * Return: 0, or -EINVAL with @err set.
 */
int lego_ctl_parse_args(int argc, char *const argv[],
			struct lego_ctl_args *args, char *err, size_t err_size)
{
	const struct lego_ctl_command *c;
	const char *name;
	int i;

	memset(args, 0, sizeof(*args));
	if (err_size)
		err[0] = '\0';
	if (argc < 2)
		return arg_error(err, err_size,
				 "no command (try 'lego-ctl --help')");
	name = argv[1];
	if (is_help(name)) {
		args->cmd = LEGO_CTL_HELP;
		return parse_help(argc - 2, argv + 2, args, err, err_size);
	}
	if (!strcmp(name, "-V") || !strcmp(name, "--version")) {
		args->cmd = LEGO_CTL_VERSION;
		if (argc > 2)
			return arg_error(err, err_size,
					 "unexpected argument '%s' after '%s'",
					 argv[2], name);
		return 0;
	}
	if (is_option(name))
		return arg_error(err, err_size,
				 "unknown option '%s' (try 'lego-ctl --help')",
				 name);
	c = find_command(name);
	if (!c)
		return arg_error(err, err_size,
				 "unknown command '%s' (try 'lego-ctl --help')",
				 name);

	for (i = 2; i < argc; i++) {
		if (is_help(argv[i])) {
			args->cmd = LEGO_CTL_HELP;
			args->help_topic = c->name;
			return 0;
		}
	}
	args->cmd = c->cmd;
	return c->parse(argc - 2, argv + 2, args, err, err_size);
}

/**
 * lego_parse_size() - parse a size such as "4096", "64K", "512MiB", "2GB"
 * @s: digits, then optionally K, M, G or T (powers of 1024, either case),
 *     then optionally "B", or "iB" after a K, M, G or T
 * @bytes: the size on success, untouched on error
 *
 * No sign, space, fraction or base prefix is accepted.
 *
 * Return: 0, -EINVAL for anything else, -ERANGE when it exceeds 64 bits.
 */
int lego_parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	unsigned int shift = 0;
	uint64_t value = 0;
	const char *unit;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned int digit = (unsigned int)(*s - '0');

		if (value > (UINT64_MAX - digit) / 10)
			return -ERANGE;
		value = value * 10 + digit;
	}
	unit = *s ? strchr(units, toupper((unsigned char)*s)) : NULL;
	if (unit) {
		shift = 10 * (unsigned int)(unit - units + 1);
		s++;
		if (!strcmp(s, "iB"))
			s += 2;
	}
	if (!strcmp(s, "B"))
		s++;
	if (*s)
		return -EINVAL;
	if (value > (UINT64_MAX >> shift))
		return -ERANGE;
	*bytes = value << shift;
	return 0;
}

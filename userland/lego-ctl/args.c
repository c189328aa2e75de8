// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl command-line and size parsing. No I/O and no libnl here: an
 * error is one line written to the caller's buffer, so that every case
 * can be unit-tested.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
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
static int parse_help(int argc, char *const argv[],
		      struct lego_ctl_args *args, char *err, size_t err_size);

static const struct lego_ctl_command commands[] = {
	{ "status", LEGO_CTL_STATUS, usage_status, parse_status },
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

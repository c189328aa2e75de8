// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl command-line parsing. No I/O here: errors are written to a
 * caller's buffer as one line, so that every case is unit-testable.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "lego/compat.h"

static const char usage_main[] =
	"Usage: lego-ctl [-h|--help] [-V|--version] COMMAND [ARGS]\n"
	"\n"
	"Control LegoLKM (lego.ko) on this host.\n"
	"\n"
	"Commands:\n"
	"  status [--json]    this host's roles and what each one reserved\n"
	"  help [COMMAND]     this text, or a command's\n"
	"\n"
	"Run 'lego-ctl COMMAND --help' for a command's options.\n";

static const char usage_status[] =
	"Usage: lego-ctl status [--json]\n"
	"\n"
	"Print the roles lego.ko plays on this host (pmon, mmon, smon) and what\n"
	"each one holds: the pmon's ExCache (size, sets, ways), the mmon's memory\n"
	"pool, the smon's backing store.\n"
	"\n"
	"  --json    one JSON object instead of the table\n";

static const char usage_help[] =
	"Usage: lego-ctl help [COMMAND]\n"
	"\n"
	"Print the usage of lego-ctl or of COMMAND.\n";

static const struct {
	const char *name;
	enum lego_ctl_cmd cmd;
	const char *usage;
} commands[] = {
	{ "status", LEGO_CTL_STATUS, usage_status },
	{ "help", LEGO_CTL_HELP, usage_help },
};

static int find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return (int)i;
	return -1;
}

/* The usage of @topic (a command name), or the main usage for NULL. */
const char *lego_ctl_usage(const char *topic)
{
	int i = topic ? find_command(topic) : -1;

	return i < 0 ? usage_main : commands[i].usage;
}

static int arg_error(char *err, size_t err_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

static int parse_status(int argc, char *const argv[], struct lego_ctl_args *args,
			char *err, size_t err_size)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			args->json = true;
		else if (argv[i][0] == '-')
			return arg_error(err, err_size,
					 "status: unknown option '%s'", argv[i]);
		else
			return arg_error(err, err_size,
					 "status: unexpected argument '%s'",
					 argv[i]);
	}
	return 0;
}

/**
 * lego_ctl_parse_args() - parse lego-ctl's command line
 * @argc: argument count, argv[0] being the program
 * @argv: the arguments
 * @args: the parsed command
 * @err: where a one-line error goes
 * @err_size: size of @err
 *
 * Return: 0, or -EINVAL with @err set.
 */
int lego_ctl_parse_args(int argc, char *const argv[], struct lego_ctl_args *args,
			char *err, size_t err_size)
{
	const char *name;
	int i, c;

	memset(args, 0, sizeof(*args));
	if (argc < 2)
		return arg_error(err, err_size,
				 "no command (try 'lego-ctl --help')");
	name = argv[1];
	if (is_help(name)) {
		args->cmd = LEGO_CTL_HELP;
		return argc > 2 ? arg_error(err, err_size,
					    "unexpected argument '%s'", argv[2]) : 0;
	}
	if (!strcmp(name, "-V") || !strcmp(name, "--version")) {
		args->cmd = LEGO_CTL_VERSION;
		return argc > 2 ? arg_error(err, err_size,
					    "unexpected argument '%s'", argv[2]) : 0;
	}
	if (name[0] == '-')
		return arg_error(err, err_size, "unknown option '%s'", name);
	c = find_command(name);
	if (c < 0)
		return arg_error(err, err_size,
				 "unknown command '%s' (try 'lego-ctl --help')",
				 name);

	/* COMMAND --help anywhere among its arguments */
	for (i = 2; i < argc; i++) {
		if (is_help(argv[i])) {
			args->cmd = LEGO_CTL_HELP;
			args->help_topic = commands[c].name;
			return 0;
		}
	}

	args->cmd = commands[c].cmd;
	switch (args->cmd) {
	case LEGO_CTL_STATUS:
		return parse_status(argc - 2, argv + 2, args, err, err_size);
	case LEGO_CTL_HELP:
		if (argc > 3)
			return arg_error(err, err_size,
					 "help: unexpected argument '%s'", argv[3]);
		if (argc == 3 && find_command(argv[2]) < 0)
			return arg_error(err, err_size,
					 "help: unknown command '%s'", argv[2]);
		args->help_topic = argc == 3 ? argv[2] : NULL;
		return 0;
	default:
		return 0;
	}
}

/**
 * lego_parse_size() - parse a size such as "4096", "64K", "512M", "2GiB"
 * @s: the text: digits, then optionally K, M, G or T (powers of 1024),
 *     optionally followed by "B" or "iB"
 * @bytes: the size on success
 *
 * Return: 0, -EINVAL for junk, -ERANGE when it does not fit 64 bits.
 */
int lego_parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	uint64_t value = 0;
	const char *unit;
	unsigned int shift = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned int digit = (unsigned int)(*s - '0');

		if (value > (UINT64_MAX - digit) / 10)
			return -ERANGE;
		value = value * 10 + digit;
	}
	if (*s) {
		unit = strchr(units, toupper((unsigned char)*s));
		if (!unit)
			return -EINVAL;
		shift = 10 * (unsigned int)(unit - units + 1);
		s++;
		if (!strcmp(s, "iB"))
			s += 2;
		else if (!strcmp(s, "B"))
			s++;
	}
	if (*s)
		return -EINVAL;
	if (shift && value > (UINT64_MAX >> shift))
		return -ERANGE;
	*bytes = value << shift;
	return 0;
}

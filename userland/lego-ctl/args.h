/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lego-ctl command-line and size parsing: pure logic, no I/O, no libnl,
 * unit-tested by tests/unit/test_lego_ctl_args.c.
 */
#ifndef _LEGO_CTL_ARGS_H
#define _LEGO_CTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lego_ctl_cmd {
	LEGO_CTL_HELP,		/* --help, help [COMMAND], COMMAND --help */
	LEGO_CTL_VERSION,	/* -V, --version */
	LEGO_CTL_STATUS,	/* status [--json] */
	LEGO_CTL_PING,		/* ping MONITOR [--count N] ... */
};

/* What the command line asks for. */
struct lego_ctl_args {
	enum lego_ctl_cmd cmd;
	const char *help_topic;	/* LEGO_CTL_HELP: a command, NULL for all */
	bool json;		/* LEGO_CTL_STATUS, LEGO_CTL_PING: --json */
	const char *monitor;	/* LEGO_CTL_PING: address or host name */
	uint32_t count;		/* LEGO_CTL_PING: RPCs in all */
	uint32_t threads;	/* LEGO_CTL_PING: sending at once */
	uint32_t size;		/* LEGO_CTL_PING: bytes per transfer */
	uint32_t op;		/* LEGO_CTL_PING: enum lego_ping_op */
};

int lego_ctl_parse_args(int argc, char *const argv[],
			struct lego_ctl_args *args, char *err, size_t err_size);
const char *lego_ctl_usage(const char *topic);
int lego_parse_size(const char *s, uint64_t *bytes);
const char *lego_ctl_ping_op_name(uint32_t op);

#endif /* _LEGO_CTL_ARGS_H */

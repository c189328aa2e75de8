/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lego-ctl command-line parsing: pure logic, unit-tested.
 */
#ifndef _LEGO_CTL_ARGS_H
#define _LEGO_CTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lego_ctl_cmd {
	LEGO_CTL_HELP,		/* lego-ctl --help, help [COMMAND] */
	LEGO_CTL_VERSION,
	LEGO_CTL_STATUS,
};

struct lego_ctl_args {
	enum lego_ctl_cmd cmd;
	const char *help_topic;	/* help COMMAND / COMMAND --help; NULL: all */
	bool json;
};

int lego_ctl_parse_args(int argc, char *const argv[], struct lego_ctl_args *args,
			char *err, size_t err_size);
int lego_parse_size(const char *s, uint64_t *bytes);
const char *lego_ctl_usage(const char *topic);

#endif /* _LEGO_CTL_ARGS_H */

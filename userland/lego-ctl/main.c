// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl: control LegoLKM from userland.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "lego/genl.h"
#include "status.h"

#define LEGO_CTL_VERSION_STRING "0.1"

static int fail(const char *what, int err)
{
	if (err == -ENOENT)
		fprintf(stderr,
			"lego-ctl: lego module not loaded (no \"%s\" generic netlink family)\n",
			LEGO_GENL_NAME);
	else
		fprintf(stderr, "lego-ctl: %s: %s\n", what, strerror(-err));
	return 1;
}

static int cmd_status(const struct lego_ctl_args *args)
{
	struct lego_status st;
	int ret;

	ret = lego_nl_status(&st);
	if (ret)
		return fail("status", ret);
	lego_status_print(&st, args->json);
	return 0;
}

int main(int argc, char *argv[])
{
	struct lego_ctl_args args;
	char err[256];

	if (lego_ctl_parse_args(argc, argv, &args, err, sizeof(err))) {
		fprintf(stderr, "lego-ctl: %s\n", err);
		return 1;
	}
	switch (args.cmd) {
	case LEGO_CTL_HELP:
		fputs(lego_ctl_usage(args.help_topic), stdout);
		return 0;
	case LEGO_CTL_VERSION:
		printf("lego-ctl %s\n", LEGO_CTL_VERSION_STRING);
		return 0;
	case LEGO_CTL_STATUS:
		return cmd_status(&args);
	}
	return 1;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl: control LegoLKM (lego.ko) from userland.
 *
 * Exit status 0 on success, 1 on any error; an error is one line on stderr
 * starting with "lego-ctl: ".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "lego/genl.h"
#include "netlink.h"
#include "status.h"

#define LEGO_CTL_VERSION_STRING	"0.1"

static int nl_failed(const char *cmd, int ret)
{
	if (ret == LEGO_NL_NO_FAMILY)
		fprintf(stderr,
			"lego-ctl: lego module not loaded (no \"%s\" generic netlink family)\n",
			LEGO_GENL_NAME);
	else
		fprintf(stderr, "lego-ctl: %s: %s\n", cmd, strerror(-ret));
	return 1;
}

static int cmd_status(const struct lego_ctl_args *args)
{
	static struct lego_status st;
	int ret;

	ret = lego_nl_status(&st);
	if (ret)
		return nl_failed("status", ret);
	lego_status_print(&st, args->json);
	return 0;
}

static int run(const struct lego_ctl_args *args)
{
	switch (args->cmd) {
	case LEGO_CTL_HELP:
		fputs(lego_ctl_usage(args->help_topic), stdout);
		return 0;
	case LEGO_CTL_VERSION:
		printf("lego-ctl %s (netlink family \"%s\" version %d)\n",
		       LEGO_CTL_VERSION_STRING, LEGO_GENL_NAME,
		       LEGO_GENL_VERSION);
		return 0;
	case LEGO_CTL_STATUS:
		return cmd_status(args);
	}
	return 1;
}

int main(int argc, char *argv[])
{
	struct lego_ctl_args args;
	char err[256];
	int ret;

	if (lego_ctl_parse_args(argc, argv, &args, err, sizeof(err))) {
		fprintf(stderr, "lego-ctl: %s\n", err);
		return 1;
	}
	ret = run(&args);
	/* A full disk or a closed pipe is an error too. */
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "lego-ctl: write error: %s\n", strerror(errno));
		return 1;
	}
	return ret;
}

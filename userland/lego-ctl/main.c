// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl: control LegoLKM (lego.ko) from userland.
 *
 * Exit status 0 on success, 1 on any error; an error is one line on stderr
 * starting with "lego-ctl: ". lego-ctl run exits as its program does.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "args.h"
#include "lego/genl.h"
#include "netlink.h"
#include "run.h"
#include "status.h"

#define LEGO_CTL_VERSION_STRING	"0.1"

/*
 * Report a failed request of command @cmd, about vNode @vnode if any: in
 * lego-ctl's words for what the user can fix, else in lego.ko's.
 */
static int nl_failed(const char *cmd, const char *vnode, int ret)
{
	const char *msg = lego_nl_error_msg();

	if (ret == LEGO_NL_NO_FAMILY)
		fprintf(stderr,
			"lego-ctl: lego module not loaded (no \"%s\" generic netlink family)\n",
			LEGO_GENL_NAME);
	else if (ret == -EPERM || ret == -EACCES)
		fprintf(stderr, "lego-ctl: %s: needs CAP_NET_ADMIN\n", cmd);
	else if (vnode && ret == -ENOENT)
		fprintf(stderr, "lego-ctl: %s: no vNode '%s'\n", cmd, vnode);
	else if (vnode && ret == -EEXIST)
		fprintf(stderr, "lego-ctl: %s: vnode '%s' exists\n", cmd,
			vnode);
	else if (msg)
		fprintf(stderr, "lego-ctl: %s: %s\n", cmd, msg);
	else if (ret == -ENODEV)
		fprintf(stderr, "lego-ctl: %s: this host is not a pmon\n",
			cmd);
	else
		fprintf(stderr, "lego-ctl: %s: %s\n", cmd, strerror(-ret));
	return 1;
}

/* stdout, flushed: a full disk or a closed pipe is an error too. */
static int flush_output(void)
{
	if (!fflush(stdout) && !ferror(stdout))
		return 0;
	fprintf(stderr, "lego-ctl: write error: %s\n", strerror(errno));
	return 1;
}

static int cmd_status(const struct lego_ctl_args *args)
{
	static struct lego_status st;
	int ret;

	ret = lego_nl_status(&st);
	if (ret)
		return nl_failed("status", NULL, ret);
	lego_status_print(&st, args->json);
	return 0;
}

/* An IPv4 address, or a host name resolved to one. */
static int resolve_ipv4(const char *cmd, const char *name, uint32_t *addr)
{
	struct addrinfo hints = { .ai_family = AF_INET };
	struct addrinfo *res;
	int ret;

	ret = getaddrinfo(name, NULL, &hints, &res);
	if (ret) {
		fprintf(stderr, "lego-ctl: %s: cannot resolve '%s': %s\n",
			cmd, name, gai_strerror(ret));
		return -1;
	}
	*addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr;
	freeaddrinfo(res);
	return 0;
}

static int cmd_ping(const struct lego_ctl_args *args)
{
	struct lego_ping p = {
		.count = args->count,
		.threads = args->threads,
		.size = args->size,
		.op = args->op,
	};
	char addr[INET_ADDRSTRLEN];
	int ret;

	if (resolve_ipv4("ping", args->monitor, &p.addr))
		return 1;
	inet_ntop(AF_INET, &p.addr, addr, sizeof(addr));
	ret = lego_nl_ping(&p);
	if (ret == -ENOENT) {
		fprintf(stderr, "lego-ctl: ping: no connection to %s (not in mmon= or smon=)\n",
			addr);
		return 1;
	}
	if (ret)
		return nl_failed("ping", NULL, ret);
	lego_ping_print(&p, addr, args->json);
	if (p.failed || p.corrupt) {
		fprintf(stderr, "lego-ctl: ping: %llu failed (first: %s), %llu corrupt\n",
			(unsigned long long)p.failed,
			p.error ? strerror((int)p.error) : "none",
			(unsigned long long)p.corrupt);
		return 1;
	}
	return 0;
}

static int cmd_vnode_create(const struct lego_ctl_args *args)
{
	struct lego_vnode vn = {
		.mem = args->mem,
		.nr_mmons = args->nr_mmons,
		.replicas = args->replicas,
	};
	uint32_t i, j;
	int ret;

	snprintf(vn.name, sizeof(vn.name), "%s", args->vnode);
	for (i = 0; i < args->nr_mmons; i++) {
		if (resolve_ipv4("vnode create", args->mmons[i], &vn.mmons[i]))
			return 1;
		/* Each mmon counts once towards the vNode's memory. */
		for (j = 0; j < i; j++) {
			if (vn.mmons[j] == vn.mmons[i]) {
				fprintf(stderr,
					"lego-ctl: vnode create: --mmon %s and --mmon %s are the same mmon\n",
					args->mmons[j], args->mmons[i]);
				return 1;
			}
		}
	}
	ret = lego_nl_vnode_new(&vn, args->disk);
	if (ret)
		return nl_failed("vnode create", args->vnode, ret);
	printf("vnode %s created (id %u)\n", vn.name, vn.id);
	return 0;
}

static int cmd_vnode_list(const struct lego_ctl_args *args)
{
	struct lego_vnode *vns;
	size_t nr;
	int ret;

	ret = lego_nl_vnode_list(&vns, &nr);
	if (ret)
		return nl_failed("vnode list", NULL, ret);
	lego_vnode_list_print(vns, nr, args->json);
	free(vns);
	return 0;
}

static int cmd_vnode_show(const struct lego_ctl_args *args)
{
	struct lego_vnode vn;
	int ret;

	ret = lego_nl_vnode_get(args->vnode, &vn);
	if (ret)
		return nl_failed("vnode show", args->vnode, ret);
	lego_vnode_print(&vn, args->json);
	return 0;
}

static int cmd_vnode_destroy(const struct lego_ctl_args *args)
{
	int ret;

	ret = lego_nl_vnode_del(args->vnode, args->force);
	if (ret)
		return nl_failed("vnode destroy", args->vnode, ret);
	printf("vnode %s destroyed\n", args->vnode);
	return 0;
}

static int cmd_run(const struct lego_ctl_args *args, char *const argv[])
{
	struct lego_vnode vn;
	int ret;

	ret = lego_nl_vnode_get(args->vnode, &vn);
	if (ret)
		return nl_failed("run", args->vnode, ret);
	return lego_run_exec(args, argv);
}

/* Once, or every --watch seconds until a signal ends lego-ctl. */
static int cmd_stats(const struct lego_ctl_args *args)
{
	struct lego_stats st;
	int ret;

	for (;;) {
		ret = lego_nl_stats(args->vnode, &st);
		if (!ret)
			lego_stats_print(&st, args->json);
		lego_stats_free(&st);
		if (ret)
			return nl_failed("stats", args->vnode, ret);
		if (!args->watch)
			return 0;
		/* Each sample reaches a pipe as soon as it is taken. */
		if (flush_output())
			return 1;
		sleep(args->watch);
		if (!args->json)
			putchar('\n');
	}
}

struct monitor {
	bool json;
	bool write_failed;
};

static int print_event(const struct lego_event_msg *ev, void *arg)
{
	struct monitor *mon = arg;

	lego_event_print(ev, mon->json);
	mon->write_failed = flush_output();
	return mon->write_failed ? -EIO : 0;
}

/* Until a signal ends lego-ctl. */
static int cmd_monitor(const struct lego_ctl_args *args)
{
	struct monitor mon = { .json = args->json };
	int ret;

	ret = lego_nl_monitor(print_event, &mon);
	if (mon.write_failed)
		return 1;
	return nl_failed("monitor", NULL, ret);
}

static int run(const struct lego_ctl_args *args, char *const argv[])
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
	case LEGO_CTL_PING:
		return cmd_ping(args);
	case LEGO_CTL_VNODE_CREATE:
		return cmd_vnode_create(args);
	case LEGO_CTL_VNODE_LIST:
		return cmd_vnode_list(args);
	case LEGO_CTL_VNODE_SHOW:
		return cmd_vnode_show(args);
	case LEGO_CTL_VNODE_DESTROY:
		return cmd_vnode_destroy(args);
	case LEGO_CTL_RUN:
		return cmd_run(args, argv);
	case LEGO_CTL_STATS:
		return cmd_stats(args);
	case LEGO_CTL_MONITOR:
		return cmd_monitor(args);
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
	ret = run(&args, argv);
	/* A failed command has said why already: one line is enough. */
	return ret ?: flush_output();
}

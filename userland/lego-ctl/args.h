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

#include "lego/wire.h"

enum lego_ctl_cmd {
	LEGO_CTL_HELP,		/* --help, help [COMMAND], COMMAND --help */
	LEGO_CTL_VERSION,	/* -V, --version */
	LEGO_CTL_STATUS,	/* status [--json] */
	LEGO_CTL_PING,		/* ping MONITOR [--count N] ... */
	LEGO_CTL_VNODE_CREATE,	/* vnode create NAME --mem SIZE ... */
	LEGO_CTL_VNODE_LIST,	/* vnode list [--json] */
	LEGO_CTL_VNODE_SHOW,	/* vnode show NAME [--json] */
	LEGO_CTL_VNODE_DESTROY,	/* vnode destroy NAME [--force] */
	LEGO_CTL_RUN,		/* run NAME [--malloc M] [--] CMD [ARGS...] */
	LEGO_CTL_STATS,		/* stats [NAME] [--json] [--watch SECS] */
	LEGO_CTL_MONITOR,	/* monitor [--json] */
};

/* run --malloc: the allocator preloaded with liblego. */
enum lego_malloc {
	LEGO_MALLOC_MIMALLOC,
	LEGO_MALLOC_JEMALLOC,
	LEGO_MALLOC_LIBC,	/* glibc's: its brk heap stays local */
	__LEGO_MALLOC_MAX,
};

/* What the command line asks for. */
struct lego_ctl_args {
	enum lego_ctl_cmd cmd;
	const char *help_topic;	/* LEGO_CTL_HELP: a command, NULL for all */
	bool json;		/* status, ping, vnode list/show, stats, monitor */
	const char *monitor;	/* LEGO_CTL_PING: address or host name */
	uint32_t count;		/* LEGO_CTL_PING: RPCs in all */
	uint32_t threads;	/* LEGO_CTL_PING: sending at once */
	uint32_t size;		/* LEGO_CTL_PING: bytes per transfer */
	uint32_t op;		/* LEGO_CTL_PING: enum lego_ping_op */
	const char *vnode;	/* vnode create/show/destroy, run, stats */
	uint64_t mem;		/* vnode create: bytes, a multiple of 4 KiB */
	uint64_t disk;		/* vnode create: bytes, 0 for no disk */
	const char *mmons[LEGO_VNODE_MMONS_MAX];  /* vnode create, home first */
	uint32_t nr_mmons;	/* 0: every mmon the pmon knows */
	uint32_t replicas;	/* vnode create: 1 or 2; 0: lego.ko's, 1 */
	bool force;		/* vnode destroy */
	uint32_t malloc;	/* LEGO_CTL_RUN: enum lego_malloc */
	int cmd_index;		/* LEGO_CTL_RUN: CMD is argv[cmd_index] */
	uint32_t watch;		/* LEGO_CTL_STATS: seconds, 0 for once */
};

int lego_ctl_parse_args(int argc, char *const argv[],
			struct lego_ctl_args *args, char *err, size_t err_size);
const char *lego_ctl_usage(const char *topic);
int lego_parse_size(const char *s, uint64_t *bytes);
const char *lego_ctl_ping_op_name(uint32_t op);

#endif /* _LEGO_CTL_ARGS_H */

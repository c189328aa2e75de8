/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lego-ctl's side of the "lego" generic netlink family (libnl-genl-3).
 */
#ifndef _LEGO_CTL_NETLINK_H
#define _LEGO_CTL_NETLINK_H

#include "event.h"
#include "stats.h"
#include "status.h"
#include "vnode.h"

/* Returned when the family is not registered: lego.ko is not loaded. */
#define LEGO_NL_NO_FAMILY	1

/* LEGO_CMD_PING: what to send, and how it went. */
struct lego_ping {
	uint32_t addr;		/* IPv4, network byte order */
	uint32_t count;
	uint32_t threads;
	uint32_t size;
	uint32_t op;		/* enum lego_ping_op */
	uint64_t ok;
	uint64_t failed;
	uint64_t corrupt;
	uint64_t median_ns;
	uint64_t p99_ns;
	uint32_t error;		/* first error, as a positive errno */
};

/* Called for each event; a non-zero return ends lego_nl_monitor(). */
typedef int (*lego_event_fn)(const struct lego_event_msg *ev, void *arg);

int lego_nl_status(struct lego_status *st);
int lego_nl_ping(struct lego_ping *p);
int lego_nl_vnode_new(struct lego_vnode *vn, uint64_t disk);
int lego_nl_vnode_del(const char *name, bool force);
int lego_nl_vnode_get(const char *name, struct lego_vnode *vn);
int lego_nl_vnode_list(struct lego_vnode **vns, size_t *nr);
int lego_nl_stats(const char *vnode, struct lego_stats *st);
int lego_nl_monitor(lego_event_fn fn, void *arg);
const char *lego_nl_error_msg(void);

#endif /* _LEGO_CTL_NETLINK_H */

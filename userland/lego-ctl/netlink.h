/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lego-ctl's side of the "lego" generic netlink family (libnl-genl-3).
 */
#ifndef _LEGO_CTL_NETLINK_H
#define _LEGO_CTL_NETLINK_H

#include "status.h"

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

int lego_nl_status(struct lego_status *st);
int lego_nl_ping(struct lego_ping *p);

#endif /* _LEGO_CTL_NETLINK_H */

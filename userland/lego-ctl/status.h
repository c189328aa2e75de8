/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lego-ctl status: what LEGO_CMD_STATUS_GET reports, and its printing.
 */
#ifndef _LEGO_CTL_STATUS_H
#define _LEGO_CTL_STATUS_H

#include <stdbool.h>
#include <stdint.h>

/* More than lego.ko connects to (LEGO_MAX_PEERS). */
#define LEGO_CTL_PEERS_MAX	64

/* A monitor this host connects to (LEGO_ATTR_PEER). */
struct lego_peer_status {
	uint32_t addr;			/* IPv4, network byte order */
	uint32_t role;			/* LEGO_ROLE_MMON or LEGO_ROLE_SMON */
	char state[16];			/* "live", "connecting", ... */
	bool has_mem;			/* an mmon that answered: */
	uint64_t free_bytes;		/*  not promised to any vNode */
	uint64_t used_bytes;		/*  holding pages */
};

/* A role's fields are valid when its LEGO_ROLE_* bit is in @roles. */
struct lego_status {
	uint32_t roles;
	uint64_t excache_bytes;		/* pmon */
	uint32_t excache_ways;
	uint32_t excache_sets;
	uint64_t pool_bytes;		/* mmon */
	char backing[4096];		/* smon */
	uint64_t backing_bytes;		/*  volumes' and room for more */
	uint64_t backing_used;		/*  given to volumes */
	uint32_t volumes;
	uint32_t nr_peers;
	struct lego_peer_status peers[LEGO_CTL_PEERS_MAX];
};

struct lego_ping;

void lego_status_print(const struct lego_status *st, bool json);
void lego_ping_print(const struct lego_ping *p, const char *addr, bool json);

#endif /* _LEGO_CTL_STATUS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lego-fuzz's connection to a monitor (fuzz_conn.c), shared by its
 * scripted cases (lego-fuzz.c) and its random mode (fuzz_random.c).
 */
#ifndef _LEGO_FUZZ_H
#define _LEGO_FUZZ_H

#include <stdbool.h>
#include <rdma/rdma_cma.h>
#include <rdma/rdma_verbs.h>

#include "lego/compat.h"
#include "lego/wire.h"

#define FUZZ_BURST	16	/* messages sent without waiting, at most */

/* One connection to the monitor, with buffers for each direction. */
struct conn {
	struct rdma_addrinfo *res;
	struct rdma_cm_id *id;
	struct ibv_mr *tx_mr, *rx_mr, *rd_mr, *blk_mr, *burst_mr, *replies_mr;
	char tx[LEGO_MSG_MAX], rx[LEGO_MSG_MAX], rd[2 * 4096];
	char blk[2 * 4096];	/* lent to the smon */
	/* A burst's messages, and the receive buffers for their replies. */
	char burst[FUZZ_BURST][LEGO_MSG_MAX];
	char replies[FUZZ_BURST][LEGO_MSG_MAX];
};

struct conn *conn_open(const char *addr, const char *port);
void conn_close(struct conn *c);
void good_header(struct lego_msg_hdr *hdr, uint32_t len, uint64_t id);
int send_comp(struct conn *c);
int send_and_wait(struct conn *c, size_t bytes);
int call_vnode(struct conn *c, uint16_t opcode, uint32_t vnode,
	       const void *payload, uint32_t len, int *status);
int call(struct conn *c, uint16_t opcode, const void *payload, uint32_t len);

int fuzz_random(const char *addr, const char *port, bool blocks,
		unsigned int seconds, uint64_t seed);

#endif /* _LEGO_FUZZ_H */

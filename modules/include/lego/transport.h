/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The RDMA transport between monitors: reliable connections (RC QPs over
 * rdma_cm) carrying request/reply RPCs.
 */
#ifndef _LEGO_TRANSPORT_H
#define _LEGO_TRANSPORT_H

#include <linux/types.h>

struct lego_peer;

int lego_transport_init(u16 port, bool listen, unsigned int timeout_ms);
void lego_transport_exit(void);

int lego_peer_add(__be32 addr, u16 port);
struct lego_peer *lego_peer_find(__be32 addr);

int lego_rpc_call(struct lego_peer *peer, u16 opcode, u32 vnode,
		  const void *req_buf, u32 req_len, void *reply, u32 reply_max,
		  u32 *reply_len);

/* Run @count echo RPCs of @size bytes on @threads threads, checked. */
struct lego_ping_result {
	u64 ok;
	u64 failed;		/* the RPC returned an error */
	u64 corrupt;		/* the payload came back different */
	u64 median_ns;
	u64 p99_ns;
	int first_error;
};

int lego_ping(struct lego_peer *peer, u32 count, u32 threads, u32 size,
	      struct lego_ping_result *res);

#endif /* _LEGO_TRANSPORT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The RDMA transport between monitors: reliable connections (RC QPs over
 * rdma_cm) carrying request/reply RPCs.
 */
#ifndef _LEGO_TRANSPORT_H
#define _LEGO_TRANSPORT_H

#include <linux/types.h>
#include <linux/uio.h>

#include "lego/genl.h"
#include "lego/wire_check.h"

struct lego_peer;

int lego_transport_init(u16 port, bool listen, unsigned int timeout_ms);
void lego_transport_exit(void);

int lego_peer_add(__be32 addr, u16 port);
struct lego_peer *lego_peer_find(__be32 addr);
__be32 lego_peer_addr(const struct lego_peer *peer);
u64 lego_peer_serial(const struct lego_peer *peer);
unsigned int lego_peers_connected_to(struct lego_peer **out, unsigned int max);
const char *lego_peer_state_name(const struct lego_peer *peer);
bool lego_peer_live(const struct lego_peer *peer);
struct sk_buff;
int lego_stats_nl_fill(struct sk_buff *msg);

/* The server's side of an opcode: fill @reply, return the reply's status. */
typedef int (*lego_serve_fn)(struct lego_peer *peer, const struct lego_msg *msg,
			     const void *payload, void *reply, u32 *reply_len);
void lego_serve_register(u16 opcode, lego_serve_fn serve, bool may_sleep);

int lego_rpc_call(struct lego_peer *peer, u16 opcode, u32 vnode,
		  const void *req_buf, u32 req_len, void *reply, u32 reply_max,
		  u32 *reply_len);
void lego_reply_invalidate(const struct lego_msg *msg, u32 rkey);

/*
 * An RPC whose outcome goes to @done instead of a waiter, called once, in
 * softirq context (the receive completion), or from lego_rpc_submit()'s
 * caller's context when the peer fails. @reply is the reply's payload,
 * readable only during the call. For posting from a block driver's
 * queue_rq and ending the request from the completion, as nvme-rdma does.
 */
struct lego_call;
struct lego_mr;
typedef void (*lego_call_done_fn)(struct lego_call *call, int status,
				  const void *reply, u32 reply_len);
struct lego_call {
	lego_call_done_fn done;
	u64 req_id;		/* the transport's, for lego_rpc_abort() */
	unsigned long sent;	/* jiffies when it went out */
};

int lego_rpc_submit(struct lego_peer *peer, struct lego_call *call,
		    u16 opcode, u32 vnode, const struct kvec *vec,
		    unsigned int nr_vec, struct lego_mr *mr);
void lego_rpc_abort(struct lego_peer *peer, struct lego_call *call);
extern unsigned int lego_rpc_timeout_ms;

struct lego_mem_stat_reply;
bool lego_mem_stat(struct lego_peer *peer, struct lego_mem_stat_reply *st);

struct page;
struct lego_mr;

struct lego_mr *lego_mr_register(struct lego_peer *peer, struct page **pages,
				 unsigned int nr_pages, int access);
struct scatterlist;
struct lego_mr *lego_mr_prepare_sg(struct lego_peer *peer,
				   struct scatterlist *sgl,
				   unsigned int nents, int access);
void lego_mr_deregister(struct lego_mr *mr);
bool lego_mr_must_invalidate(const struct lego_mr *mr);
u64 lego_mr_addr(const struct lego_mr *mr);
u32 lego_mr_rkey(const struct lego_mr *mr);
u64 lego_mr_length(const struct lego_mr *mr);

void lego_expose_setup(unsigned int max, unsigned int pages);
int lego_expose(struct lego_peer *peer, u32 id, struct page **pages,
		unsigned int nr, u64 iova, u32 *rkey);
void lego_unexpose(u64 serial, u32 id);

int lego_rdma_read(struct lego_peer *peer, void *buf, u32 len,
		   u64 remote_addr, u32 rkey);
int lego_rdma_write(struct lego_peer *peer, void *buf, u32 len,
		    u64 remote_addr, u32 rkey);
struct lego_rdma_op;
struct lego_rdma_op *lego_rdma_read_page_begin(struct lego_peer *peer,
					       struct page *page,
					       u64 remote_addr, u32 rkey);
struct lego_rdma_op *lego_rdma_write_page_begin(struct lego_peer *peer,
						struct page *page,
						u64 remote_addr, u32 rkey);
int lego_rdma_op_end(struct lego_rdma_op *op);
int lego_rdma_read_pages(struct lego_peer *peer, struct page **pages, u32 len,
			 u64 remote_addr, u32 rkey);
int lego_rdma_read_each(struct lego_peer *peer, struct page **pages,
			const u64 *remote_addr, const u32 *rkey, u32 nr);
int lego_rdma_write_pages(struct lego_peer *peer, struct page **pages, u32 len,
			  u64 remote_addr, u32 rkey);

/* How a lego_ping() went. */
struct lego_ping_result {
	u64 ok;
	u64 failed;		/* the RPC returned an error */
	u64 corrupt;		/* the payload came back different */
	u64 median_ns;
	u64 p99_ns;
	int first_error;
};

int lego_ping(struct lego_peer *peer, enum lego_ping_op op, u32 count,
	      u32 threads, u32 size, struct lego_ping_result *res);

#endif /* _LEGO_TRANSPORT_H */

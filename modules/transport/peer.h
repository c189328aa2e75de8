/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the transport: a peer is one RC connection to another monitor,
 * either opened by us (a client peer, reconnected while we live) or
 * accepted by our listener (a server peer, gone when it disconnects).
 */
#ifndef _LEGO_PEER_H
#define _LEGO_PEER_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/in.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/semaphore.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <rdma/ib_verbs.h>
#include <rdma/rdma_cm.h>

#include "lego/wire_check.h"

#define LEGO_QUEUE_DEPTH	32	/* a client's requests in flight */
#define LEGO_RDMA_DEPTH		16	/* one-sided work requests in flight */
#define LEGO_MR_POOL		LEGO_QUEUE_DEPTH	/* registrations held at once */
#define LEGO_MR_MAX_PAGES	256	/* pages one registration can cover */
#define LEGO_SEND_SGE		16	/* pages one RDMA READ/WRITE gathers */
#define LEGO_LAT_BUCKETS	24	/* log2(us): up to 8 s */

enum lego_peer_state {
	LEGO_PEER_CONNECTING,
	LEGO_PEER_LIVE,
	LEGO_PEER_DOWN,
	LEGO_PEER_CLOSING,
};

struct lego_stats {
	atomic64_t requests;	/* sent, as a client */
	atomic64_t replies;
	atomic64_t served;	/* answered, as a server */
	atomic64_t tx_bytes;
	atomic64_t rx_bytes;
	atomic64_t errors;
	atomic64_t timeouts;
	atomic64_t connects;
	atomic64_t disconnects;
	atomic64_t dropped[__LEGO_DROP_MAX];
	atomic64_t latency_us[LEGO_LAT_BUCKETS];
};

/* A message buffer, DMA-mapped for the peer's device. */
struct lego_buf {
	void *data;
	u64 dma;
};

/* A client's request slot; its tag is its index. */
struct lego_req {
	struct lego_peer *peer;
	struct ib_cqe send_cqe;
	struct lego_buf buf;
	u64 req_id;		/* 0: nobody waits for a reply */
	bool send_pending;
	bool waiting;		/* its caller has not had the outcome yet */
	int status;		/* -EINPROGRESS until replied or failed */
	struct lego_call *call;	/* an asynchronous call's, else NULL */
	struct lego_mr *mr;	/* the registration the request hands out */
	ktime_t start;
	void *reply;
	u32 reply_max;
	u32 reply_len;
	bool invalidated;	/* the reply invalidated inv_rkey */
	u32 inv_rkey;
	struct completion done;
};

/*
 * A receive buffer; on a server it owns the buffer its reply goes out of
 * and the work that serves the request in process context.
 */
struct lego_rx {
	struct lego_peer *peer;
	struct ib_cqe recv_cqe;
	struct ib_cqe send_cqe;
	struct lego_buf buf;
	struct lego_buf reply;
	struct lego_msg msg;		/* the request, checked */
	u32 inv_rkey;			/* the reply invalidates it, if not 0 */
	struct work_struct serve_work;
};

struct lego_peer {
	struct list_head node;
	char name[24];			/* a.b.c.d:port */
	u64 serial;			/* names this connection, never reused */
	struct sockaddr_in addr;
	bool server;
	enum lego_peer_state state;
	bool can_post;			/* the QP exists and is not draining */
	spinlock_t lock;		/* state, slots, posting to the QP */

	struct rdma_cm_id *cm_id;
	struct ib_device *dev;
	struct ib_pd *pd;
	struct ib_cq *cq;
	unsigned int cq_size;
	struct ib_qp *qp;
	bool mr_pool;			/* qp->rdma_mrs is set up */
	struct completion cm_done;
	int cm_error;

	unsigned int nr_rx;
	struct lego_rx *rx;
	struct lego_req *reqs;		/* client only */
	DECLARE_BITMAP(busy, LEGO_QUEUE_DEPTH);
	struct semaphore credits;
	struct semaphore rdma_credits;	/* one-sided work requests */
	struct semaphore held_credits;	/* of those, held across other waits */
	struct semaphore mr_credits;	/* registrations from the MR pool */
	unsigned int mr_pages;		/* pages per MR of the pool */
	unsigned int send_sge;		/* SGEs per send work request */
	u64 seq;

	struct mutex grants_lock;	/* server only: memory lent out */
	struct list_head grants;
	struct xarray exposed;		/* server only: id -> lego_exposure */
	struct list_head expose_mrs;	/* MRs for exposures */

	struct delayed_work connect_work;
	struct work_struct error_work;
	unsigned int backoff_ms;
	struct dentry *debugfs;
	struct lego_stats stats;
};

/* Every counter is kept per peer and for the whole transport. */
extern struct lego_stats lego_total;

static inline void lego_count_at(struct lego_peer *peer, size_t offset, s64 n)
{
	atomic64_add(n, (atomic64_t *)((char *)&peer->stats + offset));
	atomic64_add(n, (atomic64_t *)((char *)&lego_total + offset));
}

#define lego_count(peer, field, n) \
	lego_count_at(peer, offsetof(struct lego_stats, field), n)

extern struct workqueue_struct *lego_wq;
extern struct workqueue_struct *lego_serve_wq;
extern struct mutex lego_peers_lock;

struct lego_peer *lego_peer_by_serial(u64 serial);

int lego_peer_create_ib(struct lego_peer *peer);
void lego_peer_destroy_ib(struct lego_peer *peer);
void lego_peer_fail(struct lego_peer *peer, const char *why);
int lego_peer_post_send(struct lego_peer *peer, const struct ib_send_wr *wr);
void lego_wc_error(struct lego_peer *peer, struct ib_wc *wc);

int lego_serve_grant(struct lego_peer *peer, const struct lego_msg *msg,
		     const void *payload, void *reply, u32 *reply_len);
int lego_serve_revoke(struct lego_peer *peer, const struct lego_msg *msg,
		      const void *payload, void *reply, u32 *reply_len);
void lego_grants_release(struct lego_peer *peer);
void lego_expose_init(struct lego_peer *peer);
extern struct ib_cqe lego_reg_cqe;
void lego_expose_release(struct lego_peer *peer);
int lego_rdma_get(struct lego_peer *peer);
void lego_rdma_put(struct lego_peer *peer, int ret);
int lego_post_wait(struct lego_peer *peer, struct ib_send_wr *wr);

void lego_rpc_recv_done(struct ib_cq *cq, struct ib_wc *wc);
void lego_rpc_send_done(struct ib_cq *cq, struct ib_wc *wc);
void lego_rpc_serve(struct ib_cq *cq, struct ib_wc *wc);
void lego_rpc_serve_work(struct work_struct *work);
void lego_rpc_reply_sent(struct ib_cq *cq, struct ib_wc *wc);
int lego_rpc_post_recv(struct lego_peer *peer, struct lego_rx *rx);
void lego_rpc_fail_all(struct lego_peer *peer, int error);
void lego_mr_reg_wr(struct lego_mr *mr, struct ib_reg_wr *wr);
void lego_mr_posted(struct lego_mr *mr, bool invalidated);
void lego_mr_unposted(struct lego_mr *mr);
u32 lego_mr_rkey(const struct lego_mr *mr);
unsigned long lego_wait_completion(struct completion *done);

void lego_stats_debugfs_init(void);
void lego_stats_debugfs_add(struct lego_peer *peer);
void lego_stats_debugfs_remove(struct lego_peer *peer);
void lego_stats_debugfs_exit(void);
void lego_stats_latency(struct lego_peer *peer, u64 ns);

#endif /* _LEGO_PEER_H */

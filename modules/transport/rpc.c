// SPDX-License-Identifier: GPL-2.0
/*
 * Request/reply RPC over a peer's queue pair. A client has LEGO_QUEUE_DEPTH
 * request slots (credits), so a burst never overruns the server's posted
 * receives; a request's tag is its slot and its id carries a sequence
 * number, so a late reply to an abandoned request is recognised and dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": rpc: " fmt

#include <linux/ktime.h>

#include "lego/pattern.h"
#include "lego/transport.h"
#include "peer.h"

#define LEGO_TAG_BITS	8
#define LEGO_TAG_MASK	((1U << LEGO_TAG_BITS) - 1)

/* Post @rx's receive; fails once the connection is being torn down. */
int lego_rpc_post_recv(struct lego_peer *peer, struct lego_rx *rx)
{
	struct ib_sge sge = {
		.addr = rx->buf.dma,
		.length = LEGO_MSG_MAX,
		.lkey = peer->pd->local_dma_lkey,
	};
	struct ib_recv_wr wr = {
		.wr_cqe = &rx->recv_cqe,
		.sg_list = &sge,
		.num_sge = 1,
	};
	unsigned long flags;
	int ret = -ENOTCONN;

	spin_lock_irqsave(&peer->lock, flags);
	if (peer->can_post)
		ret = ib_post_recv(peer->qp, &wr, NULL);
	spin_unlock_irqrestore(&peer->lock, flags);
	return ret;
}

/**
 * lego_peer_post_send() - post @wr unless the connection is going away
 * @peer: the connection
 * @wr: the work request
 *
 * Every send goes through here: peer->lock orders the post against the
 * drain in lego_peer_destroy_ib(), so nothing is posted after it began.
 * Soft-RoCE hands a kernel QP's sends to a tasklet, which, raised from a
 * task, would run in ksoftirqd after a task switch; with bottom halves
 * off it runs here, at local_bh_enable(), as a user QP's post does.
 */
int lego_peer_post_send(struct lego_peer *peer, const struct ib_send_wr *wr)
{
	unsigned long flags;
	int ret = -ENOTCONN;

	local_bh_disable();
	spin_lock_irqsave(&peer->lock, flags);
	if (peer->can_post && peer->state == LEGO_PEER_LIVE)
		ret = ib_post_send(peer->qp, wr, NULL);
	spin_unlock_irqrestore(&peer->lock, flags);
	local_bh_enable();
	return ret;
}

/*
 * Send @buf; @first, if not NULL, is posted ahead of it in the same chain
 * (a registration the message hands out); @inv_rkey, if not 0, is
 * invalidated at the receiver with the message.
 */
static int lego_post_msg(struct lego_peer *peer, struct ib_cqe *cqe,
			 struct lego_buf *buf, u32 len,
			 struct ib_send_wr *first, u32 inv_rkey)
{
	struct ib_sge sge = {
		.addr = buf->dma,
		.length = len,
		.lkey = peer->pd->local_dma_lkey,
	};
	struct ib_send_wr wr = {
		.wr_cqe = cqe,
		.sg_list = &sge,
		.num_sge = 1,
		.opcode = IB_WR_SEND,
		.send_flags = IB_SEND_SIGNALED,
	};

	if (inv_rkey) {
		wr.opcode = IB_WR_SEND_WITH_INV;
		wr.ex.invalidate_rkey = inv_rkey;
	}
	ib_dma_sync_single_for_device(peer->dev, buf->dma, len, DMA_TO_DEVICE);
	if (!first)
		return lego_peer_post_send(peer, &wr);
	first->next = &wr;
	return lego_peer_post_send(peer, first);
}

/* A completion in error: flushes are the teardown, anything else a fault. */
void lego_wc_error(struct lego_peer *peer, struct ib_wc *wc)
{
	if (wc->status == IB_WC_WR_FLUSH_ERR)
		return;
	lego_count(peer, errors, 1);
	lego_peer_fail(peer, ib_wc_status_msg(wc->status));
}

/* A receive completed: false if in error, else its bytes are ours to read. */
static bool lego_rpc_received(struct lego_rx *rx, struct ib_wc *wc)
{
	struct lego_peer *peer = rx->peer;

	if (unlikely(wc->status != IB_WC_SUCCESS)) {
		lego_wc_error(peer, wc);
		return false;
	}
	ib_dma_sync_single_for_cpu(peer->dev, rx->buf.dma, wc->byte_len,
				   DMA_FROM_DEVICE);
	lego_count(peer, rx_bytes, wc->byte_len);
	return true;
}

/* Called with peer->lock held: the slot goes back when both are done. */
static void lego_req_put_locked(struct lego_peer *peer, struct lego_req *req)
{
	if (req->send_pending || req->waiting)
		return;
	clear_bit(req - peer->reqs, peer->busy);
	up(&peer->credits);
}

void lego_rpc_send_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct lego_req *req = container_of(wc->wr_cqe, struct lego_req,
					    send_cqe);
	struct lego_peer *peer = req->peer;
	unsigned long flags;

	if (unlikely(wc->status != IB_WC_SUCCESS))
		lego_wc_error(peer, wc);
	spin_lock_irqsave(&peer->lock, flags);
	req->send_pending = false;
	lego_req_put_locked(peer, req);
	spin_unlock_irqrestore(&peer->lock, flags);
}

/* Called with peer->lock held, by whoever ends the call: it is theirs. */
static void lego_req_done_locked(struct lego_peer *peer, struct lego_req *req,
				 int status)
{
	req->status = status;
	req->req_id = 0;	/* a late reply is stale */
}

/*
 * End an asynchronous call whose status someone set under peer->lock:
 * tell its caller, then give its slot back.
 */
static void lego_call_finish(struct lego_peer *peer, struct lego_req *req,
			     const void *reply, u32 reply_len)
{
	struct lego_call *call = req->call;
	unsigned long flags;

	if (req->mr)
		lego_mr_posted(req->mr, req->invalidated &&
			       req->inv_rkey == lego_mr_rkey(req->mr));
	if (req->status)
		lego_count(peer, errors, 1);
	else
		lego_stats_latency(peer, ktime_to_ns(ktime_sub(ktime_get(),
							       req->start)));
	call->done(call, req->status, reply, reply_len);

	spin_lock_irqsave(&peer->lock, flags);
	req->call = NULL;
	req->waiting = false;
	lego_req_put_locked(peer, req);
	spin_unlock_irqrestore(&peer->lock, flags);
}

/* A reply arrived: hand it to its waiter, if one still waits for it. */
void lego_rpc_recv_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct lego_rx *rx = container_of(wc->wr_cqe, struct lego_rx, recv_cqe);
	const void *payload = rx->buf.data + sizeof(struct lego_msg_hdr);
	struct lego_peer *peer = rx->peer;
	struct lego_req *req = NULL;
	bool async = false;
	enum lego_drop why;
	struct lego_msg msg;
	unsigned long flags;

	if (!lego_rpc_received(rx, wc))
		return;
	why = lego_msg_check(rx->buf.data, wc->byte_len, true, &msg);

	spin_lock_irqsave(&peer->lock, flags);
	if (why == LEGO_DROP_NONE) {
		u32 tag = msg.req_id & LEGO_TAG_MASK;

		req = tag < LEGO_QUEUE_DEPTH ? &peer->reqs[tag] : NULL;
		if (!req || !req->req_id || req->req_id != msg.req_id ||
		    req->status != -EINPROGRESS)
			why = LEGO_DROP_STALE;
	}
	if (why == LEGO_DROP_NONE) {
		/* -EINPROGRESS is ours: the peer cannot keep a call open. */
		lego_req_done_locked(peer, req, msg.status == -EINPROGRESS ?
					       -EPROTO : msg.status);
		req->invalidated = wc->wc_flags & IB_WC_WITH_INVALIDATE;
		req->inv_rkey = wc->ex.invalidate_rkey;
		/* A waiter's slot may be reused as soon as it wakes. */
		async = req->call;
		if (!async) {
			req->reply_len = min(msg.len, req->reply_max);
			memcpy(req->reply, payload, req->reply_len);
			complete(&req->done);
		}
	}
	spin_unlock_irqrestore(&peer->lock, flags);

	if (why != LEGO_DROP_NONE) {
		lego_count(peer, dropped[why], 1);
	} else {
		lego_count(peer, replies, 1);
		if (async)
			lego_call_finish(peer, req, payload, msg.len);
	}
	if (lego_rpc_post_recv(peer, rx))
		lego_peer_fail(peer, "cannot post a receive");
}

/* Fail every request still waiting on @peer, e.g. when it went away. */
void lego_rpc_fail_all(struct lego_peer *peer, int error)
{
	DECLARE_BITMAP(calls, LEGO_QUEUE_DEPTH);
	unsigned long flags;
	unsigned int tag;

	if (!peer->reqs)
		return;
	bitmap_zero(calls, LEGO_QUEUE_DEPTH);
	spin_lock_irqsave(&peer->lock, flags);
	for_each_set_bit(tag, peer->busy, LEGO_QUEUE_DEPTH) {
		struct lego_req *req = &peer->reqs[tag];

		if (!req->waiting || req->status != -EINPROGRESS)
			continue;
		lego_req_done_locked(peer, req, error);
		if (req->call)
			set_bit(tag, calls);
		else
			complete(&req->done);
	}
	spin_unlock_irqrestore(&peer->lock, flags);
	/* Their slots stay busy until finished: nobody else touches them. */
	for_each_set_bit(tag, calls, LEGO_QUEUE_DEPTH)
		lego_call_finish(peer, &peer->reqs[tag], NULL, 0);
}

static struct lego_req *lego_req_get(struct lego_peer *peer)
{
	struct lego_req *req = NULL;
	unsigned long flags;
	unsigned int tag;

	if (down_timeout(&peer->credits, msecs_to_jiffies(lego_rpc_timeout_ms)))
		return ERR_PTR(-ETIMEDOUT);
	spin_lock_irqsave(&peer->lock, flags);
	if (peer->state == LEGO_PEER_LIVE) {
		tag = find_first_zero_bit(peer->busy, LEGO_QUEUE_DEPTH);
		set_bit(tag, peer->busy);
		req = &peer->reqs[tag];
		req->req_id = (++peer->seq << LEGO_TAG_BITS) | tag;
		req->status = -EINPROGRESS;
		req->waiting = true;
		req->send_pending = false;
		req->call = NULL;
		req->mr = NULL;
		reinit_completion(&req->done);
	}
	spin_unlock_irqrestore(&peer->lock, flags);
	if (!req) {
		up(&peer->credits);
		return ERR_PTR(-ENOTCONN);
	}
	return req;
}

static u32 lego_kvec_len(const struct kvec *vec, unsigned int nr_vec)
{
	u32 len = 0;

	while (nr_vec--)
		len += vec[nr_vec].iov_len;
	return len;
}

/* A slot for a request of @vec: an ERR_PTR() if too long or none came. */
static struct lego_req *lego_req_for(struct lego_peer *peer,
				     const struct kvec *vec,
				     unsigned int nr_vec)
{
	struct lego_req *req;

	if (lego_kvec_len(vec, nr_vec) > LEGO_PAYLOAD_MAX)
		return ERR_PTR(-EMSGSIZE);
	req = lego_req_get(peer);
	if (IS_ERR(req))
		lego_count(peer, errors, 1);
	return req;
}

/*
 * Build @req's message from @vec and post it, after @mr's registration if
 * any. On success the reply may already have come.
 */
static int lego_rpc_post(struct lego_peer *peer, struct lego_req *req,
			 u16 opcode, u32 vnode, const struct kvec *vec,
			 unsigned int nr_vec, struct lego_mr *mr)
{
	u32 req_len = lego_kvec_len(vec, nr_vec);
	u32 len = sizeof(struct lego_msg_hdr) + req_len;
	struct ib_reg_wr reg;
	void *at;
	int ret;

	lego_msg_header(req->buf.data, opcode, vnode, req_len, req->req_id, 0);
	at = req->buf.data + sizeof(struct lego_msg_hdr);
	for (; nr_vec; nr_vec--, vec++) {
		memcpy(at, vec->iov_base, vec->iov_len);
		at += vec->iov_len;
	}
	req->mr = mr;
	req->invalidated = false;
	req->start = ktime_get();
	if (mr) {
		lego_mr_reg_wr(mr, &reg);
		lego_mr_posted(mr, false);
	}
	/* Set first: the send may complete before lego_post_msg() returns. */
	req->send_pending = true;
	ret = lego_post_msg(peer, &req->send_cqe, &req->buf, len,
			    mr ? &reg.wr : NULL, 0);
	if (ret) {
		req->send_pending = false;
		return ret;
	}
	lego_count(peer, requests, 1);
	lego_count(peer, tx_bytes, len);
	return 0;
}

/**
 * lego_rpc_submit() - send a request; its outcome goes to @call->done
 * @peer: the monitor to ask
 * @call: the caller's, with ->done set; untouched by the caller until done
 * @opcode: LEGO_OP_*
 * @vnode: the vNode the request is for
 * @vec: the payload in pieces, copied before this returns
 * @nr_vec: how many
 * @mr: NULL, or from lego_mr_prepare_sg(): registered in the same post as
 *	the request, ahead of it, so the peer finds it valid;
 *	lego_mr_deregister() after, which knows whether the reply invalidated it
 *
 * May sleep for a request slot (at most the RPC timeout). Nothing bounds
 * the wait for the reply but the caller: lego_rpc_abort() when it has
 * waited long enough.
 * Return: 0 if sent (@call->done will be called), else a negative errno
 * and @call->done is not called.
 */
int lego_rpc_submit(struct lego_peer *peer, struct lego_call *call,
		    u16 opcode, u32 vnode, const struct kvec *vec,
		    unsigned int nr_vec, struct lego_mr *mr)
{
	struct lego_req *req;
	unsigned long flags;
	bool mine;
	int ret;

	req = lego_req_for(peer, vec, nr_vec);
	if (IS_ERR(req))
		return PTR_ERR(req);
	req->call = call;
	call->req_id = req->req_id;
	call->sent = jiffies;
	ret = lego_rpc_post(peer, req, opcode, vnode, vec, nr_vec, mr);
	if (!ret)
		return 0;

	/* Not sent; unless the peer's failure ended the call meanwhile. */
	spin_lock_irqsave(&peer->lock, flags);
	mine = req->status == -EINPROGRESS;
	if (mine) {
		lego_req_done_locked(peer, req, ret);
		req->call = NULL;
		req->waiting = false;
		lego_req_put_locked(peer, req);
	}
	spin_unlock_irqrestore(&peer->lock, flags);
	if (!mine)
		return 0;
	/* A failed post sends nothing: the registration is not out. */
	if (mr)
		lego_mr_unposted(mr);
	lego_count(peer, errors, 1);
	return ret;
}

/**
 * lego_rpc_abort() - give up on @call: the peer took too long
 * @peer: as given to lego_rpc_submit()
 * @call: a call submitted there
 *
 * As a synchronous call that times out, the connection is reset: @call
 * and every call behind it end with an error, now, unless a reply ended
 * @call first.
 */
void lego_rpc_abort(struct lego_peer *peer, struct lego_call *call)
{
	u32 tag = call->req_id & LEGO_TAG_MASK;
	struct lego_req *req;
	unsigned long flags;
	bool mine;

	if (tag >= LEGO_QUEUE_DEPTH)
		return;
	req = &peer->reqs[tag];
	spin_lock_irqsave(&peer->lock, flags);
	mine = req->call == call && req->req_id == call->req_id &&
	       req->status == -EINPROGRESS;
	if (mine)
		lego_req_done_locked(peer, req, -ETIMEDOUT);
	spin_unlock_irqrestore(&peer->lock, flags);
	if (!mine)
		return;
	lego_count(peer, timeouts, 1);
	lego_peer_fail(peer, "no reply in time");
	lego_call_finish(peer, req, NULL, 0);
}

/**
 * lego_rpc_call() - send a request and wait for its reply
 * @peer: the monitor to ask
 * @opcode: LEGO_OP_*
 * @vnode: the vNode the request is for, 0 for the transport's own
 * @req_buf: request payload
 * @req_len: its length, at most LEGO_PAYLOAD_MAX
 * @reply: where the reply's payload goes
 * @reply_max: room at @reply; a longer reply is cut
 * @reply_len: set to the bytes copied to @reply
 *
 * Sleeps. Return: the reply's status (0 or a negative errno from the
 * peer), -ETIMEDOUT if no reply came within the timeout, -ENOTCONN if the
 * peer is not connected or went away meanwhile.
 */
int lego_rpc_call(struct lego_peer *peer, u16 opcode, u32 vnode,
		  const void *req_buf, u32 req_len, void *reply, u32 reply_max,
		  u32 *reply_len)
{
	struct kvec vec = { .iov_base = (void *)req_buf, .iov_len = req_len };
	struct lego_req *req;
	unsigned long flags;
	int ret;

	req = lego_req_for(peer, &vec, 1);
	if (IS_ERR(req))
		return PTR_ERR(req);
	req->reply = reply;
	req->reply_max = reply_max;
	req->reply_len = 0;
	ret = lego_rpc_post(peer, req, opcode, vnode, &vec, 1, NULL);
	if (ret)
		goto out;

	if (!lego_wait_completion(&req->done)) {
		spin_lock_irqsave(&peer->lock, flags);
		if (req->status == -EINPROGRESS)
			lego_req_done_locked(peer, req, -ETIMEDOUT);
		spin_unlock_irqrestore(&peer->lock, flags);
	}
	ret = req->status;
	if (ret == -ETIMEDOUT) {
		/* A peer that stops answering is reset, as nvme-rdma does:
		 * the requests behind this one fail now, not one timeout each.
		 */
		lego_count(peer, timeouts, 1);
		lego_peer_fail(peer, "no reply in time");
	} else if (!ret) {
		lego_stats_latency(peer, ktime_to_ns(ktime_sub(ktime_get(),
							       req->start)));
	}
	*reply_len = req->reply_len;
out:
	if (ret)
		lego_count(peer, errors, 1);
	spin_lock_irqsave(&peer->lock, flags);
	req->waiting = false;
	req->req_id = 0;
	lego_req_put_locked(peer, req);
	spin_unlock_irqrestore(&peer->lock, flags);
	return ret;
}

/* The server's side of each opcode: fill @reply, return the status. */
static int lego_serve_echo(struct lego_peer *peer, const struct lego_msg *msg,
			   const void *payload, void *reply, u32 *reply_len)
{
	memcpy(reply, payload, msg->len);
	*reply_len = msg->len;
	return 0;
}

static int lego_serve_pattern(struct lego_peer *peer,
			      const struct lego_msg *msg, const void *payload,
			      void *reply, u32 *reply_len)
{
	const struct lego_pattern_req *req = payload;
	u32 bytes = le32_to_cpu(req->bytes);

	if (bytes > LEGO_PAYLOAD_MAX || bytes % 4)
		return -EINVAL;
	lego_pattern_fill(reply, bytes, le32_to_cpu(req->seed), 0);
	*reply_len = bytes;
	return 0;
}

static struct {
	lego_serve_fn serve;	/* NULL: this host does not serve it */
	bool may_sleep;		/* served from lego_serve_wq, not softirq */
} lego_serve_ops[__LEGO_OP_MAX] = {
	[LEGO_OP_ECHO]		= { lego_serve_echo, false },
	[LEGO_OP_MR_GRANT]	= { lego_serve_grant, true },
	[LEGO_OP_MR_REVOKE]	= { lego_serve_revoke, true },
	[LEGO_OP_PATTERN]	= { lego_serve_pattern, false },
};

/**
 * lego_serve_register() - answer requests of @opcode with @serve
 * @opcode: LEGO_OP_*
 * @serve: fills the reply and returns its status
 * @may_sleep: @serve sleeps, so it runs in process context
 *
 * Roles register at load, before the transport listens.
 */
void lego_serve_register(u16 opcode, lego_serve_fn serve, bool may_sleep)
{
	lego_serve_ops[opcode].serve = serve;
	lego_serve_ops[opcode].may_sleep = may_sleep;
}

static void lego_rpc_serve_msg(struct lego_rx *rx)
{
	struct lego_peer *peer = rx->peer;
	void *reply = rx->reply.data + sizeof(struct lego_msg_hdr);
	const struct lego_msg *msg = &rx->msg;
	u32 reply_len = 0;
	lego_serve_fn serve = lego_serve_ops[msg->opcode].serve;
	int status = -EOPNOTSUPP;

	rx->inv_rkey = 0;
	if (serve)
		status = serve(peer, msg, rx->buf.data +
			       sizeof(struct lego_msg_hdr), reply, &reply_len);
	if (status)
		reply_len = 0;
	lego_msg_header(rx->reply.data, msg->opcode | LEGO_OP_REPLY, msg->vnode,
			reply_len, msg->req_id, status);

	/* The receive is reposted once the reply has left: lego_rpc_reply_sent */
	if (lego_post_msg(peer, &rx->send_cqe, &rx->reply,
			  sizeof(struct lego_msg_hdr) + reply_len, NULL,
			  status ? 0 : rx->inv_rkey)) {
		lego_peer_fail(peer, "cannot post a reply");
		return;
	}
	lego_count(peer, served, 1);
	lego_count(peer, tx_bytes, sizeof(struct lego_msg_hdr) + reply_len);
}

/*
 * A request arrived: check it, then serve it here if its handler does not
 * sleep, else in process context, where handlers may also wait for
 * one-sided transfers completing on this same CQ.
 */
void lego_rpc_serve(struct ib_cq *cq, struct ib_wc *wc)
{
	struct lego_rx *rx = container_of(wc->wr_cqe, struct lego_rx, recv_cqe);
	struct lego_peer *peer = rx->peer;
	enum lego_drop why;

	if (!lego_rpc_received(rx, wc))
		return;
	why = lego_msg_check(rx->buf.data, wc->byte_len, false, &rx->msg);
	if (why != LEGO_DROP_NONE) {
		lego_count(peer, dropped[why], 1);
		if (lego_rpc_post_recv(peer, rx))
			lego_peer_fail(peer, "cannot post a receive");
		return;
	}
	if (lego_serve_ops[rx->msg.opcode].may_sleep)
		queue_work(lego_serve_wq, &rx->serve_work);
	else
		lego_rpc_serve_msg(rx);
}

/**
 * lego_reply_invalidate() - have the reply to @msg invalidate @rkey
 * @msg: the request being served
 * @rkey: a registration of the client's the request handed out
 *
 * For a server that used @rkey and is done with it: the client learns
 * with the reply that it is invalid, and spares itself invalidating it.
 * Only a successful reply carries it.
 */
void lego_reply_invalidate(const struct lego_msg *msg, u32 rkey)
{
	container_of(msg, struct lego_rx, msg)->inv_rkey = rkey;
}

void lego_rpc_serve_work(struct work_struct *work)
{
	lego_rpc_serve_msg(container_of(work, struct lego_rx, serve_work));
}

void lego_rpc_reply_sent(struct ib_cq *cq, struct ib_wc *wc)
{
	struct lego_rx *rx = container_of(wc->wr_cqe, struct lego_rx, send_cqe);
	struct lego_peer *peer = rx->peer;

	if (unlikely(wc->status != IB_WC_SUCCESS)) {
		lego_wc_error(peer, wc);
		return;
	}
	if (lego_rpc_post_recv(peer, rx))
		lego_peer_fail(peer, "cannot post a receive");
}

/**
 * lego_mem_stat() - what an mmon can still promise (LEGO_OP_MEM_STAT)
 * @peer: the mmon, or NULL
 * @st: its answer
 *
 * Return: true if it answered.
 */
bool lego_mem_stat(struct lego_peer *peer, struct lego_mem_stat_reply *st)
{
	u32 got;

	return peer && !lego_rpc_call(peer, LEGO_OP_MEM_STAT, 0, NULL, 0, st,
				      sizeof(*st), &got) && got == sizeof(*st);
}

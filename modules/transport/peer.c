// SPDX-License-Identifier: GPL-2.0
/*
 * Connections between monitors: rdma_cm, queue pairs and their buffers.
 * Client peers connect at load and reconnect with back-off while the
 * module lives; server peers are accepted by the listener and released
 * when they disconnect. Models: drivers/nvme/host/rdma.c and target/rdma.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": transport: " fmt

#include <linux/inet.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <rdma/mr_pool.h>

#include "lego/lego.h"
#include "lego/transport.h"
#include "peer.h"

#define LEGO_CM_TIMEOUT_MS	5000
#define LEGO_BACKOFF_MIN_MS	500
#define LEGO_BACKOFF_MAX_MS	8000

unsigned int lego_rpc_timeout_ms;
struct workqueue_struct *lego_wq;
struct workqueue_struct *lego_serve_wq;

static LIST_HEAD(lego_peers);
DEFINE_MUTEX(lego_peers_lock);	/* lego_peers, and a peer kept listed */
static atomic64_t lego_serials;
static struct rdma_cm_id *lego_listener;

static int lego_buf_alloc(struct lego_peer *peer, struct lego_buf *buf,
			  enum dma_data_direction dir)
{
	buf->data = kzalloc(LEGO_MSG_MAX, GFP_KERNEL);
	if (!buf->data)
		return -ENOMEM;
	buf->dma = ib_dma_map_single(peer->dev, buf->data, LEGO_MSG_MAX, dir);
	if (ib_dma_mapping_error(peer->dev, buf->dma)) {
		kfree(buf->data);
		buf->data = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void lego_buf_free(struct lego_peer *peer, struct lego_buf *buf,
			  enum dma_data_direction dir)
{
	if (!buf->data)
		return;
	ib_dma_unmap_single(peer->dev, buf->dma, LEGO_MSG_MAX, dir);
	kfree(buf->data);
	buf->data = NULL;
}

static void lego_peer_free_bufs(struct lego_peer *peer)
{
	unsigned int i;

	for (i = 0; peer->rx && i < peer->nr_rx; i++) {
		lego_buf_free(peer, &peer->rx[i].buf, DMA_FROM_DEVICE);
		lego_buf_free(peer, &peer->rx[i].reply, DMA_TO_DEVICE);
	}
	for (i = 0; peer->reqs && i < LEGO_QUEUE_DEPTH; i++)
		lego_buf_free(peer, &peer->reqs[i].buf, DMA_TO_DEVICE);
	kfree(peer->rx);
	kfree(peer->reqs);
	peer->rx = NULL;
	peer->reqs = NULL;
}

/*
 * A client sends LEGO_QUEUE_DEPTH requests at most and receives as many
 * replies. A server posts twice that many receives: a receive buffer is
 * reposted only once its reply has left, so the slack keeps a client that
 * already saw the reply from finding no receive posted.
 */
static int lego_peer_alloc_bufs(struct lego_peer *peer)
{
	unsigned int i;
	int ret;

	peer->nr_rx = peer->server ? 2 * LEGO_QUEUE_DEPTH : LEGO_QUEUE_DEPTH;
	peer->rx = kcalloc(peer->nr_rx, sizeof(*peer->rx), GFP_KERNEL);
	if (!peer->rx)
		return -ENOMEM;
	for (i = 0; i < peer->nr_rx; i++) {
		struct lego_rx *rx = &peer->rx[i];

		rx->peer = peer;
		rx->recv_cqe.done = peer->server ? lego_rpc_serve :
						   lego_rpc_recv_done;
		rx->send_cqe.done = lego_rpc_reply_sent;
		INIT_WORK(&rx->serve_work, lego_rpc_serve_work);
	}
	for (i = 0; i < peer->nr_rx; i++) {
		struct lego_rx *rx = &peer->rx[i];

		ret = lego_buf_alloc(peer, &rx->buf, DMA_FROM_DEVICE);
		if (!ret && peer->server)
			ret = lego_buf_alloc(peer, &rx->reply, DMA_TO_DEVICE);
		if (ret)
			return ret;
	}
	if (peer->server)
		return 0;

	peer->reqs = kcalloc(LEGO_QUEUE_DEPTH, sizeof(*peer->reqs), GFP_KERNEL);
	if (!peer->reqs)
		return -ENOMEM;
	for (i = 0; i < LEGO_QUEUE_DEPTH; i++) {
		struct lego_req *req = &peer->reqs[i];

		req->peer = peer;
		req->send_cqe.done = lego_rpc_send_done;
		init_completion(&req->done);
		ret = lego_buf_alloc(peer, &req->buf, DMA_TO_DEVICE);
		if (ret)
			return ret;
	}
	bitmap_zero(peer->busy, LEGO_QUEUE_DEPTH);
	return 0;
}

/**
 * lego_peer_create_ib() - PD, CQ, QP, MR pool and posted receives for @peer
 * @peer: a peer whose cm_id has a resolved route or a connect request
 *
 * Return: 0 or a negative errno; on error, lego_peer_destroy_ib() cleans up.
 */
int lego_peer_create_ib(struct lego_peer *peer)
{
	struct ib_qp_init_attr attr = {};
	unsigned int i, nr_send, nr_recv;
	unsigned long flags;
	int ret;

	WRITE_ONCE(peer->dev, peer->cm_id->device);
	if (!(peer->dev->attrs.device_cap_flags & IB_DEVICE_MEM_MGT_EXTENSIONS))
		return -EOPNOTSUPP;	/* no fast registration */
	peer->pd = ib_alloc_pd(peer->dev, 0);
	if (IS_ERR(peer->pd)) {
		ret = PTR_ERR(peer->pd);
		peer->pd = NULL;
		return ret;
	}
	/*
	 * A server answers each of its receives (see lego_peer_alloc_bufs());
	 * a client's request may carry a registration (lego_rpc_submit()).
	 * One-sided work requests, registrations included, come on top.
	 */
	nr_recv = peer->server ? 2 * LEGO_QUEUE_DEPTH : LEGO_QUEUE_DEPTH;
	nr_send = 2 * LEGO_QUEUE_DEPTH;
	if (peer->server)
		nr_send += nr_recv;	/* an exposure ahead of each reply */
	peer->cq_size = nr_recv + nr_send + LEGO_RDMA_DEPTH + 1;	/* + drain */
	peer->cq = ib_cq_pool_get(peer->dev, peer->cq_size, -1,
				  IB_POLL_SOFTIRQ);
	if (IS_ERR(peer->cq)) {
		ret = PTR_ERR(peer->cq);
		peer->cq = NULL;
		return ret;
	}

	attr.event_handler = NULL;
	attr.send_cq = peer->cq;
	attr.recv_cq = peer->cq;
	attr.cap.max_send_wr = nr_send + LEGO_RDMA_DEPTH + 1;
	attr.cap.max_recv_wr = nr_recv + 1;
	peer->send_sge = min_t(u32, LEGO_SEND_SGE,
			       peer->dev->attrs.max_send_sge);
	attr.cap.max_send_sge = peer->send_sge;
	attr.cap.max_recv_sge = 1;
	attr.sq_sig_type = IB_SIGNAL_ALL_WR;
	attr.qp_type = IB_QPT_RC;
	ret = rdma_create_qp(peer->cm_id, peer->pd, &attr);
	if (ret)
		return ret;
	peer->qp = peer->cm_id->qp;

	peer->mr_pages = min_t(u32, LEGO_MR_MAX_PAGES,
			       peer->dev->attrs.max_fast_reg_page_list_len);
	ret = ib_mr_pool_init(peer->qp, &peer->qp->rdma_mrs, LEGO_MR_POOL,
			      IB_MR_TYPE_MEM_REG, peer->mr_pages, 0);
	if (ret)
		return ret;
	peer->mr_pool = true;
	if (peer->server)
		lego_expose_init(peer);

	ret = lego_peer_alloc_bufs(peer);
	if (ret)
		return ret;
	spin_lock_irqsave(&peer->lock, flags);
	peer->can_post = true;
	spin_unlock_irqrestore(&peer->lock, flags);
	for (i = 0; i < peer->nr_rx; i++) {
		ret = lego_rpc_post_recv(peer, &peer->rx[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static void lego_sem_take_all(struct semaphore *sem, unsigned int n)
{
	while (n--)
		down(sem);
}

static void lego_sem_give_all(struct semaphore *sem, unsigned int n)
{
	while (n--)
		up(sem);
}

/*
 * Wait until no caller holds a request slot, a one-sided credit or a
 * registration. The drain has completed every work request and
 * lego_rpc_fail_all() has woken every waiter, so each comes back soon.
 */
static void lego_peer_quiesce(struct lego_peer *peer)
{
	if (peer->reqs)
		lego_sem_take_all(&peer->credits, LEGO_QUEUE_DEPTH);
	lego_sem_take_all(&peer->rdma_credits, LEGO_RDMA_DEPTH);
	lego_sem_take_all(&peer->mr_credits, LEGO_MR_POOL);
}

/* Credits back: callers now find the peer down and fail at once. */
static void lego_peer_resume(struct lego_peer *peer, bool rpc)
{
	if (rpc)
		lego_sem_give_all(&peer->credits, LEGO_QUEUE_DEPTH);
	lego_sem_give_all(&peer->rdma_credits, LEGO_RDMA_DEPTH);
	lego_sem_give_all(&peer->mr_credits, LEGO_MR_POOL);
}

/* Undo lego_peer_create_ib() and the cm_id; never from a CM callback. */
void lego_peer_destroy_ib(struct lego_peer *peer)
{
	bool rpc = peer->reqs;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&peer->lock, flags);
	peer->can_post = false;
	spin_unlock_irqrestore(&peer->lock, flags);
	if (peer->qp)
		ib_drain_qp(peer->qp);
	/* Requests being served finish, their replies unsent. */
	for (i = 0; peer->server && peer->rx && i < peer->nr_rx; i++)
		flush_work(&peer->rx[i].serve_work);
	if (peer->server)
		lego_grants_release(peer);
	lego_peer_quiesce(peer);
	if (peer->server)
		lego_expose_release(peer);
	if (peer->mr_pool) {
		ib_mr_pool_destroy(peer->qp, &peer->qp->rdma_mrs);
		peer->mr_pool = false;
	}
	if (peer->qp) {
		rdma_destroy_qp(peer->cm_id);
		peer->qp = NULL;
	}
	lego_peer_free_bufs(peer);
	if (peer->cq) {
		ib_cq_pool_put(peer->cq, peer->cq_size);
		peer->cq = NULL;
	}
	if (peer->pd) {
		ib_dealloc_pd(peer->pd);
		peer->pd = NULL;
	}
	if (peer->cm_id) {
		rdma_destroy_id(peer->cm_id);
		peer->cm_id = NULL;
	}
	WRITE_ONCE(peer->dev, NULL);
	lego_peer_resume(peer, rpc);
}

/*
 * The connection broke (or we close it), @why: fail its requests, then
 * recover.
 */
void lego_peer_fail(struct lego_peer *peer, const char *why)
{
	unsigned long flags;
	bool was_live;

	spin_lock_irqsave(&peer->lock, flags);
	was_live = peer->state == LEGO_PEER_LIVE;
	if (was_live)
		peer->state = LEGO_PEER_DOWN;
	spin_unlock_irqrestore(&peer->lock, flags);
	if (!was_live)
		return;
	lego_count(peer, disconnects, 1);
	pr_info("%s: connection lost: %s\n", peer->name, why);
	if (!peer->server) {
		lego_rpc_fail_all(peer, -ENOTCONN);
		lego_genl_event(LEGO_EVENT_PEER_DOWN, lego_peer_addr(peer),
				NULL);
	}
	queue_work(lego_wq, &peer->error_work);
}

static void lego_peer_set_state(struct lego_peer *peer,
				enum lego_peer_state state)
{
	unsigned long flags;

	spin_lock_irqsave(&peer->lock, flags);
	peer->state = state;
	spin_unlock_irqrestore(&peer->lock, flags);
}

/* Both ends: retry on a missing receive for ever rather than fail. */
static void lego_peer_conn_param(struct lego_peer *peer,
				 struct rdma_conn_param *param)
{
	memset(param, 0, sizeof(*param));
	param->qp_num = peer->qp->qp_num;
	param->flow_control = 1;
	param->responder_resources = peer->dev->attrs.max_qp_rd_atom;
	param->initiator_depth = peer->dev->attrs.max_qp_init_rd_atom;
	param->retry_count = 7;
	param->rnr_retry_count = 7;
}

static int lego_client_route_resolved(struct lego_peer *peer)
{
	struct rdma_conn_param param;
	int ret;

	ret = lego_peer_create_ib(peer);
	if (ret)
		return ret;
	lego_peer_conn_param(peer, &param);
	return rdma_connect_locked(peer->cm_id, &param);
}

static int lego_client_cm_handler(struct rdma_cm_id *cm_id,
				  struct rdma_cm_event *ev)
{
	struct lego_peer *peer = cm_id->context;
	int error = 0;

	switch (ev->event) {
	case RDMA_CM_EVENT_ADDR_RESOLVED:
		error = rdma_resolve_route(cm_id, LEGO_CM_TIMEOUT_MS);
		break;
	case RDMA_CM_EVENT_ROUTE_RESOLVED:
		error = lego_client_route_resolved(peer);
		break;
	case RDMA_CM_EVENT_ESTABLISHED:
		peer->cm_error = 0;
		complete(&peer->cm_done);
		break;
	case RDMA_CM_EVENT_REJECTED:
	case RDMA_CM_EVENT_ROUTE_ERROR:
	case RDMA_CM_EVENT_CONNECT_ERROR:
	case RDMA_CM_EVENT_UNREACHABLE:
	case RDMA_CM_EVENT_ADDR_ERROR:
		error = -ECONNREFUSED;
		break;
	case RDMA_CM_EVENT_DEVICE_REMOVAL:
		/* A connect in progress fails; its work then cleans up. */
		error = -ENETDOWN;
		fallthrough;
	case RDMA_CM_EVENT_DISCONNECTED:
	case RDMA_CM_EVENT_ADDR_CHANGE:
	case RDMA_CM_EVENT_TIMEWAIT_EXIT:
		lego_peer_fail(peer, rdma_event_msg(ev->event));
		break;
	default:
		break;
	}
	if (error) {
		peer->cm_error = error;
		complete(&peer->cm_done);
	}
	return 0;
}

/* One connection attempt; 0 once established. */
static int lego_client_connect(struct lego_peer *peer)
{
	int ret;

	peer->cm_id = rdma_create_id(&init_net, lego_client_cm_handler, peer,
				     RDMA_PS_TCP, IB_QPT_RC);
	if (IS_ERR(peer->cm_id)) {
		ret = PTR_ERR(peer->cm_id);
		peer->cm_id = NULL;
		return ret;
	}
	reinit_completion(&peer->cm_done);
	peer->cm_error = -ETIMEDOUT;
	ret = rdma_resolve_addr(peer->cm_id, NULL,
				(struct sockaddr *)&peer->addr,
				LEGO_CM_TIMEOUT_MS);
	if (ret)
		return ret;
	if (!wait_for_completion_timeout(&peer->cm_done,
					 msecs_to_jiffies(3 * LEGO_CM_TIMEOUT_MS)))
		return -ETIMEDOUT;
	return peer->cm_error;
}

static void lego_client_connect_work(struct work_struct *work)
{
	struct lego_peer *peer = container_of(to_delayed_work(work),
					      struct lego_peer, connect_work);
	int ret;

	ret = lego_client_connect(peer);
	if (!ret) {
		peer->backoff_ms = LEGO_BACKOFF_MIN_MS;
		WRITE_ONCE(peer->serial, atomic64_inc_return(&lego_serials));
		lego_peer_set_state(peer, LEGO_PEER_LIVE);
		lego_count(peer, connects, 1);
		pr_info("%s: connected\n", peer->name);
		lego_genl_event(LEGO_EVENT_PEER_UP, lego_peer_addr(peer), NULL);
		return;
	}
	lego_peer_destroy_ib(peer);
	peer->backoff_ms = min(2 * peer->backoff_ms, LEGO_BACKOFF_MAX_MS);
	queue_delayed_work(lego_wq, &peer->connect_work,
			   msecs_to_jiffies(peer->backoff_ms));
}

static void lego_client_error_work(struct work_struct *work)
{
	struct lego_peer *peer = container_of(work, struct lego_peer,
					      error_work);

	rdma_disconnect(peer->cm_id);
	lego_peer_destroy_ib(peer);
	lego_peer_set_state(peer, LEGO_PEER_CONNECTING);
	queue_delayed_work(lego_wq, &peer->connect_work,
			   msecs_to_jiffies(peer->backoff_ms));
}

static struct lego_peer *lego_peer_alloc(bool server)
{
	struct lego_peer *peer = kzalloc(sizeof(*peer), GFP_KERNEL);

	if (!peer)
		return NULL;
	peer->server = server;
	peer->state = LEGO_PEER_CONNECTING;
	peer->backoff_ms = LEGO_BACKOFF_MIN_MS;
	spin_lock_init(&peer->lock);
	init_completion(&peer->cm_done);
	sema_init(&peer->credits, LEGO_QUEUE_DEPTH);
	sema_init(&peer->rdma_credits, LEGO_RDMA_DEPTH);
	sema_init(&peer->held_credits, LEGO_RDMA_DEPTH / 2);
	sema_init(&peer->mr_credits, LEGO_MR_POOL);
	mutex_init(&peer->grants_lock);
	INIT_LIST_HEAD(&peer->grants);
	xa_init(&peer->exposed);
	INIT_LIST_HEAD(&peer->expose_mrs);
	peer->serial = atomic64_inc_return(&lego_serials);
	return peer;
}

/**
 * lego_peer_add() - connect to the monitor at @addr:@port, now and again
 * whenever the connection is lost
 * @addr: IPv4 address of the monitor
 * @port: its rdma_cm port
 *
 * Return: 0 or -ENOMEM; the connection itself comes up in the background.
 */
int lego_peer_add(__be32 addr, u16 port)
{
	struct lego_peer *peer = lego_peer_alloc(false);

	if (!peer)
		return -ENOMEM;
	peer->addr.sin_family = AF_INET;
	peer->addr.sin_addr.s_addr = addr;
	peer->addr.sin_port = htons(port);
	snprintf(peer->name, sizeof(peer->name), "%pI4:%u", &addr, port);
	INIT_DELAYED_WORK(&peer->connect_work, lego_client_connect_work);
	INIT_WORK(&peer->error_work, lego_client_error_work);

	mutex_lock(&lego_peers_lock);
	list_add_tail(&peer->node, &lego_peers);
	lego_stats_debugfs_add(peer);
	mutex_unlock(&lego_peers_lock);
	queue_delayed_work(lego_wq, &peer->connect_work, 0);
	return 0;
}

/**
 * lego_peers_connected_to() - the monitors this host connects to
 * @out: room for @max peers
 * @max: how many fit
 *
 * Client peers live until unload, so the pointers stay valid.
 *
 * Return: how many were stored.
 */
unsigned int lego_peers_connected_to(struct lego_peer **out, unsigned int max)
{
	struct lego_peer *peer;
	unsigned int n = 0;

	mutex_lock(&lego_peers_lock);
	list_for_each_entry(peer, &lego_peers, node)
		if (!peer->server && n < max)
			out[n++] = peer;
	mutex_unlock(&lego_peers_lock);
	return n;
}

/* The IPv4 address of the other end. */
__be32 lego_peer_addr(const struct lego_peer *peer)
{
	return peer->addr.sin_addr.s_addr;
}

/* The connection numbered @serial, if it is still there; lego_peers_lock held. */
struct lego_peer *lego_peer_by_serial(u64 serial)
{
	struct lego_peer *peer;

	lockdep_assert_held(&lego_peers_lock);
	list_for_each_entry(peer, &lego_peers, node)
		if (READ_ONCE(peer->serial) == serial)
			return peer;
	return NULL;
}

/**
 * lego_peer_serial() - the number of @peer's current connection
 * @peer: a peer
 *
 * A client's changes each time it connects again: what a server handed
 * out on one connection (an rkey) is not valid on the next.
 */
u64 lego_peer_serial(const struct lego_peer *peer)
{
	return READ_ONCE(peer->serial);
}

struct lego_peer *lego_peer_find(__be32 addr)
{
	struct lego_peer *peer, *found = NULL;

	mutex_lock(&lego_peers_lock);
	list_for_each_entry(peer, &lego_peers, node) {
		if (!peer->server && peer->addr.sin_addr.s_addr == addr) {
			found = peer;
			break;
		}
	}
	mutex_unlock(&lego_peers_lock);
	return found;
}

/* A server peer's connection is over: release it from process context. */
static void lego_server_release_work(struct work_struct *work)
{
	struct lego_peer *peer = container_of(work, struct lego_peer,
					      error_work);

	mutex_lock(&lego_peers_lock);
	list_del(&peer->node);
	lego_stats_debugfs_remove(peer);
	mutex_unlock(&lego_peers_lock);
	lego_peer_destroy_ib(peer);
	kfree(peer);
}

static int lego_server_accept(struct rdma_cm_id *cm_id)
{
	struct rdma_conn_param param;
	struct sockaddr_in *src = (struct sockaddr_in *)&cm_id->route.addr.dst_addr;
	struct lego_peer *peer;
	int ret;

	peer = lego_peer_alloc(true);
	if (!peer)
		return -ENOMEM;
	/* Live from here: lego_peer_fail() then releases it however it ends. */
	peer->state = LEGO_PEER_LIVE;
	peer->cm_id = cm_id;
	cm_id->context = peer;
	peer->addr = *src;
	snprintf(peer->name, sizeof(peer->name), "%pI4:%u",
		 &src->sin_addr.s_addr, ntohs(src->sin_port));
	INIT_WORK(&peer->error_work, lego_server_release_work);

	ret = lego_peer_create_ib(peer);
	if (ret)
		goto err_free;
	lego_peer_conn_param(peer, &param);
	ret = rdma_accept(cm_id, &param);
	if (ret)
		goto err_free;

	mutex_lock(&lego_peers_lock);
	list_add_tail(&peer->node, &lego_peers);
	lego_stats_debugfs_add(peer);
	mutex_unlock(&lego_peers_lock);
	return 0;

err_free:
	/* The CM destroys cm_id when we return an error: keep our hands off. */
	peer->cm_id = NULL;
	lego_peer_destroy_ib(peer);
	kfree(peer);
	return ret;
}

static int lego_server_cm_handler(struct rdma_cm_id *cm_id,
				  struct rdma_cm_event *ev)
{
	struct lego_peer *peer = cm_id->context;

	switch (ev->event) {
	case RDMA_CM_EVENT_CONNECT_REQUEST:
		return lego_server_accept(cm_id);
	case RDMA_CM_EVENT_ESTABLISHED:
		lego_count(peer, connects, 1);
		break;
	case RDMA_CM_EVENT_DISCONNECTED:
	case RDMA_CM_EVENT_TIMEWAIT_EXIT:
	case RDMA_CM_EVENT_DEVICE_REMOVAL:
	case RDMA_CM_EVENT_CONNECT_ERROR:
	case RDMA_CM_EVENT_UNREACHABLE:
	case RDMA_CM_EVENT_REJECTED:
		if (cm_id != lego_listener && peer)
			lego_peer_fail(peer, rdma_event_msg(ev->event));
		break;
	default:
		break;
	}
	return 0;
}

static int lego_listen(u16 port)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_ANY),
		.sin_port = htons(port),
	};
	int ret;

	lego_listener = rdma_create_id(&init_net, lego_server_cm_handler, NULL,
				       RDMA_PS_TCP, IB_QPT_RC);
	if (IS_ERR(lego_listener)) {
		ret = PTR_ERR(lego_listener);
		goto err;
	}
	ret = rdma_bind_addr(lego_listener, (struct sockaddr *)&addr);
	if (!ret)
		ret = rdma_listen(lego_listener, LEGO_QUEUE_DEPTH);
	if (ret) {
		rdma_destroy_id(lego_listener);
		goto err;
	}
	pr_info("listening on port %u\n", port);
	return 0;
err:
	lego_listener = NULL;
	pr_err("cannot listen on port %u: %d\n", port, ret);
	return ret;
}

/*
 * An RDMA device is going away (rdma link delete, driver unbind): every
 * connection on it is reset and its resources freed before we return.
 * Client peers then reconnect, over another device if there is one.
 */
static void lego_ib_remove(struct ib_device *dev, void *client_data)
{
	struct lego_peer *peer;
	bool busy;

	do {
		busy = false;
		mutex_lock(&lego_peers_lock);
		list_for_each_entry(peer, &lego_peers, node) {
			if (READ_ONCE(peer->dev) != dev)
				continue;
			busy = true;
			lego_peer_fail(peer, "device removed");
		}
		mutex_unlock(&lego_peers_lock);
		/* Resets and releases run there, so do connects in progress. */
		flush_workqueue(lego_wq);
	} while (busy);
}

static struct ib_client lego_ib_client = {
	.name	= "lego",
	.remove	= lego_ib_remove,
};

/**
 * lego_transport_init() - start the transport
 * @port: rdma_cm port to listen on
 * @listen: whether this host serves (an mmon or smon)
 * @timeout_ms: how long an RPC waits for its reply
 *
 * Return: 0 or a negative errno.
 */
int lego_transport_init(u16 port, bool listen, unsigned int timeout_ms)
{
	int ret = -ENOMEM;

	lego_rpc_timeout_ms = timeout_ms;
	lego_wq = alloc_workqueue("lego", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	if (!lego_wq)
		return -ENOMEM;
	/*
	 * Bound, as nvmet's buffered I/O: requests run one after the other on
	 * the CPU that received them unless one sleeps. Unbound, each got a
	 * thread of its own, and writes to the smon's backing convoyed on its
	 * inode lock (fio randwrite QD32: -15%).
	 */
	lego_serve_wq = alloc_workqueue("lego_serve", WQ_MEM_RECLAIM, 0);
	if (!lego_serve_wq)
		goto err_wq;
	ret = ib_register_client(&lego_ib_client);
	if (ret)
		goto err_serve_wq;
	lego_stats_debugfs_init();
	if (listen) {
		ret = lego_listen(port);
		if (ret)
			goto err_client;
	}
	return 0;

err_client:
	lego_stats_debugfs_exit();
	ib_unregister_client(&lego_ib_client);
err_serve_wq:
	destroy_workqueue(lego_serve_wq);
err_wq:
	destroy_workqueue(lego_wq);
	return ret;
}

void lego_transport_exit(void)
{
	struct lego_peer *peer, *tmp;
	LIST_HEAD(clients);

	/* No new connections; then the accepted ones go. */
	if (lego_listener)
		rdma_destroy_id(lego_listener);

	mutex_lock(&lego_peers_lock);
	list_for_each_entry_safe(peer, tmp, &lego_peers, node) {
		lego_peer_set_state(peer, LEGO_PEER_CLOSING);
		if (peer->server)
			rdma_disconnect(peer->cm_id);
		else
			list_move(&peer->node, &clients);
	}
	mutex_unlock(&lego_peers_lock);

	list_for_each_entry_safe(peer, tmp, &clients, node) {
		cancel_delayed_work_sync(&peer->connect_work);
		cancel_work_sync(&peer->error_work);
		lego_rpc_fail_all(peer, -ESHUTDOWN);
		if (peer->cm_id)
			rdma_disconnect(peer->cm_id);
		lego_peer_destroy_ib(peer);
		lego_stats_debugfs_remove(peer);
		kfree(peer);
	}
	/* Server peers release themselves on their DISCONNECTED event. */
	flush_workqueue(lego_wq);
	mutex_lock(&lego_peers_lock);
	list_for_each_entry_safe(peer, tmp, &lego_peers, node) {
		list_del(&peer->node);
		lego_stats_debugfs_remove(peer);
		lego_peer_destroy_ib(peer);
		kfree(peer);
	}
	mutex_unlock(&lego_peers_lock);
	/* No peer is left: removing the client resets nothing. */
	ib_unregister_client(&lego_ib_client);
	destroy_workqueue(lego_serve_wq);
	destroy_workqueue(lego_wq);
	lego_stats_debugfs_exit();
}

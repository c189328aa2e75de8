// SPDX-License-Identifier: GPL-2.0
/*
 * One-sided transfers and memory registration scoped to one use. A
 * registration takes an MR from the connection's pool, gives it a fresh
 * rkey with IB_WR_REG_MR and invalidates it with IB_WR_LOCAL_INV when the
 * use is over, so no rkey outlives what it was handed out for and none
 * covers more than the pages asked for. Model: nvme-rdma's fast
 * registration.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": rdma: " fmt

#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <rdma/mr_pool.h>

#include "lego/transport.h"
#include "peer.h"

struct lego_mr {
	struct lego_peer *peer;
	struct ib_mr *mr;
	struct sg_table sgt;		/* ours, when registered from pages */
	struct scatterlist *sgl;	/* what is registered */
	unsigned int orig_nents;
	int nents;
	int access;
	bool posted;			/* its IB_WR_REG_MR went out */
	bool invalidated;		/* by the peer: no IB_WR_LOCAL_INV */
};

struct lego_wait {
	struct ib_cqe cqe;
	struct lego_peer *peer;
	struct completion done;
	int status;
};

static void lego_wait_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct lego_wait *w = container_of(wc->wr_cqe, struct lego_wait, cqe);

	switch (wc->status) {
	case IB_WC_SUCCESS:
		w->status = 0;
		break;
	case IB_WC_WR_FLUSH_ERR:
		w->status = -ENOTCONN;
		break;
	case IB_WC_REM_ACCESS_ERR:
		w->status = -EACCES;
		break;
	default:
		w->status = -EIO;
		break;
	}
	if (w->status)
		lego_wc_error(w->peer, wc);
	complete(&w->done);
}

/*
 * Take a one-sided credit: while it is held the connection's QP, PD and
 * device stay, even if the connection fails meanwhile.
 */
int lego_rdma_get(struct lego_peer *peer)
{
	unsigned long flags;
	bool usable;

	if (down_timeout(&peer->rdma_credits,
			 msecs_to_jiffies(lego_rpc_timeout_ms)))
		return -ETIMEDOUT;
	spin_lock_irqsave(&peer->lock, flags);
	usable = peer->can_post && peer->state == LEGO_PEER_LIVE;
	spin_unlock_irqrestore(&peer->lock, flags);
	if (!usable) {
		up(&peer->rdma_credits);
		return -ENOTCONN;
	}
	return 0;
}

void lego_rdma_put(struct lego_peer *peer, int ret)
{
	if (ret)
		lego_count(peer, errors, 1);
	up(&peer->rdma_credits);
}

/* Post @wr; lego_wait_for() @w waits for its completion. */
static int lego_post(struct lego_peer *peer, struct ib_send_wr *wr,
		     struct lego_wait *w)
{
	w->cqe.done = lego_wait_done;
	w->peer = peer;
	init_completion(&w->done);
	wr->wr_cqe = &w->cqe;
	wr->send_flags |= IB_SEND_SIGNALED;
	return lego_peer_post_send(peer, wr);
}

/*
 * One that does not complete within the RPC timeout resets the
 * connection; the drain of the reset completes it, so the work request's
 * memory is ours again when this returns.
 */
static int lego_wait_for(struct lego_peer *peer, struct lego_wait *w)
{
	if (!lego_wait_completion(&w->done)) {
		lego_count(peer, timeouts, 1);
		lego_peer_fail(peer, "no completion in time");
		wait_for_completion(&w->done);
		return -ETIMEDOUT;
	}
	return w->status;
}

/* Post @wr and wait for its completion (see lego_wait_for()). */
int lego_post_wait(struct lego_peer *peer, struct ib_send_wr *wr)
{
	struct lego_wait w;
	int ret;

	ret = lego_post(peer, wr, &w);
	return ret ?: lego_wait_for(peer, &w);
}

/* Post one RDMA READ or WRITE gathering @sge and wait for it. */
static int lego_rdma_post(struct lego_peer *peer, enum ib_wr_opcode opcode,
			  struct ib_sge *sge, unsigned int nr_sge, u32 len,
			  u64 remote_addr, u32 rkey)
{
	struct ib_rdma_wr wr = {
		.wr.opcode = opcode,
		.wr.sg_list = sge,
		.wr.num_sge = nr_sge,
		.remote_addr = remote_addr,
		.rkey = rkey,
	};
	int ret;

	ret = lego_post_wait(peer, &wr.wr);
	if (!ret && opcode == IB_WR_RDMA_READ)
		lego_count(peer, rx_bytes, len);
	else if (!ret)
		lego_count(peer, tx_bytes, len);
	return ret;
}

static int lego_rdma_rw(struct lego_peer *peer, enum ib_wr_opcode opcode,
			void *buf, u32 len, u64 remote_addr, u32 rkey)
{
	enum dma_data_direction dir = opcode == IB_WR_RDMA_READ ?
				      DMA_FROM_DEVICE : DMA_TO_DEVICE;
	struct ib_sge sge;
	int ret;

	if (!len || len > LEGO_MR_MAX_PAGES * PAGE_SIZE)
		return -EINVAL;
	ret = lego_rdma_get(peer);
	if (ret)
		return ret;
	sge.addr = ib_dma_map_single(peer->dev, buf, len, dir);
	sge.length = len;
	sge.lkey = peer->pd->local_dma_lkey;
	if (ib_dma_mapping_error(peer->dev, sge.addr)) {
		ret = -ENOMEM;
		goto out;
	}
	ret = lego_rdma_post(peer, opcode, &sge, 1, len, remote_addr, rkey);
	ib_dma_unmap_single(peer->dev, sge.addr, len, dir);
out:
	lego_rdma_put(peer, ret);
	return ret;
}

static int lego_rdma_rw_pages(struct lego_peer *peer, enum ib_wr_opcode opcode,
			      struct page **pages, u32 len, u64 remote_addr,
			      u32 rkey)
{
	enum dma_data_direction dir = opcode == IB_WR_RDMA_READ ?
				      DMA_FROM_DEVICE : DMA_TO_DEVICE;
	unsigned int i, nr = DIV_ROUND_UP(len, PAGE_SIZE);
	struct ib_sge sge[LEGO_SEND_SGE];
	int ret;

	if (!len || nr > peer->send_sge)
		return -EINVAL;
	ret = lego_rdma_get(peer);
	if (ret)
		return ret;
	for (i = 0; i < nr; i++) {
		sge[i].length = min_t(u32, len - i * PAGE_SIZE, PAGE_SIZE);
		sge[i].lkey = peer->pd->local_dma_lkey;
		sge[i].addr = ib_dma_map_page(peer->dev, pages[i], 0,
					      sge[i].length, dir);
		if (ib_dma_mapping_error(peer->dev, sge[i].addr)) {
			ret = -ENOMEM;
			goto unmap;
		}
	}
	ret = lego_rdma_post(peer, opcode, sge, nr, len, remote_addr, rkey);
unmap:
	while (i--)
		ib_dma_unmap_page(peer->dev, sge[i].addr, sge[i].length, dir);
	lego_rdma_put(peer, ret);
	return ret;
}

/**
 * lego_rdma_read() - copy remote memory into @buf with one RDMA READ
 * @peer: the connection the remote memory was registered for
 * @buf: kmalloc'ed (DMA-able) destination
 * @len: bytes, up to LEGO_MR_MAX_PAGES pages
 * @remote_addr: address within the remote registration
 * @rkey: its rkey
 *
 * Sleeps. Return: 0, -EACCES if the peer refused the rkey or range (the
 * connection is then reset, as RC requires), -ETIMEDOUT, -ENOTCONN.
 */
int lego_rdma_read(struct lego_peer *peer, void *buf, u32 len,
		   u64 remote_addr, u32 rkey)
{
	return lego_rdma_rw(peer, IB_WR_RDMA_READ, buf, len, remote_addr, rkey);
}

/* lego_rdma_write() - the other way round; see lego_rdma_read() */
int lego_rdma_write(struct lego_peer *peer, void *buf, u32 len,
		    u64 remote_addr, u32 rkey)
{
	return lego_rdma_rw(peer, IB_WR_RDMA_WRITE, buf, len, remote_addr,
			    rkey);
}

/**
 * lego_rdma_read_pages() - lego_rdma_read() into whole pages
 * @peer: the connection the remote memory was registered for
 * @pages: the destination; the last may be filled in part
 * @len: bytes, up to LEGO_SEND_SGE pages
 * @remote_addr: address within the remote registration
 * @rkey: its rkey
 *
 * Return: as lego_rdma_read().
 */
int lego_rdma_read_pages(struct lego_peer *peer, struct page **pages, u32 len,
			 u64 remote_addr, u32 rkey)
{
	return lego_rdma_rw_pages(peer, IB_WR_RDMA_READ, pages, len,
				  remote_addr, rkey);
}

/* lego_rdma_write_pages() - see lego_rdma_read_pages() */
int lego_rdma_write_pages(struct lego_peer *peer, struct page **pages, u32 len,
			  u64 remote_addr, u32 rkey)
{
	return lego_rdma_rw_pages(peer, IB_WR_RDMA_WRITE, pages, len,
				  remote_addr, rkey);
}

/* One of the READs of lego_rdma_read_each(). */
struct lego_rdma_read {
	struct lego_wait w;
	struct ib_sge sge;
	struct ib_rdma_wr wr;
};

/* Post READs @r[0 .. @n - 1] at once, then wait for them all. */
static int lego_rdma_read_run(struct lego_peer *peer, struct lego_rdma_read *r,
			      struct page **pages, const u64 *remote_addr,
			      const u32 *rkey, u32 n)
{
	u32 i, posted;
	int err, ret = 0;

	for (posted = 0; posted < n; posted++) {
		r[posted].sge.addr = ib_dma_map_page(peer->dev, pages[posted],
						     0, PAGE_SIZE,
						     DMA_FROM_DEVICE);
		if (ib_dma_mapping_error(peer->dev, r[posted].sge.addr)) {
			ret = -ENOMEM;
			break;
		}
		r[posted].sge.length = PAGE_SIZE;
		r[posted].sge.lkey = peer->pd->local_dma_lkey;
		r[posted].wr.wr.opcode = IB_WR_RDMA_READ;
		r[posted].wr.wr.sg_list = &r[posted].sge;
		r[posted].wr.wr.num_sge = 1;
		r[posted].wr.remote_addr = remote_addr[posted];
		r[posted].wr.rkey = rkey[posted];
		ret = lego_post(peer, &r[posted].wr.wr, &r[posted].w);
		if (ret) {
			ib_dma_unmap_page(peer->dev, r[posted].sge.addr,
					  PAGE_SIZE, DMA_FROM_DEVICE);
			break;
		}
	}
	/* Even after a failure: those posted own their memory till done. */
	for (i = 0; i < posted; i++) {
		err = lego_wait_for(peer, &r[i].w);
		ret = ret ?: err;
		ib_dma_unmap_page(peer->dev, r[i].sge.addr, PAGE_SIZE,
				  DMA_FROM_DEVICE);
	}
	if (!ret)
		lego_count(peer, rx_bytes, n * PAGE_SIZE);
	return ret;
}

/**
 * lego_rdma_read_each() - RDMA READ whole pages from several places
 * @peer: the connection the remote memory was registered for
 * @pages: the destinations
 * @remote_addr: where each page is, within the registration of its @rkey
 * @rkey: each page's rkey
 * @nr: how many
 *
 * The READs go out together, as many as there are credits for, and are
 * then waited for together: a run of pages costs about one round trip
 * and one wake-up, not one of each per page.
 *
 * Sleeps. Return: 0 if every page came, else as lego_rdma_read().
 */
int lego_rdma_read_each(struct lego_peer *peer, struct page **pages,
			const u64 *remote_addr, const u32 *rkey, u32 nr)
{
	struct lego_rdma_read *r;
	u32 done, n, i;
	int ret = 0;

	r = kcalloc(nr, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	for (done = 0; done < nr && !ret; done += n) {
		ret = lego_rdma_get(peer);
		if (ret)
			break;
		/* Only what can be had now: two runs never wait on each other. */
		for (n = 1; done + n < nr; n++)
			if (down_trylock(&peer->rdma_credits))
				break;
		ret = lego_rdma_read_run(peer, r, pages + done,
					 remote_addr + done, rkey + done, n);
		for (i = 1; i < n; i++)
			up(&peer->rdma_credits);
		lego_rdma_put(peer, ret);
	}
	kfree(r);
	return ret;
}

/* A page being read or written by RDMA, between begin and end. */
struct lego_rdma_op {
	struct lego_wait w;
	struct lego_peer *peer;
	struct ib_sge sge;
	enum dma_data_direction dir;
};

/*
 * Its caller may wait for other transfers before it ends this one: at
 * most half the connection's credits are held so, so that those always
 * find one.
 */
static struct lego_rdma_op *lego_rdma_page_begin(struct lego_peer *peer,
						 enum ib_wr_opcode opcode,
						 struct page *page,
						 u64 remote_addr, u32 rkey)
{
	struct ib_rdma_wr wr = {
		.wr.opcode = opcode,
		.wr.num_sge = 1,
		.remote_addr = remote_addr,
		.rkey = rkey,
	};
	struct lego_rdma_op *op;
	int ret;

	if (down_trylock(&peer->held_credits))
		return ERR_PTR(-EBUSY);
	op = kmalloc(sizeof(*op), GFP_KERNEL);
	if (!op) {
		ret = -ENOMEM;
		goto err_held;
	}
	op->peer = peer;
	op->dir = opcode == IB_WR_RDMA_READ ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
	ret = lego_rdma_get(peer);
	if (ret)
		goto err_free;
	op->sge.length = PAGE_SIZE;
	op->sge.lkey = peer->pd->local_dma_lkey;
	op->sge.addr = ib_dma_map_page(peer->dev, page, 0, PAGE_SIZE, op->dir);
	if (ib_dma_mapping_error(peer->dev, op->sge.addr)) {
		ret = -ENOMEM;
		goto err_put;
	}
	wr.wr.sg_list = &op->sge;
	ret = lego_post(peer, &wr.wr, &op->w);
	if (ret)
		goto err_unmap;
	return op;

err_unmap:
	ib_dma_unmap_page(peer->dev, op->sge.addr, PAGE_SIZE, op->dir);
err_put:
	lego_rdma_put(peer, ret);
err_free:
	kfree(op);
err_held:
	up(&peer->held_credits);
	return ERR_PTR(ret);
}

/**
 * lego_rdma_read_page_begin() - start an RDMA READ into @page
 * @peer: the connection the remote memory was registered for
 * @page: a whole page, not to be looked at until lego_rdma_op_end()
 * @remote_addr: address within the remote registration
 * @rkey: its rkey
 *
 * Sleeps for a credit. Return: the transfer in flight, or an ERR_PTR():
 * -EBUSY if half the connection's credits are held by transfers begun
 * so (do it another way), or as lego_rdma_read() returns errors.
 */
struct lego_rdma_op *lego_rdma_read_page_begin(struct lego_peer *peer,
					       struct page *page,
					       u64 remote_addr, u32 rkey)
{
	return lego_rdma_page_begin(peer, IB_WR_RDMA_READ, page, remote_addr,
				    rkey);
}

/* lego_rdma_write_page_begin() - the other way; @page left alone till end */
struct lego_rdma_op *lego_rdma_write_page_begin(struct lego_peer *peer,
						struct page *page,
						u64 remote_addr, u32 rkey)
{
	return lego_rdma_page_begin(peer, IB_WR_RDMA_WRITE, page, remote_addr,
				    rkey);
}

/* Wait for @op, within the RPC timeout, and free it. Return: as begin's. */
int lego_rdma_op_end(struct lego_rdma_op *op)
{
	struct lego_peer *peer = op->peer;
	int ret = lego_wait_for(peer, &op->w);

	ib_dma_unmap_page(peer->dev, op->sge.addr, PAGE_SIZE, op->dir);
	if (!ret && op->dir == DMA_FROM_DEVICE)
		lego_count(peer, rx_bytes, PAGE_SIZE);
	else if (!ret)
		lego_count(peer, tx_bytes, PAGE_SIZE);
	lego_rdma_put(peer, ret);
	up(&peer->held_credits);
	kfree(op);
	return ret;
}

static int lego_mr_map(struct lego_mr *mr)
{
	struct lego_peer *peer = mr->peer;
	int ret, n;

	mr->nents = ib_dma_map_sg(peer->dev, mr->sgl, mr->orig_nents,
				  DMA_BIDIRECTIONAL);
	if (!mr->nents)
		return -ENOMEM;
	mr->mr = ib_mr_pool_get(peer->qp, &peer->qp->rdma_mrs);
	if (WARN_ON_ONCE(!mr->mr)) {	/* mr_credits guard the pool */
		ret = -EAGAIN;
		goto err_unmap;
	}
	n = ib_map_mr_sg(mr->mr, mr->sgl, mr->nents, NULL, PAGE_SIZE);
	if (n < mr->nents) {
		ret = n < 0 ? n : -EINVAL;
		goto err_put_mr;
	}
	return 0;

err_put_mr:
	ib_mr_pool_put(peer->qp, &peer->qp->rdma_mrs, mr->mr);
err_unmap:
	ib_dma_unmap_sg(peer->dev, mr->sgl, mr->orig_nents, DMA_BIDIRECTIONAL);
	return ret;
}

static void lego_mr_unmap(struct lego_mr *mr)
{
	struct lego_peer *peer = mr->peer;

	ib_mr_pool_put(peer->qp, &peer->qp->rdma_mrs, mr->mr);
	ib_dma_unmap_sg(peer->dev, mr->sgl, mr->orig_nents, DMA_BIDIRECTIONAL);
}

static void lego_mr_free(struct lego_mr *mr)
{
	sg_free_table(&mr->sgt);
	kfree(mr);
}

/* Give @mr's scatterlist a fresh rkey with IB_WR_REG_MR. */
static int lego_mr_post_reg(struct lego_mr *mr, int access)
{
	struct ib_reg_wr wr = { .wr.opcode = IB_WR_REG_MR };
	struct lego_peer *peer = mr->peer;
	int ret;

	if (down_timeout(&peer->mr_credits,
			 msecs_to_jiffies(lego_rpc_timeout_ms)))
		return -ETIMEDOUT;
	ret = lego_rdma_get(peer);
	if (ret)
		goto err_credit;
	ret = lego_mr_map(mr);
	if (ret)
		goto err_put;

	ib_update_fast_reg_key(mr->mr, ib_inc_rkey(mr->mr->rkey));
	wr.mr = mr->mr;
	wr.key = mr->mr->rkey;
	wr.access = IB_ACCESS_LOCAL_WRITE | access;
	ret = lego_post_wait(peer, &wr.wr);
	if (ret)
		goto err_unmap;
	mr->posted = true;
	lego_rdma_put(peer, 0);
	return 0;

err_unmap:
	lego_mr_unmap(mr);
err_put:
	lego_rdma_put(peer, ret);
err_credit:
	up(&peer->mr_credits);
	return ret;
}

/**
 * lego_mr_register() - let @peer reach @pages with one-sided operations
 * @peer: the only connection the rkey will work on
 * @pages: the pages, in the order of their remote addresses
 * @nr_pages: 1..LEGO_MR_MAX_PAGES
 * @access: IB_ACCESS_REMOTE_READ and/or IB_ACCESS_REMOTE_WRITE
 *
 * The rkey is new and stays valid until lego_mr_deregister(), which must
 * follow soon: registrations come from a small pool per connection, and
 * a connection being reset waits for its registrations to be given back.
 * Sleeps. Return: the registration or an ERR_PTR().
 */
struct lego_mr *lego_mr_register(struct lego_peer *peer, struct page **pages,
				 unsigned int nr_pages, int access)
{
	struct lego_mr *mr;
	int ret;

	if (!nr_pages || nr_pages > LEGO_MR_MAX_PAGES ||
	    access & ~(IB_ACCESS_REMOTE_READ | IB_ACCESS_REMOTE_WRITE))
		return ERR_PTR(-EINVAL);
	mr = kzalloc(sizeof(*mr), GFP_KERNEL);
	if (!mr)
		return ERR_PTR(-ENOMEM);
	mr->peer = peer;
	ret = sg_alloc_table_from_pages(&mr->sgt, pages, nr_pages, 0,
					(unsigned long)nr_pages << PAGE_SHIFT,
					GFP_KERNEL);
	if (ret)
		goto err_free;
	mr->sgl = mr->sgt.sgl;
	mr->orig_nents = mr->sgt.orig_nents;
	ret = lego_mr_post_reg(mr, access);
	if (ret)
		goto err_free;
	return mr;

err_free:
	lego_mr_free(mr);
	return ERR_PTR(ret);
}

static void lego_reg_done(struct ib_cq *cq, struct ib_wc *wc)
{
	/* The request behind it fails too, and resets the connection. */
	if (wc->status != IB_WC_SUCCESS && wc->status != IB_WC_WR_FLUSH_ERR)
		pr_err_ratelimited("registration failed: %s\n",
				   ib_wc_status_msg(wc->status));
}

/* Registrations posted ahead of a message, not waited for (rpc, expose). */
struct ib_cqe lego_reg_cqe = { .done = lego_reg_done };

/**
 * lego_mr_prepare_sg() - a registration of a scatterlist, to be posted
 *	with the request that hands it out (lego_rpc_submit())
 * @peer: the only connection the rkey will work on
 * @sgl: the memory, contiguous in the remote's view: every entry but the
 *	first starts a page, every one but the last ends one (a block
 *	queue's virt_boundary gives that)
 * @nents: its entries, 1..LEGO_MR_MAX_PAGES
 * @access: IB_ACCESS_REMOTE_READ and/or IB_ACCESS_REMOTE_WRITE
 *
 * Saves the wait for IB_WR_REG_MR: the queue pair executes it before the
 * request. @sgl must stay until lego_mr_deregister(). The remote address
 * of the first byte is lego_mr_addr(). Sleeps, without I/O.
 * Return: the registration or an ERR_PTR().
 */
struct lego_mr *lego_mr_prepare_sg(struct lego_peer *peer,
				   struct scatterlist *sgl,
				   unsigned int nents, int access)
{
	struct lego_mr *mr;
	int ret;

	if (!nents || nents > LEGO_MR_MAX_PAGES ||
	    access & ~(IB_ACCESS_REMOTE_READ | IB_ACCESS_REMOTE_WRITE))
		return ERR_PTR(-EINVAL);
	mr = kzalloc(sizeof(*mr), GFP_NOIO);
	if (!mr)
		return ERR_PTR(-ENOMEM);
	mr->peer = peer;
	mr->sgl = sgl;
	mr->orig_nents = nents;
	mr->access = access;
	/* A registration held keeps the connection's QP (see peer.c). */
	if (down_timeout(&peer->mr_credits,
			 msecs_to_jiffies(lego_rpc_timeout_ms))) {
		ret = -ETIMEDOUT;
		goto err_free;
	}
	ret = lego_rdma_get(peer);
	if (ret)
		goto err_credit;
	ret = lego_mr_map(mr);
	lego_rdma_put(peer, ret);
	if (ret)
		goto err_credit;
	ib_update_fast_reg_key(mr->mr, ib_inc_rkey(mr->mr->rkey));
	return mr;

err_credit:
	up(&peer->mr_credits);
err_free:
	lego_mr_free(mr);
	return ERR_PTR(ret);
}

/* The IB_WR_REG_MR of a prepared @mr, for the RPC layer to post. */
void lego_mr_reg_wr(struct lego_mr *mr, struct ib_reg_wr *wr)
{
	memset(wr, 0, sizeof(*wr));
	wr->wr.opcode = IB_WR_REG_MR;
	wr->wr.wr_cqe = &lego_reg_cqe;
	wr->mr = mr->mr;
	wr->key = mr->mr->rkey;
	wr->access = IB_ACCESS_LOCAL_WRITE | mr->access;
}

/* The RPC layer posts @mr's registration; the reply may have ended it. */
void lego_mr_posted(struct lego_mr *mr, bool invalidated)
{
	mr->posted = true;
	mr->invalidated = invalidated;
}

/* ... or its post failed, and nothing went out. */
void lego_mr_unposted(struct lego_mr *mr)
{
	mr->posted = false;
}

/**
 * lego_mr_must_invalidate() - whether lego_mr_deregister() posts and waits
 * @mr: a registration
 *
 * It does not when the registration never went out, when the reply to the
 * request that handed it out invalidated it, or when the connection is
 * down (the rkey dies with the QP): then lego_mr_deregister() does not
 * sleep either, and may be called from a completion.
 */
bool lego_mr_must_invalidate(const struct lego_mr *mr)
{
	return mr->posted && !mr->invalidated && lego_peer_live(mr->peer);
}

/**
 * lego_mr_deregister() - invalidate @mr's rkey and give it back
 * @mr: from lego_mr_register()
 *
 * When the connection is down the QP that could use the rkey is already
 * in error, and the rkey dies with it; nothing is posted then, nor when
 * the peer invalidated it with its reply. When the invalidation cannot be
 * done, the connection is reset.
 */
void lego_mr_deregister(struct lego_mr *mr)
{
	struct lego_peer *peer = mr->peer;
	struct ib_send_wr wr = {
		.opcode = IB_WR_LOCAL_INV,
		.ex.invalidate_rkey = mr->mr->rkey,
	};
	int ret;

	if (!lego_mr_must_invalidate(mr))
		goto out;
	ret = lego_rdma_get(peer);
	if (!ret) {
		ret = lego_post_wait(peer, &wr);
		lego_rdma_put(peer, ret);
	}
	/*
	 * An rkey that may still work must not go back to the pool for
	 * another use while the QP lives: reset the connection.
	 */
	if (ret)
		lego_peer_fail(peer, "cannot invalidate an rkey");
out:
	lego_mr_unmap(mr);
	up(&peer->mr_credits);
	lego_mr_free(mr);
}

u64 lego_mr_addr(const struct lego_mr *mr)
{
	return mr->mr->iova;
}

u32 lego_mr_rkey(const struct lego_mr *mr)
{
	return mr->mr->rkey;
}

u64 lego_mr_length(const struct lego_mr *mr)
{
	return mr->mr->length;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Memory a server lends one client for as long as the memory holds that
 * client's data: the mmon's pool chunks, which the pmon then READs and
 * WRITEs instead of asking for each page. Each exposure is one
 * registration, valid on that one connection (its PD), under an id the
 * server chooses; it ends with lego_unexpose() or with the connection.
 * The MRs are allocated with the connection: exposures are made from
 * completions, which cannot sleep.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": rdma: " fmt

#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <rdma/mr_pool.h>

#include "lego/transport.h"
#include "peer.h"

struct lego_exposure {
	struct ib_mr *mr;
	unsigned int orig_nents;	/* what is DMA-unmapped */
	struct scatterlist sgl[];
};

static unsigned int lego_expose_max;	/* exposures per connection */
static unsigned int lego_expose_pages;	/* pages per exposure */

/**
 * lego_expose_setup() - let this server's connections expose memory
 * @max: exposures one connection may hold, ids 0..@max - 1
 * @pages: pages each covers at most
 *
 * Before the listener accepts anyone.
 */
void lego_expose_setup(unsigned int max, unsigned int pages)
{
	lego_expose_max = max;
	lego_expose_pages = pages;
}

/* A server's new connection: MRs for its exposures, if it makes any. */
void lego_expose_init(struct lego_peer *peer)
{
	int ret;

	if (!lego_expose_max)
		return;
	ret = ib_mr_pool_init(peer->qp, &peer->expose_mrs, lego_expose_max,
			      IB_MR_TYPE_MEM_REG, lego_expose_pages, 0);
	if (ret)
		pr_warn("%s: no MRs to expose memory (%d): pages go by RPC\n",
			peer->name, ret);
}

static void lego_exposure_free(struct lego_peer *peer, struct lego_exposure *e)
{
	ib_dma_unmap_sg(peer->dev, e->sgl, e->orig_nents, DMA_BIDIRECTIONAL);
	ib_mr_pool_put(peer->qp, &peer->expose_mrs, e->mr);
	kfree(e);
}

static struct lego_exposure *lego_exposure_map(struct lego_peer *peer,
					       struct page **pages,
					       unsigned int nr, u64 iova)
{
	struct lego_exposure *e;
	unsigned int i;
	int nents;

	e = kmalloc(struct_size(e, sgl, nr), GFP_ATOMIC);
	if (!e)
		return ERR_PTR(-ENOMEM);
	e->mr = ib_mr_pool_get(peer->qp, &peer->expose_mrs);
	if (!e->mr) {
		kfree(e);
		return ERR_PTR(-EAGAIN);
	}
	e->orig_nents = nr;
	sg_init_table(e->sgl, nr);
	for (i = 0; i < nr; i++)
		sg_set_page(&e->sgl[i], pages[i], PAGE_SIZE, 0);
	nents = ib_dma_map_sg(peer->dev, e->sgl, nr, DMA_BIDIRECTIONAL);
	if (!nents)
		goto err_put;
	if (ib_map_mr_sg(e->mr, e->sgl, nents, NULL, PAGE_SIZE) < nents)
		goto err_unmap;
	/* The server names the memory, not its DMA addresses. */
	e->mr->iova = iova;
	ib_update_fast_reg_key(e->mr, ib_inc_rkey(e->mr->rkey));
	return e;

err_unmap:
	ib_dma_unmap_sg(peer->dev, e->sgl, nr, DMA_BIDIRECTIONAL);
err_put:
	ib_mr_pool_put(peer->qp, &peer->expose_mrs, e->mr);
	kfree(e);
	return ERR_PTR(-EIO);
}

/**
 * lego_expose() - let @peer READ and WRITE @pages at [@iova, + @nr pages)
 * @peer: a server's connection, the only one the rkey works on
 * @id: the server's name for the memory, below lego_expose_setup()'s @max
 * @pages: the memory
 * @nr: its pages, up to lego_expose_setup()'s @pages
 * @iova: the address the client READs the first byte at
 * @rkey: set to the rkey
 *
 * Already exposed under @id on @peer: its rkey. Else the registration is
 * posted here, so a reply posted after this call reaches the client only
 * once the rkey works. Does not sleep.
 * Return: 0, -EAGAIN if the connection has no MR left, or another
 * negative errno.
 */
int lego_expose(struct lego_peer *peer, u32 id, struct page **pages,
		unsigned int nr, u64 iova, u32 *rkey)
{
	struct ib_reg_wr wr = {
		.wr.opcode = IB_WR_REG_MR,
		.wr.wr_cqe = &lego_reg_cqe,
		.access = IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_READ |
			  IB_ACCESS_REMOTE_WRITE,
	};
	struct lego_exposure *e;
	unsigned long flags;
	int ret;

	if (!peer->server || id >= lego_expose_max || !nr ||
	    nr > lego_expose_pages)
		return -EINVAL;
	spin_lock_irqsave(&peer->lock, flags);
	ret = -ENOTCONN;
	if (!peer->can_post || peer->state != LEGO_PEER_LIVE)
		goto out_unlock;
	e = xa_load(&peer->exposed, id);
	if (e) {
		*rkey = e->mr->rkey;
		ret = 0;
		goto out_unlock;
	}
	spin_unlock_irqrestore(&peer->lock, flags);

	e = lego_exposure_map(peer, pages, nr, iova);
	if (IS_ERR(e))
		return PTR_ERR(e);
	wr.mr = e->mr;
	wr.key = e->mr->rkey;
	spin_lock_irqsave(&peer->lock, flags);
	ret = -ENOTCONN;
	if (peer->can_post && peer->state == LEGO_PEER_LIVE)
		ret = xa_err(xa_store(&peer->exposed, id, e, GFP_ATOMIC));
	if (!ret) {
		ret = ib_post_send(peer->qp, &wr.wr, NULL);
		if (ret)
			xa_erase(&peer->exposed, id);
	}
	spin_unlock_irqrestore(&peer->lock, flags);
	if (ret) {
		lego_exposure_free(peer, e);
		return ret;
	}
	*rkey = wr.key;
	return 0;

out_unlock:
	spin_unlock_irqrestore(&peer->lock, flags);
	return ret;
}

/**
 * lego_unexpose() - end exposure @id on the connection numbered @serial
 * @serial: lego_peer_serial() of the connection it was exposed on
 * @id: as given to lego_expose()
 *
 * When this returns the rkey no longer works: it was invalidated, or the
 * connection is going away and it dies with the QP. Sleeps.
 */
void lego_unexpose(u64 serial, u32 id)
{
	struct ib_send_wr wr = { .opcode = IB_WR_LOCAL_INV };
	struct lego_exposure *e;
	struct lego_peer *peer;
	unsigned long flags;
	int ret = -ENOTCONN;

	/* The credit keeps the QP until we are done (lego_peer_quiesce()). */
	mutex_lock(&lego_peers_lock);
	peer = lego_peer_by_serial(serial);
	if (peer)
		ret = lego_rdma_get(peer);
	mutex_unlock(&lego_peers_lock);
	if (ret)
		return;
	spin_lock_irqsave(&peer->lock, flags);
	e = xa_erase(&peer->exposed, id);
	spin_unlock_irqrestore(&peer->lock, flags);
	if (e) {
		wr.ex.invalidate_rkey = e->mr->rkey;
		ret = lego_post_wait(peer, &wr);
		/* A QP that could not invalidate must not outlive the rkey. */
		if (ret && ret != -ENOTCONN)
			lego_peer_fail(peer, "cannot invalidate an rkey");
		lego_exposure_free(peer, e);
	}
	lego_rdma_put(peer, ret);
}

/* The connection is quiesced: its exposures and MRs go with its QP. */
void lego_expose_release(struct lego_peer *peer)
{
	struct lego_exposure *e;
	unsigned long id;

	if (!peer->qp)
		return;
	xa_for_each(&peer->exposed, id, e) {
		xa_erase(&peer->exposed, id);
		lego_exposure_free(peer, e);
	}
	ib_mr_pool_destroy(peer->qp, &peer->expose_mrs);
}

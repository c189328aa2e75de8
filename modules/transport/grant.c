// SPDX-License-Identifier: GPL-2.0
/*
 * Memory a server lends a client for one-sided access, filled with a known
 * pattern: what the transport's tests and benchmark READ and WRITE. Each
 * grant has its own registration, so its rkey works on that one connection
 * and only until it is revoked or the connection ends.
 */
#include <linux/highmem.h>
#include <linux/slab.h>

#include "lego/pattern.h"
#include "lego/transport.h"
#include "peer.h"

struct lego_grant {
	struct list_head node;
	struct lego_mr *mr;
	unsigned int nr_pages;
	struct page *pages[];
};

static void lego_grant_free(struct lego_grant *g)
{
	unsigned int i;

	if (g->mr)
		lego_mr_deregister(g->mr);
	for (i = 0; i < g->nr_pages; i++)
		if (g->pages[i])
			__free_page(g->pages[i]);
	kfree(g);
}

static struct lego_grant *lego_grant_alloc(struct lego_peer *peer, u32 bytes,
					   u32 seed)
{
	unsigned int i, nr_pages = DIV_ROUND_UP(bytes, PAGE_SIZE);
	struct lego_grant *g;
	void *addr;

	g = kzalloc(struct_size(g, pages, nr_pages), GFP_KERNEL);
	if (!g)
		return ERR_PTR(-ENOMEM);
	g->nr_pages = nr_pages;
	for (i = 0; i < nr_pages; i++) {
		g->pages[i] = alloc_page(GFP_KERNEL);
		if (!g->pages[i]) {
			lego_grant_free(g);
			return ERR_PTR(-ENOMEM);
		}
		addr = kmap_local_page(g->pages[i]);
		lego_pattern_fill(addr, PAGE_SIZE, seed, (u64)i * PAGE_SIZE);
		kunmap_local(addr);
	}
	g->mr = lego_mr_register(peer, g->pages, nr_pages,
				 IB_ACCESS_REMOTE_READ | IB_ACCESS_REMOTE_WRITE);
	if (IS_ERR(g->mr)) {
		int ret = PTR_ERR(g->mr);

		g->mr = NULL;
		lego_grant_free(g);
		return ERR_PTR(ret);
	}
	return g;
}

int lego_serve_grant(struct lego_peer *peer, const struct lego_msg *msg,
		     const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_mr_grant_req *req = payload;
	struct lego_mr_grant_reply *rep = reply;
	u32 bytes = le32_to_cpu(req->bytes);
	struct lego_grant *g, *pos;
	unsigned int n = 0;
	int ret = 0;

	if (!bytes || bytes > LEGO_GRANT_MAX || bytes % 4)
		return -EINVAL;
	mutex_lock(&peer->grants_lock);
	list_for_each_entry(pos, &peer->grants, node)
		n++;
	if (n >= LEGO_GRANTS_PER_PEER) {
		ret = -ENOSPC;
		goto out;
	}
	g = lego_grant_alloc(peer, bytes, le32_to_cpu(req->seed));
	if (IS_ERR(g)) {
		ret = PTR_ERR(g);
		goto out;
	}
	list_add_tail(&g->node, &peer->grants);
	rep->addr = cpu_to_le64(lego_mr_addr(g->mr));
	rep->rkey = cpu_to_le32(lego_mr_rkey(g->mr));
	rep->bytes = cpu_to_le32(lego_mr_length(g->mr));
	*reply_len = sizeof(*rep);
out:
	mutex_unlock(&peer->grants_lock);
	return ret;
}

int lego_serve_revoke(struct lego_peer *peer, const struct lego_msg *msg,
		      const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_mr_revoke_req *req = payload;
	struct lego_grant *g, *found = NULL;

	if (req->reserved)
		return -EINVAL;
	mutex_lock(&peer->grants_lock);
	list_for_each_entry(g, &peer->grants, node) {
		if (lego_mr_rkey(g->mr) == le32_to_cpu(req->rkey)) {
			found = g;
			list_del(&g->node);
			break;
		}
	}
	mutex_unlock(&peer->grants_lock);
	if (!found)
		return -ENOENT;
	lego_grant_free(found);
	return 0;
}

/* The connection ends: everything it was lent goes. */
void lego_grants_release(struct lego_peer *peer)
{
	struct lego_grant *g, *tmp;

	mutex_lock(&peer->grants_lock);
	list_for_each_entry_safe(g, tmp, &peer->grants, node) {
		list_del(&g->node);
		lego_grant_free(g);
	}
	mutex_unlock(&peer->grants_lock);
}

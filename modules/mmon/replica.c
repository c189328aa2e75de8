// SPDX-License-Identifier: GPL-2.0
/*
 * Rebuilding replicas. The home places a new replica from a work item
 * (home.c); then the owner of the vRegion sends the pages it holds there
 * to it, one FILL each, from another, while the pmon already writes back
 * to both. FILL keeps a page the replica has, so a page copied late never
 * hides a newer one. Both run on one workqueue, stopped before unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": mmon: " fmt

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "lego/vregion.h"
#include "mmon.h"

atomic64_t mmon_copied;
static struct workqueue_struct *mmon_replica_wq;
static DEFINE_MUTEX(mmon_replica_lock);	/* queueing against stopping */
static bool mmon_replica_stopped;

/* Run @work on the replicas' workqueue; false once it is stopped. */
bool mmon_replica_queue(struct work_struct *work)
{
	bool queued = false;

	mutex_lock(&mmon_replica_lock);
	if (!mmon_replica_stopped)
		queued = queue_work(mmon_replica_wq, work);
	mutex_unlock(&mmon_replica_lock);
	return queued;
}

struct mmon_copy {
	struct work_struct work;
	struct lego_peer *to;
	__be32 to_addr;
	u32 vnode;
	unsigned long first, last;	/* page numbers */
	struct {			/* a LEGO_OP_MEM_FILL */
		struct lego_mem_own_req own;
		u8 page[LEGO_PAGE_SIZE];
	} fill;
};

static void mmon_copy_work(struct work_struct *work)
{
	struct mmon_copy *c = container_of(work, struct mmon_copy, work);
	struct lego_mem_req *req = &c->fill.own.req;
	unsigned long key = mmon_key(c->vnode, le32_to_cpu(req->asid));
	unsigned long index = c->first;
	u64 copied = 0;
	int ret;
	u32 got;

	while (index <= c->last && !READ_ONCE(mmon_replica_stopped)) {
		ret = mmon_space_next_page(key, c->fill.own.pmon,
					   le64_to_cpu(req->key), &index,
					   c->last, c->fill.page);
		if (ret <= 0)
			break;	/* all sent, or the space is gone */
		req->addr = cpu_to_le64((u64)index << PAGE_SHIFT);
		ret = lego_rpc_call(c->to, LEGO_OP_MEM_FILL, c->vnode,
				    &c->fill, sizeof(c->fill), NULL, 0, &got);
		if (ret && ret != -EFAULT) {	/* -EFAULT: unmapped meanwhile */
			pr_warn("vNode %u space %u: copy to %pI4 stopped at %#lx: %d\n",
				c->vnode, le32_to_cpu(req->asid), &c->to_addr,
				index << PAGE_SHIFT, ret);
			break;
		}
		if (!ret) {
			copied++;
			atomic64_inc(&mmon_copied);
		}
		index++;
	}
	pr_info("vNode %u space %u: %llu pages of vRegion %#lx copied to the new replica\n",
		c->vnode, le32_to_cpu(req->asid), copied,
		c->first << PAGE_SHIFT);
	kfree(c);
}

/*
 * LEGO_OP_MEM_COPY, from the space's pmon: it writes back to mmon @to
 * already, which the home made the vRegion's replica.
 */
int mmon_serve_copy(struct lego_peer *peer, const struct lego_msg *msg,
		    const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_mem_copy_req *cr = payload;
	u64 addr = le64_to_cpu(cr->req.addr);
	__be32 pmon = lego_peer_addr(peer);
	struct lego_peer *to;
	struct mmon_copy *c;

	if (!le32_to_cpu(cr->req.asid) || le32_to_cpu(cr->req.asid) > 0xffff ||
	    addr & (LEGO_VREGION_SIZE - 1) ||
	    le64_to_cpu(cr->req.len) != LEGO_VREGION_SIZE || cr->req.prot ||
	    cr->reserved)
		return -EINVAL;
	/* Only the space's pmon, with its key: checked now, again per page. */
	if (!mmon_space_of(mmon_key(msg->vnode, le32_to_cpu(cr->req.asid)),
			   pmon, le64_to_cpu(cr->req.key))) {
		atomic64_inc(&mmon_refused);
		return -ENOENT;
	}
	to = lego_peer_find(cr->to);
	if (!to)
		return -EHOSTUNREACH;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	INIT_WORK(&c->work, mmon_copy_work);
	c->to = to;
	c->to_addr = cr->to;
	c->vnode = msg->vnode;
	c->first = addr >> PAGE_SHIFT;
	c->last = c->first + (LEGO_VREGION_SIZE >> PAGE_SHIFT) - 1;
	c->fill.own.op = cpu_to_le16(LEGO_OP_MEM_FILL);
	c->fill.own.pmon = pmon;
	c->fill.own.req.asid = cr->req.asid;
	c->fill.own.req.len = cpu_to_le64(PAGE_SIZE);
	c->fill.own.req.key = cr->req.key;
	if (!mmon_replica_queue(&c->work)) {
		kfree(c);
		return -ESHUTDOWN;
	}
	return 0;
}

int mmon_replica_init(void)
{
	mmon_replica_stopped = false;
	mmon_replica_wq = alloc_workqueue("lego_replica", WQ_UNBOUND, 0);
	return mmon_replica_wq ? 0 : -ENOMEM;
}

/* Before the transport goes: no work may use its peers after. */
void mmon_replica_stop(void)
{
	mutex_lock(&mmon_replica_lock);
	WRITE_ONCE(mmon_replica_stopped, true);
	mutex_unlock(&mmon_replica_lock);
	flush_workqueue(mmon_replica_wq);
}

void mmon_replica_exit(void)
{
	destroy_workqueue(mmon_replica_wq);
}

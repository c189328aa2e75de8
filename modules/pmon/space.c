// SPDX-License-Identifier: GPL-2.0
/*
 * The pmon's address spaces: what their home mmon is told (map, unmap,
 * protect, discard, free) and how the ExCache reaches their pages (fetch
 * and write back at the owner of each page's vRegion, unmap from every
 * process that maps the page).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": pmon: " fmt

#include <linux/bitfield.h>
#include <linux/highmem.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/semaphore.h>
#include <linux/slab.h>

#include "lego/transport.h"
#include "lego/vma_tree.h"
#include "lego/vregion.h"
#include "pmon.h"

static DEFINE_IDA(pmon_asids);

/*
 * space->written: a page written back at least once, and where its owner
 * said it may be READ (lego_mem_page_loc), packed into an xarray value:
 * the rkey, the page's index at the owner and the low bits of the serial
 * of the connection the answer came on. Unlocated: ask with FETCH.
 * Charged: written here but not yet back, so zero at the owner. Lost: its
 * data is gone with its owner.
 */
#define PMON_LOC_RKEY		GENMASK_ULL(31, 0)
#define PMON_LOC_INDEX		GENMASK_ULL(57, 32)
#define PMON_LOC_SERIAL		GENMASK_ULL(61, 58)
#define PMON_LOC_VALID		BIT_ULL(62)
#define PMON_UNLOCATED		xa_mk_value(0)
/* Dirtied, never written back: zero at its owner, but counted (--mem). */
#define PMON_CHARGED		xa_mk_value(1)
/* Dirty, but its write-back failed and it was dropped: SIGBUS, not zeroes. */
#define PMON_LOST		xa_mk_value(2)

static void *pmon_loc_pack(const struct lego_mem_page_loc *loc, u64 serial)
{
	u64 index = le64_to_cpu(loc->addr) >> PAGE_SHIFT;
	u32 rkey = le32_to_cpu(loc->rkey);

	if (!rkey || le64_to_cpu(loc->addr) & ~PAGE_MASK ||
	    index > FIELD_MAX(PMON_LOC_INDEX))
		return PMON_UNLOCATED;
	return xa_mk_value(PMON_LOC_VALID | FIELD_PREP(PMON_LOC_RKEY, rkey) |
			   FIELD_PREP(PMON_LOC_INDEX, index) |
			   FIELD_PREP(PMON_LOC_SERIAL, serial &
				      FIELD_MAX(PMON_LOC_SERIAL)));
}

/* Where to READ the page: only on the connection that said so. */
static bool pmon_loc_unpack(void *entry, u64 serial, u64 *addr, u32 *rkey)
{
	u64 v = xa_to_value(entry);

	if (!(v & PMON_LOC_VALID) ||
	    FIELD_GET(PMON_LOC_SERIAL, v) !=
	    (serial & FIELD_MAX(PMON_LOC_SERIAL)))
		return false;
	*addr = FIELD_GET(PMON_LOC_INDEX, v) << PAGE_SHIFT;
	*rkey = FIELD_GET(PMON_LOC_RKEY, v);
	return true;
}

atomic64_t pmon_zero_fills;		/* fetches answered here, with zeroes */
static u32 pmon_prefetch;		/* pages ahead of a sequential miss */

/*
 * A miss may hold its write-back's request slot while it waits for its
 * fetch's. At most half a connection's slots (32) are held so, so that
 * the fetches always find one; beyond, write-backs are waited for at once.
 */
#define PMON_WRITEBACKS_HELD	16
static struct semaphore pmon_writebacks_held;

void pmon_space_init(u32 prefetch)
{
	pmon_prefetch = prefetch;
	sema_init(&pmon_writebacks_held, PMON_WRITEBACKS_HELD);
}

static u32 pmon_vregion_of(u64 addr)
{
	return (addr - LEGO_MEM_WINDOW_BASE) >> LEGO_VREGION_SHIFT;
}

static bool pmon_in_window(u64 addr, u64 len)
{
	return addr >= LEGO_MEM_WINDOW_BASE && len &&
	       addr + len > addr &&
	       pmon_vregion_of(addr + len - 1) < LEGO_MEM_WINDOW_VREGIONS;
}

static void pmon_prefetch_work(struct work_struct *work);

struct pmon_space *pmon_space_create(struct inode *inode)
{
	struct pmon_space *space;
	unsigned int i;
	int asid;

	space = kzalloc(sizeof(*space), GFP_KERNEL);
	if (!space)
		return ERR_PTR(-ENOMEM);
	asid = ida_alloc_range(&pmon_asids, 1, 0xffff, GFP_KERNEL);
	if (asid < 0) {
		kfree(space);
		return ERR_PTR(asid);
	}
	kref_init(&space->ref);
	space->asid = asid;
	mutex_init(&space->lock);
	spin_lock_init(&space->stream_lock);
	for (i = 0; i < PMON_PREFETCHERS; i++) {
		INIT_WORK(&space->prefetchers[i].work, pmon_prefetch_work);
		space->prefetchers[i].space = space;
	}
	xa_init(&space->written);
	address_space_init_once(&space->mapping);
	space->mapping.host = inode;
	return space;
}

static void pmon_space_free(struct kref *ref)
{
	struct pmon_space *space = container_of(ref, struct pmon_space, ref);

	ida_free(&pmon_asids, space->asid);
	xa_destroy(&space->written);
	if (space->vn)
		pmon_vnode_put(space->vn);
	kvfree(space->adopt);
	kfree(space);
}

/* Its pages are no longer at the mmons: erase them from @written. */
static void pmon_forget_written(struct pmon_space *space, u64 vpn,
				u64 vpn_end)
{
	unsigned long index;
	void *entry;

	xa_for_each_range(&space->written, index, entry, vpn, vpn_end - 1) {
		xa_erase(&space->written, index);
		atomic64_dec(&space->vn->pages);
	}
}

/**
 * pmon_space_charge() - count page @vpn against its vNode's --mem
 * @space: the address space writing it
 * @vpn: the page
 *
 * A page is counted from its first write until it is unmapped: as memory
 * cgroups charge a page when it is first touched, so that the vNode over
 * its limit is the writer that fails, not whoever evicts its lines later.
 *
 * Return: 0, -ENOMEM over the limit (counted), or the xarray's error.
 */
int pmon_space_charge(struct pmon_space *space, u64 vpn)
{
	struct pmon_vnode *vn = space->vn;
	void *old;

	if (xa_load(&space->written, vpn))
		return 0;
	if (atomic64_inc_return(&vn->pages) > vn->mem >> PAGE_SHIFT) {
		atomic64_dec(&vn->pages);
		atomic64_inc(&vn->stats.over_mem);
		return -ENOMEM;
	}
	old = xa_cmpxchg(&space->written, vpn, NULL, PMON_CHARGED, GFP_KERNEL);
	if (old)	/* counted by another thread, or an error */
		atomic64_dec(&vn->pages);
	return xa_err(old);
}

static int pmon_space_call(struct pmon_space *space, u16 op, u64 addr,
			   u64 len, u32 prot, void *reply, u32 reply_max)
{
	struct lego_mem_req req = {
		.asid = cpu_to_le32(space->asid),
		.prot = cpu_to_le32(prot),
		.addr = cpu_to_le64(addr),
		.len = cpu_to_le64(len),
		.key = cpu_to_le64(space->key),
	};
	u32 got;

	if (!space->home)
		return -ENOTCONN;
	return lego_rpc_call(space->home, op, space->vnode, &req, sizeof(req),
			     reply, reply_max, &got);
}

/*
 * Prefetches in flight finish before lines are dropped, so none brings a
 * page back behind an invalidation. New ones come only from faults, which
 * the callers' mmap_lock (munmap, mprotect, exit) keeps out.
 */
static void pmon_prefetch_stop(struct pmon_space *space)
{
	unsigned int i;

	/* Each work stops after the page it is bringing in. */
	spin_lock(&space->stream_lock);
	space->prefetch_next = 0;
	space->prefetch_end = 0;
	spin_unlock(&space->stream_lock);
	for (i = 0; i < PMON_PREFETCHERS; i++)
		if (cancel_work_sync(&space->prefetchers[i].work))
			kref_put(&space->ref, pmon_space_free);
}

#define PMON_WINDOW_VPN		(LEGO_MEM_WINDOW_BASE >> PAGE_SHIFT)
#define PMON_WINDOW_VPN_END	(PMON_WINDOW_VPN + \
				 ((u64)LEGO_MEM_WINDOW_VREGIONS << \
				  (LEGO_VREGION_SHIFT - PAGE_SHIFT)))

/* The file is closed: its mappings are gone; so go its lines and pages. */
void pmon_space_release(struct pmon_space *space)
{
	if (space->vn) {
		pmon_prefetch_stop(space);
		excache_invalidate(&pmon_excache, space, space->asid,
				   PMON_WINDOW_VPN, PMON_WINDOW_VPN_END, false);
		if (space->key)
			pmon_space_call(space, LEGO_OP_MEM_FREE, 0, 0, 0,
					NULL, 0);
		pmon_forget_written(space, PMON_WINDOW_VPN,
				    PMON_WINDOW_VPN_END);
		pmon_vnode_leave(space);
	}
	kref_put(&space->ref, pmon_space_free);
}

/* Would a copy of @parent's pages keep @vn within its --mem? */
static int pmon_space_clone_fits(struct pmon_vnode *vn,
				 struct pmon_space *parent)
{
	unsigned long vpn;
	void *entry;
	u64 nr = 0;

	xa_for_each(&parent->written, vpn, entry)
		nr++;
	if (atomic64_read(&vn->pages) + nr > vn->mem >> PAGE_SHIFT) {
		atomic64_inc(&vn->stats.over_mem);
		return -ENOMEM;
	}
	return 0;
}

/**
 * pmon_space_clone() - make a fresh @space a copy of @parent (fork)
 * @space: joined to @parent's vNode, its mappings recorded
 * @parent: the address space to copy, as it is now
 *
 * @parent's dirty lines are written back first: the mmons copy what they
 * hold, and @space then fetches every page @parent ever wrote back.
 *
 * Return: 0 or a negative errno.
 */
int pmon_space_clone(struct pmon_space *space, struct pmon_space *parent)
{
	struct lego_mem_clone_req req = {
		.req.asid = cpu_to_le32(space->asid),
		.src_asid = cpu_to_le32(parent->asid),
	};
	struct lego_mem_clone_reply rep;
	unsigned long vpn;
	void *entry;
	u32 got;
	int ret = 0;

	mutex_lock(&parent->lock);
	if (!parent->key)
		goto out;	/* it never mapped anything */
	pmon_prefetch_stop(parent);
	ret = excache_invalidate(&pmon_excache, parent, parent->asid,
				 PMON_WINDOW_VPN, PMON_WINDOW_VPN_END, true);
	if (ret)
		goto out;
	ret = pmon_space_clone_fits(space->vn, parent);
	if (ret)
		goto out;
	req.src_key = cpu_to_le64(parent->key);
	ret = lego_rpc_call(space->home, LEGO_OP_MEM_CLONE, space->vnode,
			    &req, sizeof(req), &rep, sizeof(rep), &got);
	if (!ret && got != sizeof(rep))
		ret = -EPROTO;
	if (ret)
		goto out;
	space->key = le64_to_cpu(rep.key);
	memcpy(space->owner, parent->owner, sizeof(space->owner));
	/* The copies are new pages at the mmons: where is not known yet. */
	xa_for_each(&parent->written, vpn, entry) {
		if (entry != PMON_CHARGED && entry != PMON_LOST)
			entry = PMON_UNLOCATED;
		ret = xa_err(xa_store(&space->written, vpn, entry,
				      GFP_KERNEL));
		if (ret)
			goto out;	/* release frees the copy */
		atomic64_inc(&space->vn->pages);
	}
out:
	mutex_unlock(&parent->lock);
	return ret;
}

/**
 * pmon_space_map() - have the home mmon place @len bytes
 * @space: the address space
 * @addr: 0 to let the home choose, else where; set to where it is
 * @len: page aligned
 * @prot: LEGO_PROT_*
 *
 * Return: 0, or a negative errno (the home's, or -EHOSTUNREACH if an owner
 * it chose is not one this pmon is connected to).
 */
int pmon_space_map(struct pmon_space *space, u64 *addr, u64 len, u32 prot)
{
	struct lego_mem_map_reply rep;
	struct lego_peer *owner[LEGO_MEM_MAP_MAX_VREGIONS];
	u32 i, first, nr;
	int ret;

	ret = pmon_space_call(space, LEGO_OP_MEM_MAP, *addr, len, prot, &rep,
			      sizeof(rep));
	if (ret)
		return ret;
	*addr = le64_to_cpu(rep.addr);
	space->key = le64_to_cpu(rep.key);
	nr = le32_to_cpu(rep.nr);
	if (!pmon_in_window(*addr, len) || nr > LEGO_MEM_MAP_MAX_VREGIONS ||
	    pmon_vregion_of(*addr + len - 1) - pmon_vregion_of(*addr) + 1 != nr) {
		ret = -EPROTO;
		goto err_unmap;
	}
	for (i = 0; i < nr; i++) {
		owner[i] = rep.owner[i] ? lego_peer_find(rep.owner[i]) :
					  space->home;
		if (!owner[i]) {
			ret = -EHOSTUNREACH;
			goto err_unmap;
		}
	}
	first = pmon_vregion_of(*addr);
	for (i = 0; i < nr; i++)
		WRITE_ONCE(space->owner[first + i], owner[i]);
	return 0;

err_unmap:
	pmon_space_call(space, LEGO_OP_MEM_UNMAP, *addr, len, 0, NULL, 0);
	return ret;
}

/*
 * The lines of [@addr, @addr + @len) go without write-back, and the pages
 * count as zero from now on: the caller frees them at the mmons.
 */
static void pmon_drop_range(struct pmon_space *space, u64 addr, u64 len)
{
	pmon_prefetch_stop(space);
	excache_invalidate(&pmon_excache, space, space->asid,
			   addr >> PAGE_SHIFT, (addr + len) >> PAGE_SHIFT,
			   false);
	pmon_forget_written(space, addr >> PAGE_SHIFT,
			    (addr + len) >> PAGE_SHIFT);
}

/* munmap: the lines go, then the pages at the mmons. */
int pmon_space_unmap(struct pmon_space *space, u64 addr, u64 len)
{
	pmon_drop_range(space, addr, len);
	return pmon_space_call(space, LEGO_OP_MEM_UNMAP, addr, len, 0, NULL, 0);
}

/* MADV_DONTNEED: as munmap, but the vmas stay and read back zeroes. */
int pmon_space_discard(struct pmon_space *space, u64 addr, u64 len)
{
	if (!pmon_in_window(addr, len) || (addr | len) & ~PAGE_MASK)
		return -EINVAL;
	pmon_drop_range(space, addr, len);
	return pmon_space_call(space, LEGO_OP_MEM_DISCARD, addr, len, 0, NULL,
			       0);
}

/*
 * mprotect. Taking write away writes dirty lines back first, so that the
 * owner, which refuses write-backs to read-only vmas, has every byte
 * written before.
 */
int pmon_space_protect(struct pmon_space *space, u64 addr, u64 len, u32 prot,
		       bool revoke_write)
{
	int ret;

	if (revoke_write) {
		pmon_prefetch_stop(space);
		ret = excache_invalidate(&pmon_excache, space, space->asid,
					 addr >> PAGE_SHIFT,
					 (addr + len) >> PAGE_SHIFT, true);
		if (ret)
			return ret;
	}
	return pmon_space_call(space, LEGO_OP_MEM_PROTECT, addr, len, prot,
			       NULL, 0);
}

/*
 * Bring in the pages queued by pmon_space_missed(), the next one not
 * taken by another of the space's prefetchers: up to PMON_PREFETCHERS
 * fetches are in flight together.
 */
static void pmon_prefetch_work(struct work_struct *work)
{
	struct pmon_space *space = container_of(work, struct pmon_prefetcher,
						work)->space;
	u64 vpn;

	for (;;) {
		spin_lock(&space->stream_lock);
		vpn = space->prefetch_next;
		if (vpn < space->prefetch_end)
			space->prefetch_next++;
		else
			vpn = 0;
		spin_unlock(&space->stream_lock);
		if (!vpn)
			break;
		excache_prefetch(&pmon_excache, space, space->asid, vpn);
	}
	kref_put(&space->ref, pmon_space_free);
}

/**
 * pmon_space_missed() - a fault missed page @vpn; prefetch if sequential
 * @space: the address space
 * @vpn: the page
 * @vpn_end: the end of its mapping: nothing is fetched past it
 */
void pmon_space_missed(struct pmon_space *space, u64 vpn, u64 vpn_end)
{
	u32 ahead, i;

	spin_lock(&space->stream_lock);
	ahead = excache_stream_miss(&space->stream, vpn, pmon_prefetch);
	ahead = min_t(u64, ahead, vpn_end - vpn - 1);
	if (ahead) {
		/* Extend the run being prefetched, or start a new one. */
		if (space->prefetch_next >= space->prefetch_end ||
		    vpn + 1 < space->prefetch_next ||
		    vpn + 1 > space->prefetch_end)
			space->prefetch_next = vpn + 1;
		space->prefetch_end = vpn + 1 + ahead;
	}
	spin_unlock(&space->stream_lock);
	for (i = 0; i < min_t(u32, ahead, PMON_PREFETCHERS); i++) {
		kref_get(&space->ref);
		if (!queue_work(system_unbound_wq, &space->prefetchers[i].work))
			kref_put(&space->ref, pmon_space_free);
	}
}

static struct lego_peer *pmon_owner_of(struct pmon_space *space, u64 vpn)
{
	u64 addr = vpn << PAGE_SHIFT;

	if (!pmon_in_window(addr, PAGE_SIZE))
		return NULL;
	return READ_ONCE(space->owner[pmon_vregion_of(addr)]);
}

/* A FETCH or WRITEBACK of page @vpn of @space. */
static struct lego_mem_req pmon_page_req(const struct pmon_space *space,
					 u64 vpn)
{
	return (struct lego_mem_req) {
		.asid = cpu_to_le32(space->asid),
		.addr = cpu_to_le64(vpn << PAGE_SHIFT),
		.len = cpu_to_le64(PAGE_SIZE),
		.key = cpu_to_le64(space->key),
	};
}

/* The page at @owner by RPC, into @to: PAGE_SIZE bytes, or none if zero. */
static int pmon_fetch_call(struct pmon_space *space, struct lego_peer *owner,
			   u64 vpn, void *to, u32 *got)
{
	struct lego_mem_req req = pmon_page_req(space, vpn);

	return lego_rpc_call(owner, LEGO_OP_MEM_FETCH, space->vnode, &req,
			     sizeof(req), to, PAGE_SIZE, got);
}

/*
 * A page this pmon never wrote back is zero at its owner: it is filled
 * here, with no round trip (LegoOS's local zero-fill). One whose owner
 * said where it is comes with one RDMA READ. Else it is asked for.
 */
static int pmon_fetch(void *arg, u64 vpn, struct page *page)
{
	struct pmon_space *space = arg;
	struct pmon_vnode_stats *st = &space->vn->stats;
	struct lego_peer *owner = pmon_owner_of(space, vpn);
	void *entry = xa_load(&space->written, vpn);
	ktime_t start = ktime_get();
	u32 got = 0, rkey;
	u64 addr;
	void *to;
	int ret;

	if (!owner)
		return -EFAULT;
	if (entry == PMON_LOST)
		return -EIO;
	if (entry && pmon_loc_unpack(entry, lego_peer_serial(owner), &addr,
				     &rkey)) {
		ret = lego_rdma_read_pages(owner, &page, PAGE_SIZE, addr, rkey);
		atomic64_inc(&st->reads);
		atomic64_inc(&st->fetch_us[excache_lat_bucket(start)]);
		return ret;
	}
	to = kmap_local_page(page);
	if (!entry || entry == PMON_CHARGED) {
		clear_page(to);
		kunmap_local(to);
		atomic64_inc(&pmon_zero_fills);
		atomic64_inc(&st->zero_fills);
		return 0;
	}
	ret = pmon_fetch_call(space, owner, vpn, to, &got);
	atomic64_inc(&st->fetches);
	atomic64_inc(&st->fetch_us[excache_lat_bucket(start)]);
	if (!ret && got != PAGE_SIZE) {
		if (got)
			ret = -EPROTO;
		else
			clear_page(to);
	}
	kunmap_local(to);
	return ret;
}

/* A write-back in flight, while the miss that evicted it fetches. */
struct pmon_writeback {
	struct lego_rdma_op *op;	/* a WRITE where the owner said, or */
	struct lego_call call;		/* the WRITEBACK RPC */
	struct completion done;
	struct lego_peer *owner;
	u64 serial;			/* the owner's connection it went on */
	int status;
	bool located;
	bool held;			/* one of pmon_writebacks_held */
	bool waited;			/* no: it was waited for at once */
	struct lego_mem_page_loc loc;
};

static void pmon_writeback_done(struct lego_call *call, int status,
				const void *reply, u32 reply_len)
{
	struct pmon_writeback *wb = container_of(call, struct pmon_writeback,
						 call);

	wb->status = status;
	if (!status && reply_len == sizeof(wb->loc)) {
		memcpy(&wb->loc, reply, sizeof(wb->loc));
		wb->located = true;
	}
	complete(&wb->done);
}

/* The WRITEBACK's outcome; its reply says where the page is now. */
static int pmon_writeback_wait(struct pmon_space *space, u64 vpn,
			       struct pmon_writeback *wb)
{
	/* As a synchronous call: the timeout resets the connection. */
	if (!wait_for_completion_timeout(&wb->done,
					 msecs_to_jiffies(lego_rpc_timeout_ms))) {
		lego_rpc_abort(wb->owner, &wb->call);
		wait_for_completion(&wb->done);
	}
	if (!wb->status && wb->located)
		xa_store(&space->written, vpn,
			 pmon_loc_pack(&wb->loc, wb->serial), GFP_KERNEL);
	return wb->status;
}

static int pmon_writeback_submit(struct pmon_space *space, u64 vpn,
				 struct page *page, struct pmon_writeback *wb)
{
	struct lego_mem_req req = pmon_page_req(space, vpn);
	struct kvec vec[2] = {
		{ .iov_base = &req, .iov_len = sizeof(req) },
		{ .iov_len = PAGE_SIZE },
	};
	void *old;
	int ret;

	/* Recorded first: a fetch racing with the write-back must ask. */
	old = xa_store(&space->written, vpn, PMON_UNLOCATED, GFP_KERNEL);
	if (xa_is_err(old))
		return xa_err(old);
	if (!old)
		atomic64_inc(&space->vn->pages);
	init_completion(&wb->done);
	wb->call.done = pmon_writeback_done;
	/* Before the call: the answer is only good on this connection. */
	wb->serial = lego_peer_serial(wb->owner);
	wb->held = !down_trylock(&pmon_writebacks_held);
	vec[1].iov_base = kmap_local_page(page);
	ret = lego_rpc_submit(wb->owner, &wb->call, LEGO_OP_MEM_WRITEBACK,
			      space->vnode, vec, ARRAY_SIZE(vec), NULL);
	kunmap_local(vec[1].iov_base);
	if (ret) {
		if (wb->held)
			up(&pmon_writebacks_held);
		return ret;
	}
	if (!wb->held) {
		wb->status = pmon_writeback_wait(space, vpn, wb);
		wb->waited = true;
	}
	return 0;
}

/*
 * A page the owner said where to find is written there with one RDMA
 * WRITE; else it goes in a WRITEBACK request, whose reply says where.
 */
static void *pmon_writeback_begin(void *arg, u64 vpn, struct page *page)
{
	struct pmon_space *space = arg;
	void *entry = xa_load(&space->written, vpn);
	struct pmon_writeback *wb;
	u64 addr;
	u32 rkey;
	int ret;

	wb = kzalloc(sizeof(*wb), GFP_KERNEL);
	if (!wb)
		return ERR_PTR(-ENOMEM);
	wb->owner = pmon_owner_of(space, vpn);
	ret = -EFAULT;
	if (!wb->owner)
		goto err_free;
	atomic64_inc(&space->vn->stats.writebacks);
	if (entry && pmon_loc_unpack(entry, lego_peer_serial(wb->owner),
				     &addr, &rkey)) {
		wb->op = lego_rdma_write_page_begin(wb->owner, page, addr,
						    rkey);
		if (!IS_ERR(wb->op)) {
			atomic64_inc(&space->vn->stats.writes);
			return wb;
		}
		ret = PTR_ERR(wb->op);
		wb->op = NULL;
		/* -EBUSY: many write-backs in flight; this one asks. */
		if (ret != -EBUSY)
			goto err_free;
	}
	ret = pmon_writeback_submit(space, vpn, page, wb);
	if (ret)
		goto err_free;
	return wb;

err_free:
	kfree(wb);
	return ERR_PTR(ret);
}

static int pmon_writeback_end(void *arg, u64 vpn, void *handle)
{
	struct pmon_writeback *wb = handle;
	int ret;

	if (wb->op)
		ret = lego_rdma_op_end(wb->op);
	else if (wb->waited)
		ret = wb->status;
	else
		ret = pmon_writeback_wait(arg, vpn, wb);
	if (wb->held)
		up(&pmon_writebacks_held);
	kfree(wb);
	return ret;
}

static void pmon_unmap(void *arg, u64 vpn)
{
	struct pmon_space *space = arg;

	unmap_mapping_range(&space->mapping, vpn << PAGE_SHIFT, PAGE_SIZE, 1);
}

static void pmon_lose(void *arg, u64 vpn)
{
	struct pmon_space *space = arg;

	pr_warn_ratelimited("address space %u of vNode %s: page %#llx lost: its write-back failed\n",
			    space->asid, space->vn->name, vpn << PAGE_SHIFT);
	xa_store(&space->written, vpn, PMON_LOST, GFP_KERNEL);
}

static void pmon_get(void *arg)
{
	struct pmon_space *space = arg;

	kref_get(&space->ref);
}

static void pmon_put(void *arg)
{
	struct pmon_space *space = arg;

	kref_put(&space->ref, pmon_space_free);
}

const struct excache_space_ops pmon_space_ops = {
	.fetch		= pmon_fetch,
	.writeback_begin = pmon_writeback_begin,
	.writeback_end	= pmon_writeback_end,
	.unmap		= pmon_unmap,
	.lose		= pmon_lose,
	.get		= pmon_get,
	.put		= pmon_put,
};

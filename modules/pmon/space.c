// SPDX-License-Identifier: GPL-2.0
/*
 * The pmon's address spaces: what their home mmon is told (map, unmap,
 * protect, discard, free) and how the ExCache reaches their pages (fetch
 * and write back at the owner of each page's vRegion, unmap from every
 * process that maps the page).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": pmon: " fmt

#include <linux/highmem.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/semaphore.h>
#include <linux/slab.h>

#include "lego/page_loc.h"
#include "lego/transport.h"
#include "lego/vma_tree.h"
#include "lego/vregion.h"
#include "pmon.h"

static DEFINE_IDA(pmon_asids);

/*
 * space->written: a page dirtied or written back, as lego/page_loc.h packs
 * it into an xarray value: where its owner said it may be READ and
 * WRITTEN, or a state (unlocated: ask with FETCH; charged: dirtied but
 * never written back, so zero at the owner, yet counted against --mem;
 * lost: its write-back failed and it was dropped, SIGBUS, not zeroes).
 *
 * space->set_aside: where the owner set a zeroed page aside for a page not
 * yet written back (LEGO_MEM_GROUP), packed the same way: its first
 * write-back is a WRITE there. It reads as zero until then.
 */
#define PMON_UNLOCATED		xa_mk_value(LEGO_LOC_UNLOCATED)
#define PMON_CHARGED		xa_mk_value(LEGO_LOC_CHARGED)
#define PMON_LOST		xa_mk_value(LEGO_LOC_LOST)

static void *pmon_loc_pack(const struct lego_mem_page_loc *loc, u64 serial)
{
	return xa_mk_value(lego_loc_pack(loc, serial));
}

/* Where to READ the page: only on the connection that said so. */
static bool pmon_loc_unpack(void *entry, u64 serial, u64 *addr, u32 *rkey)
{
	return lego_loc_unpack(xa_to_value(entry), serial, addr, rkey);
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
static void pmon_replica_work(struct work_struct *work);

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
	init_rwsem(&space->holders_rwsem);
	mutex_init(&space->failover_lock);
	INIT_DELAYED_WORK(&space->replica_work, pmon_replica_work);
	spin_lock_init(&space->stream_lock);
	for (i = 0; i < PMON_PREFETCHERS; i++) {
		INIT_WORK(&space->prefetchers[i].work, pmon_prefetch_work);
		space->prefetchers[i].space = space;
	}
	xa_init(&space->written);
	xa_init(&space->set_aside);
	address_space_init_once(&space->mapping);
	space->mapping.host = inode;
	return space;
}

static void pmon_space_free(struct kref *ref)
{
	struct pmon_space *space = container_of(ref, struct pmon_space, ref);

	ida_free(&pmon_asids, space->asid);
	xa_destroy(&space->written);
	xa_destroy(&space->set_aside);
	if (space->vn)
		pmon_vnode_put(space->vn);
	kvfree(space->adopt);
	kfree(space);
}

/* The owner's pages set aside for [@vpn, @vpn_end) are not ours now. */
static void pmon_set_aside_drop(struct pmon_space *space, u64 vpn,
				u64 vpn_end)
{
	unsigned long index;
	void *entry;

	xa_for_each_range(&space->set_aside, index, entry, vpn, vpn_end - 1)
		xa_erase(&space->set_aside, index);
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
	pmon_set_aside_drop(space, vpn, vpn_end);
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
		/* No more asking for replicas, whatever fails over still. */
		mutex_lock(&space->failover_lock);
		space->closed = true;
		mutex_unlock(&space->failover_lock);
		if (cancel_delayed_work_sync(&space->replica_work))
			kref_put(&space->ref, pmon_space_free);
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
	memcpy(space->replica, parent->replica, sizeof(space->replica));
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

/* A holder as the home names it: 0 is the home itself. */
static struct lego_peer *pmon_holder(struct pmon_space *space, __be32 addr)
{
	return addr ? lego_peer_find(addr) : space->home;
}

/*
 * The holders of vRegion @v are @owner and @replica (or NULL) from now on.
 * Where a former owner said pages are means nothing at another: they are
 * asked for until the new owner says. Under the holders' write lock or
 * before any write-back of the vRegion.
 */
static void pmon_set_holders(struct pmon_space *space, u32 v,
			     struct lego_peer *owner, struct lego_peer *replica)
{
	u64 vpn = PMON_WINDOW_VPN +
		  ((u64)v << (LEGO_VREGION_SHIFT - PAGE_SHIFT));
	XA_STATE(xas, &space->written, vpn);
	void *entry;

	xas_lock(&xas);
	if (space->owner[v] && space->owner[v] != owner) {
		xas_for_each(&xas, entry, vpn + LEGO_VREGION_SIZE / PAGE_SIZE - 1)
			if (lego_loc_located(xa_to_value(entry)))
				xas_store(&xas, PMON_UNLOCATED);
		pmon_set_aside_drop(space, vpn,
				    vpn + LEGO_VREGION_SIZE / PAGE_SIZE);
	}
	WRITE_ONCE(space->owner[v], owner);
	WRITE_ONCE(space->replica[v], replica);
	xas_unlock(&xas);
}

/* A COPY or REPLACE of vRegion @v of @space. */
static struct lego_mem_req pmon_vregion_req(const struct pmon_space *space,
					    u32 v)
{
	return (struct lego_mem_req) {
		.asid = cpu_to_le32(space->asid),
		.addr = cpu_to_le64(LEGO_MEM_WINDOW_BASE +
				    ((u64)v << LEGO_VREGION_SHIFT)),
		.len = cpu_to_le64(LEGO_VREGION_SIZE),
		.key = cpu_to_le64(space->key),
	};
}

/* Have @owner copy vRegion @v's pages to its new @replica. */
static void pmon_space_rebuild(struct pmon_space *space, u32 v,
			       struct lego_peer *owner,
			       struct lego_peer *replica)
{
	struct lego_mem_copy_req req = {
		.req = pmon_vregion_req(space, v),
		.to = lego_peer_addr(replica),
	};
	u32 got;
	int ret;

	ret = lego_rpc_call(owner, LEGO_OP_MEM_COPY, space->vnode, &req,
			    sizeof(req), NULL, 0, &got);
	if (ret) {
		pr_warn("vNode %s: the new replica of %#llx got no copy: %d\n",
			space->vn->name, le64_to_cpu(req.req.addr), ret);
		return;
	}
	atomic64_inc(&space->vn->stats.rebuilds);
	lego_genl_event(LEGO_EVENT_VNODE_REBUILT, 0, space->vn->name);
	pr_info("vNode %s: vRegion %#llx has a new replica at %pI4\n",
		space->vn->name, le64_to_cpu(req.req.addr), &req.to);
}

/*
 * Take the holders the home names for vRegion @v. A new replica is
 * written back to at once and then gets the pages written before: the
 * holders' write lock waited for the write-backs that did not go to it,
 * and the owner serves the copy after them. Under failover_lock.
 */
static void pmon_space_take_holders(struct pmon_space *space, u32 v,
				    struct lego_peer *owner,
				    struct lego_peer *replica)
{
	bool fresh = space->owner[v] && replica &&
		     replica != space->owner[v] && replica != space->replica[v];

	down_write(&space->holders_rwsem);
	pmon_set_holders(space, v, owner, replica);
	up_write(&space->holders_rwsem);
	if (fresh)
		pmon_space_rebuild(space, v, owner, replica);
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
	struct lego_peer *replica[LEGO_MEM_MAP_MAX_VREGIONS] = {};
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
		owner[i] = pmon_holder(space, rep.owner[i]);
		if (space->vn->copies > 1 &&
		    rep.replica[i] != cpu_to_be32(LEGO_MEM_NO_HOLDER))
			replica[i] = pmon_holder(space, rep.replica[i]);
		if (!owner[i] || (!replica[i] && space->vn->copies > 1 &&
				  rep.replica[i] != cpu_to_be32(LEGO_MEM_NO_HOLDER))) {
			ret = -EHOSTUNREACH;
			goto err_unmap;
		}
	}
	first = pmon_vregion_of(*addr);
	mutex_lock(&space->failover_lock);
	for (i = 0; i < nr; i++)
		pmon_space_take_holders(space, first + i, owner[i], replica[i]);
	mutex_unlock(&space->failover_lock);
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
 * Bring in the pages queued by pmon_space_read_ahead(), the next run of
 * them not taken by another of the space's prefetchers, each run fetched
 * together: up to PMON_PREFETCHERS runs are in flight at once.
 */
static void pmon_prefetch_work(struct work_struct *work)
{
	struct pmon_space *space = container_of(work, struct pmon_prefetcher,
						work)->space;
	u32 nr, stride;
	u64 vpn;

	for (;;) {
		spin_lock(&space->stream_lock);
		vpn = space->prefetch_next;
		stride = space->prefetch_stride;
		nr = 0;
		if (vpn < space->prefetch_end) {
			nr = min_t(u64, DIV_ROUND_UP(space->prefetch_end - vpn,
						     stride),
				   EXCACHE_PREFETCH_MAX);
			space->prefetch_next += (u64)nr * stride;
		}
		spin_unlock(&space->stream_lock);
		if (!nr)
			break;
		excache_prefetch(&pmon_excache, space, space->asid, vpn, nr,
				 stride);
	}
	kref_put(&space->ref, pmon_space_free);
}

/**
 * pmon_space_read_ahead() - prefetch what a scan needs next
 * @space: the address space
 * @vpn: the page a fault missed, or used first after it was prefetched
 * @vpn_end: the end of its mapping: nothing is fetched past it
 * @found: which of the two
 *
 * A miss that continues a run of misses, sequential or strided, starts
 * prefetching the pages after it; each use of a prefetched page keeps the
 * prefetch that far ahead of the scan.
 */
void pmon_space_read_ahead(struct pmon_space *space, u64 vpn, u64 vpn_end,
			   enum excache_found found)
{
	u32 ahead, stride, i;
	u64 start, end;

	spin_lock(&space->stream_lock);
	if (found == EXCACHE_MISSED)
		ahead = excache_stream_miss(&space->stream, vpn, pmon_prefetch);
	else
		ahead = excache_stream_hit(&space->stream, vpn, pmon_prefetch);
	stride = space->stream.stride;
	start = space->stream.next_vpn - (u64)ahead * stride;
	end = min(space->stream.next_vpn, vpn_end);
	if (start < end) {
		/* Extend the run being prefetched, or start a new one. */
		if (space->prefetch_next >= space->prefetch_end ||
		    stride != space->prefetch_stride ||
		    start < space->prefetch_next ||
		    start > space->prefetch_end)
			space->prefetch_next = start;
		space->prefetch_end = end;
		space->prefetch_stride = stride;
		ahead = DIV_ROUND_UP(DIV_ROUND_UP(end - start, stride),
				     EXCACHE_PREFETCH_MAX);
	} else {
		ahead = 0;
	}
	spin_unlock(&space->stream_lock);
	/* A prefetcher for each new run; busy ones go on to the next. */
	for (i = 0; i < min_t(u32, ahead, PMON_PREFETCHERS); i++) {
		kref_get(&space->ref);
		if (!queue_work(system_unbound_wq, &space->prefetchers[i].work))
			kref_put(&space->ref, pmon_space_free);
	}
}

/* Page @vpn's holder in @holders (space->owner or ->replica), or NULL. */
static struct lego_peer *pmon_holder_of(struct lego_peer *const *holders,
					u64 vpn)
{
	u64 addr = vpn << PAGE_SHIFT;

	if (!pmon_in_window(addr, PAGE_SIZE))
		return NULL;
	return READ_ONCE(holders[pmon_vregion_of(addr)]);
}

static struct lego_peer *pmon_owner_of(struct pmon_space *space, u64 vpn)
{
	return pmon_holder_of(space->owner, vpn);
}

/*
 * Tell the home that holder @lost of vRegion @v failed us (or, @lost
 * LEGO_MEM_NO_HOLDER, nothing), and take the holders it names. Under
 * failover_lock.
 */
static int pmon_space_replace(struct pmon_space *space, u32 v, __be32 lost)
{
	struct lego_mem_replace_req req = {
		.req = pmon_vregion_req(space, v),
		.lost = lost,
	};
	struct lego_mem_replace_reply rep;
	struct lego_peer *owner, *replica = NULL;
	u32 got;
	int ret;

	ret = lego_rpc_call(space->home, LEGO_OP_MEM_REPLACE, space->vnode,
			    &req, sizeof(req), &rep, sizeof(rep), &got);
	if (!ret && got != sizeof(rep))
		ret = -EPROTO;
	if (ret)
		return ret;
	owner = pmon_holder(space, rep.owner);
	if (rep.replica != cpu_to_be32(LEGO_MEM_NO_HOLDER))
		replica = pmon_holder(space, rep.replica);
	if (!owner)
		return -EHOSTUNREACH;
	pmon_space_take_holders(space, v, owner, replica);
	if (replica)
		space->replica_wanted &= ~BIT_ULL(v);
	else
		space->replica_wanted |= BIT_ULL(v);
	return 0;
}

/* How often, a second apart, the home is asked for a new replica. */
#define PMON_REPLICA_ASKS	30

static void pmon_space_ask_later(struct pmon_space *space)
{
	kref_get(&space->ref);
	if (!queue_delayed_work(system_wq, &space->replica_work, HZ))
		kref_put(&space->ref, pmon_space_free);
}

/* The home places new replicas in the background: ask until they are. */
static void pmon_replica_work(struct work_struct *work)
{
	struct pmon_space *space = container_of(to_delayed_work(work),
						struct pmon_space,
						replica_work);
	bool again;
	u32 v;

	mutex_lock(&space->failover_lock);
	for (v = 0; v < LEGO_MEM_WINDOW_VREGIONS; v++)
		if (space->replica_wanted & BIT_ULL(v))
			pmon_space_replace(space, v,
					   cpu_to_be32(LEGO_MEM_NO_HOLDER));
	again = space->replica_wanted && !space->closed &&
		++space->replica_asks < PMON_REPLICA_ASKS;
	if (space->replica_wanted && !again && !space->closed)
		pr_warn("vNode %s: no new replica came: its pages have one copy\n",
			space->vn->name);
	mutex_unlock(&space->failover_lock);
	if (again)
		pmon_space_ask_later(space);
	kref_put(&space->ref, pmon_space_free);
}

/**
 * pmon_space_failover() - a holder of page @vpn's vRegion failed us
 * @space: the address space, of a vNode with two copies of each page
 * @vpn: the page
 * @lost: the holder that failed a fetch or a write-back
 *
 * The home drops @lost: the other holder becomes the owner, and a new
 * replica, if one can be had, gets the vRegion's pages. Without the home
 * the other holder serves on alone.
 *
 * Return: 0 if a holder other than @lost has the vRegion now, else -EIO.
 */
static int pmon_space_failover(struct pmon_space *space, u64 vpn,
			       struct lego_peer *lost)
{
	u32 v = pmon_vregion_of(vpn << PAGE_SHIFT);
	__be32 lost_addr = lego_peer_addr(lost), owner_addr;
	struct lego_peer *owner, *other;

	if (space->vn->copies < 2 || !lost)
		return -EIO;
	mutex_lock(&space->failover_lock);
	owner = space->owner[v];
	if (owner != lost && space->replica[v] != lost)
		goto out;	/* another fault did it */
	atomic64_inc(&space->vn->stats.failovers);
	lego_genl_event(LEGO_EVENT_VNODE_FAILOVER, 0, space->vn->name);
	if (pmon_space_replace(space, v, lost == space->home ? 0 : lost_addr)) {
		other = owner == lost ? space->replica[v] : owner;
		if (other)
			pmon_space_take_holders(space, v, other, NULL);
	} else if (space->replica_wanted & BIT_ULL(v) && !space->closed) {
		space->replica_asks = 0;
		pmon_space_ask_later(space);
	}
	owner_addr = lego_peer_addr(space->owner[v]);
	pr_warn("vNode %s: mmon %pI4 failed for %#llx, whose owner is %pI4%s\n",
		space->vn->name, &lost_addr, vpn << PAGE_SHIFT, &owner_addr,
		space->replica[v] ? " with a replica" : "");
out:
	owner = space->owner[v];
	mutex_unlock(&space->failover_lock);
	return owner && owner != lost ? 0 : -EIO;
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

/* Page @vpn, written back before: one RDMA READ where @owner said, or ask. */
static int pmon_fetch_remote(struct pmon_space *space, struct lego_peer *owner,
			     u64 vpn, struct page *page)
{
	struct pmon_vnode_stats *st = &space->vn->stats;
	void *entry = xa_load(&space->written, vpn);
	ktime_t start = ktime_get();
	u32 got = 0, rkey;
	u64 addr;
	void *to;
	int ret;

	if (entry && pmon_loc_unpack(entry, lego_peer_serial(owner), &addr,
				     &rkey)) {
		ret = lego_rdma_read_pages(owner, &page, PAGE_SIZE, addr, rkey);
		atomic64_inc(&st->reads);
		atomic64_inc(&st->fetch_us[excache_lat_bucket(start)]);
		return ret;
	}
	to = kmap_local_page(page);
	ret = pmon_fetch_call(space, owner, vpn, to, &got);
	atomic64_inc(&st->fetches);
	atomic64_inc(&st->fetch_us[excache_lat_bucket(start)]);
	if (!ret && got != PAGE_SIZE) {
		/* With two copies a page written yet missing went with one. */
		if (got || space->vn->copies > 1)
			ret = got ? -EPROTO : -EIO;
		else
			clear_page(to);
	}
	kunmap_local(to);
	return ret;
}

/* @owner failed to give page @vpn (@ret): ask the holder a failover leaves. */
static int pmon_fetch_failed_over(struct pmon_space *space,
				  struct lego_peer *owner, u64 vpn,
				  struct page *page, int ret)
{
	if (ret && !pmon_space_failover(space, vpn, owner))
		ret = pmon_fetch_remote(space, pmon_owner_of(space, vpn), vpn,
					page);
	return ret;
}

/* Never written back: zero at the owner. */
static bool pmon_unwritten(void *entry)
{
	return !entry || entry == PMON_CHARGED;
}

/*
 * A page this pmon never wrote back is zero at its owner: it is filled
 * here, with no round trip (LegoOS's local zero-fill). One whose owner
 * said where it is comes with one RDMA READ. Else it is asked for; with
 * two copies, from the other holder when the owner fails.
 */
static int pmon_fetch(void *arg, u64 vpn, struct page *page)
{
	struct pmon_space *space = arg;
	struct lego_peer *owner = pmon_owner_of(space, vpn);
	void *entry = xa_load(&space->written, vpn);
	int ret;

	if (!owner)
		return -EFAULT;
	if (entry == PMON_LOST)
		return -EIO;
	if (pmon_unwritten(entry)) {
		clear_highpage(page);
		atomic64_inc(&pmon_zero_fills);
		atomic64_inc(&space->vn->stats.zero_fills);
		return 0;
	}
	ret = pmon_fetch_remote(space, owner, vpn, page);
	return pmon_fetch_failed_over(space, owner, vpn, page, ret);
}

/* A miss's READ in flight while its victim is evicted. */
struct pmon_fetch_op {
	struct lego_rdma_op *op;
	struct lego_peer *owner;
	ktime_t start;
};

/*
 * Only a page whose owner said where it is: the rest cost no READ, or a
 * request that pmon_fetch() makes once the victim is out of the way.
 */
static void *pmon_fetch_begin(void *arg, u64 vpn, struct page *page)
{
	struct pmon_space *space = arg;
	struct lego_peer *owner = pmon_owner_of(space, vpn);
	void *entry = xa_load(&space->written, vpn);
	struct pmon_fetch_op *f;
	u64 addr;
	u32 rkey;

	if (!owner || !entry ||
	    !pmon_loc_unpack(entry, lego_peer_serial(owner), &addr, &rkey))
		return NULL;
	f = kmalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return NULL;
	f->owner = owner;
	f->start = ktime_get();
	f->op = lego_rdma_read_page_begin(owner, page, addr, rkey);
	if (IS_ERR(f->op)) {
		kfree(f);
		return NULL;
	}
	return f;
}

/* As pmon_fetch(): a READ that failed is asked again after a failover. */
static int pmon_fetch_end(void *arg, u64 vpn, struct page *page, void *handle)
{
	struct pmon_space *space = arg;
	struct pmon_fetch_op *f = handle;
	struct pmon_vnode_stats *st = &space->vn->stats;
	int ret = lego_rdma_op_end(f->op);

	atomic64_inc(&st->reads);
	atomic64_inc(&st->fetch_us[excache_lat_bucket(f->start)]);
	ret = pmon_fetch_failed_over(space, f->owner, vpn, page, ret);
	kfree(f);
	return ret;
}

/*
 * Pages prefetched together: those whose owner said where they are with
 * READs posted at once, the rest one by one as pmon_fetch() would. A
 * failure is left to the pages' faults, which fail over.
 */
static int pmon_fetch_many(void *arg, const u64 *vpn, struct page **pages,
			   u32 nr)
{
	struct pmon_space *space = arg;
	struct lego_peer *owner = pmon_owner_of(space, vpn[0]);
	struct pmon_vnode_stats *st = &space->vn->stats;
	struct page *read_pages[EXCACHE_PREFETCH_MAX];
	u64 read_addr[EXCACHE_PREFETCH_MAX];
	u32 read_rkey[EXCACHE_PREFETCH_MAX];
	u32 i, n = 0;
	ktime_t start;
	void *entry;
	int ret;

	if (nr > EXCACHE_PREFETCH_MAX)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		entry = xa_load(&space->written, vpn[i]);
		if (owner && pmon_owner_of(space, vpn[i]) == owner && entry &&
		    pmon_loc_unpack(entry, lego_peer_serial(owner),
				    &read_addr[n], &read_rkey[n])) {
			read_pages[n++] = pages[i];
			continue;
		}
		ret = pmon_fetch(space, vpn[i], pages[i]);
		if (ret)
			return ret;
	}
	if (!n)
		return 0;
	start = ktime_get();
	ret = lego_rdma_read_each(owner, read_pages, read_addr, read_rkey, n);
	atomic64_add(n, &st->reads);
	atomic64_add(n, &st->fetch_us[excache_lat_bucket(start)]);
	return ret;
}

/*
 * A write-back in flight, while the miss that evicted it fetches: to the
 * page's owner, and with two copies to its replica too (legs 0 and 1).
 */
struct pmon_wb_leg {
	struct lego_peer *peer;		/* NULL: no such leg */
	struct lego_rdma_op *op;	/* a WRITE where the owner said, or */
	struct lego_call call;		/* the WRITEBACK RPC */
	struct completion done;
	u64 serial;			/* the peer's connection it went on */
	int status;
	bool located;
	bool ended;			/* status is its outcome */
	struct lego_mem_group_loc locs;	/* the page's group, as its reply */
};

struct pmon_writeback {
	struct pmon_wb_leg leg[2];
	bool held;			/* one of pmon_writebacks_held */
};

static void pmon_writeback_done(struct lego_call *call, int status,
				const void *reply, u32 reply_len)
{
	struct pmon_wb_leg *leg = container_of(call, struct pmon_wb_leg, call);

	leg->status = status;
	if (!status && reply_len == sizeof(leg->locs)) {
		memcpy(&leg->locs, reply, sizeof(leg->locs));
		leg->located = true;
	}
	complete(&leg->done);
}

/*
 * Where the owner said the page is, and the pages it set aside for the
 * rest of its group that are still unwritten, if it is still the owner.
 */
static void pmon_loc_store(struct pmon_space *space, u64 vpn,
			   struct pmon_wb_leg *leg)
{
	struct lego_peer **owner = &space->owner[pmon_vregion_of(vpn <<
								 PAGE_SHIFT)];
	u64 first = vpn & ~(LEGO_MEM_GROUP_PAGES - 1ULL);
	void *entry;
	u32 i;

	xa_lock(&space->written);
	if (READ_ONCE(*owner) != leg->peer)
		goto out;
	for (i = 0; i < LEGO_MEM_GROUP_PAGES; i++) {
		entry = pmon_loc_pack(&leg->locs.page[i], leg->serial);
		if (first + i == vpn)
			__xa_store(&space->written, vpn, entry, GFP_ATOMIC);
		else if (entry != PMON_UNLOCATED &&
			 pmon_unwritten(xa_load(&space->written, first + i)))
			xa_store(&space->set_aside, first + i, entry,
				 GFP_ATOMIC);
	}
out:
	xa_unlock(&space->written);
}

/* The WRITEBACK's outcome; the owner's reply says where the page is now. */
static int pmon_writeback_wait(struct pmon_space *space, u64 vpn,
			       struct pmon_wb_leg *leg, bool owner)
{
	/* As a synchronous call: the timeout resets the connection. */
	if (!wait_for_completion_timeout(&leg->done,
					 msecs_to_jiffies(lego_rpc_timeout_ms))) {
		lego_rpc_abort(leg->peer, &leg->call);
		wait_for_completion(&leg->done);
	}
	if (!leg->status && leg->located && owner)
		pmon_loc_store(space, vpn, leg);
	leg->ended = true;
	return leg->status;
}

/*
 * The WRITEBACK request. Only the owner is asked to set the page's group
 * aside (@group): a replica that set pages aside would keep them, zero,
 * against the copies of a rebuild, which never overwrite a page it has.
 */
static int pmon_writeback_post(struct pmon_space *space, u64 vpn,
			       struct page *page, struct pmon_wb_leg *leg,
			       bool group)
{
	struct lego_mem_req req = pmon_page_req(space, vpn);
	struct kvec vec[2] = {
		{ .iov_base = &req, .iov_len = sizeof(req) },
		{ .iov_len = PAGE_SIZE },
	};
	int ret;

	if (group)
		req.prot = cpu_to_le32(LEGO_MEM_GROUP);
	init_completion(&leg->done);
	leg->call.done = pmon_writeback_done;
	/* Before the call: the answer is only good on this connection. */
	leg->serial = lego_peer_serial(leg->peer);
	vec[1].iov_base = kmap_local_page(page);
	ret = lego_rpc_submit(leg->peer, &leg->call, LEGO_OP_MEM_WRITEBACK,
			      space->vnode, vec, ARRAY_SIZE(vec), NULL);
	kunmap_local(vec[1].iov_base);
	return ret;
}

/*
 * Page @vpn, dirty and never written back (@entry): if its owner set a
 * page aside for it, that is where it is from now on. Return: what
 * @written says of it now.
 */
static void *pmon_set_aside_take(struct pmon_space *space, u64 vpn,
				 void *entry)
{
	void *loc = xa_erase(&space->set_aside, vpn);

	if (!loc ||
	    xa_cmpxchg(&space->written, vpn, entry, loc, GFP_KERNEL) != entry)
		return xa_load(&space->written, vpn);
	if (!entry)
		atomic64_inc(&space->vn->pages);
	return loc;
}

/*
 * To the owner: a page it said where to find, or set aside for it, is
 * written there with one RDMA WRITE; else it goes in a WRITEBACK request,
 * whose reply says where.
 */
static int pmon_writeback_owner(struct pmon_space *space, u64 vpn,
				struct page *page, struct pmon_writeback *wb)
{
	struct pmon_wb_leg *leg = &wb->leg[0];
	void *entry = xa_load(&space->written, vpn);
	void *old;
	u64 addr;
	u32 rkey;
	int ret;

	if (pmon_unwritten(entry))
		entry = pmon_set_aside_take(space, vpn, entry);
	if (entry && pmon_loc_unpack(entry, lego_peer_serial(leg->peer),
				     &addr, &rkey)) {
		leg->op = lego_rdma_write_page_begin(leg->peer, page, addr,
						     rkey);
		if (!IS_ERR(leg->op)) {
			atomic64_inc(&space->vn->stats.writes);
			return 0;
		}
		ret = PTR_ERR(leg->op);
		leg->op = NULL;
		/* -EBUSY: many write-backs in flight; this one asks. */
		if (ret != -EBUSY)
			return ret;
	}
	/* Recorded first: a fetch racing with the write-back must ask. */
	old = xa_store(&space->written, vpn, PMON_UNLOCATED, GFP_KERNEL);
	if (xa_is_err(old))
		return xa_err(old);
	if (!old)
		atomic64_inc(&space->vn->pages);
	wb->held = !down_trylock(&pmon_writebacks_held);
	ret = pmon_writeback_post(space, vpn, page, leg, true);
	if (!ret && !wb->held)
		pmon_writeback_wait(space, vpn, leg, true);
	return ret;
}

static void *pmon_writeback_begin(void *arg, u64 vpn, struct page *page)
{
	struct pmon_space *space = arg;
	struct pmon_writeback *wb;
	struct pmon_wb_leg *owner, *copy;
	int ret;

	wb = kzalloc(sizeof(*wb), GFP_KERNEL);
	if (!wb)
		return ERR_PTR(-ENOMEM);
	owner = &wb->leg[0];
	copy = &wb->leg[1];
	atomic64_inc(&space->vn->stats.writebacks);
	/* Posted to the holders of now: a failover waits for both legs. */
	down_read(&space->holders_rwsem);
	owner->peer = pmon_owner_of(space, vpn);
	copy->peer = pmon_holder_of(space->replica, vpn);
	ret = owner->peer ? pmon_writeback_owner(space, vpn, page, wb) :
			    -EFAULT;
	if (ret) {
		owner->status = ret;
		owner->ended = true;
	}
	if (copy->peer) {
		copy->status = pmon_writeback_post(space, vpn, page, copy,
						   false);
		copy->ended = copy->status != 0;
	}
	up_read(&space->holders_rwsem);
	if (ret && (!copy->peer || copy->status)) {
		if (wb->held)
			up(&pmon_writebacks_held);
		kfree(wb);
		return ERR_PTR(ret);
	}
	return wb;
}

static int pmon_writeback_leg_end(struct pmon_space *space, u64 vpn,
				  struct pmon_wb_leg *leg, bool owner)
{
	if (leg->op)
		return lego_rdma_op_end(leg->op);
	if (leg->ended)
		return leg->status;
	return pmon_writeback_wait(space, vpn, leg, owner);
}

/*
 * The line is clean once every holder has it; with two copies, once one
 * has it and the other is replaced (and so given the page anew).
 */
static int pmon_writeback_end(void *arg, u64 vpn, void *handle)
{
	struct pmon_writeback *wb = handle;
	struct pmon_wb_leg *owner = &wb->leg[0], *copy = &wb->leg[1];
	int ret, copy_ret = 0;

	ret = pmon_writeback_leg_end(arg, vpn, owner, true);
	if (copy->peer)
		copy_ret = pmon_writeback_leg_end(arg, vpn, copy, false);
	if (wb->held)
		up(&pmon_writebacks_held);
	if (copy->peer && !ret != !copy_ret &&
	    !pmon_space_failover(arg, vpn, ret ? owner->peer : copy->peer))
		ret = 0;
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
	if (!test_and_set_bit(PMON_VNODE_LOST_TOLD, &space->vn->flags))
		lego_genl_event(LEGO_EVENT_VNODE_LOST, 0, space->vn->name);
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
	.fetch_begin	= pmon_fetch_begin,
	.fetch_end	= pmon_fetch_end,
	.fetch_many	= pmon_fetch_many,
	.writeback_begin = pmon_writeback_begin,
	.writeback_end	= pmon_writeback_end,
	.unmap		= pmon_unmap,
	.lose		= pmon_lose,
	.get		= pmon_get,
	.put		= pmon_put,
};

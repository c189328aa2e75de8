// SPDX-License-Identifier: GPL-2.0
/*
 * The home mmon of an address space: it takes the pmon's map, unmap,
 * protect, discard and free requests, keeps every vma of the space to
 * choose addresses, cuts the space's window into 1 GiB vRegions, gives
 * each an owner mmon by free capacity (itself first), and a replica too in
 * a replicated vNode, and passes each request on to the holders of the
 * vRegions it touches. When the pmon reports a holder lost, the home puts
 * a new replica in its place.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": mmon: " fmt

#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "lego/vma_tree.h"
#include "lego/vregion.h"
#include "mmon.h"

#define MMON_MAP_MAX	((u64)LEGO_MEM_MAP_MAX_VREGIONS << LEGO_VREGION_SHIFT)

struct mmon_home {
	__be32 pmon;
	u64 key;				/* see lego_mem_map_reply */
	struct lego_vma_tree vmas;		/* the whole space */
	struct lego_vregion_table *vregions;
	u16 orphans;				/* mmons the pmon lost */
	u64 repairing;		/* vRegions getting a new replica */
};

/* The vNode's mmons, as owners 0..n-1; owner 0 is this one. */
struct mmon_owners {
	struct lego_peer *peer[LEGO_VNODE_MMONS_MAX];
	unsigned int nr;
};

/* Held across the requests to owners: homes are rare, owners answer fast. */
static DEFINE_MUTEX(mmon_homes_lock);
static DEFINE_XARRAY(mmon_homes);

static void mmon_owners_get(struct mmon_owners *o, const struct mmon_vnode *vn)
{
	unsigned int i;

	o->nr = vn->nr;
	o->peer[0] = NULL;
	for (i = 1; i < vn->nr; i++)
		o->peer[i] = lego_peer_find(vn->mmon[i]);
}

static int mmon_send_own(const struct mmon_owners *o, int owner, u32 vnode,
			 const struct lego_mem_own_req *own)
{
	u32 got;

	if (!owner)
		return mmon_own(own, vnode);
	if (!o->peer[owner])
		return -ENOTCONN;
	return lego_rpc_call(o->peer[owner], LEGO_OP_MEM_OWN, vnode, own,
			     sizeof(*own), NULL, 0, &got);
}

static int mmon_forward(const struct mmon_owners *o, int owner, u16 op,
			const struct mmon_home *home, u32 vnode,
			const struct lego_mem_req *req)
{
	struct lego_mem_own_req own = {
		.op = cpu_to_le16(op),
		.pmon = home->pmon,
		.req = *req,
	};

	own.req.key = cpu_to_le64(home->key);
	return mmon_send_own(o, owner, vnode, &own);
}

/* @op on [@addr, @stop) at one holder: -ENOTCONN for none we know. */
static int mmon_forward_piece(struct mmon_home *home,
			      const struct mmon_owners *o, int holder, u16 op,
			      u32 vnode, const struct lego_mem_req *req,
			      u64 addr, u64 stop)
{
	struct lego_mem_req piece = *req;

	if (holder >= o->nr)
		return -ENOTCONN;
	piece.addr = cpu_to_le64(addr);
	piece.len = cpu_to_le64(stop - addr);
	return mmon_forward(o, holder, op, home, vnode, &piece);
}

/*
 * Pass @op on [@addr, @end) to the holders of each vRegion it touches that
 * has them. A vRegion with two copies needs one of them to take it: the
 * pmon reports the other lost when it next fails to reach it.
 * Return: the first error, after trying every vRegion.
 */
static int mmon_forward_range(struct mmon_home *home,
			      const struct mmon_owners *o, u16 op, u32 vnode,
			      const struct lego_mem_req *req, u64 addr, u64 end)
{
	int owner, replica, ret, first = 0;

	while (addr < end) {
		u64 stop = min(ALIGN(addr + 1, LEGO_VREGION_SIZE), end);

		owner = lego_vregion_owner(home->vregions, addr);
		replica = lego_vregion_replica(home->vregions, addr);
		if (owner >= 0) {
			ret = mmon_forward_piece(home, o, owner, op, vnode, req,
						 addr, stop);
			if (replica >= 0 &&
			    !mmon_forward_piece(home, o, replica, op, vnode,
						req, addr, stop))
				ret = 0;
			if (ret && !first)
				first = ret;
		}
		addr = stop;
	}
	return first;
}

/* Pages each mmon can still promise (LEGO_OP_MEM_STAT); 0 if it is silent. */
static void mmon_owners_free(const struct mmon_owners *o, u64 *free_pages)
{
	struct lego_mem_stat_reply st;
	unsigned int i;

	free_pages[0] = mmon_available_pages();
	for (i = 1; i < o->nr; i++)
		free_pages[i] = lego_mem_stat(o->peer[i], &st) ?
				le64_to_cpu(st.free_pages) : 0;
}

/*
 * The holders of the vRegion at @addr as the pmon names them: 0 for the
 * home, else their address; LEGO_MEM_NO_HOLDER for none.
 */
static void mmon_home_holders(const struct mmon_owners *o,
			      const struct mmon_home *home, u64 addr,
			      __be32 *owner, __be32 *replica)
{
	int i = lego_vregion_owner(home->vregions, addr);
	int r = lego_vregion_replica(home->vregions, addr);

	*owner = i > 0 && i < o->nr ? lego_peer_addr(o->peer[i]) : 0;
	*replica = r > 0 && r < o->nr ? lego_peer_addr(o->peer[r]) :
		   r == 0 ? 0 : cpu_to_be32(LEGO_MEM_NO_HOLDER);
}

/* The space @asid of @vnode's home here, if @pmon made it and has @key. */
static struct mmon_home *mmon_home_of(const struct mmon_vnode *vn, u32 vnode,
				      u32 asid, __be32 pmon, __le64 key)
{
	struct mmon_home *home = xa_load(&mmon_homes, mmon_key(vnode, asid));

	if (!vn || !home || home->pmon != pmon ||
	    home->key != le64_to_cpu(key)) {
		atomic64_inc(&mmon_refused);
		return NULL;
	}
	return home;
}

static struct mmon_home *mmon_home_create(unsigned long key, __be32 pmon,
					  u32 copies)
{
	struct mmon_home *home = kzalloc(sizeof(*home), GFP_KERNEL);

	if (!home)
		return NULL;
	home->pmon = pmon;
	home->key = get_random_u64() | 1;
	lego_vma_tree_init(&home->vmas);
	home->vregions = lego_vregion_table_new(LEGO_MEM_WINDOW_BASE,
						LEGO_MEM_WINDOW_VREGIONS, copies);
	if (!home->vregions ||
	    xa_err(xa_store(&mmon_homes, key, home, GFP_KERNEL))) {
		kfree(home->vregions);
		kfree(home);
		return NULL;
	}
	return home;
}

static void mmon_home_free(unsigned long key, struct mmon_home *home)
{
	xa_erase(&mmon_homes, key);
	lego_vma_tree_destroy(&home->vmas, NULL, NULL);
	kfree(home->vregions);
	kfree(home);
}

/*
 * Where a map of @len may start: maps of 2 MiB and more are aligned to
 * their size (up to a vRegion), as allocators want their segments (they
 * would map more and trim it otherwise: three round trips, not one).
 */
static u64 mmon_map_align(u64 len)
{
	if (len < SZ_2M)
		return PAGE_SIZE;
	return min_t(u64, rounddown_pow_of_two(len), LEGO_VREGION_SIZE);
}

static int mmon_home_map(struct mmon_home *home, const struct mmon_owners *o,
			 u32 vnode, const struct lego_mem_req *req,
			 struct lego_mem_map_reply *rep)
{
	u64 addr = le64_to_cpu(req->addr), len = le64_to_cpu(req->len);
	u64 window_end = LEGO_MEM_WINDOW_BASE +
			 ((u64)LEGO_MEM_WINDOW_VREGIONS << LEGO_VREGION_SHIFT);
	u64 free_pages[LEGO_VNODE_MMONS_MAX];
	struct lego_mem_req piece;
	unsigned int i;
	int ret;

	if (len > MMON_MAP_MAX ||
	    le32_to_cpu(req->prot) & ~(LEGO_PROT_READ | LEGO_PROT_WRITE))
		return -EINVAL;
	if (!addr)
		addr = lego_vma_find_gap(&home->vmas, len, mmon_map_align(len),
					 LEGO_MEM_WINDOW_BASE, window_end);
	else if (addr < LEGO_MEM_WINDOW_BASE || addr + len > window_end)
		return -EINVAL;
	else if (!lego_vma_range_free(&home->vmas, addr, addr + len))
		return -EEXIST;
	if (!addr)
		return -ENOMEM;

	mmon_owners_free(o, free_pages);
	if (lego_vregion_assign(home->vregions, addr, addr + len, free_pages,
				o->nr, 0))
		return -ENOMEM;
	ret = lego_vma_map(&home->vmas, addr, addr + len,
			   le32_to_cpu(req->prot));
	if (ret)
		return ret;
	piece = *req;
	ret = mmon_forward_range(home, o, LEGO_OP_MEM_MAP, vnode, &piece, addr,
				 addr + len);
	if (ret) {
		mmon_forward_range(home, o, LEGO_OP_MEM_UNMAP, vnode, &piece,
				   addr, addr + len);
		lego_vma_unmap(&home->vmas, addr, addr + len, NULL, NULL);
		return ret;
	}

	memset(rep, 0, sizeof(*rep));
	rep->addr = cpu_to_le64(addr);
	rep->key = cpu_to_le64(home->key);
	rep->nr = cpu_to_le32((ALIGN(addr + len, LEGO_VREGION_SIZE) -
			       ALIGN_DOWN(addr, LEGO_VREGION_SIZE)) >>
			      LEGO_VREGION_SHIFT);
	for (i = 0; i < le32_to_cpu(rep->nr); i++) {
		u64 at = ALIGN_DOWN(addr, LEGO_VREGION_SIZE) +
			 ((u64)i << LEGO_VREGION_SHIFT);

		mmon_home_holders(o, home, at, &rep->owner[i],
				  &rep->replica[i]);
	}
	return 0;
}

/* The mmons holding each assigned vRegion, and those the pmon lost. */
static void mmon_home_holder_set(const struct mmon_home *home,
				 const struct mmon_owners *o, bool orphans,
				 bool held[LEGO_VNODE_MMONS_MAX])
{
	const struct lego_vregion_table *t = home->vregions;
	u32 i;

	for (i = 0; i < LEGO_VNODE_MMONS_MAX; i++)
		held[i] = orphans && home->orphans & BIT(i);
	for (i = 0; i < t->nr; i++) {
		if (t->owner[i] < o->nr)
			held[t->owner[i]] = true;
		if (t->replica[i] < o->nr)
			held[t->replica[i]] = true;
	}
}

/* Pass the request to every holder, and to the mmons the pmon lost. */
static void mmon_home_free_owners(struct mmon_home *home,
				  const struct mmon_owners *o, u32 vnode,
				  const struct lego_mem_req *req)
{
	bool held[LEGO_VNODE_MMONS_MAX];
	u32 i;

	mmon_home_holder_set(home, o, true, held);
	for (i = 0; i < o->nr; i++)
		if (held[i])
			mmon_forward(o, i, LEGO_OP_MEM_FREE, home, vnode, req);
}

/* LEGO_OP_MEM_MAP ... LEGO_OP_MEM_FREE, from the space's pmon. */
int mmon_serve_home(struct lego_peer *peer, const struct lego_msg *msg,
		    const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_mem_req *req = payload;
	unsigned long key = mmon_key(msg->vnode, le32_to_cpu(req->asid));
	u64 addr = le64_to_cpu(req->addr), len = le64_to_cpu(req->len);
	__be32 pmon = lego_peer_addr(peer);
	struct mmon_vnode *vn;
	struct mmon_owners o;
	struct mmon_home *home;
	bool created = false;
	int ret = 0;

	if (!le32_to_cpu(req->asid) || le32_to_cpu(req->asid) > 0xffff ||
	    (addr | len) & ~PAGE_MASK || addr + len < addr ||
	    (msg->opcode == LEGO_OP_MEM_FREE ? len : !len))
		return -EINVAL;
	mutex_lock(&mmon_homes_lock);
	vn = mmon_vnode_find(msg->vnode, pmon);
	if (!vn) {
		atomic64_inc(&mmon_refused);
		ret = -ENOENT;
		goto out;
	}
	home = xa_load(&mmon_homes, key);
	if (home ? home->pmon != pmon || home->key != le64_to_cpu(req->key) :
		   req->key || msg->opcode != LEGO_OP_MEM_MAP) {
		atomic64_inc(&mmon_refused);
		ret = home ? -EACCES : -ENOENT;
		goto out;
	}
	if (!home) {
		home = mmon_home_create(key, pmon, vn->copies);
		if (!home) {
			ret = -ENOMEM;
			goto out;
		}
		created = true;
	}
	mmon_owners_get(&o, vn);

	switch (msg->opcode) {
	case LEGO_OP_MEM_MAP:
		ret = mmon_home_map(home, &o, msg->vnode, req, reply);
		if (!ret)
			*reply_len = sizeof(struct lego_mem_map_reply);
		else if (created)	/* its key never reached the pmon */
			mmon_home_free(key, home);
		break;
	case LEGO_OP_MEM_UNMAP:
		ret = lego_vma_unmap(&home->vmas, addr, addr + len, NULL, NULL);
		if (!ret)
			ret = mmon_forward_range(home, &o, msg->opcode,
						 msg->vnode, req, addr,
						 addr + len);
		break;
	case LEGO_OP_MEM_PROTECT:
		ret = lego_vma_protect(&home->vmas, addr, addr + len,
				       le32_to_cpu(req->prot));
		if (!ret)
			ret = mmon_forward_range(home, &o, msg->opcode,
						 msg->vnode, req, addr,
						 addr + len);
		break;
	case LEGO_OP_MEM_DISCARD:
		ret = mmon_forward_range(home, &o, msg->opcode, msg->vnode, req,
					 addr, addr + len);
		break;
	case LEGO_OP_MEM_FREE:
		mmon_home_free_owners(home, &o, msg->vnode, req);
		mmon_home_free(key, home);
		break;
	}
out:
	mutex_unlock(&mmon_homes_lock);
	return ret;
}

/* Every address space of vNode @vnode goes, at every owner too. */
static void mmon_vnode_free_homes(u32 vnode, const struct mmon_owners *o)
{
	struct mmon_home *home;
	unsigned long key;

	xa_for_each_range(&mmon_homes, key, home, mmon_key(vnode, 0),
			  mmon_key(vnode, 0xffff)) {
		struct lego_mem_req req = {
			.asid = cpu_to_le32(key & 0xffff),
		};

		mmon_home_free_owners(home, o, vnode, &req);
		mmon_home_free(key, home);
	}
}

/* LEGO_OP_VNODE_NEW and LEGO_OP_VNODE_DEL, from the vNode's pmon. */
int mmon_serve_vnode(struct lego_peer *peer, const struct lego_msg *msg,
		     const void *payload, void *reply, u32 *reply_len)
{
	__be32 pmon = lego_peer_addr(peer);
	struct mmon_vnode *vn;
	struct mmon_owners o;
	int ret = 0;

	mutex_lock(&mmon_homes_lock);
	if (msg->opcode == LEGO_OP_VNODE_NEW) {
		ret = mmon_vnode_add(msg->vnode, pmon, payload);
		goto out;
	}
	vn = mmon_vnode_find(msg->vnode, pmon);
	if (!vn) {
		atomic64_inc(&mmon_refused);
		ret = -ENOENT;
		goto out;
	}
	mmon_owners_get(&o, vn);
	mmon_vnode_free_homes(msg->vnode, &o);
	mmon_vnode_del(msg->vnode);
out:
	mutex_unlock(&mmon_homes_lock);
	return ret;
}

/* Copy @src into @home at every owner of its vRegions, once each. */
static int mmon_home_clone_owners(struct mmon_home *home,
				  const struct mmon_home *src,
				  const struct mmon_owners *o, u32 vnode,
				  const struct lego_mem_clone_req *req)
{
	struct lego_mem_own_req own = {
		.op = cpu_to_le16(LEGO_OP_MEM_CLONE),
		.pmon = home->pmon,
		.req.asid = req->req.asid,
		.req.key = cpu_to_le64(home->key),
		.src_asid = req->src_asid,
		.src_key = req->src_key,
	};
	const struct lego_vregion_table *t = src->vregions;
	bool held[LEGO_VNODE_MMONS_MAX], copied[LEGO_VNODE_MMONS_MAX] = {};
	int ret, first = 0;
	u32 i;

	mmon_home_holder_set(src, o, false, held);
	for (i = 0; i < o->nr; i++) {
		if (!held[i])
			continue;
		ret = mmon_send_own(o, i, vnode, &own);
		copied[i] = !ret;
		if (ret && !first)
			first = ret;
	}
	/* Every vRegion needs one copy; the pmon replaces a lost replica. */
	for (i = 0; i < t->nr; i++)
		if (t->owner[i] != LEGO_VREGION_NONE && !copied[t->owner[i]] &&
		    (t->replica[i] == LEGO_VREGION_NONE ||
		     !copied[t->replica[i]]))
			return first;
	return 0;
}

/* LEGO_OP_MEM_CLONE: fork. The new space gets the old one's key check. */
int mmon_serve_clone(struct lego_peer *peer, const struct lego_msg *msg,
		     const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_mem_clone_req *req = payload;
	u32 asid = le32_to_cpu(req->req.asid);
	u32 src_asid = le32_to_cpu(req->src_asid);
	unsigned long key = mmon_key(msg->vnode, asid);
	struct lego_mem_clone_reply *rep = reply;
	__be32 pmon = lego_peer_addr(peer);
	struct mmon_home *home, *src;
	struct mmon_vnode *vn;
	struct mmon_owners o;
	int ret;

	if (!asid || asid > 0xffff || !src_asid || src_asid > 0xffff ||
	    asid == src_asid || req->req.prot || req->req.addr ||
	    req->req.len || req->req.key || req->reserved)
		return -EINVAL;
	mutex_lock(&mmon_homes_lock);
	vn = mmon_vnode_find(msg->vnode, pmon);
	src = mmon_home_of(vn, msg->vnode, src_asid, pmon, req->src_key);
	if (!src) {
		ret = -ENOENT;
		goto out;
	}
	ret = -EEXIST;
	if (xa_load(&mmon_homes, key))
		goto out;
	ret = -ENOMEM;
	home = mmon_home_create(key, pmon, vn->copies);
	if (!home)
		goto out;
	lego_vregion_table_copy(home->vregions, src->vregions);
	ret = lego_vma_tree_copy(&home->vmas, &src->vmas);
	mmon_owners_get(&o, vn);
	if (!ret)
		ret = mmon_home_clone_owners(home, src, &o, msg->vnode, req);
	if (ret) {
		mmon_home_free_owners(home, &o, msg->vnode, &req->req);
		mmon_home_free(key, home);
		goto out;
	}
	rep->key = cpu_to_le64(home->key);
	*reply_len = sizeof(*rep);
out:
	mutex_unlock(&mmon_homes_lock);
	return ret;
}

/* The vmas of the vRegion at @addr, cut to it, as MAP requests to @holder. */
static int mmon_home_map_vregion(struct mmon_home *home,
				 const struct mmon_owners *o, int holder,
				 u32 vnode, u32 asid, u64 addr, u16 op)
{
	u64 end = addr + LEGO_VREGION_SIZE;
	struct lego_mem_req req = {
		.asid = cpu_to_le32(asid),
	};
	struct rb_node *node;
	int ret;

	for (node = rb_first(&home->vmas.root); node; node = rb_next(node)) {
		struct lego_vma *vma = rb_entry(node, struct lego_vma, node);

		if (vma->end <= addr || vma->start >= end)
			continue;
		req.prot = cpu_to_le32(vma->prot);
		ret = mmon_forward_piece(home, o, holder, op, vnode, &req,
					 max(vma->start, addr),
					 min(vma->end, end));
		if (ret)
			return ret;
	}
	return 0;
}

/* Pages the vmas of the vRegion at @addr take. */
static u64 mmon_home_vregion_pages(struct mmon_home *home, u64 addr)
{
	u64 end = addr + LEGO_VREGION_SIZE, bytes = 0;
	struct rb_node *node;

	for (node = rb_first(&home->vmas.root); node; node = rb_next(node)) {
		struct lego_vma *vma = rb_entry(node, struct lego_vma, node);

		if (vma->end > addr && vma->start < end)
			bytes += min(vma->end, end) - max(vma->start, addr);
	}
	return bytes >> PAGE_SHIFT;
}

/*
 * A second copy of the vRegion at @addr: its vmas on the mmon with the
 * most of @free_pages, no pages yet: the pmon writes back there once it
 * learns of it, then has the owner copy the pages written before.
 */
static int mmon_home_add_replica(struct mmon_home *home,
				 const struct mmon_owners *o, u32 vnode,
				 u32 asid, u64 addr, u64 *free_pages)
{
	int replica, ret;

	replica = lego_vregion_add_replica(home->vregions, addr, free_pages,
					   o->nr, 0,
					   mmon_home_vregion_pages(home, addr));
	if (replica < 0)
		return replica;
	ret = mmon_home_map_vregion(home, o, replica, vnode, asid, addr,
				    LEGO_OP_MEM_MAP);
	if (ret) {
		mmon_home_map_vregion(home, o, replica, vnode, asid, addr,
				      LEGO_OP_MEM_UNMAP);
		lego_vregion_drop(home->vregions, addr, replica);
	}
	return ret;
}

/* A vRegion of a replicated space to give a new replica. */
struct mmon_repair {
	struct work_struct work;
	__be32 pmon;
	u32 vnode, asid;
	u64 key;
	u64 addr;
	int lost;		/* the holder lost, or -1 */
};

/* The space @r names, if it is still the one it named. */
static struct mmon_home *mmon_repair_home(struct mmon_repair *r,
					  struct mmon_owners *o)
{
	struct mmon_home *home = xa_load(&mmon_homes,
					 mmon_key(r->vnode, r->asid));
	struct mmon_vnode *vn = mmon_vnode_find(r->vnode, r->pmon);

	if (!vn || !home || home->key != r->key)
		return NULL;
	mmon_owners_get(o, vn);
	return home;
}

/*
 * The mmons' free pages are asked without the homes' lock: one that died
 * unnoticed holds its asker for the RPC timeout, and the pmon's requests
 * to this home must not wait that long.
 */
static void mmon_repair_work(struct work_struct *work)
{
	struct mmon_repair *r = container_of(work, struct mmon_repair, work);
	u32 bit = (r->addr - LEGO_MEM_WINDOW_BASE) >> LEGO_VREGION_SHIFT;
	u64 free_pages[LEGO_VNODE_MMONS_MAX];
	struct mmon_home *home;
	struct mmon_owners o;
	int ret;

	mutex_lock(&mmon_homes_lock);
	home = mmon_repair_home(r, &o);
	mutex_unlock(&mmon_homes_lock);
	if (!home)
		goto out;
	if (r->lost >= 0)
		o.peer[r->lost] = NULL;
	mmon_owners_free(&o, free_pages);
	if (r->lost >= 0)
		free_pages[r->lost] = 0;

	mutex_lock(&mmon_homes_lock);
	home = mmon_repair_home(r, &o);
	if (home) {
		home->repairing &= ~BIT_ULL(bit);
		ret = lego_vregion_replica(home->vregions, r->addr) >= 0 ? 0 :
		      mmon_home_add_replica(home, &o, r->vnode, r->asid,
					    r->addr, free_pages);
		if (ret)
			pr_warn_ratelimited("vNode %u space %u: vRegion %#llx keeps one copy: %d\n",
					    r->vnode, r->asid, r->addr, ret);
	}
	mutex_unlock(&mmon_homes_lock);
out:
	kfree(r);
}

/* Have the vRegion at @addr given a new replica, unless it is on its way. */
static void mmon_home_repair(struct mmon_home *home, u32 vnode, u32 asid,
			     u64 addr, int lost)
{
	u32 bit = (addr - LEGO_MEM_WINDOW_BASE) >> LEGO_VREGION_SHIFT;
	struct mmon_repair *r;

	if (home->repairing & BIT_ULL(bit))
		return;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return;
	INIT_WORK(&r->work, mmon_repair_work);
	r->pmon = home->pmon;
	r->vnode = vnode;
	r->asid = asid;
	r->key = home->key;
	r->addr = addr;
	r->lost = lost;
	if (mmon_replica_queue(&r->work))
		home->repairing |= BIT_ULL(bit);
	else
		kfree(r);
}

/* The index of the mmon the pmon calls @addr (0: this one), or -1. */
static int mmon_vnode_holder(const struct mmon_vnode *vn, __be32 addr)
{
	u32 i;

	if (!addr)
		return 0;
	for (i = 1; i < vn->nr; i++)
		if (vn->mmon[i] == addr)
			return i;
	return -1;
}

/*
 * LEGO_OP_MEM_REPLACE: the pmon lost a holder of a vRegion, or (@lost
 * LEGO_MEM_NO_HOLDER) asks whether the new replica is there yet. The
 * first report drops the holder, the others learn the holders now.
 */
int mmon_serve_replace(struct lego_peer *peer, const struct lego_msg *msg,
		       const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_mem_replace_req *rr = payload;
	const struct lego_mem_req *req = &rr->req;
	u32 asid = le32_to_cpu(req->asid);
	u64 addr = le64_to_cpu(req->addr);
	struct lego_mem_replace_reply *rep = reply;
	__be32 pmon = lego_peer_addr(peer);
	struct mmon_home *home;
	struct mmon_vnode *vn;
	struct mmon_owners o;
	int lost = -1, ret;

	if (!asid || asid > 0xffff || addr & (LEGO_VREGION_SIZE - 1) ||
	    le64_to_cpu(req->len) != LEGO_VREGION_SIZE || req->prot ||
	    rr->reserved)
		return -EINVAL;
	mutex_lock(&mmon_homes_lock);
	vn = mmon_vnode_find(msg->vnode, pmon);
	home = mmon_home_of(vn, msg->vnode, asid, pmon, req->key);
	if (!home) {
		ret = -ENOENT;
		goto out;
	}
	if (rr->lost != cpu_to_be32(LEGO_MEM_NO_HOLDER))
		lost = mmon_vnode_holder(vn, rr->lost);
	ret = -EINVAL;
	if (vn->copies < 2 ||
	    (lost < 0 && rr->lost != cpu_to_be32(LEGO_MEM_NO_HOLDER)) ||
	    lego_vregion_owner(home->vregions, addr) < 0)
		goto out;
	mmon_owners_get(&o, vn);
	if (lost >= 0 && !lego_vregion_drop(home->vregions, addr, lost)) {
		pr_info("vNode %u space %u: the pmon lost the copy of vRegion %#llx on mmon %pI4\n",
			msg->vnode, asid, addr, &vn->mmon[lost]);
		/* Should it live on, the space's FREE still reaches it. */
		home->orphans |= BIT(lost);
	}
	if (lego_vregion_replica(home->vregions, addr) < 0)
		mmon_home_repair(home, msg->vnode, asid, addr, lost);
	mmon_home_holders(&o, home, addr, &rep->owner, &rep->replica);
	*reply_len = sizeof(*rep);
	ret = 0;
out:
	mutex_unlock(&mmon_homes_lock);
	return ret;
}

void mmon_homes_destroy(void)
{
	struct mmon_home *home;
	unsigned long key;

	mutex_lock(&mmon_homes_lock);
	xa_for_each(&mmon_homes, key, home)
		mmon_home_free(key, home);
	mmon_vnodes_destroy();
	mutex_unlock(&mmon_homes_lock);
}

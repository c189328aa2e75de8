// SPDX-License-Identifier: GPL-2.0
/*
 * The vRegions an mmon owns: per address space, its part of the vmas and
 * the pages written back so far. A page never written back is zero: it
 * takes no pool page until its first write-back. Every request is checked
 * against the address space's pmon and key, its vmas and their permissions.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": mmon: " fmt

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "lego/vma_tree.h"
#include "mmon.h"

struct mmon_space {
	__be32 pmon;			/* the only pmon that may use it */
	u64 key;			/* and the key it must show */
	struct lego_vma_tree vmas;	/* within this mmon's vRegions */
	struct xarray pages;		/* page number -> pool index value */
	u32 hint;			/* the pool chunk it last took from */
};

/*
 * One lock for all: requests are short, never sleep, and FETCH and
 * WRITEBACK are served right in the receive completion (softirq).
 */
static DEFINE_SPINLOCK(mmon_spaces_lock);
static DEFINE_XARRAY(mmon_spaces);
atomic64_t mmon_refused;
atomic64_t mmon_filled;
atomic64_t mmon_set_aside;

/*
 * Pages promised to the vmas mapped here: a map is refused rather than a
 * write-back failing later, so the pool is never overcommitted.
 */
static u64 mmon_committed;

u64 mmon_available_pages(void)
{
	return mmon_pool_pages() - READ_ONCE(mmon_committed);
}

/* @s's vmas were @before bytes: keep mmon_committed in step. */
static void mmon_commit(struct mmon_space *s, u64 before)
{
	mmon_committed += (s64)(s->vmas.bytes - before) >> PAGE_SHIFT;
}

static void mmon_free_range(struct mmon_space *s, u64 start, u64 end)
{
	unsigned long index;
	void *entry;

	xa_for_each_range(&s->pages, index, entry, start >> PAGE_SHIFT,
			  (end >> PAGE_SHIFT) - 1) {
		xa_erase(&s->pages, index);
		mmon_pool_free(xa_to_value(entry));
	}
}

static void mmon_cut(void *ctx, u64 start, u64 end)
{
	mmon_free_range(ctx, start, end);
}

static void mmon_space_free(unsigned long key, struct mmon_space *s)
{
	xa_erase(&mmon_spaces, key);
	mmon_committed -= s->vmas.bytes >> PAGE_SHIFT;
	lego_vma_tree_destroy(&s->vmas, mmon_cut, s);
	xa_destroy(&s->pages);
	kfree(s);
}

/* The address space, if @pmon may use it; counted as refused if not. */
static struct mmon_space *mmon_space_get(unsigned long key, __be32 pmon,
					 __le64 space_key)
{
	struct mmon_space *s = xa_load(&mmon_spaces, key);

	if (!s || s->pmon != pmon || s->key != le64_to_cpu(space_key)) {
		atomic64_inc(&mmon_refused);
		return NULL;
	}
	return s;
}

static struct mmon_space *mmon_space_new(unsigned long key, __be32 pmon,
					 __le64 space_key)
{
	struct mmon_space *s;

	if (!space_key)
		return ERR_PTR(-EINVAL);
	s = kzalloc(sizeof(*s), GFP_ATOMIC);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->pmon = pmon;
	s->key = le64_to_cpu(space_key);
	lego_vma_tree_init(&s->vmas);
	xa_init(&s->pages);
	if (xa_insert(&mmon_spaces, key, s, GFP_ATOMIC)) {
		kfree(s);
		return ERR_PTR(-ENOMEM);
	}
	return s;
}

static int mmon_space_map(unsigned long key, __be32 pmon,
			  const struct lego_mem_req *req, u64 addr, u64 end)
{
	struct mmon_space *s = xa_load(&mmon_spaces, key);
	u64 before;
	int ret;

	if ((end - addr) >> PAGE_SHIFT > mmon_available_pages())
		return -ENOMEM;
	if (!s) {
		s = mmon_space_new(key, pmon, req->key);
		if (IS_ERR(s))
			return PTR_ERR(s);
	} else if (s->pmon != pmon || s->key != le64_to_cpu(req->key)) {
		atomic64_inc(&mmon_refused);
		return -EACCES;
	}
	before = s->vmas.bytes;
	ret = lego_vma_map(&s->vmas, addr, end, le32_to_cpu(req->prot));
	mmon_commit(s, before);
	return ret;
}

/* @s's vmas are committed, so the pool has a page for each of @src's. */
static int mmon_copy_pages(struct mmon_space *s, struct mmon_space *src)
{
	unsigned long index;
	void *entry;
	s64 copy;
	int ret;

	xa_for_each(&src->pages, index, entry) {
		copy = mmon_pool_alloc(s->pmon, &s->hint);
		if (copy < 0)
			return copy;
		copy_highpage(mmon_pool_page(copy),
			      mmon_pool_page(xa_to_value(entry)));
		ret = xa_err(xa_store(&s->pages, index, xa_mk_value(copy),
				      GFP_ATOMIC));
		if (ret) {
			mmon_pool_free(copy);
			return ret;
		}
	}
	return 0;
}

/*
 * Fork: the new space @key gets a copy of our part of the space @own
 * names, vmas and pages. Nothing to copy if that part was never mapped.
 */
static int mmon_space_clone(unsigned long key, u32 vnode,
			    const struct lego_mem_own_req *own)
{
	unsigned long src_key = mmon_key(vnode, le32_to_cpu(own->src_asid));
	struct mmon_space *src = xa_load(&mmon_spaces, src_key);
	struct mmon_space *s;
	int ret;

	if (!src)
		return 0;
	src = mmon_space_get(src_key, own->pmon, own->src_key);
	if (!src)
		return -EACCES;
	if (xa_load(&mmon_spaces, key))
		return -EEXIST;
	if (src->vmas.bytes >> PAGE_SHIFT > mmon_available_pages())
		return -ENOMEM;
	s = mmon_space_new(key, own->pmon, own->req.key);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = lego_vma_tree_copy(&s->vmas, &src->vmas);
	mmon_commit(s, 0);
	if (!ret)
		ret = mmon_copy_pages(s, src);
	if (ret)
		mmon_space_free(key, s);
	return ret;
}

/**
 * mmon_own() - apply a memory request to this mmon's part of a space
 * @own: the request, limited to this mmon's vRegions, and its pmon as the
 *	home saw it
 * @vnode: the vNode
 *
 * Return: 0 or a negative errno for the reply.
 */
int mmon_own(const struct lego_mem_own_req *own, u32 vnode)
{
	const struct lego_mem_req *req = &own->req;
	unsigned long key = mmon_key(vnode, le32_to_cpu(req->asid));
	u64 addr = le64_to_cpu(req->addr), len = le64_to_cpu(req->len);
	u16 op = le16_to_cpu(own->op);
	struct mmon_space *s;
	u64 before;
	int ret = 0;

	if (op != LEGO_OP_MEM_FREE && op != LEGO_OP_MEM_CLONE &&
	    (!len || (addr | len) & ~PAGE_MASK || addr + len < addr))
		return -EINVAL;
	spin_lock_bh(&mmon_spaces_lock);
	if (op == LEGO_OP_MEM_MAP) {
		ret = mmon_space_map(key, own->pmon, req, addr, addr + len);
		goto out;
	}
	if (op == LEGO_OP_MEM_CLONE) {
		ret = mmon_space_clone(key, vnode, own);
		goto out;
	}
	s = mmon_space_get(key, own->pmon, req->key);
	if (!s) {
		ret = -ENOENT;
		goto out;
	}
	switch (op) {
	case LEGO_OP_MEM_UNMAP:
		before = s->vmas.bytes;
		ret = lego_vma_unmap(&s->vmas, addr, addr + len, mmon_cut, s);
		mmon_commit(s, before);
		break;
	case LEGO_OP_MEM_PROTECT:
		ret = lego_vma_protect(&s->vmas, addr, addr + len,
				       le32_to_cpu(req->prot));
		break;
	case LEGO_OP_MEM_DISCARD:
		mmon_free_range(s, addr, addr + len);
		break;
	case LEGO_OP_MEM_FREE:
		mmon_space_free(key, s);
		break;
	default:
		ret = -EINVAL;
	}
out:
	spin_unlock_bh(&mmon_spaces_lock);
	return ret;
}

/*
 * LEGO_OP_MEM_OWN: the home applies a request to our part of a space. Only
 * another mmon may send it: one this mmon connects to (its mmon= list).
 */
int mmon_serve_own(struct lego_peer *peer, const struct lego_msg *msg,
		   const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_mem_own_req *own = payload;
	u16 op = le16_to_cpu(own->op);
	bool clone = op == LEGO_OP_MEM_CLONE;

	if (!lego_peer_find(lego_peer_addr(peer))) {
		atomic64_inc(&mmon_refused);
		return -EACCES;
	}
	if ((!clone && (op < LEGO_OP_MEM_MAP || op > LEGO_OP_MEM_FREE)) ||
	    own->reserved || own->reserved2 ||
	    clone != !!own->src_asid || (!clone && own->src_key))
		return -EINVAL;
	return mmon_own(own, msg->vnode);
}

/*
 * The page a FETCH or WRITEBACK names, if its sender is the space's pmon
 * and a vma there allows @prot; the request's own prot may only have the
 * @flags.
 */
static struct mmon_space *mmon_page_check(struct lego_peer *peer,
					  const struct lego_msg *msg,
					  const struct lego_mem_req *req,
					  u32 prot, u32 flags, int *err)
{
	u64 addr = le64_to_cpu(req->addr);
	struct mmon_space *s;

	*err = -EINVAL;
	if (addr & ~PAGE_MASK || le64_to_cpu(req->len) != PAGE_SIZE ||
	    le32_to_cpu(req->prot) & ~flags)
		return NULL;
	*err = -ENOENT;
	s = mmon_space_get(mmon_key(msg->vnode, le32_to_cpu(req->asid)),
			   lego_peer_addr(peer), req->key);
	if (!s)
		return NULL;
	*err = -EFAULT;
	if (!lego_vma_allows(&s->vmas, addr, prot)) {
		atomic64_inc(&mmon_refused);
		return NULL;
	}
	return s;
}

/* LEGO_OP_MEM_FETCH: the page, or no bytes for a page never written. */
int mmon_serve_fetch(struct lego_peer *peer, const struct lego_msg *msg,
		     const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_mem_req *req = payload;
	struct mmon_space *s;
	void *entry;
	int ret;

	spin_lock_bh(&mmon_spaces_lock);
	s = mmon_page_check(peer, msg, req, LEGO_PROT_READ, 0, &ret);
	if (!s)
		goto out;
	ret = 0;
	entry = xa_load(&s->pages, le64_to_cpu(req->addr) >> PAGE_SHIFT);
	if (entry) {
		memcpy_from_page(reply, mmon_pool_page(xa_to_value(entry)), 0,
				 PAGE_SIZE);
		*reply_len = PAGE_SIZE;
	}
out:
	spin_unlock_bh(&mmon_spaces_lock);
	return ret;
}

/* A pool page for @s's page @index, in the space from now on. */
static s64 mmon_page_take(struct mmon_space *s, unsigned long index)
{
	s64 page = mmon_pool_alloc(s->pmon, &s->hint);
	int ret;

	if (page < 0)
		return page;
	ret = xa_err(xa_store(&s->pages, index, xa_mk_value(page),
			      GFP_ATOMIC));
	if (ret) {
		mmon_pool_free(page);
		return ret;
	}
	return page;
}

/*
 * The first write-back of page @index also sets zeroed pages aside for
 * the never-written pages of its group that a vma lets the pmon write:
 * the pmon's first write-back of each is then one RDMA WRITE, not a
 * request. The group's pages are taken in order, so that they lie in a
 * run of the pool where it can. The vmas' pages are committed at map
 * time, so the pool has them. Return: @index's pool page, or an errno.
 */
static s64 mmon_group_take(struct lego_peer *peer, struct mmon_space *s,
			   unsigned long index, struct lego_mem_group_loc *group)
{
	unsigned long first = index & ~(LEGO_MEM_GROUP_PAGES - 1UL), i;
	s64 page, own = -ENOMEM;

	for (i = first; i < first + LEGO_MEM_GROUP_PAGES; i++) {
		if (i != index &&
		    (xa_load(&s->pages, i) ||
		     !lego_vma_allows(&s->vmas, (u64)i << PAGE_SHIFT,
				      LEGO_PROT_WRITE)))
			continue;
		page = mmon_page_take(s, i);
		if (page < 0)
			break;
		if (i == index) {
			own = page;
			continue;
		}
		clear_highpage(mmon_pool_page(page));
		mmon_pool_locate(peer, page, &group->page[i - first]);
		atomic64_inc(&mmon_set_aside);
	}
	return own >= 0 ? own : mmon_page_take(s, index);
}

/*
 * LEGO_OP_MEM_WRITEBACK: keep the page, taking a pool page the first time,
 * and tell the pmon where it may READ and WRITE it from now on; with
 * LEGO_MEM_GROUP, where the rest of its group is too.
 */
int mmon_serve_writeback(struct lego_peer *peer, const struct lego_msg *msg,
			 const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_mem_req *req = payload;
	unsigned long index = le64_to_cpu(req->addr) >> PAGE_SHIFT;
	bool group = le32_to_cpu(req->prot) & LEGO_MEM_GROUP;
	struct lego_mem_group_loc *locs = reply;
	struct lego_mem_page_loc *loc = reply;
	struct mmon_space *s;
	void *entry;
	s64 page;
	int ret;

	spin_lock_bh(&mmon_spaces_lock);
	s = mmon_page_check(peer, msg, req, LEGO_PROT_WRITE, LEGO_MEM_GROUP,
			    &ret);
	if (!s)
		goto out;
	*reply_len = group ? sizeof(*locs) : sizeof(*loc);
	memset(reply, 0, *reply_len);
	entry = xa_load(&s->pages, index);
	if (entry)
		page = xa_to_value(entry);
	else if (group)
		page = mmon_group_take(peer, s, index, locs);
	else
		page = mmon_page_take(s, index);
	ret = page;
	if (page < 0)
		goto out;
	memcpy_to_page(mmon_pool_page(page), 0, payload + sizeof(*req),
		       PAGE_SIZE);
	if (group)
		loc = &locs->page[index % LEGO_MEM_GROUP_PAGES];
	mmon_pool_locate(peer, page, loc);
	ret = 0;
out:
	spin_unlock_bh(&mmon_spaces_lock);
	return ret;
}

/* Is the space @key here, and @pmon's, with @space_key? */
bool mmon_space_of(unsigned long key, __be32 pmon, u64 space_key)
{
	struct mmon_space *s;
	bool ok;

	spin_lock_bh(&mmon_spaces_lock);
	s = xa_load(&mmon_spaces, key);
	ok = s && s->pmon == pmon && s->key == space_key;
	spin_unlock_bh(&mmon_spaces_lock);
	return ok;
}

/**
 * mmon_space_next_page() - the next page of a space held here, copied
 * @key: the space, as mmon_key() names it
 * @pmon: its pmon
 * @space_key: and key
 * @index: the first page number to look at; set to the one copied
 * @last: the last page number to look at
 * @buf: PAGE_SIZE bytes for its data
 *
 * Return: 1 with @buf filled, 0 when there is none up to @last, -ENOENT
 * when the space is gone (or was never @pmon's).
 */
int mmon_space_next_page(unsigned long key, __be32 pmon, u64 space_key,
			 unsigned long *index, unsigned long last, void *buf)
{
	struct mmon_space *s;
	void *entry;
	int ret = 0;

	spin_lock_bh(&mmon_spaces_lock);
	s = xa_load(&mmon_spaces, key);
	if (!s || s->pmon != pmon || s->key != space_key) {
		ret = -ENOENT;
		goto out;
	}
	entry = xa_find(&s->pages, index, last, XA_PRESENT);
	if (entry) {
		memcpy_from_page(buf, mmon_pool_page(xa_to_value(entry)), 0,
				 PAGE_SIZE);
		ret = 1;
	}
out:
	spin_unlock_bh(&mmon_spaces_lock);
	return ret;
}

/*
 * LEGO_OP_MEM_FILL: a page another holder of the space copies here. One
 * written back here already is newer: it stays.
 */
int mmon_serve_fill(struct lego_peer *peer, const struct lego_msg *msg,
		    const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_mem_own_req *own = payload;
	const struct lego_mem_req *req = &own->req;
	u64 addr = le64_to_cpu(req->addr);
	struct mmon_space *s;
	s64 page;
	int ret;

	if (!lego_peer_find(lego_peer_addr(peer))) {
		atomic64_inc(&mmon_refused);
		return -EACCES;
	}
	if (le16_to_cpu(own->op) != LEGO_OP_MEM_FILL || own->reserved ||
	    own->reserved2 || own->src_asid || own->src_key ||
	    addr & ~PAGE_MASK || le64_to_cpu(req->len) != PAGE_SIZE ||
	    req->prot)
		return -EINVAL;
	spin_lock_bh(&mmon_spaces_lock);
	s = mmon_space_get(mmon_key(msg->vnode, le32_to_cpu(req->asid)),
			   own->pmon, req->key);
	ret = -ENOENT;
	if (!s)
		goto out;
	ret = -EFAULT;		/* unmapped since, or never mapped */
	if (!lego_vma_allows(&s->vmas, addr, 0))
		goto out;
	ret = 0;
	if (xa_load(&s->pages, addr >> PAGE_SHIFT))
		goto out;
	page = mmon_page_take(s, addr >> PAGE_SHIFT);
	ret = page;
	if (page < 0)
		goto out;
	memcpy_to_page(mmon_pool_page(page), 0, payload + sizeof(*own),
		       PAGE_SIZE);
	ret = 0;
	atomic64_inc(&mmon_filled);
out:
	spin_unlock_bh(&mmon_spaces_lock);
	return ret;
}

/* Unload: every space goes, its pages back to the pool. */
void mmon_spaces_destroy(void)
{
	struct mmon_space *s;
	unsigned long key;

	spin_lock_bh(&mmon_spaces_lock);
	xa_for_each(&mmon_spaces, key, s)
		mmon_space_free(key, s);
	spin_unlock_bh(&mmon_spaces_lock);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * An address space's vmas at an mmon, in an rbtree. Pure C: built into
 * lego.ko and tests/unit/test_vma_tree (with the kernel's own rbtree,
 * tools/lib/rbtree.c, in userspace).
 */
#include "lego/vma_tree.h"

void lego_vma_tree_init(struct lego_vma_tree *t)
{
	t->root = RB_ROOT;
	t->bytes = 0;
}

static struct lego_vma *lego_vma_of(struct rb_node *node)
{
	return node ? rb_entry(node, struct lego_vma, node) : NULL;
}

/* The first vma ending after @addr: the one holding it, or the next. */
static struct lego_vma *lego_vma_first_after(const struct lego_vma_tree *t,
					     u64 addr)
{
	struct rb_node *node = t->root.rb_node;
	struct lego_vma *found = NULL;

	while (node) {
		struct lego_vma *vma = lego_vma_of(node);

		if (addr < vma->end) {
			found = vma;
			if (addr >= vma->start)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return found;
}

static struct lego_vma *lego_vma_next(struct lego_vma *vma)
{
	return lego_vma_of(rb_next(&vma->node));
}

/* The vma holding @addr, or NULL. */
struct lego_vma *lego_vma_find(const struct lego_vma_tree *t, u64 addr)
{
	struct lego_vma *vma = lego_vma_first_after(t, addr);

	return vma && vma->start <= addr ? vma : NULL;
}

bool lego_vma_range_free(const struct lego_vma_tree *t, u64 start, u64 end)
{
	struct lego_vma *vma = lego_vma_first_after(t, start);

	return !vma || vma->start >= end;
}

/* Does a vma allow @prot at @addr? */
bool lego_vma_allows(const struct lego_vma_tree *t, u64 addr, u32 prot)
{
	struct lego_vma *vma = lego_vma_find(t, addr);

	return vma && (vma->prot & prot) == prot;
}

/**
 * lego_vma_find_gap() - the lowest free range of @len bytes in [@lo, @hi)
 * @t: the tree
 * @len: bytes wanted, page aligned, not 0
 * @align: of the start: a power of two, at least a page
 * @lo: lowest start
 * @hi: end of the window
 *
 * Return: the start, or 0 if the window has no such gap (@lo is never 0).
 */
u64 lego_vma_find_gap(const struct lego_vma_tree *t, u64 len, u64 align,
		      u64 lo, u64 hi)
{
	struct lego_vma *vma = lego_vma_first_after(t, lo);
	u64 start = ALIGN(lo, align);

	for (; vma && vma->start < hi; vma = lego_vma_next(vma)) {
		if (vma->start >= start && vma->start - start >= len)
			return start;
		if (vma->end > start)
			start = ALIGN(vma->end, align);
	}
	return hi >= start && hi - start >= len ? start : 0;
}

static void lego_vma_link(struct lego_vma_tree *t, struct lego_vma *new)
{
	struct rb_node **link = &t->root.rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (new->start < lego_vma_of(parent)->start)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&new->node, parent, link);
	rb_insert_color(&new->node, &t->root);
}

static struct lego_vma *lego_vma_new(u64 start, u64 end, u32 prot)
{
	struct lego_vma *vma = lego_zalloc(sizeof(*vma));

	if (vma) {
		vma->start = start;
		vma->end = end;
		vma->prot = prot;
	}
	return vma;
}

/**
 * lego_vma_map() - add the vma [@start, @end)
 * @t: the tree
 * @start: page-aligned start
 * @end: page-aligned end, above @start
 * @prot: LEGO_PROT_*
 *
 * Return: 0, -EEXIST if the range overlaps a vma, -ENOMEM.
 */
int lego_vma_map(struct lego_vma_tree *t, u64 start, u64 end, u32 prot)
{
	struct lego_vma *vma;

	if (!lego_vma_range_free(t, start, end))
		return -EEXIST;
	vma = lego_vma_new(start, end, prot);
	if (!vma)
		return -ENOMEM;
	lego_vma_link(t, vma);
	t->bytes += end - start;
	return 0;
}

/* Split @vma at @addr, inside it; the upper part is the new vma. */
static struct lego_vma *lego_vma_split(struct lego_vma_tree *t,
				       struct lego_vma *vma, u64 addr)
{
	struct lego_vma *upper = lego_vma_new(addr, vma->end, vma->prot);

	if (!upper)
		return NULL;
	vma->end = addr;
	lego_vma_link(t, upper);
	return upper;
}

/* Make vma boundaries at @start and @end, so that no vma straddles them. */
static int lego_vma_split_at(struct lego_vma_tree *t, u64 start, u64 end)
{
	struct lego_vma *vma = lego_vma_find(t, start);

	if (vma && vma->start < start && !lego_vma_split(t, vma, start))
		return -ENOMEM;
	vma = lego_vma_find(t, end - 1);
	if (vma && vma->end > end && !lego_vma_split(t, vma, end))
		return -ENOMEM;
	return 0;
}

/**
 * lego_vma_unmap() - remove [@start, @end) from every vma it touches
 * @t: the tree
 * @start: page-aligned start
 * @end: page-aligned end, above @start
 * @cut: called for each mapped range removed, or NULL
 * @ctx: passed to @cut
 *
 * Unmapped holes inside the range are fine, as for munmap(2).
 *
 * Return: 0 or -ENOMEM (a vma had to be split; nothing was removed).
 */
int lego_vma_unmap(struct lego_vma_tree *t, u64 start, u64 end,
		   lego_vma_cut_fn cut, void *ctx)
{
	struct lego_vma *vma, *next;
	int ret;

	ret = lego_vma_split_at(t, start, end);
	if (ret)
		return ret;
	for (vma = lego_vma_first_after(t, start); vma && vma->start < end;
	     vma = next) {
		next = lego_vma_next(vma);
		if (cut)
			cut(ctx, vma->start, vma->end);
		t->bytes -= vma->end - vma->start;
		rb_erase(&vma->node, &t->root);
		lego_free(vma);
	}
	return 0;
}

/**
 * lego_vma_protect() - set @prot on [@start, @end), which must be mapped
 * @t: the tree
 * @start: page-aligned start
 * @end: page-aligned end, above @start
 * @prot: LEGO_PROT_*
 *
 * Return: 0, -ENOMEM if part of the range is not mapped (as mprotect(2)
 * says) or a split failed.
 */
int lego_vma_protect(struct lego_vma_tree *t, u64 start, u64 end, u32 prot)
{
	struct lego_vma *vma;
	u64 addr = start;
	int ret;

	for (vma = lego_vma_find(t, start); vma && addr < end;
	     vma = lego_vma_next(vma)) {
		if (vma->start != addr && addr != start)
			return -ENOMEM;
		addr = vma->end;
	}
	if (addr < end)
		return -ENOMEM;
	ret = lego_vma_split_at(t, start, end);
	if (ret)
		return ret;
	for (vma = lego_vma_find(t, start); vma && vma->start < end;
	     vma = lego_vma_next(vma))
		vma->prot = prot;
	return 0;
}

/* Free every vma, reporting each range to @cut (may be NULL). */
/**
 * lego_vma_tree_copy() - give an empty tree the vmas of another (fork)
 * @dst: an empty tree
 * @src: the tree to copy
 *
 * Return: 0, or -ENOMEM with @dst left empty.
 */
int lego_vma_tree_copy(struct lego_vma_tree *dst,
		       const struct lego_vma_tree *src)
{
	struct rb_node *node;

	for (node = rb_first(&src->root); node; node = rb_next(node)) {
		const struct lego_vma *vma = lego_vma_of(node);
		struct lego_vma *copy = lego_vma_new(vma->start, vma->end,
						     vma->prot);

		if (!copy) {
			lego_vma_tree_destroy(dst, NULL, NULL);
			return -ENOMEM;
		}
		lego_vma_link(dst, copy);
		dst->bytes += vma->end - vma->start;
	}
	return 0;
}

void lego_vma_tree_destroy(struct lego_vma_tree *t, lego_vma_cut_fn cut,
			   void *ctx)
{
	struct lego_vma *vma, *next;

	rbtree_postorder_for_each_entry_safe(vma, next, &t->root, node) {
		if (cut)
			cut(ctx, vma->start, vma->end);
		lego_free(vma);
	}
	lego_vma_tree_init(t);
}

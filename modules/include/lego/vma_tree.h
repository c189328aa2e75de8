/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vmas of an address space at an mmon: non-overlapping, page-aligned
 * ranges with their permissions, in an rbtree by address. Pure logic
 * shared by lego.ko and the unit tests; the caller locks.
 */
#ifndef _LEGO_VMA_TREE_H
#define _LEGO_VMA_TREE_H

#include "lego/compat.h"

#include <linux/rbtree.h>

#define LEGO_PROT_READ		0x1
#define LEGO_PROT_WRITE		0x2

struct lego_vma {
	struct rb_node node;
	u64 start;		/* first byte */
	u64 end;		/* one past the last byte */
	u32 prot;		/* LEGO_PROT_* */
};

struct lego_vma_tree {
	struct rb_root root;
	u64 bytes;		/* mapped in all */
};

/* Called for each range leaving the tree, so its pages can be freed. */
typedef void (*lego_vma_cut_fn)(void *ctx, u64 start, u64 end);

void lego_vma_tree_init(struct lego_vma_tree *t);
void lego_vma_tree_destroy(struct lego_vma_tree *t, lego_vma_cut_fn cut,
			   void *ctx);
int lego_vma_tree_copy(struct lego_vma_tree *dst,
		       const struct lego_vma_tree *src);
struct lego_vma *lego_vma_find(const struct lego_vma_tree *t, u64 addr);
bool lego_vma_range_free(const struct lego_vma_tree *t, u64 start, u64 end);
u64 lego_vma_find_gap(const struct lego_vma_tree *t, u64 len, u64 align,
		      u64 lo, u64 hi);
int lego_vma_map(struct lego_vma_tree *t, u64 start, u64 end, u32 prot);
int lego_vma_unmap(struct lego_vma_tree *t, u64 start, u64 end,
		   lego_vma_cut_fn cut, void *ctx);
int lego_vma_protect(struct lego_vma_tree *t, u64 start, u64 end, u32 prot);
bool lego_vma_allows(const struct lego_vma_tree *t, u64 addr, u32 prot);

#endif /* _LEGO_VMA_TREE_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The vNodes this mmon is the home of: the pmon that made each, and the
 * mmons its memory may be placed on. The caller (home.c) locks.
 */
#include <linux/slab.h>
#include <linux/xarray.h>

#include "mmon.h"

static DEFINE_XARRAY(mmon_vnodes);

/* vNode @id, if @pmon made it. */
struct mmon_vnode *mmon_vnode_find(u32 id, __be32 pmon)
{
	struct mmon_vnode *vn = xa_load(&mmon_vnodes, id);

	return vn && vn->pmon == pmon ? vn : NULL;
}

/**
 * mmon_vnode_add() - record vNode @id of @pmon
 * @id: the vNode
 * @pmon: its pmon
 * @req: its size, copies and mmons, from the pmon
 *
 * Return: 0, -EINVAL for a malformed request, -EEXIST if @id is taken,
 * -EHOSTUNREACH if this mmon is not connected to one of the mmons.
 */
int mmon_vnode_add(u32 id, __be32 pmon, const struct lego_vnode_req *req)
{
	u32 nr = le32_to_cpu(req->nr_mmons);
	u32 copies = le32_to_cpu(req->copies);
	struct mmon_vnode *vn;
	u32 i, j;
	int ret;

	if (!nr || nr > LEGO_VNODE_MMONS_MAX || copies > 2 ||
	    (copies == 2 && nr < 2) || !req->mem)
		return -EINVAL;
	for (i = 1; i < nr; i++) {
		for (j = 0; j < i; j++)
			if (req->mmon[i] == req->mmon[j])
				return -EINVAL;
		if (!lego_peer_find(req->mmon[i]))
			return -EHOSTUNREACH;
	}
	vn = kzalloc(sizeof(*vn), GFP_KERNEL);
	if (!vn)
		return -ENOMEM;
	vn->pmon = pmon;
	vn->mem = le64_to_cpu(req->mem);
	vn->copies = max(copies, 1U);
	vn->nr = nr;
	memcpy(vn->mmon, req->mmon, sizeof(vn->mmon));
	ret = xa_insert(&mmon_vnodes, id, vn, GFP_KERNEL);
	if (ret) {
		kfree(vn);
		return ret == -EBUSY ? -EEXIST : ret;
	}
	return 0;
}

void mmon_vnode_del(u32 id)
{
	kfree(xa_erase(&mmon_vnodes, id));
}

void mmon_vnodes_destroy(void)
{
	struct mmon_vnode *vn;
	unsigned long id;

	xa_for_each(&mmon_vnodes, id, vn)
		mmon_vnode_del(id);
}

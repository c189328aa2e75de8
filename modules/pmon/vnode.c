// SPDX-License-Identifier: GPL-2.0
/*
 * vNodes: named sets of mmons (the first is the home) that the address
 * spaces of /dev/lego join. lego-ctl creates and destroys them; the home
 * mmon learns of each and refuses memory requests of unknown ones.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": pmon: " fmt

#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <net/netlink.h>

#include "lego/lego_dev.h"
#include "lego/transport.h"
#include "pmon.h"

/* Force-destroy waits this long for the killed processes to exit. */
#define PMON_VNODE_KILL_WAIT	(30 * HZ)

static DEFINE_MUTEX(pmon_vnodes_lock);	/* create, destroy, name lookups */
static DEFINE_XARRAY_ALLOC1(pmon_vnodes);
static u32 pmon_vnode_next;		/* ids are handed out cyclically */
static __be32 pmon_mmons[LEGO_VNODE_MMONS_MAX];	/* mmon=, the default */
static u32 pmon_nr_mmons;

void pmon_vnodes_init(const u32 *mmons, unsigned int nr_mmons)
{
	unsigned int i;

	pmon_nr_mmons = min_t(u32, nr_mmons, LEGO_VNODE_MMONS_MAX);
	for (i = 0; i < pmon_nr_mmons; i++)
		pmon_mmons[i] = htonl(mmons[i]);
	/*
	 * Homes key address spaces by vNode id: start at a random one so
	 * that pmons sharing mmons rarely pick the same (the home refuses
	 * a taken id, and creation tries the next).
	 */
	pmon_vnode_next = get_random_u32_below(LEGO_VNODE_MAX) + 1;
}

static void pmon_vnode_free(struct kref *ref)
{
	kfree(container_of(ref, struct pmon_vnode, ref));
}

void pmon_vnode_put(struct pmon_vnode *vn)
{
	kref_put(&vn->ref, pmon_vnode_free);
}

static struct pmon_vnode *pmon_vnode_lookup(const char *name)
{
	struct pmon_vnode *vn;
	unsigned long id;

	lockdep_assert_held(&pmon_vnodes_lock);
	xa_for_each(&pmon_vnodes, id, vn)
		if (!strcmp(vn->name, name))
			return vn;
	return NULL;
}

/* Tell the home of @vn about it (LEGO_OP_VNODE_NEW). */
static int pmon_vnode_announce(struct pmon_vnode *vn)
{
	struct lego_vnode_req req = {
		.mem = cpu_to_le64(vn->mem),
		.nr_mmons = cpu_to_le32(vn->nr_mmons),
		.copies = cpu_to_le32(vn->copies),
	};
	u32 got;

	memcpy(req.mmon, vn->mmon, sizeof(req.mmon));
	return lego_rpc_call(vn->home, LEGO_OP_VNODE_NEW, vn->id, &req,
			     sizeof(req), NULL, 0, &got);
}

/* What @vn's mmons can still promise, in bytes; silent ones count 0. */
static u64 pmon_vnode_free_bytes(const struct pmon_vnode *vn)
{
	struct lego_mem_stat_reply st;
	u64 bytes = 0;
	u32 i;

	for (i = 0; i < vn->nr_mmons; i++)
		if (lego_mem_stat(lego_peer_find(vn->mmon[i]), &st))
			bytes += le64_to_cpu(st.free_pages) * LEGO_PAGE_SIZE;
	return bytes;
}

/* Pick an id the home does not know yet, and tell it. */
static int pmon_vnode_register(struct pmon_vnode *vn)
{
	int tries, ret;

	for (tries = 0; tries < 8; tries++) {
		ret = xa_alloc_cyclic(&pmon_vnodes, &vn->id, vn,
				      XA_LIMIT(1, LEGO_VNODE_MAX),
				      &pmon_vnode_next, GFP_KERNEL);
		if (ret < 0)
			return ret;
		ret = pmon_vnode_announce(vn);
		if (ret != -EEXIST)
			break;
		xa_erase(&pmon_vnodes, vn->id);	/* another pmon's */
	}
	if (ret)
		xa_erase(&pmon_vnodes, vn->id);
	return ret;
}

/*
 * @vn's disk goes, and the home forgets @vn, freeing whatever address
 * space it still has; @was_new: lego-ctl monitor heard of its creation.
 */
static void pmon_vnode_retire(struct pmon_vnode *vn, bool was_new)
{
	u32 got;
	int ret;

	if (vn->disk)
		pmon_disk_destroy(vn->disk);
	xa_erase(&pmon_vnodes, vn->id);
	ret = lego_rpc_call(vn->home, LEGO_OP_VNODE_DEL, vn->id, NULL, 0,
			    NULL, 0, &got);
	if (ret)
		pr_warn("vNode %s: home mmon did not free it: %d\n", vn->name,
			ret);
	if (was_new)
		lego_genl_event(LEGO_EVENT_VNODE_DEL, 0, vn->name);
	pmon_vnode_put(vn);
}

/**
 * pmon_vnode_create() - make a vNode
 * @name: its name, checked by the caller
 * @mem: its memory in bytes
 * @mmons: the mmons its memory may be placed on, the home first; all of
 *	mmon= if @nr_mmons is 0
 * @nr_mmons: how many
 * @copies: of each page, on as many mmons: 1 or 2
 * @disk: bytes of its disk on the smon, 0 for none
 * @extack: for the reason of a failure
 * @id: set to its id
 *
 * Return: 0 or a negative errno.
 */
int pmon_vnode_create(const char *name, u64 mem, const __be32 *mmons,
		      u32 nr_mmons, u32 copies, u64 disk,
		      struct netlink_ext_ack *extack, u32 *id)
{
	struct pmon_vnode *vn;
	u32 i;
	int ret;

	if (!nr_mmons) {
		mmons = pmon_mmons;
		nr_mmons = pmon_nr_mmons;
	}
	if (!nr_mmons || nr_mmons > LEGO_VNODE_MMONS_MAX) {
		NL_SET_ERR_MSG(extack, "a vNode needs 1 to 16 mmons");
		return -EINVAL;
	}
	if (copies > nr_mmons) {
		NL_SET_ERR_MSG(extack, "two replicas need two mmons");
		return -EINVAL;
	}
	for (i = 0; i < nr_mmons; i++) {
		if (!lego_peer_find(mmons[i])) {
			NL_SET_ERR_MSG(extack,
				       "an mmon is not one of the pmon's mmon=");
			return -EHOSTUNREACH;
		}
	}
	vn = kzalloc(sizeof(*vn), GFP_KERNEL);
	if (!vn)
		return -ENOMEM;
	kref_init(&vn->ref);
	strscpy(vn->name, name, sizeof(vn->name));
	vn->mem = mem;
	vn->copies = copies;
	vn->nr_mmons = nr_mmons;
	memcpy(vn->mmon, mmons, nr_mmons * sizeof(*mmons));
	vn->home = lego_peer_find(mmons[0]);
	INIT_LIST_HEAD(&vn->spaces);
	spin_lock_init(&vn->lock);
	init_waitqueue_head(&vn->idle);

	mutex_lock(&pmon_vnodes_lock);
	ret = -EEXIST;
	if (pmon_vnode_lookup(name)) {
		NL_SET_ERR_MSG(extack, "a vNode of that name exists");
		goto err_unlock;
	}
	/* Admission only: the mmons do not set the memory aside. */
	ret = -ENOSPC;
	if (pmon_vnode_free_bytes(vn) < mem * copies) {
		NL_SET_ERR_MSG(extack, "its mmons have less memory free");
		goto err_unlock;
	}
	ret = pmon_vnode_register(vn);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the home mmon refused the vNode");
		goto err_unlock;
	}
	if (disk) {
		vn->disk = pmon_disk_create(vn->id, name, disk, extack);
		if (IS_ERR(vn->disk)) {
			ret = PTR_ERR(vn->disk);
			vn->disk = NULL;
			pmon_vnode_retire(vn, false);
			mutex_unlock(&pmon_vnodes_lock);
			return ret;
		}
	}
	*id = vn->id;
	mutex_unlock(&pmon_vnodes_lock);
	lego_genl_event(LEGO_EVENT_VNODE_NEW, 0, name);
	return 0;

err_unlock:
	mutex_unlock(&pmon_vnodes_lock);
	pmon_vnode_put(vn);
	return ret;
}

/* SIGKILL every process with an address space in @vn. */
static void pmon_vnode_kill(struct pmon_vnode *vn)
{
	struct pmon_space *space;

	spin_lock(&vn->lock);
	list_for_each_entry(space, &vn->spaces, vnode_node)
		kill_pid(space->pid, SIGKILL, 1);
	spin_unlock(&vn->lock);
}

/**
 * pmon_vnode_destroy() - destroy vNode @name
 * @name: the vNode
 * @force: kill the processes using it, rather than refuse
 * @extack: for the reason of a failure
 *
 * Return: 0, -ENOENT, or -EBUSY while processes use it.
 */
int pmon_vnode_destroy(const char *name, bool force,
		       struct netlink_ext_ack *extack)
{
	struct pmon_vnode *vn;
	int ret = 0;

	mutex_lock(&pmon_vnodes_lock);
	vn = pmon_vnode_lookup(name);
	if (!vn) {
		ret = -ENOENT;
		goto out;
	}
	if (!force && vn->disk && pmon_disk_busy(vn->disk)) {
		NL_SET_ERR_MSG(extack,
			       "the vNode's disk is open or mounted (--force removes it)");
		ret = -EBUSY;
		goto out;
	}
	spin_lock(&vn->lock);
	if (vn->nr_spaces && !force)
		ret = -EBUSY;
	else
		vn->dying = true;	/* no more joins */
	spin_unlock(&vn->lock);
	if (ret) {
		NL_SET_ERR_MSG(extack,
			       "processes run in the vNode (--force kills them)");
		goto out;
	}
	pmon_vnode_kill(vn);
	if (!wait_event_timeout(vn->idle, !READ_ONCE(vn->nr_spaces),
				PMON_VNODE_KILL_WAIT)) {
		NL_SET_ERR_MSG(extack, "killed processes did not exit");
		vn->dying = false;
		ret = -EBUSY;
		goto out;
	}
	pmon_vnode_retire(vn, true);
out:
	mutex_unlock(&pmon_vnodes_lock);
	return ret;
}

/*
 * Unload, before the transport goes: no space is open (each holds the
 * module), and the homes forget the vNodes.
 */
void pmon_unload_vnodes(void)
{
	struct pmon_vnode *vn;
	unsigned long id;

	mutex_lock(&pmon_vnodes_lock);
	xa_for_each(&pmon_vnodes, id, vn)
		pmon_vnode_retire(vn, true);
	mutex_unlock(&pmon_vnodes_lock);
}

static int pmon_vnode_add_space(struct pmon_vnode *vn,
				struct pmon_space *space)
{
	int ret = 0;

	spin_lock(&vn->lock);
	if (vn->dying) {
		ret = -EBUSY;
	} else {
		kref_get(&vn->ref);
		list_add(&space->vnode_node, &vn->spaces);
		vn->nr_spaces++;
		space->vn = vn;
		space->vnode = vn->id;
		space->home = vn->home;
		space->pid = get_pid(task_tgid(current));
	}
	spin_unlock(&vn->lock);
	return ret;
}

/**
 * pmon_vnode_join() - make a fresh @space part of vNode @name
 * @space: the address space
 * @name: the vNode
 *
 * Return: 0, -ENOENT, or -EBUSY if it is being destroyed.
 */
int pmon_vnode_join(struct pmon_space *space, const char *name)
{
	struct pmon_vnode *vn;
	int ret;

	mutex_lock(&pmon_vnodes_lock);
	vn = pmon_vnode_lookup(name);
	ret = vn ? pmon_vnode_add_space(vn, space) : -ENOENT;
	mutex_unlock(&pmon_vnodes_lock);
	return ret;
}

/* A fork's copy joins the vNode of the space it copies. */
int pmon_vnode_join_as(struct pmon_space *space, struct pmon_space *parent)
{
	return pmon_vnode_add_space(parent->vn, space);
}

/* @space's process is now the caller (a fork's child adopting it). */
void pmon_vnode_moved(struct pmon_space *space)
{
	struct pmon_vnode *vn = space->vn;
	struct pid *old;

	spin_lock(&vn->lock);
	old = space->pid;
	space->pid = get_pid(task_tgid(current));
	spin_unlock(&vn->lock);
	put_pid(old);
}

/* @space is closed; its vNode keeps a reference until it is freed. */
void pmon_vnode_leave(struct pmon_space *space)
{
	struct pmon_vnode *vn = space->vn;

	spin_lock(&vn->lock);
	list_del(&space->vnode_node);
	vn->nr_spaces--;
	spin_unlock(&vn->lock);
	put_pid(space->pid);
	wake_up_all(&vn->idle);
}

static int pmon_vnode_stats_fill(struct sk_buff *msg, struct pmon_vnode *vn)
{
	struct pmon_vnode_stats *st = &vn->stats;
	struct nlattr *group;
	char name[24];
	int i;

	group = lego_nl_group_start(msg, "vnode", vn->name);
	if (!group ||
	    pmon_stat(msg, "faults", &st->faults) ||
	    pmon_stat(msg, "misses", &st->misses) ||
	    pmon_stat(msg, "zero_fills", &st->zero_fills) ||
	    pmon_stat(msg, "fetches", &st->fetches) ||
	    pmon_stat(msg, "reads", &st->reads) ||
	    pmon_stat(msg, "writebacks", &st->writebacks) ||
	    pmon_stat(msg, "writes", &st->writes) ||
	    pmon_stat(msg, "errors", &st->errors) ||
	    pmon_stat(msg, "over_mem", &st->over_mem) ||
	    pmon_stat(msg, "failovers", &st->failovers) ||
	    pmon_stat(msg, "rebuilds", &st->rebuilds) ||
	    lego_nl_stat(msg, "pages_at_mmons", atomic64_read(&vn->pages)))
		return -EMSGSIZE;
	for (i = 0; i < EXCACHE_LAT_BUCKETS; i++) {
		snprintf(name, sizeof(name), "fetch_lt_%lluus", 1ULL << i);
		if (pmon_stat(msg, name, &st->fetch_us[i]))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, group);
	return vn->disk ? pmon_disk_stats_fill(msg, vn->disk) : 0;
}

/* A monitor of @vn is not connected: what it holds fails (SIGBUS, EIO). */
static bool pmon_vnode_degraded(const struct pmon_vnode *vn)
{
	struct lego_peer *peer;
	u32 i;

	for (i = 0; i < vn->nr_mmons; i++) {
		peer = lego_peer_find(vn->mmon[i]);
		if (!peer || !lego_peer_live(peer))
			return true;
	}
	return vn->disk && !pmon_disk_live(vn->disk);
}

static int pmon_vnode_fill(struct sk_buff *msg, struct pmon_vnode *vn)
{
	struct nlattr *mmons;
	u32 i;

	if (nla_put_u32(msg, LEGO_ATTR_VNODE_ID, vn->id) ||
	    nla_put_string(msg, LEGO_ATTR_VNODE_NAME, vn->name) ||
	    nla_put_u64_64bit(msg, LEGO_ATTR_VNODE_MEM, vn->mem,
			      LEGO_ATTR_PAD) ||
	    nla_put_u32(msg, LEGO_ATTR_VNODE_PROCS, READ_ONCE(vn->nr_spaces)) ||
	    nla_put_u64_64bit(msg, LEGO_ATTR_VNODE_PAGES,
			      atomic64_read(&vn->pages), LEGO_ATTR_PAD) ||
	    nla_put_u32(msg, LEGO_ATTR_VNODE_REPLICAS, vn->copies) ||
	    (pmon_vnode_degraded(vn) &&
	     nla_put_flag(msg, LEGO_ATTR_VNODE_DEGRADED)))
		return -EMSGSIZE;
	mmons = nla_nest_start(msg, LEGO_ATTR_VNODE_MMONS);
	if (!mmons)
		return -EMSGSIZE;
	for (i = 0; i < vn->nr_mmons; i++)
		if (nla_put_in_addr(msg, LEGO_ATTR_PEER_ADDR, vn->mmon[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, mmons);
	return vn->disk ? pmon_disk_nl_fill(msg, vn->disk) : 0;
}

/**
 * pmon_vnode_nl_fill() - put a vNode's attributes (LEGO_CMD_VNODE_GET)
 * @msg: the reply
 * @name: the vNode, or NULL for the first one from @pos on
 * @pos: dumps: the id to start at, advanced past the one put
 *
 * Return: 0, -ENOENT when there is none (left), -EMSGSIZE.
 */
int pmon_vnode_nl_fill(struct sk_buff *msg, const char *name,
		       unsigned long *pos)
{
	struct pmon_vnode *vn;
	int ret;

	mutex_lock(&pmon_vnodes_lock);
	vn = name ? pmon_vnode_lookup(name) :
		    xa_find(&pmon_vnodes, pos, ULONG_MAX, XA_PRESENT);
	ret = vn ? pmon_vnode_fill(msg, vn) : -ENOENT;
	if (!ret && !name)
		*pos = vn->id + 1;
	mutex_unlock(&pmon_vnodes_lock);
	return ret;
}

/* LEGO_CMD_STATS_GET: one group per vNode, or @name's only. */
int pmon_vnode_stats_nl_fill(struct sk_buff *msg, const char *name)
{
	struct pmon_vnode *vn;
	unsigned long id;
	int ret = 0;

	mutex_lock(&pmon_vnodes_lock);
	if (name) {
		vn = pmon_vnode_lookup(name);
		ret = vn ? pmon_vnode_stats_fill(msg, vn) : -ENOENT;
		goto out;
	}
	xa_for_each(&pmon_vnodes, id, vn) {
		ret = pmon_vnode_stats_fill(msg, vn);
		if (ret)
			break;
	}
out:
	mutex_unlock(&pmon_vnodes_lock);
	return ret;
}

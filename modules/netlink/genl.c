// SPDX-License-Identifier: GPL-2.0
/*
 * The "lego" generic netlink family: how lego-ctl talks to the module.
 */
#include <net/genetlink.h>

#include "lego/genl.h"
#include "lego/addrs.h"
#include "lego/lego.h"
#include "lego/lego_dev.h"
#include "lego/transport.h"
#include "lego/wire.h"

/* Stats of every vNode, peer and mmon fit in this. */
#define LEGO_GENL_STATS_SIZE	(64 * 1024)

static u32 lego_genl_roles;
static bool lego_genl_registered;
static struct genl_family lego_genl_family;

static const struct nla_policy lego_genl_mmons_policy[LEGO_ATTR_MAX + 1] = {
	[LEGO_ATTR_PEER_ADDR]		= { .type = NLA_BE32 },
};

static const struct nla_policy lego_genl_policy[LEGO_ATTR_MAX + 1] = {
	[LEGO_ATTR_ROLES]		= { .type = NLA_U32 },
	[LEGO_ATTR_EXCACHE_BYTES]	= { .type = NLA_U64 },
	[LEGO_ATTR_EXCACHE_WAYS]	= { .type = NLA_U32 },
	[LEGO_ATTR_EXCACHE_SETS]	= { .type = NLA_U32 },
	[LEGO_ATTR_POOL_BYTES]		= { .type = NLA_U64 },
	[LEGO_ATTR_BACKING]		= { .type = NLA_NUL_STRING },
	[LEGO_ATTR_BACKING_BYTES]	= { .type = NLA_U64 },
	[LEGO_ATTR_PEER_ADDR]		= { .type = NLA_BE32 },
	[LEGO_ATTR_PING_COUNT]		= NLA_POLICY_MIN(NLA_U32, 1),
	[LEGO_ATTR_PING_THREADS]	= NLA_POLICY_RANGE(NLA_U32, 1, 64),
	[LEGO_ATTR_PING_SIZE]		= { .type = NLA_U32 },	/* lego_ping() checks */
	[LEGO_ATTR_PING_OP]		= NLA_POLICY_MAX(NLA_U32, __LEGO_PING_MAX - 1),
	[LEGO_ATTR_VNODE_NAME]		= { .type = NLA_NUL_STRING,
					    .len = LEGO_VNODE_NAME_MAX - 1 },
	[LEGO_ATTR_VNODE_MEM]		= NLA_POLICY_MIN(NLA_U64, PAGE_SIZE),
	[LEGO_ATTR_VNODE_MMONS]		=
		NLA_POLICY_NESTED(lego_genl_mmons_policy),
	[LEGO_ATTR_VNODE_DISK]		= { .type = NLA_U64 },
	[LEGO_ATTR_VNODE_REPLICAS]	= NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[LEGO_ATTR_VNODE_FORCE]		= { .type = NLA_FLAG },
};

static const struct genl_multicast_group lego_genl_mcgrps[] = {
	{ .name = LEGO_GENL_EVENTS },
};

struct nlattr *lego_nl_group_start(struct sk_buff *msg, const char *kind,
				   const char *name)
{
	struct nlattr *group = nla_nest_start(msg, LEGO_ATTR_STATS_GROUP);

	if (!group)
		return NULL;
	if (nla_put_string(msg, LEGO_ATTR_STATS_KIND, kind) ||
	    nla_put_string(msg, LEGO_ATTR_STATS_NAME, name)) {
		nla_nest_cancel(msg, group);
		return NULL;
	}
	return group;
}

int lego_nl_stat(struct sk_buff *msg, const char *name, u64 value)
{
	struct nlattr *stat = nla_nest_start(msg, LEGO_ATTR_STAT);

	if (!stat || nla_put_string(msg, LEGO_ATTR_STAT_NAME, name) ||
	    nla_put_u64_64bit(msg, LEGO_ATTR_STAT_VALUE, value,
			      LEGO_ATTR_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, stat);
	return 0;
}

/* Each monitor this host connects to: role, state, an mmon's capacity. */
static int lego_genl_fill_peers(struct sk_buff *msg)
{
	struct lego_peer *peers[LEGO_MAX_PEERS];
	unsigned int i, n = lego_peers_connected_to(peers, LEGO_MAX_PEERS);
	struct lego_mem_stat_reply st;

	for (i = 0; i < n; i++) {
		__be32 addr = lego_peer_addr(peers[i]);
		bool mmon = lego_is_mmon(addr);
		struct nlattr *nest = nla_nest_start(msg, LEGO_ATTR_PEER);

		if (!nest || nla_put_in_addr(msg, LEGO_ATTR_PEER_ADDR, addr) ||
		    nla_put_u32(msg, LEGO_ATTR_PEER_ROLE,
				mmon ? LEGO_ROLE_MMON : LEGO_ROLE_SMON) ||
		    nla_put_string(msg, LEGO_ATTR_PEER_STATE,
				   lego_peer_state_name(peers[i])))
			return -EMSGSIZE;
		if (mmon && lego_mem_stat(peers[i], &st) &&
		    (nla_put_u64_64bit(msg, LEGO_ATTR_PEER_FREE_BYTES,
				       le64_to_cpu(st.free_pages) << PAGE_SHIFT,
				       LEGO_ATTR_PAD) ||
		     nla_put_u64_64bit(msg, LEGO_ATTR_PEER_USED_BYTES,
				       le64_to_cpu(st.used_pages) << PAGE_SHIFT,
				       LEGO_ATTR_PAD)))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

static int lego_genl_fill_status(struct sk_buff *msg)
{
	int ret = 0;

	if (nla_put_u32(msg, LEGO_ATTR_ROLES, lego_genl_roles))
		return -EMSGSIZE;
	if (lego_genl_roles & LEGO_ROLE_PMON)
		ret = pmon_nl_fill(msg);
	if (!ret && lego_genl_roles & LEGO_ROLE_MMON)
		ret = mmon_nl_fill(msg);
	if (!ret && lego_genl_roles & LEGO_ROLE_SMON)
		ret = smon_nl_fill(msg);
	if (!ret)
		ret = lego_genl_fill_peers(msg);
	return ret;
}

static int lego_genl_status_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lego_genl_family, 0,
				LEGO_CMD_STATUS_GET);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free;
	}
	ret = lego_genl_fill_status(msg);
	if (ret)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

static int lego_genl_ping(struct sk_buff *skb, struct genl_info *info)
{
	struct lego_ping_result res;
	enum lego_ping_op op;
	struct lego_peer *peer;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (!info->attrs[LEGO_ATTR_PEER_ADDR] ||
	    !info->attrs[LEGO_ATTR_PING_COUNT] ||
	    !info->attrs[LEGO_ATTR_PING_THREADS] ||
	    !info->attrs[LEGO_ATTR_PING_SIZE])
		return -EINVAL;
	peer = lego_peer_find(nla_get_be32(info->attrs[LEGO_ATTR_PEER_ADDR]));
	if (!peer)
		return -ENOENT;
	/* The ping sleeps in RPCs: the module must not go meanwhile. */
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	op = info->attrs[LEGO_ATTR_PING_OP] ?
	     nla_get_u32(info->attrs[LEGO_ATTR_PING_OP]) : LEGO_PING_ECHO;
	ret = lego_ping(peer, op,
			nla_get_u32(info->attrs[LEGO_ATTR_PING_COUNT]),
			nla_get_u32(info->attrs[LEGO_ATTR_PING_THREADS]),
			nla_get_u32(info->attrs[LEGO_ATTR_PING_SIZE]), &res);
	module_put(THIS_MODULE);
	if (ret)
		return ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lego_genl_family, 0, LEGO_CMD_PING);
	if (!hdr ||
	    nla_put_u64_64bit(msg, LEGO_ATTR_PING_OK, res.ok, LEGO_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LEGO_ATTR_PING_FAILED, res.failed,
			      LEGO_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LEGO_ATTR_PING_CORRUPT, res.corrupt,
			      LEGO_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LEGO_ATTR_PING_MEDIAN_NS, res.median_ns,
			      LEGO_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LEGO_ATTR_PING_P99_NS, res.p99_ns,
			      LEGO_ATTR_PAD) ||
	    nla_put_u32(msg, LEGO_ATTR_PING_ERROR, -res.first_error)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static bool lego_genl_is_pmon(struct genl_info *info)
{
	if (lego_genl_roles & LEGO_ROLE_PMON)
		return true;
	NL_SET_ERR_MSG(info->extack, "this host is not a pmon");
	return false;
}

/* LEGO_ATTR_VNODE_NAME, which every vNode command needs. */
static const char *lego_genl_vnode_name(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[LEGO_ATTR_VNODE_NAME];

	if (!attr || !lego_vnode_name_valid(nla_data(attr))) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "a vNode name is 1 to 31 of A-Z a-z 0-9 _ . -");
		return NULL;
	}
	return nla_data(attr);
}

static int lego_genl_reply_u32(struct genl_info *info, u8 cmd, int attr,
			       u32 value)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lego_genl_family, 0, cmd);
	if (!hdr || nla_put_u32(msg, attr, value)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int lego_genl_vnode_new(struct sk_buff *skb, struct genl_info *info)
{
	__be32 mmons[LEGO_VNODE_MMONS_MAX];
	const char *name = lego_genl_vnode_name(info);
	struct nlattr *attr;
	u32 nr = 0, copies = 1, id;
	u64 disk = 0;
	int rem, ret;

	if (!lego_genl_is_pmon(info))
		return -ENODEV;
	if (!name)
		return -EINVAL;
	if (!info->attrs[LEGO_ATTR_VNODE_MEM]) {
		NL_SET_ERR_MSG(info->extack, "a vNode needs its memory size");
		return -EINVAL;
	}
	if (info->attrs[LEGO_ATTR_VNODE_MMONS]) {
		nla_for_each_nested(attr, info->attrs[LEGO_ATTR_VNODE_MMONS],
				    rem) {
			if (nla_type(attr) != LEGO_ATTR_PEER_ADDR ||
			    nr == LEGO_VNODE_MMONS_MAX) {
				NL_SET_ERR_MSG(info->extack,
					       "a vNode takes 1 to 16 mmons");
				return -EINVAL;
			}
			mmons[nr++] = nla_get_in_addr(attr);
		}
	}
	if (info->attrs[LEGO_ATTR_VNODE_DISK])
		disk = nla_get_u64(info->attrs[LEGO_ATTR_VNODE_DISK]);
	if (info->attrs[LEGO_ATTR_VNODE_REPLICAS])
		copies = nla_get_u32(info->attrs[LEGO_ATTR_VNODE_REPLICAS]);
	ret = pmon_vnode_create(name, nla_get_u64(info->attrs[LEGO_ATTR_VNODE_MEM]),
				mmons, nr, copies, disk, info->extack, &id);
	if (ret)
		return ret;
	return lego_genl_reply_u32(info, LEGO_CMD_VNODE_NEW,
				   LEGO_ATTR_VNODE_ID, id);
}

static int lego_genl_vnode_del(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = lego_genl_vnode_name(info);

	if (!lego_genl_is_pmon(info))
		return -ENODEV;
	if (!name)
		return -EINVAL;
	return pmon_vnode_destroy(name,
				  nla_get_flag(info->attrs[LEGO_ATTR_VNODE_FORCE]),
				  info->extack);
}

static int lego_genl_vnode_get(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = lego_genl_vnode_name(info);
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (!lego_genl_is_pmon(info))
		return -ENODEV;
	if (!name)
		return -EINVAL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lego_genl_family, 0,
				LEGO_CMD_VNODE_GET);
	ret = hdr ? pmon_vnode_nl_fill(msg, name, NULL) : -EMSGSIZE;
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: the vNode id to go on from. */
static int lego_genl_vnode_dump(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	unsigned long pos = cb->args[0];
	void *hdr;
	int ret;

	if (!(lego_genl_roles & LEGO_ROLE_PMON))
		return 0;
	for (;;) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &lego_genl_family,
				  NLM_F_MULTI, LEGO_CMD_VNODE_GET);
		if (!hdr)
			break;
		ret = pmon_vnode_nl_fill(skb, NULL, &pos);
		if (ret) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = pos;
	}
	return skb->len;
}

static int lego_genl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name_attr = info->attrs[LEGO_ATTR_VNODE_NAME];
	const char *name = NULL;
	struct sk_buff *msg;
	void *hdr;
	int ret = 0;

	if (name_attr) {
		name = lego_genl_vnode_name(info);
		if (!name)
			return -EINVAL;
		if (!lego_genl_is_pmon(info))
			return -ENODEV;
	}
	msg = genlmsg_new(LEGO_GENL_STATS_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lego_genl_family, 0,
				LEGO_CMD_STATS_GET);
	if (!hdr)
		ret = -EMSGSIZE;
	if (!ret && lego_genl_roles & LEGO_ROLE_PMON)
		ret = pmon_stats_nl_fill(msg, name);
	if (!ret && !name && lego_genl_roles & LEGO_ROLE_SMON)
		ret = smon_stats_nl_fill(msg);
	if (!ret)
		ret = lego_stats_nl_fill(msg);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * lego_genl_event() - tell the "events" group's listeners
 * @event: what happened
 * @addr: the peer, for peer events
 * @vnode: the vNode's name, for vNode events
 *
 * Any context: peers come and go in completion handlers.
 */
void lego_genl_event(enum lego_event event, __be32 addr, const char *vnode)
{
	struct sk_buff *msg;
	void *hdr;

	if (!READ_ONCE(lego_genl_registered))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &lego_genl_family, 0, LEGO_CMD_EVENT);
	if (!hdr || nla_put_u32(msg, LEGO_ATTR_EVENT, event) ||
	    (vnode ? nla_put_string(msg, LEGO_ATTR_VNODE_NAME, vnode) :
		     nla_put_in_addr(msg, LEGO_ATTR_PEER_ADDR, addr))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&lego_genl_family, msg, 0, 0, GFP_ATOMIC);
}

static const struct genl_small_ops lego_genl_ops[] = {
	{
		.cmd	= LEGO_CMD_STATUS_GET,
		.doit	= lego_genl_status_get,
	},
	{
		.cmd	= LEGO_CMD_PING,
		.doit	= lego_genl_ping,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= LEGO_CMD_VNODE_NEW,
		.doit	= lego_genl_vnode_new,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= LEGO_CMD_VNODE_DEL,
		.doit	= lego_genl_vnode_del,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= LEGO_CMD_VNODE_GET,
		.doit	= lego_genl_vnode_get,
		.dumpit	= lego_genl_vnode_dump,
	},
	{
		.cmd	= LEGO_CMD_STATS_GET,
		.doit	= lego_genl_stats_get,
	},
};

static struct genl_family lego_genl_family __ro_after_init = {
	.name		= LEGO_GENL_NAME,
	.version	= LEGO_GENL_VERSION,
	.maxattr	= LEGO_ATTR_MAX,
	.policy		= lego_genl_policy,
	.module		= THIS_MODULE,
	.small_ops	= lego_genl_ops,
	.n_small_ops	= ARRAY_SIZE(lego_genl_ops),
	.mcgrps		= lego_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(lego_genl_mcgrps),
	/* Every op validates strictly: none predates this family. */
	.resv_start_op	= LEGO_CMD_STATUS_GET,
	/* A ping runs for seconds: do not hold genl_mutex meanwhile. */
	.parallel_ops	= true,
};

int lego_genl_register(u32 roles)
{
	int ret;

	lego_genl_roles = roles;
	ret = genl_register_family(&lego_genl_family);
	if (!ret)
		WRITE_ONCE(lego_genl_registered, true);
	return ret;
}

void lego_genl_unregister(void)
{
	WRITE_ONCE(lego_genl_registered, false);
	genl_unregister_family(&lego_genl_family);
}

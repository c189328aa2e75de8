// SPDX-License-Identifier: GPL-2.0
/*
 * The "lego" generic netlink family: how lego-ctl talks to the module.
 */
#include <net/genetlink.h>

#include "lego/genl.h"
#include "lego/lego.h"
#include "lego/transport.h"
#include "lego/wire.h"

static u32 lego_genl_roles;
static struct genl_family lego_genl_family;

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
};

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
};

static struct genl_family lego_genl_family __ro_after_init = {
	.name		= LEGO_GENL_NAME,
	.version	= LEGO_GENL_VERSION,
	.maxattr	= LEGO_ATTR_MAX,
	.policy		= lego_genl_policy,
	.module		= THIS_MODULE,
	.small_ops	= lego_genl_ops,
	.n_small_ops	= ARRAY_SIZE(lego_genl_ops),
	/* Every op validates strictly: none predates this family. */
	.resv_start_op	= LEGO_CMD_STATUS_GET,
	/* A ping runs for seconds: do not hold genl_mutex meanwhile. */
	.parallel_ops	= true,
};

int lego_genl_register(u32 roles)
{
	lego_genl_roles = roles;
	return genl_register_family(&lego_genl_family);
}

void lego_genl_unregister(void)
{
	genl_unregister_family(&lego_genl_family);
}

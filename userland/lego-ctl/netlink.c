// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to lego.ko's "lego" generic netlink family with libnl-genl-3.
 */
#include <errno.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "lego/genl.h"
#include "status.h"

static struct nla_policy status_policy[LEGO_ATTR_MAX + 1] = {
	[LEGO_ATTR_ROLES]		= { .type = NLA_U32 },
	[LEGO_ATTR_EXCACHE_BYTES]	= { .type = NLA_U64 },
	[LEGO_ATTR_EXCACHE_WAYS]	= { .type = NLA_U32 },
	[LEGO_ATTR_EXCACHE_SETS]	= { .type = NLA_U32 },
	[LEGO_ATTR_POOL_BYTES]		= { .type = NLA_U64 },
	[LEGO_ATTR_BACKING]		= { .type = NLA_STRING },
	[LEGO_ATTR_BACKING_BYTES]	= { .type = NLA_U64 },
};

static int status_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LEGO_ATTR_MAX + 1];
	struct lego_status *st = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, LEGO_ATTR_MAX, status_policy))
		return NL_SKIP;
	if (!tb[LEGO_ATTR_ROLES])
		return NL_SKIP;
	st->roles = nla_get_u32(tb[LEGO_ATTR_ROLES]);
	if (tb[LEGO_ATTR_EXCACHE_BYTES])
		st->excache_bytes = nla_get_u64(tb[LEGO_ATTR_EXCACHE_BYTES]);
	if (tb[LEGO_ATTR_EXCACHE_WAYS])
		st->excache_ways = nla_get_u32(tb[LEGO_ATTR_EXCACHE_WAYS]);
	if (tb[LEGO_ATTR_EXCACHE_SETS])
		st->excache_sets = nla_get_u32(tb[LEGO_ATTR_EXCACHE_SETS]);
	if (tb[LEGO_ATTR_POOL_BYTES])
		st->pool_bytes = nla_get_u64(tb[LEGO_ATTR_POOL_BYTES]);
	if (tb[LEGO_ATTR_BACKING])
		nla_strlcpy(st->backing, tb[LEGO_ATTR_BACKING],
			    sizeof(st->backing));
	if (tb[LEGO_ATTR_BACKING_BYTES])
		st->backing_bytes = nla_get_u64(tb[LEGO_ATTR_BACKING_BYTES]);
	return NL_OK;
}

/**
 * lego_nl_status() - ask lego.ko for this host's status
 * @st: filled in on success
 *
 * Return: 0, -ENOENT when the family is not registered (module not
 * loaded), or another negative errno.
 */
int lego_nl_status(struct lego_status *st)
{
	struct nl_sock *sk;
	struct nl_msg *msg;
	int family, ret;

	memset(st, 0, sizeof(*st));
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	ret = genl_connect(sk);
	if (ret < 0) {
		ret = -EIO;
		goto out_sock;
	}
	family = genl_ctrl_resolve(sk, LEGO_GENL_NAME);
	if (family < 0) {
		ret = -ENOENT;
		goto out_sock;
	}
	msg = nlmsg_alloc();
	if (!msg) {
		ret = -ENOMEM;
		goto out_sock;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
			 LEGO_CMD_STATUS_GET, LEGO_GENL_VERSION)) {
		ret = -ENOMEM;
		goto out_msg;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, status_parse, st);
	ret = nl_send_auto(sk, msg);
	if (ret >= 0)
		ret = nl_recvmsgs_default(sk);
	ret = ret < 0 ? -EIO : 0;
	if (!ret && !st->roles)
		ret = -EPROTO;
out_msg:
	nlmsg_free(msg);
out_sock:
	nl_socket_free(sk);
	return ret;
}

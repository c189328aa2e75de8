// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to lego.ko's "lego" generic netlink family with libnl-genl-3:
 * one request, its reply, then the kernel's ack or error.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "lego/compat.h"
#include "lego/genl.h"
#include "netlink.h"

/* libnl checks each attribute against this before we read it. */
static struct nla_policy status_policy[LEGO_ATTR_MAX + 1] = {
	[LEGO_ATTR_ROLES]		= { .type = NLA_U32 },
	[LEGO_ATTR_EXCACHE_BYTES]	= { .type = NLA_U64 },
	[LEGO_ATTR_EXCACHE_WAYS]	= { .type = NLA_U32 },
	[LEGO_ATTR_EXCACHE_SETS]	= { .type = NLA_U32 },
	[LEGO_ATTR_POOL_BYTES]		= { .type = NLA_U64 },
	[LEGO_ATTR_BACKING]		= { .type = NLA_STRING },
	[LEGO_ATTR_BACKING_BYTES]	= { .type = NLA_U64 },
};

/* Attributes a reply must carry for each role it reports. */
static const struct {
	uint32_t role;
	int attrs[3];
} status_required[] = {
	{ LEGO_ROLE_PMON, { LEGO_ATTR_EXCACHE_BYTES, LEGO_ATTR_EXCACHE_WAYS,
			    LEGO_ATTR_EXCACHE_SETS } },
	{ LEGO_ROLE_MMON, { LEGO_ATTR_POOL_BYTES } },
	{ LEGO_ROLE_SMON, { LEGO_ATTR_BACKING, LEGO_ATTR_BACKING_BYTES } },
};

struct lego_nl_request {
	void *out;	/* what the reply fills in */
	int err;	/* the kernel's -errno, or -EPROTO for a bad reply */
	bool replied;	/* a valid reply was parsed */
	bool done;	/* the ack or the error arrived */
};

/* A libnl error code (-NLE_*) as a negative errno, for strerror(). */
static int nl_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_INTR:			return -EINTR;
	case NLE_AGAIN:			return -EAGAIN;
	case NLE_NOMEM:			return -ENOMEM;
	case NLE_INVAL:			return -EINVAL;
	case NLE_RANGE:			return -ERANGE;
	case NLE_MSGSIZE:		return -EMSGSIZE;
	case NLE_OPNOTSUPP:		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:		return -ENOENT;
	case NLE_BUSY:			return -EBUSY;
	case NLE_PROTO_MISMATCH:	return -EPROTONOSUPPORT;
	case NLE_NOACCESS:		return -EACCES;
	case NLE_PERM:			return -EPERM;
	case NLE_NODEV:			return -ENODEV;
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_MSG_OVERFLOW:
	case NLE_ATTRSIZE:
	case NLE_MISSING_ATTR:
	case NLE_PARSE_ERR:		return -EPROTO;
	default:			return -EIO;
	}
}

static bool status_complete(struct nlattr **tb)
{
	uint32_t roles = nla_get_u32(tb[LEGO_ATTR_ROLES]);
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(status_required); i++) {
		if (!(roles & status_required[i].role))
			continue;
		for (j = 0; j < ARRAY_SIZE(status_required[i].attrs); j++) {
			int attr = status_required[i].attrs[j];

			/* LEGO_ATTR_UNSPEC (0) ends a shorter list */
			if (attr && !tb[attr])
				return false;
		}
	}
	return true;
}

static int status_reply(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *ghdr = genlmsg_hdr(nlmsg_hdr(msg));
	struct nlattr *tb[LEGO_ATTR_MAX + 1];
	struct lego_nl_request *req = arg;
	struct lego_status *st = req->out;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, LEGO_ATTR_MAX,
			  status_policy) < 0 ||
	    ghdr->cmd != LEGO_CMD_STATUS_GET || !tb[LEGO_ATTR_ROLES] ||
	    !status_complete(tb)) {
		req->err = -EPROTO;
		return NL_SKIP;
	}
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
	req->replied = true;
	return NL_OK;
}

static int request_ack(struct nl_msg *msg, void *arg)
{
	struct lego_nl_request *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

static int request_error(struct sockaddr_nl *nla, struct nlmsgerr *nlerr,
			 void *arg)
{
	struct lego_nl_request *req = arg;

	(void)nla;
	req->err = nlerr->error;
	req->done = true;
	return NL_STOP;
}

/* Puts a request's attributes; 0 or a negative libnl error. */
typedef int (*request_attrs_t)(struct nl_msg *msg, const void *arg);

/*
 * Send @cmd with the attributes @attrs puts, pass its reply to @reply and
 * wait for the kernel's ack or error.
 */
static int request(struct nl_sock *sk, int family, uint8_t cmd,
		   request_attrs_t attrs, const void *attrs_arg,
		   nl_recvmsg_msg_cb_t reply, struct lego_nl_request *req)
{
	struct nl_msg *msg;
	int ret;

	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, cmd,
			 LEGO_GENL_VERSION) ||
	    (attrs && attrs(msg, attrs_arg) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, reply, req);
	nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_CUSTOM, request_ack, req);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, request_error, req);
	ret = nl_send_auto(sk, msg);	/* asks for an ack (auto-ack) */
	nlmsg_free(msg);
	while (ret >= 0 && !req->done)
		ret = nl_recvmsgs_default(sk);
	if (req->err)	/* the kernel's error, or our -EPROTO */
		return req->err;
	if (ret < 0)
		return nl_errno(ret);
	return req->replied ? 0 : -EPROTO;
}

/* Connect @sk and find the family; see lego_nl_status() for returns. */
static int open_family(struct nl_sock *sk, int *family)
{
	int ret;

	ret = genl_connect(sk);
	if (ret < 0)
		return nl_errno(ret);
	*family = genl_ctrl_resolve(sk, LEGO_GENL_NAME);
	if (*family == -NLE_OBJ_NOTFOUND)
		return LEGO_NL_NO_FAMILY;
	if (*family < 0)
		return nl_errno(*family);
	return 0;
}

/* One request on a socket of its own; returns as lego_nl_status(). */
static int lego_nl_call(uint8_t cmd, request_attrs_t attrs,
			const void *attrs_arg, nl_recvmsg_msg_cb_t reply,
			void *out)
{
	struct lego_nl_request req = { .out = out };
	struct nl_sock *sk;
	int family = 0, ret;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	ret = open_family(sk, &family);
	if (!ret)
		ret = request(sk, family, cmd, attrs, attrs_arg, reply, &req);
	nl_socket_free(sk);
	return ret;
}

/**
 * lego_nl_status() - ask lego.ko for this host's roles and resources
 * @st: filled in on success
 *
 * Return: 0; LEGO_NL_NO_FAMILY when the "lego" family is not registered
 * (lego.ko not loaded); a negative errno otherwise, -EPROTO for a reply
 * this lego-ctl does not understand.
 */
int lego_nl_status(struct lego_status *st)
{
	memset(st, 0, sizeof(*st));
	return lego_nl_call(LEGO_CMD_STATUS_GET, NULL, NULL, status_reply, st);
}

static struct nla_policy ping_policy[LEGO_ATTR_MAX + 1] = {
	[LEGO_ATTR_PING_OK]		= { .type = NLA_U64 },
	[LEGO_ATTR_PING_FAILED]		= { .type = NLA_U64 },
	[LEGO_ATTR_PING_CORRUPT]	= { .type = NLA_U64 },
	[LEGO_ATTR_PING_MEDIAN_NS]	= { .type = NLA_U64 },
	[LEGO_ATTR_PING_P99_NS]		= { .type = NLA_U64 },
	[LEGO_ATTR_PING_ERROR]		= { .type = NLA_U32 },
};

static int ping_attrs(struct nl_msg *msg, const void *arg)
{
	const struct lego_ping *p = arg;

	return nla_put_u32(msg, LEGO_ATTR_PEER_ADDR, p->addr) ?:
	       nla_put_u32(msg, LEGO_ATTR_PING_COUNT, p->count) ?:
	       nla_put_u32(msg, LEGO_ATTR_PING_THREADS, p->threads) ?:
	       nla_put_u32(msg, LEGO_ATTR_PING_SIZE, p->size) ?:
	       nla_put_u32(msg, LEGO_ATTR_PING_OP, p->op);
}

static int ping_reply(struct nl_msg *msg, void *arg)
{
	static const int required[] = {
		LEGO_ATTR_PING_OK, LEGO_ATTR_PING_FAILED,
		LEGO_ATTR_PING_CORRUPT, LEGO_ATTR_PING_MEDIAN_NS,
		LEGO_ATTR_PING_P99_NS, LEGO_ATTR_PING_ERROR,
	};
	struct genlmsghdr *ghdr = genlmsg_hdr(nlmsg_hdr(msg));
	struct nlattr *tb[LEGO_ATTR_MAX + 1];
	struct lego_nl_request *req = arg;
	struct lego_ping *p = req->out;
	size_t i;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, LEGO_ATTR_MAX,
			  ping_policy) < 0 || ghdr->cmd != LEGO_CMD_PING)
		goto bad;
	for (i = 0; i < ARRAY_SIZE(required); i++)
		if (!tb[required[i]])
			goto bad;
	p->ok = nla_get_u64(tb[LEGO_ATTR_PING_OK]);
	p->failed = nla_get_u64(tb[LEGO_ATTR_PING_FAILED]);
	p->corrupt = nla_get_u64(tb[LEGO_ATTR_PING_CORRUPT]);
	p->median_ns = nla_get_u64(tb[LEGO_ATTR_PING_MEDIAN_NS]);
	p->p99_ns = nla_get_u64(tb[LEGO_ATTR_PING_P99_NS]);
	p->error = nla_get_u32(tb[LEGO_ATTR_PING_ERROR]);
	req->replied = true;
	return NL_OK;
bad:
	req->err = -EPROTO;
	return NL_SKIP;
}

/**
 * lego_nl_ping() - have lego.ko measure its transport to a monitor
 * @p: addr, op, count, threads and size in; the outcome out
 *
 * Return: as lego_nl_status(); -ENOENT when lego.ko has no connection
 * to that monitor.
 */
int lego_nl_ping(struct lego_ping *p)
{
	return lego_nl_call(LEGO_CMD_PING, ping_attrs, p, ping_reply, p);
}

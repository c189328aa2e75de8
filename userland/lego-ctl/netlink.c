// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to lego.ko's "lego" generic netlink family with libnl-genl-3:
 * one request, its reply (a dump's replies), then the kernel's ack or
 * error; or, for lego-ctl monitor, the events of its multicast group.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "lego/compat.h"
#include "lego/genl.h"
#include "netlink.h"

/*
 * libnl checks each attribute against this before we read it. Attribute
 * numbers are unique in the family, so one policy serves the replies and
 * the attributes nested in them.
 */
static struct nla_policy lego_policy[LEGO_ATTR_MAX + 1] = {
	[LEGO_ATTR_ROLES]		= { .type = NLA_U32 },
	[LEGO_ATTR_EXCACHE_BYTES]	= { .type = NLA_U64 },
	[LEGO_ATTR_EXCACHE_WAYS]	= { .type = NLA_U32 },
	[LEGO_ATTR_EXCACHE_SETS]	= { .type = NLA_U32 },
	[LEGO_ATTR_POOL_BYTES]		= { .type = NLA_U64 },
	[LEGO_ATTR_BACKING]		= { .type = NLA_STRING },
	[LEGO_ATTR_BACKING_BYTES]	= { .type = NLA_U64 },
	[LEGO_ATTR_PEER_ADDR]		= { .type = NLA_U32 },
	[LEGO_ATTR_PING_OK]		= { .type = NLA_U64 },
	[LEGO_ATTR_PING_FAILED]		= { .type = NLA_U64 },
	[LEGO_ATTR_PING_CORRUPT]	= { .type = NLA_U64 },
	[LEGO_ATTR_PING_MEDIAN_NS]	= { .type = NLA_U64 },
	[LEGO_ATTR_PING_P99_NS]		= { .type = NLA_U64 },
	[LEGO_ATTR_PING_ERROR]		= { .type = NLA_U32 },
	[LEGO_ATTR_PEER]		= { .type = NLA_NESTED },
	[LEGO_ATTR_PEER_ROLE]		= { .type = NLA_U32 },
	[LEGO_ATTR_PEER_STATE]		= { .type = NLA_STRING },
	[LEGO_ATTR_PEER_FREE_BYTES]	= { .type = NLA_U64 },
	[LEGO_ATTR_PEER_USED_BYTES]	= { .type = NLA_U64 },
	[LEGO_ATTR_VNODE_ID]		= { .type = NLA_U32 },
	[LEGO_ATTR_VNODE_NAME]		= { .type = NLA_STRING },
	[LEGO_ATTR_VNODE_MEM]		= { .type = NLA_U64 },
	[LEGO_ATTR_VNODE_MMONS]		= { .type = NLA_NESTED },
	[LEGO_ATTR_VNODE_PROCS]		= { .type = NLA_U32 },
	[LEGO_ATTR_VNODE_PAGES]		= { .type = NLA_U64 },
	[LEGO_ATTR_VNODE_DISK]		= { .type = NLA_U64 },
	[LEGO_ATTR_VNODE_DISK_NAME]	= { .type = NLA_STRING },
	[LEGO_ATTR_BACKING_USED]	= { .type = NLA_U64 },
	[LEGO_ATTR_BACKING_VOLUMES]	= { .type = NLA_U32 },
	[LEGO_ATTR_VNODE_DEGRADED]	= { .type = NLA_FLAG },
	[LEGO_ATTR_VNODE_REPLICAS]	= { .type = NLA_U32 },
	[LEGO_ATTR_STATS_GROUP]		= { .type = NLA_NESTED },
	[LEGO_ATTR_STATS_KIND]		= { .type = NLA_STRING },
	[LEGO_ATTR_STATS_NAME]		= { .type = NLA_STRING },
	[LEGO_ATTR_STAT]		= { .type = NLA_NESTED },
	[LEGO_ATTR_STAT_NAME]		= { .type = NLA_STRING },
	[LEGO_ATTR_STAT_VALUE]		= { .type = NLA_U64 },
	[LEGO_ATTR_EVENT]		= { .type = NLA_U32 },
};

/* Attributes a status reply must carry for each role it reports. */
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
	bool done;	/* the ack, the error or a dump's end arrived */
};

/* The kernel's extended ack message for the last request that failed. */
static char lego_nl_errmsg[256];

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

/**
 * lego_nl_error_msg() - why lego.ko refused the last request, in its words
 *
 * Return: the extended ack message of the last request that failed, or
 * NULL when lego.ko gave none.
 */
const char *lego_nl_error_msg(void)
{
	return lego_nl_errmsg[0] ? lego_nl_errmsg : NULL;
}

/* Whether @msg is a reply to @cmd; its attributes, checked, in @tb. */
static bool parse_reply(struct nl_msg *msg, uint8_t cmd, struct nlattr **tb)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	return genlmsg_parse(nlh, 0, tb, LEGO_ATTR_MAX, lego_policy) >= 0 &&
	       genlmsg_hdr(nlh)->cmd == cmd;
}

/* A reply's attributes, repeated ones included, for nla_for_each_attr. */
static struct nlattr *reply_attrs(struct nl_msg *msg, int *len)
{
	struct genlmsghdr *ghdr = genlmsg_hdr(nlmsg_hdr(msg));

	*len = genlmsg_attrlen(ghdr, 0);
	return genlmsg_attrdata(ghdr, 0);
}

static bool has_attrs(struct nlattr **tb, const int *attrs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!tb[attrs[i]])
			return false;
	return true;
}

/* The reply callbacks' verdict on a reply this lego-ctl cannot read. */
static int bad_reply(struct lego_nl_request *req, int err)
{
	req->err = err;
	return NL_SKIP;
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

/* One LEGO_ATTR_PEER: a monitor this host connects to. */
static int parse_peer(struct nlattr *nest, struct lego_peer_status *p)
{
	static const int required[] = {
		LEGO_ATTR_PEER_ADDR, LEGO_ATTR_PEER_ROLE, LEGO_ATTR_PEER_STATE,
	};
	struct nlattr *tb[LEGO_ATTR_MAX + 1];

	if (nla_parse_nested(tb, LEGO_ATTR_MAX, nest, lego_policy) < 0 ||
	    !has_attrs(tb, required, ARRAY_SIZE(required)))
		return -EPROTO;
	p->addr = nla_get_u32(tb[LEGO_ATTR_PEER_ADDR]);
	p->role = nla_get_u32(tb[LEGO_ATTR_PEER_ROLE]);
	nla_strlcpy(p->state, tb[LEGO_ATTR_PEER_STATE], sizeof(p->state));
	/* Only an mmon that answered has them. */
	p->has_mem = tb[LEGO_ATTR_PEER_FREE_BYTES] &&
		     tb[LEGO_ATTR_PEER_USED_BYTES];
	if (p->has_mem) {
		p->free_bytes = nla_get_u64(tb[LEGO_ATTR_PEER_FREE_BYTES]);
		p->used_bytes = nla_get_u64(tb[LEGO_ATTR_PEER_USED_BYTES]);
	}
	return 0;
}

static int status_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LEGO_ATTR_MAX + 1], *attr, *head;
	struct lego_nl_request *req = arg;
	struct lego_status *st = req->out;
	int len, rem;

	if (!parse_reply(msg, LEGO_CMD_STATUS_GET, tb) ||
	    !tb[LEGO_ATTR_ROLES] || !status_complete(tb))
		return bad_reply(req, -EPROTO);
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
	if (tb[LEGO_ATTR_BACKING_USED])
		st->backing_used = nla_get_u64(tb[LEGO_ATTR_BACKING_USED]);
	if (tb[LEGO_ATTR_BACKING_VOLUMES])
		st->volumes = nla_get_u32(tb[LEGO_ATTR_BACKING_VOLUMES]);
	head = reply_attrs(msg, &len);
	nla_for_each_attr(attr, head, len, rem) {
		if (nla_type(attr) != LEGO_ATTR_PEER)
			continue;
		if (st->nr_peers == ARRAY_SIZE(st->peers) ||
		    parse_peer(attr, &st->peers[st->nr_peers++]))
			return bad_reply(req, -EPROTO);
	}
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

/*
 * With NETLINK_EXT_ACK, an error carries attributes after the request it
 * echoes (or only its header, when capped): keep its message.
 */
static void save_ext_ack(struct nlmsgerr *nlerr)
{
	struct nlmsghdr *nlh = (void *)((char *)nlerr - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t offset = sizeof(*nlerr);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += NLMSG_ALIGN(nlerr->msg.nlmsg_len - NLMSG_HDRLEN);
	if (NLMSG_HDRLEN + offset >= nlh->nlmsg_len ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (void *)((char *)nlerr + offset),
		      (int)(nlh->nlmsg_len - NLMSG_HDRLEN - offset), NULL) < 0 ||
	    !tb[NLMSGERR_ATTR_MSG])
		return;
	nla_strlcpy(lego_nl_errmsg, tb[NLMSGERR_ATTR_MSG],
		    sizeof(lego_nl_errmsg));
}

static int request_error(struct sockaddr_nl *nla, struct nlmsgerr *nlerr,
			 void *arg)
{
	struct lego_nl_request *req = arg;

	(void)nla;
	req->err = nlerr->error;
	save_ext_ack(nlerr);
	req->done = true;
	return NL_STOP;
}

/* For requests answered by an ack alone. */
static int unexpected_reply(struct nl_msg *msg, void *arg)
{
	(void)msg;
	return bad_reply(arg, -EPROTO);
}

/* Puts a request's attributes; 0 or a negative libnl error. */
typedef int (*request_attrs_t)(struct nl_msg *msg, const void *arg);

/*
 * Send @cmd with the attributes @attrs puts, pass its replies to @reply
 * (NULL when none is expected) and wait for the kernel's ack or error, or
 * for the end of a dump (@flags NLM_F_DUMP).
 */
static int request(struct nl_sock *sk, int family, uint8_t cmd, int flags,
		   request_attrs_t attrs, const void *attrs_arg,
		   nl_recvmsg_msg_cb_t reply, struct lego_nl_request *req)
{
	struct nl_msg *msg;
	int ret;

	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags,
			 cmd, LEGO_GENL_VERSION) ||
	    (attrs && attrs(msg, attrs_arg) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM,
			    reply ?: unexpected_reply, req);
	nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_CUSTOM, request_ack, req);
	nl_socket_modify_cb(sk, NL_CB_FINISH, NL_CB_CUSTOM, request_ack, req);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, request_error, req);
	ret = nl_send_auto(sk, msg);	/* asks for an ack (auto-ack) */
	nlmsg_free(msg);
	while (ret >= 0 && !req->done)
		ret = nl_recvmsgs_default(sk);
	if (req->err)	/* the kernel's error, or ours */
		return req->err;
	if (ret < 0)
		return nl_errno(ret);
	/* A dump may be empty; a request with a reply must get it. */
	return !reply || (flags & NLM_F_DUMP) || req->replied ? 0 : -EPROTO;
}

/* Connect @sk and find the family; see lego_nl_status() for returns. */
static int open_family(struct nl_sock *sk, int *family)
{
	int one = 1, ret;

	ret = genl_connect(sk);
	if (ret < 0)
		return nl_errno(ret);
	/* Best effort: without it, errors come without lego.ko's reason. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	*family = genl_ctrl_resolve(sk, LEGO_GENL_NAME);
	if (*family == -NLE_OBJ_NOTFOUND)
		return LEGO_NL_NO_FAMILY;
	if (*family < 0)
		return nl_errno(*family);
	return 0;
}

/* One request, or one dump, on a socket of its own. */
static int lego_nl_exchange(uint8_t cmd, int flags, request_attrs_t attrs,
			    const void *attrs_arg, nl_recvmsg_msg_cb_t reply,
			    void *out)
{
	struct lego_nl_request req = { .out = out };
	struct nl_sock *sk;
	int family = 0, ret;

	lego_nl_errmsg[0] = '\0';
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	ret = open_family(sk, &family);
	if (!ret)
		ret = request(sk, family, cmd, flags, attrs, attrs_arg, reply,
			      &req);
	nl_socket_free(sk);
	return ret;
}

/* A request and its reply (if @reply); returns as lego_nl_status(). */
static int lego_nl_call(uint8_t cmd, request_attrs_t attrs,
			const void *attrs_arg, nl_recvmsg_msg_cb_t reply,
			void *out)
{
	return lego_nl_exchange(cmd, 0, attrs, attrs_arg, reply, out);
}

/* A dump: @reply is called for each object, maybe for none. */
static int lego_nl_dump(uint8_t cmd, request_attrs_t attrs,
			const void *attrs_arg, nl_recvmsg_msg_cb_t reply,
			void *out)
{
	return lego_nl_exchange(cmd, NLM_F_DUMP, attrs, attrs_arg, reply,
				out);
}

/**
 * lego_nl_status() - ask lego.ko for this host's roles and resources
 * @st: filled in on success
 *
 * Return: 0; LEGO_NL_NO_FAMILY when the "lego" family is not registered
 * (lego.ko not loaded); a negative errno otherwise, -EPROTO for a reply
 * this lego-ctl does not understand. lego_nl_error_msg() may tell why.
 */
int lego_nl_status(struct lego_status *st)
{
	memset(st, 0, sizeof(*st));
	return lego_nl_call(LEGO_CMD_STATUS_GET, NULL, NULL, status_reply, st);
}

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
	struct nlattr *tb[LEGO_ATTR_MAX + 1];
	struct lego_nl_request *req = arg;
	struct lego_ping *p = req->out;

	if (!parse_reply(msg, LEGO_CMD_PING, tb) ||
	    !has_attrs(tb, required, ARRAY_SIZE(required)))
		return bad_reply(req, -EPROTO);
	p->ok = nla_get_u64(tb[LEGO_ATTR_PING_OK]);
	p->failed = nla_get_u64(tb[LEGO_ATTR_PING_FAILED]);
	p->corrupt = nla_get_u64(tb[LEGO_ATTR_PING_CORRUPT]);
	p->median_ns = nla_get_u64(tb[LEGO_ATTR_PING_MEDIAN_NS]);
	p->p99_ns = nla_get_u64(tb[LEGO_ATTR_PING_P99_NS]);
	p->error = nla_get_u32(tb[LEGO_ATTR_PING_ERROR]);
	req->replied = true;
	return NL_OK;
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

/* LEGO_CMD_VNODE_NEW's attributes: a struct lego_vnode and its disk. */
struct vnode_new {
	const struct lego_vnode *vn;
	uint64_t disk;
};

static int vnode_new_attrs(struct nl_msg *msg, const void *arg)
{
	const struct vnode_new *req = arg;
	const struct lego_vnode *vn = req->vn;
	struct nlattr *mmons;
	uint32_t i;

	if (nla_put_string(msg, LEGO_ATTR_VNODE_NAME, vn->name) ||
	    nla_put_u64(msg, LEGO_ATTR_VNODE_MEM, vn->mem) ||
	    (req->disk && nla_put_u64(msg, LEGO_ATTR_VNODE_DISK, req->disk)) ||
	    (vn->replicas &&
	     nla_put_u32(msg, LEGO_ATTR_VNODE_REPLICAS, vn->replicas)))
		return -NLE_NOMEM;
	if (!vn->nr_mmons)
		return 0;	/* lego.ko's mmon= */
	mmons = nla_nest_start(msg, LEGO_ATTR_VNODE_MMONS);
	if (!mmons)
		return -NLE_NOMEM;
	for (i = 0; i < vn->nr_mmons; i++)
		if (nla_put_u32(msg, LEGO_ATTR_PEER_ADDR, vn->mmons[i]))
			return -NLE_NOMEM;
	return nla_nest_end(msg, mmons);
}

static int vnode_new_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LEGO_ATTR_MAX + 1];
	struct lego_nl_request *req = arg;
	struct lego_vnode *vn = req->out;

	if (!parse_reply(msg, LEGO_CMD_VNODE_NEW, tb) ||
	    !tb[LEGO_ATTR_VNODE_ID])
		return bad_reply(req, -EPROTO);
	vn->id = nla_get_u32(tb[LEGO_ATTR_VNODE_ID]);
	req->replied = true;
	return NL_OK;
}

/**
 * lego_nl_vnode_new() - build a vNode
 * @vn: its name, mem, mmons (none: every mmon lego.ko knows) and
 *      replicas (0: not sent, lego.ko's default of 1, which a lego.ko
 *      without replicas understands too); its id is set on success
 * @disk: bytes of its smon volume, 0 for none
 *
 * Return: as lego_nl_status(); -EEXIST when the name is taken,
 * -EHOSTUNREACH when an mmon is not connected, -ENODEV when this host is
 * not a pmon, -EPERM without CAP_NET_ADMIN.
 */
int lego_nl_vnode_new(struct lego_vnode *vn, uint64_t disk)
{
	struct vnode_new req = { .vn = vn, .disk = disk };

	return lego_nl_call(LEGO_CMD_VNODE_NEW, vnode_new_attrs, &req,
			    vnode_new_reply, vn);
}

/* LEGO_CMD_VNODE_DEL's attributes. */
struct vnode_del {
	const char *name;
	bool force;
};

static int vnode_del_attrs(struct nl_msg *msg, const void *arg)
{
	const struct vnode_del *req = arg;

	return nla_put_string(msg, LEGO_ATTR_VNODE_NAME, req->name) ?:
	       (req->force ? nla_put_flag(msg, LEGO_ATTR_VNODE_FORCE) : 0);
}

/**
 * lego_nl_vnode_del() - destroy a vNode
 * @name: the vNode
 * @force: kill the processes running in it, and wait until they exit
 *
 * Return: as lego_nl_status(); -ENOENT when there is no such vNode,
 * -EBUSY while processes run in it, -EPERM without CAP_NET_ADMIN.
 */
int lego_nl_vnode_del(const char *name, bool force)
{
	struct vnode_del req = { .name = name, .force = force };

	return lego_nl_call(LEGO_CMD_VNODE_DEL, vnode_del_attrs, &req, NULL,
			    NULL);
}

static int vnode_name_attrs(struct nl_msg *msg, const void *arg)
{
	return nla_put_string(msg, LEGO_ATTR_VNODE_NAME, arg);
}

/* One LEGO_CMD_VNODE_GET reply: a vNode. */
static int parse_vnode(struct nl_msg *msg, struct lego_vnode *vn)
{
	static const int required[] = {
		LEGO_ATTR_VNODE_ID, LEGO_ATTR_VNODE_NAME, LEGO_ATTR_VNODE_MEM,
		LEGO_ATTR_VNODE_MMONS, LEGO_ATTR_VNODE_PROCS,
		LEGO_ATTR_VNODE_PAGES,
	};
	struct nlattr *tb[LEGO_ATTR_MAX + 1], *attr;
	int rem;

	if (!parse_reply(msg, LEGO_CMD_VNODE_GET, tb) ||
	    !has_attrs(tb, required, ARRAY_SIZE(required)))
		return -EPROTO;
	memset(vn, 0, sizeof(*vn));
	vn->id = nla_get_u32(tb[LEGO_ATTR_VNODE_ID]);
	nla_strlcpy(vn->name, tb[LEGO_ATTR_VNODE_NAME], sizeof(vn->name));
	vn->mem = nla_get_u64(tb[LEGO_ATTR_VNODE_MEM]);
	vn->procs = nla_get_u32(tb[LEGO_ATTR_VNODE_PROCS]);
	vn->pages = nla_get_u64(tb[LEGO_ATTR_VNODE_PAGES]);
	vn->degraded = !!tb[LEGO_ATTR_VNODE_DEGRADED];
	/* A lego.ko without replicas keeps one copy. */
	vn->replicas = tb[LEGO_ATTR_VNODE_REPLICAS] ?
		       nla_get_u32(tb[LEGO_ATTR_VNODE_REPLICAS]) : 1;
	if (tb[LEGO_ATTR_VNODE_DISK] && tb[LEGO_ATTR_VNODE_DISK_NAME]) {
		vn->disk = nla_get_u64(tb[LEGO_ATTR_VNODE_DISK]);
		nla_strlcpy(vn->disk_name, tb[LEGO_ATTR_VNODE_DISK_NAME],
			    sizeof(vn->disk_name));
	}
	/* Repeated PEER_ADDRs, home first: not for nla_parse_nested(). */
	nla_for_each_nested(attr, tb[LEGO_ATTR_VNODE_MMONS], rem) {
		if (nla_type(attr) != LEGO_ATTR_PEER_ADDR ||
		    nla_len(attr) < (int)sizeof(uint32_t) ||
		    vn->nr_mmons == ARRAY_SIZE(vn->mmons))
			return -EPROTO;
		vn->mmons[vn->nr_mmons++] = nla_get_u32(attr);
	}
	return 0;
}

static int vnode_get_reply(struct nl_msg *msg, void *arg)
{
	struct lego_nl_request *req = arg;
	int ret = parse_vnode(msg, req->out);

	if (ret)
		return bad_reply(req, ret);
	req->replied = true;
	return NL_OK;
}

/**
 * lego_nl_vnode_get() - ask lego.ko about one vNode
 * @name: the vNode
 * @vn: filled in on success
 *
 * Return: as lego_nl_status(); -ENOENT when there is no such vNode,
 * -ENODEV when this host is not a pmon.
 */
int lego_nl_vnode_get(const char *name, struct lego_vnode *vn)
{
	return lego_nl_call(LEGO_CMD_VNODE_GET, vnode_name_attrs, name,
			    vnode_get_reply, vn);
}

struct vnode_list {
	struct lego_vnode *vns;
	size_t nr;
};

static int vnode_dump_reply(struct nl_msg *msg, void *arg)
{
	struct lego_nl_request *req = arg;
	struct vnode_list *list = req->out;
	struct lego_vnode *vns;
	int ret;

	vns = realloc(list->vns, (list->nr + 1) * sizeof(*vns));
	if (!vns)
		return bad_reply(req, -ENOMEM);
	list->vns = vns;
	ret = parse_vnode(msg, &vns[list->nr]);
	if (ret)
		return bad_reply(req, ret);
	list->nr++;
	return NL_OK;
}

/**
 * lego_nl_vnode_list() - ask lego.ko about every vNode
 * @vns: an array the caller frees, on success (NULL when @nr is 0)
 * @nr: its length
 *
 * Return: as lego_nl_status(). A host that is not a pmon has no vNode.
 */
int lego_nl_vnode_list(struct lego_vnode **vns, size_t *nr)
{
	struct vnode_list list = { NULL, 0 };
	int ret;

	ret = lego_nl_dump(LEGO_CMD_VNODE_GET, NULL, NULL, vnode_dump_reply,
			   &list);
	if (ret) {
		free(list.vns);
		return ret;
	}
	*vns = list.vns;
	*nr = list.nr;
	return 0;
}

/* One LEGO_ATTR_STAT: a counter's name and value. */
static int parse_stat(struct nlattr *nest, struct lego_stat *stat)
{
	struct nlattr *tb[LEGO_ATTR_MAX + 1];

	if (nla_parse_nested(tb, LEGO_ATTR_MAX, nest, lego_policy) < 0 ||
	    !tb[LEGO_ATTR_STAT_NAME] || !tb[LEGO_ATTR_STAT_VALUE])
		return -EPROTO;
	nla_strlcpy(stat->name, tb[LEGO_ATTR_STAT_NAME], sizeof(stat->name));
	stat->value = nla_get_u64(tb[LEGO_ATTR_STAT_VALUE]);
	return 0;
}

/* One LEGO_ATTR_STATS_GROUP: kind, name, then its counters in order. */
static int parse_stats_group(struct nlattr *nest, struct lego_stats_group *g)
{
	struct nlattr *tb[LEGO_ATTR_MAX + 1], *attr;
	struct lego_stat *stats;
	int rem, ret;

	if (nla_parse_nested(tb, LEGO_ATTR_MAX, nest, lego_policy) < 0 ||
	    !tb[LEGO_ATTR_STATS_KIND] || !tb[LEGO_ATTR_STATS_NAME])
		return -EPROTO;
	nla_strlcpy(g->kind, tb[LEGO_ATTR_STATS_KIND], sizeof(g->kind));
	nla_strlcpy(g->name, tb[LEGO_ATTR_STATS_NAME], sizeof(g->name));
	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != LEGO_ATTR_STAT)
			continue;
		stats = realloc(g->stats, (g->nr_stats + 1) * sizeof(*stats));
		if (!stats)
			return -ENOMEM;
		g->stats = stats;
		ret = parse_stat(attr, &stats[g->nr_stats]);
		if (ret)
			return ret;
		g->nr_stats++;
	}
	return 0;
}

static int stats_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LEGO_ATTR_MAX + 1], *attr, *head;
	struct lego_nl_request *req = arg;
	struct lego_stats *st = req->out;
	struct lego_stats_group *groups;
	int len, rem, ret;

	if (!parse_reply(msg, LEGO_CMD_STATS_GET, tb))
		return bad_reply(req, -EPROTO);
	head = reply_attrs(msg, &len);
	nla_for_each_attr(attr, head, len, rem) {
		if (nla_type(attr) != LEGO_ATTR_STATS_GROUP)
			continue;
		groups = realloc(st->groups,
				 (st->nr_groups + 1) * sizeof(*groups));
		if (!groups)
			return bad_reply(req, -ENOMEM);
		st->groups = groups;
		/* Counted at once, so that lego_stats_free() frees it. */
		memset(&groups[st->nr_groups], 0, sizeof(*groups));
		ret = parse_stats_group(attr, &groups[st->nr_groups++]);
		if (ret)
			return bad_reply(req, ret);
	}
	req->replied = true;
	return NL_OK;
}

/**
 * lego_nl_stats() - ask lego.ko for its counters
 * @vnode: only this vNode's group (and the peers'), or NULL for all
 * @st: filled in; the caller frees it with lego_stats_free(), also on
 *      error
 *
 * Return: as lego_nl_status(); -ENOENT when there is no vNode @vnode.
 */
int lego_nl_stats(const char *vnode, struct lego_stats *st)
{
	memset(st, 0, sizeof(*st));
	return lego_nl_call(LEGO_CMD_STATS_GET,
			    vnode ? vnode_name_attrs : NULL, vnode,
			    stats_reply, st);
}

struct monitor {
	lego_event_fn fn;
	void *arg;
	int ret;	/* fn's, once non-zero */
};

static int event_msg(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LEGO_ATTR_MAX + 1];
	struct lego_event_msg ev = { 0 };
	struct monitor *mon = arg;

	/* A malformed event is no reason to stop listening. */
	if (!parse_reply(msg, LEGO_CMD_EVENT, tb) || !tb[LEGO_ATTR_EVENT])
		return NL_SKIP;
	ev.event = nla_get_u32(tb[LEGO_ATTR_EVENT]);
	if (tb[LEGO_ATTR_PEER_ADDR]) {
		ev.has_addr = true;
		ev.addr = nla_get_u32(tb[LEGO_ATTR_PEER_ADDR]);
	}
	if (tb[LEGO_ATTR_VNODE_NAME])
		nla_strlcpy(ev.vnode, tb[LEGO_ATTR_VNODE_NAME],
			    sizeof(ev.vnode));
	mon->ret = mon->fn(&ev, mon->arg);
	return mon->ret ? NL_STOP : NL_OK;
}

/**
 * lego_nl_monitor() - pass lego.ko's events to @fn as they come
 * @fn: called for each event, in order
 * @arg: its argument
 *
 * Return: only on an error, as lego_nl_status(), or with what @fn
 * returned when it was not 0.
 */
int lego_nl_monitor(lego_event_fn fn, void *arg)
{
	struct monitor mon = { .fn = fn, .arg = arg };
	struct nl_sock *sk;
	int family, group, ret;

	lego_nl_errmsg[0] = '\0';
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	ret = open_family(sk, &family);
	if (!ret) {
		group = genl_ctrl_resolve_grp(sk, LEGO_GENL_NAME,
					      LEGO_GENL_EVENTS);
		ret = group < 0 ? group :
				  nl_socket_add_membership(sk, group);
		ret = ret < 0 ? nl_errno(ret) : 0;
	}
	/* Events are not answers: they carry no sequence number of ours. */
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, event_msg, &mon);
	while (!ret && !mon.ret) {
		ret = nl_recvmsgs_default(sk);
		ret = ret < 0 ? nl_errno(ret) : 0;
	}
	nl_socket_free(sk);
	return ret ?: mon.ret;
}

/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The "lego" generic netlink family: shared by lego.ko and lego-ctl.
 * Attributes and commands are only ever appended, never renumbered.
 */
#ifndef _LEGO_GENL_H
#define _LEGO_GENL_H

#define LEGO_GENL_NAME		"lego"
#define LEGO_GENL_VERSION	1

/* Bits of LEGO_ATTR_ROLES. */
enum lego_role {
	LEGO_ROLE_PMON	= 1U << 0,
	LEGO_ROLE_MMON	= 1U << 1,
	LEGO_ROLE_SMON	= 1U << 2,
	LEGO_ROLE_ALL	= LEGO_ROLE_PMON | LEGO_ROLE_MMON | LEGO_ROLE_SMON,
};

enum lego_cmd {
	LEGO_CMD_UNSPEC,
	LEGO_CMD_STATUS_GET,	/* reply: roles and each role's resources */
	LEGO_CMD_PING,		/* echo RPCs to a monitor; admin only */
	__LEGO_CMD_MAX,
};

#define LEGO_CMD_MAX (__LEGO_CMD_MAX - 1)

enum lego_attr {
	LEGO_ATTR_UNSPEC,
	LEGO_ATTR_ROLES,		/* u32: LEGO_ROLE_* bits */
	LEGO_ATTR_EXCACHE_BYTES,	/* u64: pmon ExCache size */
	LEGO_ATTR_EXCACHE_WAYS,		/* u32 */
	LEGO_ATTR_EXCACHE_SETS,		/* u32 */
	LEGO_ATTR_POOL_BYTES,		/* u64: mmon memory pool size */
	LEGO_ATTR_BACKING,		/* string: smon backing file or device */
	LEGO_ATTR_BACKING_BYTES,	/* u64: smon backing capacity */
	LEGO_ATTR_PAD,
	LEGO_ATTR_PEER_ADDR,		/* be32: IPv4 address of a monitor */
	LEGO_ATTR_PING_COUNT,		/* u32: RPCs in all */
	LEGO_ATTR_PING_THREADS,		/* u32: sent from this many threads */
	LEGO_ATTR_PING_SIZE,		/* u32: payload bytes */
	LEGO_ATTR_PING_OK,		/* u64: replies that matched */
	LEGO_ATTR_PING_FAILED,		/* u64: RPCs that returned an error */
	LEGO_ATTR_PING_CORRUPT,		/* u64: replies that did not match */
	LEGO_ATTR_PING_MEDIAN_NS,	/* u64 */
	LEGO_ATTR_PING_P99_NS,		/* u64 */
	LEGO_ATTR_PING_ERROR,		/* u32: first error, as -errno */
	LEGO_ATTR_PING_OP,		/* u32: enum lego_ping_op */
	__LEGO_ATTR_MAX,
};

#define LEGO_ATTR_MAX (__LEGO_ATTR_MAX - 1)

/* What a ping measures: each operation's data is checked. */
enum lego_ping_op {
	LEGO_PING_ECHO,		/* RPC round trip, payload echoed back */
	LEGO_PING_READ,		/* one-sided READ of memory the peer lent */
	LEGO_PING_WRITE,	/* one-sided WRITE, then READ back to check */
	LEGO_PING_GET,		/* RPC, small request, reply of the size */
	__LEGO_PING_MAX,
};

#define LEGO_PING_RDMA_MAX	65536	/* bytes per READ or WRITE */

#endif /* _LEGO_GENL_H */

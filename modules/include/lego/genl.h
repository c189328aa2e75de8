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
	LEGO_CMD_VNODE_NEW,	/* admin: NAME, MEM, [MMONS] -> ID */
	LEGO_CMD_VNODE_DEL,	/* admin: NAME, [FORCE] */
	LEGO_CMD_VNODE_GET,	/* NAME -> one vNode; dump: every vNode */
	LEGO_CMD_STATS_GET,	/* [NAME] -> STATS_GROUPs */
	LEGO_CMD_EVENT,		/* multicast on LEGO_GENL_EVENTS: EVENT, ... */
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
	LEGO_ATTR_PEER,			/* nested, repeated: one monitor */
	LEGO_ATTR_PEER_ROLE,		/* u32: LEGO_ROLE_MMON or _SMON */
	LEGO_ATTR_PEER_STATE,		/* string: "live", "connecting", ... */
	LEGO_ATTR_PEER_FREE_BYTES,	/* u64: an mmon's memory not promised */
	LEGO_ATTR_PEER_USED_BYTES,	/* u64: an mmon's memory holding pages */
	LEGO_ATTR_VNODE_ID,		/* u32 */
	LEGO_ATTR_VNODE_NAME,		/* string: see lego_vnode_name_valid() */
	LEGO_ATTR_VNODE_MEM,		/* u64: bytes */
	LEGO_ATTR_VNODE_MMONS,		/* nested: PEER_ADDR each, home first */
	LEGO_ATTR_VNODE_DISK,		/* u64: bytes of its smon volume */
	LEGO_ATTR_VNODE_FORCE,		/* flag: VNODE_DEL kills its processes */
	LEGO_ATTR_VNODE_PROCS,		/* u32: open address spaces */
	LEGO_ATTR_VNODE_PAGES,		/* u64: its pages held at mmons */
	LEGO_ATTR_STATS_GROUP,		/* nested, repeated: KIND, NAME, STATs */
	LEGO_ATTR_STATS_KIND,		/* string: "excache", "vnode", "disk", "smon", "peer" */
	LEGO_ATTR_STATS_NAME,		/* string: vNode name, peer address */
	LEGO_ATTR_STAT,			/* nested, repeated: STAT_NAME, VALUE */
	LEGO_ATTR_STAT_NAME,		/* string: "misses", "fetch_lt_64us" */
	LEGO_ATTR_STAT_VALUE,		/* u64 */
	LEGO_ATTR_EVENT,		/* u32: enum lego_event */
	LEGO_ATTR_VNODE_DISK_NAME,	/* string: "legoblk0" */
	LEGO_ATTR_BACKING_USED,		/* u64: smon bytes given to volumes */
	LEGO_ATTR_BACKING_VOLUMES,	/* u32: smon volumes */
	LEGO_ATTR_VNODE_DEGRADED,	/* flag: one of its monitors is down */
	LEGO_ATTR_VNODE_REPLICAS,	/* u32: copies of each page, 1 or 2 */
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

/*
 * LEGO_CMD_EVENT, multicast to the LEGO_GENL_EVENTS group: PEER_ADDR with
 * the PEER_* events, VNODE_NAME with the VNODE_* ones.
 */
#define LEGO_GENL_EVENTS	"events"

enum lego_event {
	LEGO_EVENT_PEER_UP,
	LEGO_EVENT_PEER_DOWN,
	LEGO_EVENT_VNODE_NEW,
	LEGO_EVENT_VNODE_DEL,
	LEGO_EVENT_VNODE_FAILOVER,	/* a holder of its pages failed */
	LEGO_EVENT_VNODE_REBUILT,	/* a new replica has its pages */
	LEGO_EVENT_VNODE_LOST,		/* pages of it are gone: SIGBUS */
};

#define LEGO_PING_RDMA_MAX	65536	/* bytes per READ or WRITE */

#endif /* _LEGO_GENL_H */

/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * LegoLKM wire format: every message between monitors starts with this
 * header, all fields little-endian. Shared by lego.ko and userland tools.
 */
#ifndef _LEGO_WIRE_H
#define _LEGO_WIRE_H

#include <linux/types.h>

#define LEGO_WIRE_MAGIC		0x4f47454cU	/* "LEGO" in memory order */
#define LEGO_WIRE_VERSION	4
#define LEGO_MSG_MAX		8192		/* header + payload */
#define LEGO_PORT_DEFAULT	7471	/* rping takes 7174 */

struct lego_msg_hdr {
	__le32 magic;
	__le16 version;
	__le16 opcode;		/* LEGO_OP_*, LEGO_OP_REPLY set on replies */
	__le32 vnode;		/* 0: the transport itself, no vNode */
	__le32 len;		/* payload bytes after the header */
	__le64 req_id;		/* echoed in the reply */
	__le32 status;		/* replies: 0 or a negative errno */
	__le32 reserved;	/* must be 0 */
};

#define LEGO_PAYLOAD_MAX	(LEGO_MSG_MAX - sizeof(struct lego_msg_hdr))

enum lego_opcode {
	LEGO_OP_ECHO = 1,	/* reply carries the request's payload back */
	LEGO_OP_MR_GRANT,	/* lend memory for one-sided access */
	LEGO_OP_MR_REVOKE,	/* take it back; its rkey stops working */
	LEGO_OP_PATTERN,	/* reply carries lego_pattern(seed) bytes */

	/* Memory: a pmon asks its home mmon, which tells the owners. */
	LEGO_OP_MEM_MAP,	/* lego_mem_req -> lego_mem_map_reply */
	LEGO_OP_MEM_UNMAP,	/* lego_mem_req */
	LEGO_OP_MEM_PROTECT,	/* lego_mem_req */
	LEGO_OP_MEM_DISCARD,	/* lego_mem_req: MADV_DONTNEED */
	LEGO_OP_MEM_FREE,	/* lego_mem_req: the whole address space */
	/* A pmon asks a page's owner directly. */
	LEGO_OP_MEM_FETCH,	/* lego_mem_req (a page) -> it, or nothing */
	/* lego_mem_req + the page -> lego_mem_page_loc (_group_loc if asked) */
	LEGO_OP_MEM_WRITEBACK,
	/* The home tells an owner (lego_mem_own_req), or asks any mmon. */
	LEGO_OP_MEM_OWN,	/* apply a MAP ... FREE to the owner's part */
	LEGO_OP_MEM_STAT,	/* no payload -> lego_mem_stat_reply */
	/* A pmon asks a vNode's home mmon. */
	LEGO_OP_VNODE_NEW,	/* lego_vnode_req */
	LEGO_OP_VNODE_DEL,	/* no payload: every space of it goes too */
	LEGO_OP_MEM_CLONE,	/* lego_mem_clone_req -> lego_mem_clone_reply */
	/* Storage: a pmon asks its smon about the volume of a vNode. */
	LEGO_OP_BLK_CREATE,	/* lego_blk_create_req -> lego_blk_create_reply */
	LEGO_OP_BLK_DELETE,	/* lego_blk_req, offset and len 0 */
	LEGO_OP_BLK_READ,	/* lego_blk_req: the smon WRITEs into addr */
	LEGO_OP_BLK_WRITE,	/* lego_blk_req [+ data]: the smon READs addr */
	LEGO_OP_BLK_FLUSH,	/* lego_blk_req, offset and len 0 */
	LEGO_OP_BLK_DISCARD,	/* lego_blk_req: the range reads zeroes after */
	LEGO_OP_BLK_WRITE_ZEROES,	/* lego_blk_req */
	/* Replicated vNodes (lego_vnode_req.copies 2). */
	LEGO_OP_MEM_REPLACE,	/* pmon -> home: lego_mem_replace_req -> _reply */
	LEGO_OP_MEM_COPY,	/* pmon -> owner: lego_mem_copy_req */
	LEGO_OP_MEM_FILL,	/* holder -> new one: lego_mem_own_req + page */
	__LEGO_OP_MAX,
};

#define LEGO_OP_MEM_FIRST	LEGO_OP_MEM_MAP
#define LEGO_OP_BLK_FIRST	LEGO_OP_BLK_CREATE
#define LEGO_VNODE_MAX		65535

/*
 * Memory requests name an address space of the header's vNode. A FETCH of
 * a page never written back is answered with no bytes: it is zero.
 */
struct lego_mem_req {
	__le32 asid;		/* chosen by the pmon, 1..65535 */
	__le32 prot;		/* MAP, PROTECT: LEGO_PROT_*; WRITEBACK: flags */
	__le64 addr;		/* page aligned; MAP: 0 lets the mmon choose */
	__le64 len;		/* page aligned; 0 for FREE */
	__le64 key;		/* the space's key; 0 in the MAP creating it */
};

/*
 * Where the pmon that wrote a page back may READ and WRITE it from now
 * on, over the connection the reply came on, until it frees the page;
 * rkey 0: it may not, and asks with FETCH and WRITEBACK.
 */
struct lego_mem_page_loc {
	__le64 addr;
	__le32 rkey;
	__le32 reserved;
};

/*
 * A WRITEBACK asking for LEGO_MEM_GROUP: the first write-back of a page
 * also sets zeroed pool pages aside for the pages of its group (the
 * LEGO_MEM_GROUP_PAGES-aligned run around it) that were never written back
 * and lie in writable vmas, so that the first write-back of each of them is
 * one RDMA WRITE too. page[i] is where page i of the group is, the written
 * page's own included; rkey 0 where none was set aside.
 */
#define LEGO_MEM_GROUP		0x100
#define LEGO_MEM_GROUP_PAGES	16

struct lego_mem_group_loc {
	struct lego_mem_page_loc page[LEGO_MEM_GROUP_PAGES];
};

#define LEGO_MEM_WINDOW_BASE	0x100000000000ULL	/* 16 TiB */
#define LEGO_MEM_WINDOW_VREGIONS	64		/* of 1 GiB */
#define LEGO_MEM_MAP_MAX_VREGIONS	16		/* per MAP */

/*
 * The home gives each address space a random key when it creates it: the
 * pmon that created it is the only one to know it, so a request carrying
 * it comes from that pmon, whatever connection or address it comes from.
 */
struct lego_mem_map_reply {
	__le64 addr;
	__le64 key;
	__le32 nr;		/* vRegions the mapping spans */
	__le32 reserved;
	__be32 owner[LEGO_MEM_MAP_MAX_VREGIONS];	/* 0: the home itself */
	/* Replicated vNodes: the second copy's mmon, as owner[] names them. */
	__be32 replica[LEGO_MEM_MAP_MAX_VREGIONS];
};

/*
 * MEM_OWN's src_* are 0 but with MEM_CLONE: the space to copy. It is also
 * the head of MEM_FILL, with op LEGO_OP_MEM_FILL.
 */
struct lego_mem_own_req {
	__le16 op;		/* LEGO_OP_MEM_MAP ... _FREE, LEGO_OP_MEM_CLONE */
	__le16 reserved;
	__be32 pmon;		/* the address space's pmon */
	struct lego_mem_req req;
	__le32 src_asid;
	__le32 reserved2;
	__le64 src_key;
};

/*
 * Replicated vNodes: every page of a vRegion is kept by two holders, its
 * owner and its replica, and a write-back goes to both. LEGO_OP_MEM_REPLACE:
 * the pmon tells the home it could not reach holder @lost (0: the home) of
 * the vRegion at @req.addr (@req.len LEGO_VREGION_SIZE). The home drops it,
 * makes the other holder the owner, and maps the vRegion's vmas on a new
 * replica if an mmon of the vNode has room. The reply names the holders
 * now (a replica of LEGO_MEM_NO_HOLDER: none). The pmon writes back to
 * the new replica from then on, and has the owner copy over the pages
 * written before: LEGO_OP_MEM_COPY, then a LEGO_OP_MEM_FILL per page,
 * which keeps a page the new holder already has (a newer write-back).
 */
#define LEGO_MEM_NO_HOLDER	0xffffffffU

struct lego_mem_replace_req {
	struct lego_mem_req req;
	__be32 lost;
	__le32 reserved;
};

struct lego_mem_replace_reply {
	__be32 owner;
	__be32 replica;
};

/* LEGO_OP_MEM_COPY: the owner sends its pages of @req's range to @to. */
struct lego_mem_copy_req {
	struct lego_mem_req req;
	__be32 to;		/* as the owner names it */
	__le32 reserved;
};

/*
 * LEGO_OP_VNODE_NEW: the vNode's memory may be placed on these mmons: the
 * home itself (mmon[0], as the pmon reaches it) and the others, which the
 * home must be connected to.
 */
#define LEGO_VNODE_MMONS_MAX	16

struct lego_vnode_req {
	__le64 mem;		/* bytes */
	__le32 nr_mmons;	/* 1 .. LEGO_VNODE_MMONS_MAX */
	__le32 copies;		/* of each page: 1, or 2 on two mmons */
	__be32 mmon[LEGO_VNODE_MMONS_MAX];
};

/*
 * LEGO_OP_MEM_CLONE (fork): a new address space @req.asid of the same vNode
 * gets a copy of every vma and page of @src_asid.
 */
struct lego_mem_clone_req {
	struct lego_mem_req req;	/* asid; the rest 0 */
	__le32 src_asid;
	__le32 reserved;
	__le64 src_key;
};

struct lego_mem_clone_reply {
	__le64 key;		/* of the new space */
};

struct lego_mem_stat_reply {
	__le64 free_pages;	/* not yet promised to any vma */
	__le64 used_pages;	/* holding written-back pages */
};

#define LEGO_PAGE_SIZE		4096

/*
 * LEGO_OP_BLK_CREATE: a fresh, zeroed volume for vNode @name of the asking
 * pmon; one the pmon had under that name before is replaced. The volume,
 * its key and its data outlive the smon's restarts, until BLK_DELETE.
 */
#define LEGO_BLK_NAME_MAX	32	/* with the NUL, as a vNode name */

struct lego_blk_create_req {
	__le64 bytes;		/* a multiple of LEGO_PAGE_SIZE */
	char name[LEGO_BLK_NAME_MAX];
};

struct lego_blk_create_reply {
	__le32 volume;		/* names it in every lego_blk_req */
	__le32 reserved;
	__le64 key;		/* proves the request comes from its pmon */
	__le64 bytes;
};

/*
 * Block requests: offsets and lengths are in bytes, multiples of
 * LEGO_BLK_SECTOR. READ and WRITE move their data by one-sided RDMA to
 * or from the pmon's registration @addr/@rkey, which covers @len bytes;
 * or, with LEGO_BLK_INLINE and up to LEGO_BLK_INLINE_MAX bytes, in the
 * messages themselves (as nvme-rdma's in-capsule data): a WRITE's data
 * follows the lego_blk_req, a READ's reply is the data, and @rkey and
 * @addr are 0. Small I/O so costs one exchange and no registration.
 */
#define LEGO_BLK_SECTOR		512
#define LEGO_BLK_IO_MAX		(64 * 1024)	/* READ, WRITE */
#define LEGO_BLK_ZERO_MAX	(1024U * 1024 * 1024)	/* DISCARD, WRITE_ZEROES */
#define LEGO_BLK_FUA		1U		/* WRITE: durable before reply */
#define LEGO_BLK_INVALIDATE	2U	/* READ, WRITE: the reply invalidates rkey */
#define LEGO_BLK_INLINE		4U	/* READ, WRITE: the data in the messages */
#define LEGO_BLK_INLINE_MAX	LEGO_PAGE_SIZE

struct lego_blk_req {
	__le32 volume;
	__le32 flags;		/* LEGO_BLK_* */
	__le64 key;
	__le64 offset;
	__le32 len;
	__le32 rkey;
	__le64 addr;
};

/* LEGO_OP_PATTERN: a small request for a large reply, as a page fetch. */
struct lego_pattern_req {
	__le32 bytes;		/* up to LEGO_PAYLOAD_MAX, a multiple of 4 */
	__le32 seed;
};

/*
 * LEGO_OP_MR_GRANT: the server registers @bytes of fresh memory, filled
 * with lego_pattern(@seed), for the connection that asked; the rkey is new
 * and works until LEGO_OP_MR_REVOKE or the connection's end.
 */
struct lego_mr_grant_req {
	__le32 bytes;		/* 1..LEGO_GRANT_MAX, a multiple of 4 */
	__le32 seed;
};

struct lego_mr_grant_reply {
	__le64 addr;
	__le32 rkey;
	__le32 bytes;
};

struct lego_mr_revoke_req {
	__le32 rkey;
	__le32 reserved;	/* must be 0 */
};

#define LEGO_GRANT_MAX		(1024 * 1024)	/* bytes one grant lends */
#define LEGO_GRANTS_PER_PEER	4

#define LEGO_OP_REPLY		0x8000

#endif /* _LEGO_WIRE_H */

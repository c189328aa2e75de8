/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * LegoLKM wire format: every message between monitors starts with this
 * header, all fields little-endian. Shared by lego.ko and userland tools.
 */
#ifndef _LEGO_WIRE_H
#define _LEGO_WIRE_H

#include <linux/types.h>

#define LEGO_WIRE_MAGIC		0x4f47454cU	/* "LEGO" in memory order */
#define LEGO_WIRE_VERSION	1
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
	__LEGO_OP_MAX,
};

#define LEGO_OP_REPLY		0x8000

#endif /* _LEGO_WIRE_H */

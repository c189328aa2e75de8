/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Validation of received messages: pure logic shared with the unit tests.
 */
#ifndef _LEGO_WIRE_CHECK_H
#define _LEGO_WIRE_CHECK_H

#include "lego/compat.h"
#include "lego/wire.h"

/* Why a message was dropped; also the order of the drop counters. */
enum lego_drop {
	LEGO_DROP_NONE,
	LEGO_DROP_SHORT,	/* shorter than a header */
	LEGO_DROP_MAGIC,
	LEGO_DROP_VERSION,
	LEGO_DROP_LENGTH,	/* len disagrees with the bytes received */
	LEGO_DROP_OPCODE,	/* unknown, or a reply where a request is due */
	LEGO_DROP_VNODE,
	LEGO_DROP_FIELD,	/* reserved or request status not zero */
	LEGO_DROP_STALE,	/* reply to no outstanding request */
	__LEGO_DROP_MAX,
};

/* A message as read from the wire, in host order. */
struct lego_msg {
	u16 opcode;
	u32 vnode;
	u32 len;
	u64 req_id;
	s32 status;
};

enum lego_drop lego_msg_check(const void *buf, u32 bytes, bool want_reply,
			      struct lego_msg *msg);
void lego_msg_header(void *buf, u16 opcode, u32 vnode, u32 len, u64 req_id,
		     s32 status);
const char *lego_drop_name(enum lego_drop why);

#endif /* _LEGO_WIRE_CHECK_H */

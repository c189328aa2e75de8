// SPDX-License-Identifier: GPL-2.0
/*
 * Checking and building message headers. Pure C: built into lego.ko and
 * tests/unit/test_wire. Nothing from the wire is used before it is checked.
 */
#include "lego/wire_check.h"

static const char *const lego_drop_names[__LEGO_DROP_MAX] = {
	[LEGO_DROP_NONE]	= "none",
	[LEGO_DROP_SHORT]	= "short",
	[LEGO_DROP_MAGIC]	= "bad_magic",
	[LEGO_DROP_VERSION]	= "bad_version",
	[LEGO_DROP_LENGTH]	= "bad_length",
	[LEGO_DROP_OPCODE]	= "bad_opcode",
	[LEGO_DROP_VNODE]	= "bad_vnode",
	[LEGO_DROP_FIELD]	= "bad_field",
	[LEGO_DROP_STALE]	= "stale_reply",
};

/* The payload bytes a request of each opcode may carry. */
static const struct {
	u32 min, max;
} lego_request_len[__LEGO_OP_MAX] = {
	[LEGO_OP_ECHO]		= { 0, LEGO_PAYLOAD_MAX },
	[LEGO_OP_MR_GRANT]	= { sizeof(struct lego_mr_grant_req),
				    sizeof(struct lego_mr_grant_req) },
	[LEGO_OP_MR_REVOKE]	= { sizeof(struct lego_mr_revoke_req),
				    sizeof(struct lego_mr_revoke_req) },
	[LEGO_OP_PATTERN]	= { sizeof(struct lego_pattern_req),
				    sizeof(struct lego_pattern_req) },
	[LEGO_OP_MEM_MAP ... LEGO_OP_MEM_FETCH] = {
		sizeof(struct lego_mem_req), sizeof(struct lego_mem_req) },
	[LEGO_OP_MEM_WRITEBACK]	= {
		sizeof(struct lego_mem_req) + LEGO_PAGE_SIZE,
		sizeof(struct lego_mem_req) + LEGO_PAGE_SIZE },
	[LEGO_OP_MEM_OWN]	= { sizeof(struct lego_mem_own_req),
				    sizeof(struct lego_mem_own_req) },
	[LEGO_OP_MEM_STAT]	= { 0, 0 },
	[LEGO_OP_VNODE_NEW]	= { sizeof(struct lego_vnode_req),
				    sizeof(struct lego_vnode_req) },
	[LEGO_OP_VNODE_DEL]	= { 0, 0 },
	[LEGO_OP_MEM_CLONE]	= { sizeof(struct lego_mem_clone_req),
				    sizeof(struct lego_mem_clone_req) },
	[LEGO_OP_BLK_CREATE]	= { sizeof(struct lego_blk_create_req),
				    sizeof(struct lego_blk_create_req) },
	[LEGO_OP_BLK_DELETE ... LEGO_OP_BLK_READ] = {
		sizeof(struct lego_blk_req), sizeof(struct lego_blk_req) },
	[LEGO_OP_BLK_WRITE]	= {
		sizeof(struct lego_blk_req),
		sizeof(struct lego_blk_req) + LEGO_BLK_INLINE_MAX },
	[LEGO_OP_BLK_FLUSH ... LEGO_OP_BLK_WRITE_ZEROES] = {
		sizeof(struct lego_blk_req), sizeof(struct lego_blk_req) },
	[LEGO_OP_MEM_REPLACE]	= { sizeof(struct lego_mem_replace_req),
				    sizeof(struct lego_mem_replace_req) },
	[LEGO_OP_MEM_COPY]	= { sizeof(struct lego_mem_copy_req),
				    sizeof(struct lego_mem_copy_req) },
	[LEGO_OP_MEM_FILL]	= {
		sizeof(struct lego_mem_own_req) + LEGO_PAGE_SIZE,
		sizeof(struct lego_mem_own_req) + LEGO_PAGE_SIZE },
};

const char *lego_drop_name(enum lego_drop why)
{
	return why < __LEGO_DROP_MAX ? lego_drop_names[why] : "?";
}

/**
 * lego_msg_check() - validate a received message
 * @buf: the bytes received
 * @bytes: how many
 * @want_reply: true on the side that sent requests, false on the server
 * @msg: the header in host order, set when the message is good
 *
 * Return: LEGO_DROP_NONE, or why the message must be dropped.
 */
enum lego_drop lego_msg_check(const void *buf, u32 bytes, bool want_reply,
			      struct lego_msg *msg)
{
	const struct lego_msg_hdr *hdr = buf;
	u16 opcode;
	u32 len, vnode;
	s32 status;

	if (bytes < sizeof(*hdr))
		return LEGO_DROP_SHORT;
	if (le32_to_cpu(hdr->magic) != LEGO_WIRE_MAGIC)
		return LEGO_DROP_MAGIC;
	if (le16_to_cpu(hdr->version) != LEGO_WIRE_VERSION)
		return LEGO_DROP_VERSION;
	len = le32_to_cpu(hdr->len);
	if (len > LEGO_PAYLOAD_MAX || len != bytes - sizeof(*hdr))
		return LEGO_DROP_LENGTH;
	opcode = le16_to_cpu(hdr->opcode);
	if (!!(opcode & LEGO_OP_REPLY) != want_reply)
		return LEGO_DROP_OPCODE;
	opcode &= ~LEGO_OP_REPLY;
	if (!opcode || opcode >= __LEGO_OP_MAX)
		return LEGO_DROP_OPCODE;
	if (!want_reply && (len < lego_request_len[opcode].min ||
			    len > lego_request_len[opcode].max))
		return LEGO_DROP_LENGTH;
	/* The transport's own requests are vNode 0; memory ones name one. */
	vnode = le32_to_cpu(hdr->vnode);
	if (vnode > LEGO_VNODE_MAX ||
	    (opcode >= LEGO_OP_MEM_FIRST && opcode != LEGO_OP_MEM_STAT) != !!vnode)
		return LEGO_DROP_VNODE;
	status = (s32)le32_to_cpu(hdr->status);
	if (hdr->reserved || (!want_reply && status) ||
	    (want_reply && (status > 0 || status < -4095)))
		return LEGO_DROP_FIELD;

	msg->opcode = opcode;
	msg->vnode = vnode;
	msg->len = len;
	msg->req_id = le64_to_cpu(hdr->req_id);
	msg->status = status;
	return LEGO_DROP_NONE;
}

void lego_msg_header(void *buf, u16 opcode, u32 vnode, u32 len, u64 req_id,
		     s32 status)
{
	struct lego_msg_hdr *hdr = buf;

	hdr->magic = cpu_to_le32(LEGO_WIRE_MAGIC);
	hdr->version = cpu_to_le16(LEGO_WIRE_VERSION);
	hdr->opcode = cpu_to_le16(opcode);
	hdr->vnode = cpu_to_le32(vnode);
	hdr->len = cpu_to_le32(len);
	hdr->req_id = cpu_to_le64(req_id);
	hdr->status = cpu_to_le32((u32)status);
	hdr->reserved = 0;
}

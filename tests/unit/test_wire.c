// SPDX-License-Identifier: GPL-2.0
/* Message checks: modules/transport/wire.c, as built into lego.ko. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lego/wire_check.h"

static unsigned char buf[LEGO_MSG_MAX];

/* A good request of @len payload bytes; returns its size on the wire. */
static u32 request(u32 len)
{
	memset(buf, 0xa5, sizeof(buf));
	lego_msg_header(buf, LEGO_OP_ECHO, 0, len, 77, 0);
	return sizeof(struct lego_msg_hdr) + len;
}

static struct lego_msg_hdr *hdr(void)
{
	return (struct lego_msg_hdr *)buf;
}

static void good_request_and_reply(void **state)
{
	struct lego_msg msg;

	(void)state;
	assert_int_equal(lego_msg_check(buf, request(64), false, &msg),
			 LEGO_DROP_NONE);
	assert_int_equal(msg.opcode, LEGO_OP_ECHO);
	assert_int_equal(msg.len, 64);
	assert_int_equal(msg.req_id, 77);
	assert_int_equal(lego_msg_check(buf, request(0), false, &msg),
			 LEGO_DROP_NONE);
	assert_int_equal(lego_msg_check(buf, request(LEGO_PAYLOAD_MAX), false,
					&msg), LEGO_DROP_NONE);

	lego_msg_header(buf, LEGO_OP_ECHO | LEGO_OP_REPLY, 0, 8, 78, -EIO);
	assert_int_equal(lego_msg_check(buf, sizeof(struct lego_msg_hdr) + 8,
					true, &msg), LEGO_DROP_NONE);
	assert_int_equal(msg.status, -EIO);
	assert_int_equal(msg.opcode, LEGO_OP_ECHO);
}

static void payload_length_per_opcode(void **state)
{
	struct lego_msg msg;
	u32 n = sizeof(struct lego_msg_hdr);

	(void)state;
	lego_msg_header(buf, LEGO_OP_MR_GRANT, 0,
			sizeof(struct lego_mr_grant_req), 1, 0);
	assert_int_equal(lego_msg_check(buf, n + sizeof(struct lego_mr_grant_req),
					false, &msg), LEGO_DROP_NONE);
	lego_msg_header(buf, LEGO_OP_MR_GRANT, 0, 4, 1, 0);
	assert_int_equal(lego_msg_check(buf, n + 4, false, &msg),
			 LEGO_DROP_LENGTH);
	lego_msg_header(buf, LEGO_OP_PATTERN, 0, 4, 1, 0);
	assert_int_equal(lego_msg_check(buf, n + 4, false, &msg),
			 LEGO_DROP_LENGTH);
	lego_msg_header(buf, LEGO_OP_MR_REVOKE, 0, 0, 1, 0);
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_LENGTH);
	lego_msg_header(buf, LEGO_OP_MR_REVOKE, 0, 16, 1, 0);
	assert_int_equal(lego_msg_check(buf, n + 16, false, &msg),
			 LEGO_DROP_LENGTH);
	/* Replies are sized by their waiter, not here. */
	lego_msg_header(buf, LEGO_OP_MR_GRANT | LEGO_OP_REPLY, 0, 0, 1, -ENOMEM);
	assert_int_equal(lego_msg_check(buf, n, true, &msg), LEGO_DROP_NONE);
}

/* The vNode requests: sized, and for a vNode; VNODE_DEL carries nothing. */
static void vnode_requests(void **state)
{
	struct lego_msg msg;
	u32 n = sizeof(struct lego_msg_hdr);

	(void)state;
	lego_msg_header(buf, LEGO_OP_VNODE_NEW, 3,
			sizeof(struct lego_vnode_req), 1, 0);
	assert_int_equal(lego_msg_check(buf, n + sizeof(struct lego_vnode_req),
					false, &msg), LEGO_DROP_NONE);
	lego_msg_header(buf, LEGO_OP_VNODE_NEW, 0,
			sizeof(struct lego_vnode_req), 1, 0);
	assert_int_equal(lego_msg_check(buf, n + sizeof(struct lego_vnode_req),
					false, &msg), LEGO_DROP_VNODE);
	lego_msg_header(buf, LEGO_OP_VNODE_NEW, 3, 8, 1, 0);
	assert_int_equal(lego_msg_check(buf, n + 8, false, &msg),
			 LEGO_DROP_LENGTH);
	lego_msg_header(buf, LEGO_OP_VNODE_DEL, 3, 0, 1, 0);
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_NONE);
	lego_msg_header(buf, LEGO_OP_VNODE_DEL, 3, 4, 1, 0);
	assert_int_equal(lego_msg_check(buf, n + 4, false, &msg),
			 LEGO_DROP_LENGTH);
	lego_msg_header(buf, LEGO_OP_MEM_CLONE, 3,
			sizeof(struct lego_mem_clone_req), 1, 0);
	assert_int_equal(lego_msg_check(buf,
					n + sizeof(struct lego_mem_clone_req),
					false, &msg), LEGO_DROP_NONE);
	lego_msg_header(buf, LEGO_OP_MEM_CLONE, 3,
			sizeof(struct lego_mem_req), 1, 0);
	assert_int_equal(lego_msg_check(buf, n + sizeof(struct lego_mem_req),
					false, &msg), LEGO_DROP_LENGTH);
}

/* The replicas' requests: sized, and for a vNode. */
static void replica_requests(void **state)
{
	static const struct {
		u16 op;
		u32 len;
	} good[] = {
		{ LEGO_OP_MEM_REPLACE, sizeof(struct lego_mem_replace_req) },
		{ LEGO_OP_MEM_COPY, sizeof(struct lego_mem_copy_req) },
		{ LEGO_OP_MEM_FILL,
		  sizeof(struct lego_mem_own_req) + LEGO_PAGE_SIZE },
	};
	u32 n = sizeof(struct lego_msg_hdr);
	struct lego_msg msg;
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		lego_msg_header(buf, good[i].op, 3, good[i].len, 1, 0);
		assert_int_equal(lego_msg_check(buf, n + good[i].len, false,
						&msg), LEGO_DROP_NONE);
		lego_msg_header(buf, good[i].op, 0, good[i].len, 1, 0);
		assert_int_equal(lego_msg_check(buf, n + good[i].len, false,
						&msg), LEGO_DROP_VNODE);
		lego_msg_header(buf, good[i].op, 3, good[i].len - 4, 1, 0);
		assert_int_equal(lego_msg_check(buf, n + good[i].len - 4, false,
						&msg), LEGO_DROP_LENGTH);
	}
}

static void vnode_per_opcode(void **state)
{
	struct lego_msg msg;
	u32 n = sizeof(struct lego_msg_hdr) + sizeof(struct lego_mem_req);

	(void)state;
	lego_msg_header(buf, LEGO_OP_MEM_FETCH, 7, sizeof(struct lego_mem_req),
			1, 0);
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_NONE);
	assert_int_equal(msg.vnode, 7);
	/* Memory requests need a vNode, the transport's must have none. */
	lego_msg_header(buf, LEGO_OP_MEM_FETCH, 0, sizeof(struct lego_mem_req),
			1, 0);
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_VNODE);
	lego_msg_header(buf, LEGO_OP_MEM_FETCH, LEGO_VNODE_MAX + 1,
			sizeof(struct lego_mem_req), 1, 0);
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_VNODE);
	lego_msg_header(buf, LEGO_OP_MEM_STAT, 0, 0, 1, 0);
	assert_int_equal(lego_msg_check(buf, sizeof(struct lego_msg_hdr), false,
					&msg), LEGO_DROP_NONE);
	/* A write-back carries exactly one page. */
	lego_msg_header(buf, LEGO_OP_MEM_WRITEBACK, 7,
			sizeof(struct lego_mem_req) + 4095, 1, 0);
	assert_int_equal(lego_msg_check(buf, n + 4095, false, &msg),
			 LEGO_DROP_LENGTH);
	lego_msg_header(buf, LEGO_OP_MEM_WRITEBACK, 7,
			sizeof(struct lego_mem_req) + 4096, 1, 0);
	assert_int_equal(lego_msg_check(buf, n + 4096, false, &msg),
			 LEGO_DROP_NONE);
}

static void header_is_little_endian(void **state)
{
	(void)state;
	request(3);
	assert_int_equal(buf[0], 'L');
	assert_int_equal(buf[1], 'E');
	assert_int_equal(buf[2], 'G');
	assert_int_equal(buf[3], 'O');
	assert_int_equal(buf[12], 3);	/* len, low byte first */
	assert_int_equal(sizeof(struct lego_msg_hdr), 32);
}

static void drops(void **state)
{
	struct lego_msg msg = { .req_id = 5 };
	u32 n;

	(void)state;
	n = request(16);
	assert_int_equal(lego_msg_check(buf, 0, false, &msg), LEGO_DROP_SHORT);
	assert_int_equal(lego_msg_check(buf, sizeof(struct lego_msg_hdr) - 1,
					false, &msg), LEGO_DROP_SHORT);
	hdr()->magic ^= 1;
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_MAGIC);
	n = request(16);
	hdr()->version = cpu_to_le16(LEGO_WIRE_VERSION + 1);
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_VERSION);
	n = request(16);
	assert_int_equal(lego_msg_check(buf, n - 1, false, &msg), LEGO_DROP_LENGTH);
	assert_int_equal(lego_msg_check(buf, n + 1, false, &msg), LEGO_DROP_LENGTH);
	hdr()->len = cpu_to_le32(0xffffffe0U);
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_LENGTH);
	n = request(16);
	assert_int_equal(lego_msg_check(buf, n, true, &msg), LEGO_DROP_OPCODE);
	hdr()->opcode = 0;
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_OPCODE);
	hdr()->opcode = cpu_to_le16(__LEGO_OP_MAX);
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_OPCODE);
	n = request(16);
	hdr()->vnode = cpu_to_le32(1);
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_VNODE);
	n = request(16);
	hdr()->reserved = cpu_to_le32(1);
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_FIELD);
	n = request(16);
	hdr()->status = cpu_to_le32((u32)-EIO);
	assert_int_equal(lego_msg_check(buf, n, false, &msg), LEGO_DROP_FIELD);
	lego_msg_header(buf, LEGO_OP_ECHO | LEGO_OP_REPLY, 0, 0, 1, 1);
	assert_int_equal(lego_msg_check(buf, sizeof(struct lego_msg_hdr), true,
					&msg), LEGO_DROP_FIELD);
	assert_int_equal(msg.req_id, 5);	/* untouched on a drop */
}

static void drop_names(void **state)
{
	(void)state;
	assert_string_equal(lego_drop_name(LEGO_DROP_MAGIC), "bad_magic");
	assert_string_equal(lego_drop_name(LEGO_DROP_STALE), "stale_reply");
	assert_string_equal(lego_drop_name(__LEGO_DROP_MAX), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_request_and_reply),
		cmocka_unit_test(header_is_little_endian),
		cmocka_unit_test(payload_length_per_opcode),
		cmocka_unit_test(vnode_per_opcode),
		cmocka_unit_test(vnode_requests),
		cmocka_unit_test(replica_requests),
		cmocka_unit_test(drops),
		cmocka_unit_test(drop_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

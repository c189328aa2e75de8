// SPDX-License-Identifier: GPL-2.0
/*
 * lego-fuzz: connect to a monitor's rdma_cm port from userspace and send
 * it malformed messages, one of each kind the wire check must drop, then
 * one good echo request whose reply must come back intact.
 *
 * Usage: lego-fuzz ADDRESS [PORT]
 * Prints one line per message sent, "dropped REASON N" totals, and exits
 * 0 when everything was sent and the final echo came back right.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rdma/rdma_cma.h>
#include <rdma/rdma_verbs.h>

#include "lego/compat.h"
#include "lego/wire.h"

struct fuzz_case {
	const char *reason;	/* the drop counter it must move */
	const char *what;
	void (*mangle)(struct lego_msg_hdr *hdr, size_t *bytes);
};

static void good_header(struct lego_msg_hdr *hdr, uint32_t len, uint64_t id)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->magic = cpu_to_le32(LEGO_WIRE_MAGIC);
	hdr->version = cpu_to_le16(LEGO_WIRE_VERSION);
	hdr->opcode = cpu_to_le16(LEGO_OP_ECHO);
	hdr->len = cpu_to_le32(len);
	hdr->req_id = cpu_to_le64(id);
}

static void truncate_header(struct lego_msg_hdr *hdr, size_t *bytes)
{
	(void)hdr;
	*bytes = sizeof(*hdr) / 2;
}

static void bad_magic(struct lego_msg_hdr *hdr, size_t *bytes)
{
	(void)bytes;
	hdr->magic = cpu_to_le32(0xdeadbeef);
}

static void bad_version(struct lego_msg_hdr *hdr, size_t *bytes)
{
	(void)bytes;
	hdr->version = cpu_to_le16(LEGO_WIRE_VERSION + 1);
}

static void len_too_long(struct lego_msg_hdr *hdr, size_t *bytes)
{
	(void)bytes;
	hdr->len = cpu_to_le32(le32_to_cpu(hdr->len) + 1);
}

static void len_huge(struct lego_msg_hdr *hdr, size_t *bytes)
{
	(void)bytes;
	hdr->len = cpu_to_le32(0xfffffff0U);
}

static void opcode_zero(struct lego_msg_hdr *hdr, size_t *bytes)
{
	(void)bytes;
	hdr->opcode = 0;
}

static void opcode_unknown(struct lego_msg_hdr *hdr, size_t *bytes)
{
	(void)bytes;
	hdr->opcode = cpu_to_le16(0x7fff);
}

static void opcode_reply(struct lego_msg_hdr *hdr, size_t *bytes)
{
	(void)bytes;
	hdr->opcode = cpu_to_le16(LEGO_OP_ECHO | LEGO_OP_REPLY);
}

static void bad_vnode(struct lego_msg_hdr *hdr, size_t *bytes)
{
	(void)bytes;
	hdr->vnode = cpu_to_le32(42);
}

static void reserved_set(struct lego_msg_hdr *hdr, size_t *bytes)
{
	(void)bytes;
	hdr->reserved = cpu_to_le32(1);
}

static void request_status(struct lego_msg_hdr *hdr, size_t *bytes)
{
	(void)bytes;
	hdr->status = cpu_to_le32((uint32_t)-EIO);
}

static const struct fuzz_case cases[] = {
	{ "short", "truncated header", truncate_header },
	{ "bad_magic", "wrong magic", bad_magic },
	{ "bad_version", "future version", bad_version },
	{ "bad_length", "len past the bytes sent", len_too_long },
	{ "bad_length", "len of 4 GiB", len_huge },
	{ "bad_opcode", "opcode 0", opcode_zero },
	{ "bad_opcode", "unknown opcode", opcode_unknown },
	{ "bad_opcode", "a reply sent as a request", opcode_reply },
	{ "bad_vnode", "unknown vNode", bad_vnode },
	{ "bad_field", "reserved field set", reserved_set },
	{ "bad_field", "status in a request", request_status },
};

#define PAYLOAD 64

static int send_and_wait(struct rdma_cm_id *id, struct ibv_mr *mr, void *buf,
			 size_t bytes)
{
	struct ibv_wc wc;
	int ret;

	if (rdma_post_send(id, NULL, buf, bytes, mr, IBV_SEND_SIGNALED))
		return -1;
	do {
		ret = rdma_get_send_comp(id, &wc);
	} while (ret == 0);
	return ret < 0 || wc.status != IBV_WC_SUCCESS ? -1 : 0;
}

int main(int argc, char *argv[])
{
	struct rdma_addrinfo hints = { .ai_port_space = RDMA_PS_TCP };
	struct ibv_qp_init_attr attr = {
		.cap = { .max_send_wr = 4, .max_recv_wr = 4,
			 .max_send_sge = 1, .max_recv_sge = 1 },
		.qp_type = IBV_QPT_RC,
		.sq_sig_all = 1,
	};
	static char tx[LEGO_MSG_MAX], rx[LEGO_MSG_MAX];
	struct lego_msg_hdr *hdr = (struct lego_msg_hdr *)tx;
	const struct lego_msg_hdr *reply = (struct lego_msg_hdr *)rx;
	struct rdma_addrinfo *res;
	struct ibv_mr *tx_mr, *rx_mr;
	struct rdma_cm_id *id;
	struct ibv_wc wc;
	size_t i, bytes;
	int ret;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: lego-fuzz ADDRESS [PORT]\n");
		return 2;
	}
	if (rdma_getaddrinfo(argv[1], argc == 3 ? argv[2] : "7471", &hints,
			     &res)) {
		perror("lego-fuzz: rdma_getaddrinfo");
		return 1;
	}
	if (rdma_create_ep(&id, res, NULL, &attr)) {
		perror("lego-fuzz: rdma_create_ep");
		return 1;
	}
	tx_mr = rdma_reg_msgs(id, tx, sizeof(tx));
	rx_mr = rdma_reg_msgs(id, rx, sizeof(rx));
	if (!tx_mr || !rx_mr) {
		perror("lego-fuzz: rdma_reg_msgs");
		return 1;
	}
	/* Posted before connecting: the echo's reply lands here. */
	if (rdma_post_recv(id, NULL, rx, sizeof(rx), rx_mr) ||
	    rdma_connect(id, NULL)) {
		perror("lego-fuzz: connect");
		return 1;
	}

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		good_header(hdr, PAYLOAD, 1000 + i);
		bytes = sizeof(*hdr) + PAYLOAD;
		cases[i].mangle(hdr, &bytes);
		if (send_and_wait(id, tx_mr, tx, bytes)) {
			fprintf(stderr, "lego-fuzz: sending '%s' failed\n",
				cases[i].what);
			return 1;
		}
		printf("sent %s (must count as dropped_%s)\n", cases[i].what,
		       cases[i].reason);
	}

	/* The monitor must still serve a good request, on this connection. */
	good_header(hdr, PAYLOAD, 4242);
	for (i = 0; i < PAYLOAD; i++)
		tx[sizeof(*hdr) + i] = (char)(i * 7 + 1);
	if (send_and_wait(id, tx_mr, tx, sizeof(*hdr) + PAYLOAD))
		return 1;
	do {
		ret = rdma_get_recv_comp(id, &wc);
	} while (ret == 0);
	if (ret < 0 || wc.status != IBV_WC_SUCCESS ||
	    wc.byte_len != sizeof(*hdr) + PAYLOAD ||
	    le16_to_cpu(reply->opcode) != (LEGO_OP_ECHO | LEGO_OP_REPLY) ||
	    le64_to_cpu(reply->req_id) != 4242 || reply->status ||
	    memcmp(rx + sizeof(*hdr), tx + sizeof(*hdr), PAYLOAD)) {
		fprintf(stderr, "lego-fuzz: the good echo did not come back intact\n");
		return 1;
	}
	printf("echo after the malformed messages: intact\n");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t j, n = 0;

		for (j = 0; j < ARRAY_SIZE(cases); j++)
			n += !strcmp(cases[j].reason, cases[i].reason);
		if (!i || strcmp(cases[i - 1].reason, cases[i].reason))
			printf("dropped %s %zu\n", cases[i].reason, n);
	}

	rdma_disconnect(id);
	rdma_dereg_mr(tx_mr);
	rdma_dereg_mr(rx_mr);
	rdma_destroy_ep(id);
	rdma_freeaddrinfo(res);
	return 0;
}

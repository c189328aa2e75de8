// SPDX-License-Identifier: GPL-2.0
/*
 * lego-fuzz's connection to a monitor: an RC endpoint of librdmacm with
 * registered buffers, and requests sent on it one at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

void good_header(struct lego_msg_hdr *hdr, uint32_t len, uint64_t id)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->magic = cpu_to_le32(LEGO_WIRE_MAGIC);
	hdr->version = cpu_to_le16(LEGO_WIRE_VERSION);
	hdr->opcode = cpu_to_le16(LEGO_OP_ECHO);
	hdr->len = cpu_to_le32(len);
	hdr->req_id = cpu_to_le64(id);
}

struct conn *conn_open(const char *addr, const char *port)
{
	struct rdma_addrinfo hints = { .ai_port_space = RDMA_PS_TCP };
	struct ibv_qp_init_attr attr = {
		.cap = { .max_send_wr = FUZZ_BURST, .max_recv_wr = FUZZ_BURST + 1,
			 .max_send_sge = 1, .max_recv_sge = 1 },
		.qp_type = IBV_QPT_RC,
		.sq_sig_all = 1,
	};
	struct rdma_conn_param param = {
		.responder_resources = 1,
		.initiator_depth = 1,
		.retry_count = 7,
		.rnr_retry_count = 7,
	};
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (rdma_getaddrinfo(addr, port, &hints, &c->res)) {
		perror("lego-fuzz: rdma_getaddrinfo");
		return NULL;
	}
	if (rdma_create_ep(&c->id, c->res, NULL, &attr)) {
		perror("lego-fuzz: rdma_create_ep");
		return NULL;
	}
	c->tx_mr = rdma_reg_msgs(c->id, c->tx, sizeof(c->tx));
	c->rx_mr = rdma_reg_msgs(c->id, c->rx, sizeof(c->rx));
	c->rd_mr = ibv_reg_mr(c->id->pd, c->rd, sizeof(c->rd),
			      IBV_ACCESS_LOCAL_WRITE);
	c->blk_mr = ibv_reg_mr(c->id->pd, c->blk, sizeof(c->blk),
			       IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ |
			       IBV_ACCESS_REMOTE_WRITE);
	c->burst_mr = rdma_reg_msgs(c->id, c->burst, sizeof(c->burst));
	c->replies_mr = rdma_reg_msgs(c->id, c->replies, sizeof(c->replies));
	if (!c->tx_mr || !c->rx_mr || !c->rd_mr || !c->blk_mr ||
	    !c->burst_mr || !c->replies_mr) {
		perror("lego-fuzz: registering buffers");
		return NULL;
	}
	/* Posted before connecting: the first reply lands here. */
	if (rdma_post_recv(c->id, NULL, c->rx, sizeof(c->rx), c->rx_mr) ||
	    rdma_connect(c->id, &param)) {
		perror("lego-fuzz: connect");
		return NULL;
	}
	return c;
}

void conn_close(struct conn *c)
{
	rdma_disconnect(c->id);
	rdma_dereg_mr(c->tx_mr);
	rdma_dereg_mr(c->rx_mr);
	ibv_dereg_mr(c->rd_mr);
	ibv_dereg_mr(c->blk_mr);
	rdma_dereg_mr(c->burst_mr);
	rdma_dereg_mr(c->replies_mr);
	rdma_destroy_ep(c->id);
	rdma_freeaddrinfo(c->res);
	free(c);
}

/* Wait for the send completion; its status, or -1. */
int send_comp(struct conn *c)
{
	struct ibv_wc wc;
	int ret;

	do {
		ret = rdma_get_send_comp(c->id, &wc);
	} while (ret == 0);
	return ret < 0 ? -1 : (int)wc.status;
}

int send_and_wait(struct conn *c, size_t bytes)
{
	if (rdma_post_send(c->id, NULL, c->tx, bytes, c->tx_mr,
			   IBV_SEND_SIGNALED))
		return -1;
	return send_comp(c) == IBV_WC_SUCCESS ? 0 : -1;
}

/*
 * A request of vNode @vnode; its reply's payload length, -1 if no good
 * reply came. *@status is the reply's status.
 */
int call_vnode(struct conn *c, uint16_t opcode, uint32_t vnode,
	       const void *payload, uint32_t len, int *status)
{
	const struct lego_msg_hdr *reply = (struct lego_msg_hdr *)c->rx;
	struct lego_msg_hdr *hdr = (struct lego_msg_hdr *)c->tx;
	static uint64_t id = 5000;
	struct ibv_wc wc;
	int ret;

	good_header(hdr, len, ++id);
	hdr->opcode = cpu_to_le16(opcode);
	hdr->vnode = cpu_to_le32(vnode);
	memcpy(c->tx + sizeof(*hdr), payload, len);
	if (send_and_wait(c, sizeof(*hdr) + len))
		return -1;
	do {
		ret = rdma_get_recv_comp(c->id, &wc);
	} while (ret == 0);
	if (ret < 0 || wc.status != IBV_WC_SUCCESS ||
	    wc.byte_len < sizeof(*hdr) ||
	    le16_to_cpu(reply->opcode) != (opcode | LEGO_OP_REPLY) ||
	    le64_to_cpu(reply->req_id) != id ||
	    rdma_post_recv(c->id, NULL, c->rx, sizeof(c->rx), c->rx_mr))
		return -1;
	*status = (int32_t)le32_to_cpu(reply->status);
	return (int)(wc.byte_len - sizeof(*hdr));
}

/* A request of the transport's own: its reply's length if it succeeded. */
int call(struct conn *c, uint16_t opcode, const void *payload, uint32_t len)
{
	int status, ret = call_vnode(c, opcode, 0, payload, len, &status);

	return ret < 0 || status ? -1 : ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * lego-fuzz --random: for a bounded time, messages drawn at random from
 * the wire format's own structures: known and unknown opcodes, vNode ids
 * (its own 7 and 8, none, any), lengths that fit the payload or do not,
 * request ids fresh, replayed or random, memory and block requests whose
 * fields are near the valid ones (its own space and volume, their
 * neighbours, boundaries) or garbage, header fields broken now and then,
 * and bursts of up to FUZZ_BURST messages sent without waiting. Every
 * reply is read; a connection the monitor breaks (a one-sided transfer
 * it could not do) is made again. At the end a good echo must come back
 * intact, and what it made (vNodes 7 and 8, its volume) is deleted, so
 * that the monitor holds what it held before.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "lego/vregion.h"

#define FUZZ_ASID	4242
#define FUZZ_VOLUME	"lego-fuzz-r"

struct fuzz_state {
	uint64_t rng;
	uint64_t next_id, last_id;
	uint64_t key, addr;		/* its address space, once mapped */
	uint32_t volume;		/* its volume, once made */
	uint64_t volume_key;
	unsigned long sent, bursts, replies, errors, reconnects;
};

static uint64_t rnd(struct fuzz_state *st)
{
	uint64_t x = st->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	st->rng = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static uint64_t below(struct fuzz_state *st, uint64_t n)
{
	return rnd(st) % n;
}

static bool chance(struct fuzz_state *st, unsigned int percent)
{
	return below(st, 100) < percent;
}

static uint32_t pick_vnode(struct fuzz_state *st)
{
	switch (below(st, 8)) {
	case 0:
		return 0;
	case 1:
		return 8;
	case 2:
		return (uint32_t)rnd(st);
	default:
		return 7;
	}
}

static uint64_t pick_key(struct fuzz_state *st, uint64_t key)
{
	switch (below(st, 5)) {
	case 0:
		return 0;
	case 1:
		return key ^ (1ULL << below(st, 64));
	case 2:
		return rnd(st);
	default:
		return key;
	}
}

static uint64_t pick_addr(struct fuzz_state *st)
{
	uint64_t own = st->addr ? st->addr : LEGO_MEM_WINDOW_BASE;

	switch (below(st, 6)) {
	case 0:
		return rnd(st);
	case 1:
		return rnd(st) & ~(uint64_t)(LEGO_PAGE_SIZE - 1);
	case 2:
		return LEGO_MEM_WINDOW_BASE + below(st, 1 << 20) * LEGO_PAGE_SIZE;
	case 3:
		return own + below(st, 32) * LEGO_PAGE_SIZE - 8 * LEGO_PAGE_SIZE;
	default:
		return own;
	}
}

static uint64_t pick_len(struct fuzz_state *st)
{
	switch (below(st, 6)) {
	case 0:
		return rnd(st);
	case 1:
		return 0;
	case 2:
		return below(st, 64) * LEGO_PAGE_SIZE;
	case 3:
		return 1ULL << below(st, 48);
	default:
		return LEGO_PAGE_SIZE;
	}
}

static void random_bytes(struct fuzz_state *st, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)rnd(st);
}

/* @len bytes of @src as the payload in @buf: its length. */
static uint32_t put(void *buf, const void *src, uint32_t len)
{
	memcpy(buf, src, len);
	return len;
}

static uint32_t mem_payload(struct fuzz_state *st, uint16_t op, void *buf)
{
	struct lego_mem_req req = {
		.asid = cpu_to_le32(chance(st, 80) ? FUZZ_ASID :
						     (uint32_t)rnd(st)),
		.prot = cpu_to_le32(below(st, 8)),
		.addr = cpu_to_le64(pick_addr(st)),
		.len = cpu_to_le64(pick_len(st)),
		.key = cpu_to_le64(pick_key(st, st->key)),
	};
	struct lego_mem_own_req own = {
		.op = cpu_to_le16(LEGO_OP_MEM_MAP + below(st, 6)),
		.pmon = (uint32_t)rnd(st),
		.src_asid = cpu_to_le32(FUZZ_ASID),
		.src_key = cpu_to_le64(pick_key(st, st->key)),
	};
	struct lego_mem_clone_req clone = {
		.req.asid = cpu_to_le32(FUZZ_ASID + below(st, 3)),
		.src_asid = cpu_to_le32(FUZZ_ASID),
		.src_key = cpu_to_le64(pick_key(st, st->key)),
	};
	struct lego_mem_replace_req replace = {
		.lost = chance(st, 50) ? 0 : (uint32_t)rnd(st),
		.reserved = chance(st, 5),
	};
	struct lego_mem_copy_req copy = {
		.to = (uint32_t)rnd(st),
		.reserved = chance(st, 5),
	};

	/* REPLACE and COPY name whole vRegions. */
	if ((op == LEGO_OP_MEM_REPLACE || op == LEGO_OP_MEM_COPY) &&
	    chance(st, 70)) {
		req.addr = cpu_to_le64(le64_to_cpu(req.addr) & ~(LEGO_VREGION_SIZE - 1));
		req.len = cpu_to_le64(LEGO_VREGION_SIZE);
	}
	switch (op) {
	case LEGO_OP_MEM_OWN:
		own.req = req;
		return put(buf, &own, sizeof(own));
	case LEGO_OP_MEM_REPLACE:
		replace.req = req;
		return put(buf, &replace, sizeof(replace));
	case LEGO_OP_MEM_COPY:
		copy.req = req;
		return put(buf, &copy, sizeof(copy));
	case LEGO_OP_MEM_FILL:
		own.op = cpu_to_le16(LEGO_OP_MEM_FILL);
		own.req = req;
		memcpy(buf, &own, sizeof(own));
		random_bytes(st, (char *)buf + sizeof(own), LEGO_PAGE_SIZE);
		return sizeof(own) + LEGO_PAGE_SIZE;
	case LEGO_OP_MEM_CLONE:
		return put(buf, &clone, sizeof(clone));
	case LEGO_OP_MEM_WRITEBACK:
		memcpy(buf, &req, sizeof(req));
		random_bytes(st, (char *)buf + sizeof(req), LEGO_PAGE_SIZE);
		return sizeof(req) + LEGO_PAGE_SIZE;
	default:
		return put(buf, &req, sizeof(req));
	}
}

static uint32_t blk_payload(struct fuzz_state *st, struct conn *c, uint16_t op,
			    void *buf)
{
	static const uint32_t lens[] = { 0, 512, 1000, 4096, 8192,
					 LEGO_BLK_IO_MAX, LEGO_BLK_ZERO_MAX };
	struct lego_blk_req req = {
		.volume = cpu_to_le32(chance(st, 80) ? st->volume :
						       (uint32_t)below(st, 70)),
		.flags = cpu_to_le32(chance(st, 5) ? (uint32_t)rnd(st) :
				     (chance(st, 50) ? LEGO_BLK_INLINE : 0) |
				     (chance(st, 20) ? LEGO_BLK_FUA : 0) |
				     (chance(st, 3) ? LEGO_BLK_INVALIDATE : 0)),
		.key = cpu_to_le64(pick_key(st, st->volume_key)),
		.offset = cpu_to_le64(chance(st, 80) ?
				      below(st, 2048) * LEGO_BLK_SECTOR :
				      rnd(st)),
		.len = cpu_to_le32(chance(st, 90) ? lens[below(st, 5)] :
				   lens[below(st, ARRAY_SIZE(lens))]),
		/* Mostly its own buffer: a bad rkey breaks the connection. */
		.rkey = cpu_to_le32(chance(st, 97) ? c->blk_mr->rkey :
						     (uint32_t)rnd(st)),
		.addr = cpu_to_le64((uintptr_t)c->blk),
	};
	struct lego_blk_create_req create = {
		.bytes = cpu_to_le64(chance(st, 80) ? 1 << 20 : pick_len(st)),
	};
	uint32_t data = 0;

	if (op == LEGO_OP_BLK_CREATE) {
		/* One valid name only: made volumes replace each other. */
		if (chance(st, 80))
			strcpy(create.name, FUZZ_VOLUME);
		else
			memset(create.name, 'x', sizeof(create.name));
		return put(buf, &create, sizeof(create));
	}
	if (op == LEGO_OP_BLK_WRITE &&
	    le32_to_cpu(req.flags) & LEGO_BLK_INLINE)
		data = chance(st, 80) ? le32_to_cpu(req.len) :
					(uint32_t)below(st, LEGO_PAGE_SIZE);
	if (data > LEGO_BLK_INLINE_MAX)
		data = LEGO_BLK_INLINE_MAX;
	memcpy(buf, &req, sizeof(req));
	random_bytes(st, (char *)buf + sizeof(req), data);
	return sizeof(req) + data;
}

/* A message of some opcode, its payload built for it: its length. */
static uint32_t random_payload(struct fuzz_state *st, struct conn *c,
			       uint16_t op, uint32_t *vnode, void *buf)
{
	struct lego_vnode_req vn = {
		.mem = cpu_to_le64(pick_len(st)),
		.nr_mmons = cpu_to_le32(below(st, 3)),
		.copies = cpu_to_le32(below(st, 4)),
		.mmon = { (uint32_t)rnd(st), (uint32_t)rnd(st) },
	};
	struct lego_pattern_req pattern = {
		.bytes = cpu_to_le32(chance(st, 80) ? LEGO_PAGE_SIZE :
						      (uint32_t)rnd(st)),
	};
	struct lego_mr_grant_req grant = {
		.bytes = cpu_to_le32(chance(st, 80) ? LEGO_PAGE_SIZE :
						      (uint32_t)rnd(st)),
	};
	uint32_t len;

	switch (op) {
	case LEGO_OP_VNODE_NEW:
	case LEGO_OP_VNODE_DEL:
		/* Only its own: the rack's vNodes are the pmon's, as it is. */
		*vnode = chance(st, 70) ? 7 : 8;
		if (op == LEGO_OP_VNODE_DEL)
			return 0;
		return put(buf, &vn, sizeof(vn));
	case LEGO_OP_PATTERN:
		return put(buf, &pattern, sizeof(pattern));
	case LEGO_OP_MR_GRANT:
		return put(buf, &grant, sizeof(grant));
	case LEGO_OP_MEM_MAP ... LEGO_OP_MEM_STAT:
	case LEGO_OP_MEM_CLONE:
	case LEGO_OP_MEM_REPLACE ... LEGO_OP_MEM_FILL:
		return mem_payload(st, op, buf);
	case LEGO_OP_BLK_CREATE ... LEGO_OP_BLK_WRITE_ZEROES:
		return blk_payload(st, c, op, buf);
	default:
		len = (uint32_t)below(st, 256);
		random_bytes(st, buf, len);
		return len;
	}
}

/* Build one message in @msg: the bytes to send. */
static size_t random_message(struct fuzz_state *st, struct conn *c, char *msg)
{
	struct lego_msg_hdr *hdr = (struct lego_msg_hdr *)msg;
	uint16_t op = chance(st, 90) ? 1 + below(st, __LEGO_OP_MAX - 1) :
				       (uint16_t)rnd(st);
	uint32_t vnode = pick_vnode(st);
	uint32_t len = random_payload(st, c, op, &vnode, msg + sizeof(*hdr));
	size_t bytes = sizeof(*hdr) + len;
	uint64_t id;

	switch (below(st, 8)) {
	case 0:
		id = st->last_id;		/* replayed */
		break;
	case 1:
		id = rnd(st);
		break;
	default:
		id = ++st->next_id;
	}
	st->last_id = id;
	good_header(hdr, len, id);
	hdr->opcode = cpu_to_le16(op | (chance(st, 3) ? LEGO_OP_REPLY : 0));
	hdr->vnode = cpu_to_le32(vnode);
	if (!chance(st, 10))
		return bytes;
	switch (below(st, 6)) {
	case 0:
		hdr->magic ^= cpu_to_le32(1U << below(st, 32));
		break;
	case 1:
		hdr->version = cpu_to_le16((uint16_t)rnd(st));
		break;
	case 2:
		hdr->len = cpu_to_le32((uint32_t)rnd(st) % (2 * LEGO_MSG_MAX));
		break;
	case 3:
		hdr->status = cpu_to_le32((uint32_t)rnd(st));
		break;
	case 4:
		hdr->reserved = cpu_to_le32((uint32_t)rnd(st));
		break;
	default:
		bytes = below(st, bytes);	/* cut short */
	}
	return bytes;
}

static int post_reply_buffer(struct conn *c, unsigned int i)
{
	return rdma_post_recv(c->id, (void *)(uintptr_t)(i + 1), c->replies[i],
			      LEGO_MSG_MAX, c->replies_mr);
}

static struct conn *fuzz_connect(const char *addr, const char *port)
{
	struct conn *c = conn_open(addr, port);
	unsigned int i;

	for (i = 0; c && i < FUZZ_BURST; i++) {
		if (post_reply_buffer(c, i)) {
			conn_close(c);
			return NULL;
		}
	}
	return c;
}

/* What a reply tells: the space or volume it made, its status. */
static void take_reply(struct fuzz_state *st, const char *msg, uint32_t bytes)
{
	const struct lego_msg_hdr *hdr = (const struct lego_msg_hdr *)msg;
	const char *payload = msg + sizeof(*hdr);
	struct lego_blk_create_reply vol;
	struct lego_mem_map_reply map;
	uint16_t op;

	st->replies++;
	if (bytes < sizeof(*hdr))
		return;
	if (hdr->status) {
		st->errors++;
		return;
	}
	op = le16_to_cpu(hdr->opcode) & ~LEGO_OP_REPLY;
	if (op == LEGO_OP_MEM_MAP && bytes >= sizeof(*hdr) + sizeof(map)) {
		memcpy(&map, payload, sizeof(map));
		st->key = le64_to_cpu(map.key);
		st->addr = le64_to_cpu(map.addr);
	} else if (op == LEGO_OP_BLK_CREATE &&
		   bytes >= sizeof(*hdr) + sizeof(vol)) {
		memcpy(&vol, payload, sizeof(vol));
		st->volume = le32_to_cpu(vol.volume);
		st->volume_key = le64_to_cpu(vol.key);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Send a burst of @n messages, then read the replies that come within
 * 20 ms of each other. Return: -1 if the connection broke.
 */
static int burst(struct fuzz_state *st, struct conn *c, unsigned int n)
{
	unsigned int i, sent = 0;
	struct ibv_wc wc;
	double quiet;
	int ret = 0;

	for (i = 0; i < n; i++) {
		size_t bytes = random_message(st, c, c->burst[i]);

		if (rdma_post_send(c->id, NULL, c->burst[i], bytes,
				   c->burst_mr, IBV_SEND_SIGNALED))
			break;
		sent++;
	}
	st->sent += sent;
	st->bursts += n > 1;
	for (i = 0; i < sent; i++)
		if (send_comp(c) != IBV_WC_SUCCESS)
			ret = -1;
	if (ret || sent < n)
		return -1;
	quiet = now() + 0.02;
	while (now() < quiet) {
		int got = ibv_poll_cq(c->id->recv_cq, 1, &wc);

		if (got < 0 || (got && wc.status != IBV_WC_SUCCESS))
			return -1;
		if (!got)
			continue;
		i = (unsigned int)wc.wr_id;
		take_reply(st, i ? c->replies[i - 1] : c->rx, wc.byte_len);
		if (i ? post_reply_buffer(c, i - 1) :
			rdma_post_recv(c->id, NULL, c->rx, sizeof(c->rx),
				       c->rx_mr))
			return -1;
		quiet = now() + 0.02;
	}
	return 0;
}

/* Its own vNode and space (an mmon) or volume (an smon), to aim at. */
static void fuzz_setup(struct fuzz_state *st, struct conn *c, bool blocks)
{
	struct lego_vnode_req vn = {
		.mem = cpu_to_le64(64 << 20),
		.nr_mmons = cpu_to_le32(1),
	};
	struct lego_mem_req map = {
		.asid = cpu_to_le32(FUZZ_ASID),
		.prot = cpu_to_le32(3),
		.len = cpu_to_le64(16 * LEGO_PAGE_SIZE),
	};
	struct lego_blk_create_req create = { .bytes = cpu_to_le64(1 << 20) };
	int status;

	strcpy(create.name, FUZZ_VOLUME);
	if (blocks) {
		if (call_vnode(c, LEGO_OP_BLK_CREATE, 7, &create,
			       sizeof(create), &status) > 0 && !status)
			take_reply(st, c->rx, LEGO_MSG_MAX);
		return;
	}
	call_vnode(c, LEGO_OP_VNODE_NEW, 7, &vn, sizeof(vn), &status);
	if (call_vnode(c, LEGO_OP_MEM_MAP, 7, &map, sizeof(map), &status) > 0 &&
	    !status)
		take_reply(st, c->rx, LEGO_MSG_MAX);
}

/* Delete what the run made; the monitor must still answer right. */
static int fuzz_cleanup(struct fuzz_state *st, struct conn *c, bool blocks)
{
	struct lego_blk_req del = { 0 };
	char payload[64];
	unsigned int i;
	int status;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (char)(i * 13 + 5);
	if (call(c, LEGO_OP_ECHO, payload, sizeof(payload)) !=
	    (int)sizeof(payload) ||
	    memcmp(c->rx + sizeof(struct lego_msg_hdr), payload,
		   sizeof(payload))) {
		fprintf(stderr,
			"lego-fuzz: the echo after the run came back wrong\n");
		return -1;
	}
	printf("echo after the random run: intact\n");
	if (!blocks) {
		call_vnode(c, LEGO_OP_VNODE_DEL, 7, payload, 0, &status);
		call_vnode(c, LEGO_OP_VNODE_DEL, 8, payload, 0, &status);
		return 0;
	}
	/* Made once more, so that its volume and key are known. */
	st->volume_key = 0;
	fuzz_setup(st, c, true);
	del.volume = cpu_to_le32(st->volume);
	del.key = cpu_to_le64(st->volume_key);
	if (!st->volume_key ||
	    call_vnode(c, LEGO_OP_BLK_DELETE, 7, &del, sizeof(del),
		       &status) < 0 || status) {
		fprintf(stderr, "lego-fuzz: its volume could not be deleted\n");
		return -1;
	}
	return 0;
}

/**
 * fuzz_random() - random messages to a monitor for @seconds
 * @addr: the monitor
 * @port: its rdma_cm port
 * @blocks: it is an smon (else an mmon)
 * @seconds: how long
 * @seed: of the random choices, printed so that a run can be replayed
 *
 * Return: 0 if the monitor answered a good echo after it all and what
 * the run made could be deleted.
 */
int fuzz_random(const char *addr, const char *port, bool blocks,
		unsigned int seconds, uint64_t seed)
{
	struct fuzz_state st = { .rng = seed | 1, .next_id = 1 << 20 };
	double end = now() + seconds;
	struct conn *c;
	int ret;

	/* Setup and cleanup call one request at a time: no burst buffers. */
	c = conn_open(addr, port);
	if (!c)
		return -1;
	fuzz_setup(&st, c, blocks);
	conn_close(c);
	c = fuzz_connect(addr, port);
	if (!c)
		return -1;
	printf("random messages for %u s, seed %llu\n", seconds,
	       (unsigned long long)seed);
	while (now() < end) {
		unsigned int n = chance(&st, 20) ? 1 + below(&st, FUZZ_BURST) :
						  1;

		if (!burst(&st, c, n))
			continue;
		/* Broken by the monitor: a connection of its own again. */
		conn_close(c);
		st.reconnects++;
		c = fuzz_connect(addr, port);
		if (!c)
			return -1;
	}
	printf("sent %lu (%lu bursts), replies %lu (errors %lu), reconnects %lu\n",
	       st.sent, st.bursts, st.replies, st.errors, st.reconnects);
	conn_close(c);
	c = conn_open(addr, port);
	if (!c)
		return -1;
	ret = fuzz_cleanup(&st, c, blocks);
	conn_close(c);
	return ret;
}

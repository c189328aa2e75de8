// SPDX-License-Identifier: GPL-2.0
/*
 * lego-fuzz: connect to a monitor's rdma_cm port from userspace and send
 * it malformed messages, one of each kind the wire check must drop, then
 * one good echo request whose reply must come back intact. Then, as a
 * pmon of its own, forge memory requests (a vNode never created, another
 * vNode, a wrong key, an address outside any vma, a write-back to a
 * read-only vma, an owner's request, a fork of a space whose key it does
 * not have, a vNode deleted twice): each must be refused. Then forge one-sided access: memory the
 * monitor lent is readable with its rkey while lent, and neither after it
 * is revoked nor past its end.
 *
 * With --blocks the monitor is an smon: after the malformed messages,
 * forge block requests as a pmon of its own with a volume of its own
 * (another vNode, a wrong key, a volume that does not exist, out of
 * bounds, bad lengths and flags): each must be refused, while the good
 * ones move data by RDMA to and from this program's memory.
 *
 * Usage: lego-fuzz [--blocks] [--random SECONDS [--seed N]] ADDRESS [PORT]
 * Prints one line per message sent, "dropped REASON N" totals, one line
 * per one-sided check, and exits 0 when every outcome was the right one.
 * With --random, random messages instead, for SECONDS (fuzz_random.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "lego/pattern.h"

struct fuzz_case {
	const char *reason;	/* the drop counter it must move */
	const char *what;
	void (*mangle)(struct lego_msg_hdr *hdr, size_t *bytes);
};

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

/* One RDMA READ of @len bytes into c->rd; the completion's status. */
static int read_remote(struct conn *c, uint64_t addr, uint32_t rkey,
		       uint32_t len)
{
	memset(c->rd, 0, sizeof(c->rd));
	if (rdma_post_read(c->id, NULL, c->rd, len, c->rd_mr,
			   IBV_SEND_SIGNALED, addr, rkey))
		return -1;
	return send_comp(c);
}

static int grant(struct conn *c, uint32_t bytes, uint32_t seed,
		 struct lego_mr_grant_reply *g)
{
	struct lego_mr_grant_req req = {
		.bytes = cpu_to_le32(bytes),
		.seed = cpu_to_le32(seed),
	};

	if (call(c, LEGO_OP_MR_GRANT, &req, sizeof(req)) != sizeof(*g))
		return -1;
	memcpy(g, c->rx + sizeof(struct lego_msg_hdr), sizeof(*g));
	return 0;
}

static int malformed_then_echo(struct conn *c)
{
	struct lego_msg_hdr *hdr = (struct lego_msg_hdr *)c->tx;
	char payload[PAYLOAD];
	size_t i, bytes;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		good_header(hdr, PAYLOAD, 1000 + i);
		bytes = sizeof(*hdr) + PAYLOAD;
		cases[i].mangle(hdr, &bytes);
		if (send_and_wait(c, bytes)) {
			fprintf(stderr, "lego-fuzz: sending '%s' failed\n",
				cases[i].what);
			return -1;
		}
		printf("sent %s (must count as dropped_%s)\n", cases[i].what,
		       cases[i].reason);
	}

	/* The monitor must still serve a good request, on this connection. */
	for (i = 0; i < PAYLOAD; i++)
		payload[i] = (char)(i * 7 + 1);
	if (call(c, LEGO_OP_ECHO, payload, PAYLOAD) != PAYLOAD ||
	    memcmp(c->rx + sizeof(*hdr), payload, PAYLOAD)) {
		fprintf(stderr, "lego-fuzz: the good echo did not come back intact\n");
		return -1;
	}
	printf("echo after the malformed messages: intact\n");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t j, n = 0;

		for (j = 0; j < ARRAY_SIZE(cases); j++)
			n += !strcmp(cases[j].reason, cases[i].reason);
		if (!i || strcmp(cases[i - 1].reason, cases[i].reason))
			printf("dropped %s %zu\n", cases[i].reason, n);
	}
	return 0;
}

/* Lent memory reads back its pattern; after the revoke its rkey is dead. */
static int read_then_revoke(struct conn *c)
{
	struct lego_mr_grant_reply g;
	struct lego_mr_revoke_req rev = { 0 };
	int status;

	if (grant(c, 4096, 99, &g)) {
		fprintf(stderr, "lego-fuzz: the grant of 4 KiB failed\n");
		return -1;
	}
	status = read_remote(c, le64_to_cpu(g.addr), le32_to_cpu(g.rkey), 4096);
	if (status != IBV_WC_SUCCESS ||
	    lego_pattern_check(c->rd, 4096, 99, 0) != 4096) {
		fprintf(stderr, "lego-fuzz: reading lent memory: %s\n",
			status < 0 ? "cannot post" : ibv_wc_status_str(status));
		return -1;
	}
	printf("read of lent memory: intact\n");
	rev.rkey = g.rkey;
	if (call(c, LEGO_OP_MR_REVOKE, &rev, sizeof(rev)) != 0) {
		fprintf(stderr, "lego-fuzz: the revoke failed\n");
		return -1;
	}
	status = read_remote(c, le64_to_cpu(g.addr), le32_to_cpu(g.rkey), 4096);
	if (status != IBV_WC_REM_ACCESS_ERR) {
		fprintf(stderr, "lego-fuzz: read after the revoke: %s\n",
			status < 0 ? "cannot post" : ibv_wc_status_str(status));
		return -1;
	}
	printf("read after the revoke: refused (%s)\n", ibv_wc_status_str(status));
	return 0;
}

/* Lent memory's rkey does not reach past its end. */
static int read_past_grant(struct conn *c)
{
	struct lego_mr_grant_reply g;
	int status;

	if (grant(c, 4096, 5, &g)) {
		fprintf(stderr, "lego-fuzz: the grant of 4 KiB failed\n");
		return -1;
	}
	status = read_remote(c, le64_to_cpu(g.addr) + 4096,
			     le32_to_cpu(g.rkey), 4096);
	if (status != IBV_WC_REM_ACCESS_ERR) {
		fprintf(stderr, "lego-fuzz: read past the grant: %s\n",
			status < 0 ? "cannot post" : ibv_wc_status_str(status));
		return -1;
	}
	printf("read past the grant: refused (%s)\n", ibv_wc_status_str(status));
	return 0;
}

/* One memory request: its status, or 1 if no good reply came. */
static int mem(struct conn *c, uint16_t op, uint32_t vnode, uint64_t key,
	       uint64_t addr, uint64_t len, uint32_t prot, const void *page)
{
	struct lego_mem_req req = {
		.asid = cpu_to_le32(4242),
		.prot = cpu_to_le32(prot),
		.addr = cpu_to_le64(addr),
		.len = cpu_to_le64(len),
		.key = cpu_to_le64(key),
	};
	char buf[sizeof(req) + LEGO_PAGE_SIZE];
	uint32_t n = sizeof(req);
	int status;

	memcpy(buf, &req, sizeof(req));
	if (page) {
		memcpy(buf + sizeof(req), page, LEGO_PAGE_SIZE);
		n += LEGO_PAGE_SIZE;
	}
	return call_vnode(c, op, vnode, buf, n, &status) < 0 ? 1 : status;
}

static int expect(const char *what, int got, int want, int *refused)
{
	if (got != want) {
		fprintf(stderr, "lego-fuzz: %s: got %d, want %d\n", what, got,
			want);
		return -1;
	}
	printf("%s: %s\n", what, want ? strerror(-want) : "served");
	*refused += want != 0;
	return 0;
}

/* A vNode request's status, or 1 if it got no reply. */
static int vnode_op(struct conn *c, uint16_t op, uint32_t vnode,
		    const void *payload, uint32_t len)
{
	int status;

	return call_vnode(c, op, vnode, payload, len, &status) < 0 ? 1 : status;
}

/*
 * Memory requests as a pmon of its own (vNode 7, asid 4242): served when
 * right, refused and counted when forged.
 */
static int forge_memory(struct conn *c)
{
	struct lego_vnode_req vnode = {
		.mem = cpu_to_le64(1 << 20),
		.nr_mmons = cpu_to_le32(1),
	};
	struct lego_mem_clone_req clone = {
		.req.asid = cpu_to_le32(4244),
		.src_asid = cpu_to_le32(4242),
	};
	struct lego_mem_map_reply rep;
	struct lego_mem_own_req own = { .op = cpu_to_le16(LEGO_OP_MEM_MAP) };
	char page[LEGO_PAGE_SIZE];
	uint64_t key, addr;
	int refused = 0, status;

	memset(page, 0x5a, sizeof(page));
	if (expect("map in a vNode never created",
		   mem(c, LEGO_OP_MEM_MAP, 7, 0, 0, 4096, 3, NULL), -ENOENT,
		   &refused) ||
	    expect("create vNode 7",
		   vnode_op(c, LEGO_OP_VNODE_NEW, 7, &vnode, sizeof(vnode)), 0,
		   &refused) ||
	    expect("fetch from a space that does not exist",
		   mem(c, LEGO_OP_MEM_FETCH, 7, 1, LEGO_MEM_WINDOW_BASE, 4096, 0,
		       NULL), -ENOENT, &refused))
		return -1;
	if (mem(c, LEGO_OP_MEM_MAP, 7, 0, 0, 4096, 3, NULL)) {
		fprintf(stderr, "lego-fuzz: map of one page failed\n");
		return -1;
	}
	memcpy(&rep, c->rx + sizeof(struct lego_msg_hdr), sizeof(rep));
	key = le64_to_cpu(rep.key);
	addr = le64_to_cpu(rep.addr);
	if (expect("write-back to the own space",
		   mem(c, LEGO_OP_MEM_WRITEBACK, 7, key, addr, 4096, 0, page),
		   0, &refused) ||
	    expect("write-back with a forged key",
		   mem(c, LEGO_OP_MEM_WRITEBACK, 7, key ^ 1, addr, 4096, 0,
		       page), -ENOENT, &refused) ||
	    expect("fetch as another vNode",
		   mem(c, LEGO_OP_MEM_FETCH, 8, key, addr, 4096, 0, NULL),
		   -ENOENT, &refused) ||
	    expect("fetch outside any vma",
		   mem(c, LEGO_OP_MEM_FETCH, 7, key, addr + 4096, 4096, 0,
		       NULL), -EFAULT, &refused) ||
	    expect("protect read-only",
		   mem(c, LEGO_OP_MEM_PROTECT, 7, key, addr, 4096, 1, NULL),
		   0, &refused) ||
	    expect("write-back to a read-only vma",
		   mem(c, LEGO_OP_MEM_WRITEBACK, 7, key, addr, 4096, 0, page),
		   -EFAULT, &refused) ||
	    expect("map taking over the space without its key",
		   mem(c, LEGO_OP_MEM_MAP, 7, 0, 0, 4096, 3, NULL), -EACCES,
		   &refused))
		return -1;
	/* What only a home mmon may tell an owner. */
	own.req.asid = cpu_to_le32(4243);
	own.req.len = cpu_to_le64(4096);
	own.req.addr = cpu_to_le64(addr);
	own.req.key = cpu_to_le64(1);
	if (call_vnode(c, LEGO_OP_MEM_OWN, 7, &own, sizeof(own), &status) < 0 ||
	    expect("owner request from a non-mmon", status, -EACCES, &refused))
		return -1;
	clone.src_key = cpu_to_le64(key ^ 1);
	if (expect("fetch of the page written back",
		   mem(c, LEGO_OP_MEM_FETCH, 7, key, addr, 4096, 0, NULL), 0,
		   &refused) ||
	    memcmp(c->rx + sizeof(struct lego_msg_hdr), page, sizeof(page)) ||
	    expect("fork of the space with a forged key",
		   vnode_op(c, LEGO_OP_MEM_CLONE, 7, &clone, sizeof(clone)),
		   -ENOENT, &refused) ||
	    expect("free the space", mem(c, LEGO_OP_MEM_FREE, 7, key, 0, 0, 0,
					 NULL), 0, &refused) ||
	    expect("delete vNode 7",
		   vnode_op(c, LEGO_OP_VNODE_DEL, 7, page, 0), 0, &refused) ||
	    expect("delete vNode 7 again",
		   vnode_op(c, LEGO_OP_VNODE_DEL, 7, page, 0), -ENOENT,
		   &refused))
		return -1;
	printf("refused %d\n", refused);
	return 0;
}

/* One block request on volume @volume of vNode @vnode: its status. */
static int blk(struct conn *c, uint16_t op, uint32_t vnode, uint32_t volume,
	       uint64_t key, uint64_t offset, uint32_t len, uint32_t flags)
{
	struct lego_blk_req req = {
		.volume = cpu_to_le32(volume),
		.flags = cpu_to_le32(flags),
		.key = cpu_to_le64(key),
		.offset = cpu_to_le64(offset),
		.len = cpu_to_le32(len),
		.rkey = cpu_to_le32(c->blk_mr->rkey),
		.addr = cpu_to_le64((uintptr_t)c->blk),
	};

	return vnode_op(c, op, vnode, &req, sizeof(req));
}

/*
 * An inline READ or WRITE of @len bytes (LEGO_BLK_INLINE): @data_len bytes
 * of c->blk follow the request; a READ's data comes back in c->rx.
 */
static int blk_inline(struct conn *c, uint16_t op, uint32_t volume,
		      uint64_t key, uint64_t offset, uint32_t len,
		      uint32_t data_len)
{
	struct {
		struct lego_blk_req req;
		char data[LEGO_BLK_INLINE_MAX];
	} msg = {
		.req = {
			.volume = cpu_to_le32(volume),
			.flags = cpu_to_le32(LEGO_BLK_INLINE),
			.key = cpu_to_le64(key),
			.offset = cpu_to_le64(offset),
			.len = cpu_to_le32(len),
		},
	};

	memcpy(msg.data, c->blk, data_len);
	return vnode_op(c, op, 7, &msg, sizeof(msg.req) + data_len);
}

/* A volume of 1 MiB for vNode 7 named @name: its status. */
static int blk_create(struct conn *c, const char *name, uint64_t bytes,
		      uint32_t *volume, uint64_t *key)
{
	struct lego_blk_create_req req = { .bytes = cpu_to_le64(bytes) };
	struct lego_blk_create_reply rep;
	int status;

	memcpy(req.name, name, strnlen(name, sizeof(req.name)));
	if (call_vnode(c, LEGO_OP_BLK_CREATE, 7, &req, sizeof(req),
		       &status) < 0)
		return 1;
	memcpy(&rep, c->rx + sizeof(struct lego_msg_hdr), sizeof(rep));
	*volume = le32_to_cpu(rep.volume);
	*key = le64_to_cpu(rep.key);
	return status;
}

/*
 * Block requests as a pmon of its own (vNode 7, volume "lego-fuzz"):
 * served when right, refused and counted when forged.
 */
static int forge_blocks(struct conn *c)
{
	const uint64_t mib = 1 << 20;
	uint32_t vol, other;
	int refused = 0;
	uint64_t key, k;
	char want[4096];

	if (expect("volume named without its NUL",
		   blk_create(c, "0123456789abcdef0123456789abcdefXX", mib,
			      &other, &k), -EINVAL, &refused) ||
	    expect("volume of a size not a page multiple",
		   blk_create(c, "lego-fuzz", 1000, &other, &k), -EINVAL,
		   &refused) ||
	    expect("create a volume of 1 MiB",
		   blk_create(c, "lego-fuzz", mib, &vol, &key), 0, &refused))
		return -1;
	lego_pattern_fill(c->blk, 4096, 77, 0);
	memcpy(want, c->blk, sizeof(want));
	if (expect("write 4 KiB at 4 KiB",
		   blk(c, LEGO_OP_BLK_WRITE, 7, vol, key, 4096, 4096, 0), 0,
		   &refused))
		return -1;
	memset(c->blk, 0, sizeof(c->blk));
	if (expect("read them back",
		   blk(c, LEGO_OP_BLK_READ, 7, vol, key, 4096, 4096, 0), 0,
		   &refused))
		return -1;
	if (memcmp(c->blk, want, sizeof(want))) {
		fprintf(stderr, "lego-fuzz: the block read back differs\n");
		return -1;
	}
	printf("read back intact\n");
	lego_pattern_fill(c->blk, 4096, 78, 0);
	memcpy(want, c->blk, sizeof(want));
	if (expect("inline write of 4 KiB at 8 KiB",
		   blk_inline(c, LEGO_OP_BLK_WRITE, vol, key, 8192, 4096, 4096),
		   0, &refused) ||
	    expect("inline read of them",
		   blk_inline(c, LEGO_OP_BLK_READ, vol, key, 8192, 4096, 0), 0,
		   &refused))
		return -1;
	if (memcmp(c->rx + sizeof(struct lego_msg_hdr), want, sizeof(want))) {
		fprintf(stderr, "lego-fuzz: the inline read differs\n");
		return -1;
	}
	printf("inline read back intact\n");
	if (expect("inline write with its data cut short",
		   blk_inline(c, LEGO_OP_BLK_WRITE, vol, key, 8192, 4096, 512),
		   -EINVAL, &refused) ||
	    expect("inline read longer than a page",
		   blk_inline(c, LEGO_OP_BLK_READ, vol, key, 0, 8192, 0),
		   -EINVAL, &refused) ||
	    expect("inline read naming a registration",
		   blk(c, LEGO_OP_BLK_READ, 7, vol, key, 0, 4096,
		       LEGO_BLK_INLINE), -EINVAL, &refused))
		return -1;
	other = vol ? 0 : 1;	/* the slot of another volume, or none */
	if (expect("read as another vNode",
		   blk(c, LEGO_OP_BLK_READ, 8, vol, key, 0, 4096, 0), -EPERM,
		   &refused) ||
	    expect("read with a forged key",
		   blk(c, LEGO_OP_BLK_READ, 7, vol, key ^ 1, 0, 4096, 0),
		   -EPERM, &refused) ||
	    expect("read another pmon's volume with a guessed key",
		   blk(c, LEGO_OP_BLK_READ, 7, other, key, 0, 4096, 0), -EPERM,
		   &refused) ||
	    expect("write to a volume that does not exist",
		   blk(c, LEGO_OP_BLK_WRITE, 7, 1000, key, 0, 4096, 0), -EPERM,
		   &refused) ||
	    expect("read past the end",
		   blk(c, LEGO_OP_BLK_READ, 7, vol, key, mib, 512, 0), -ERANGE,
		   &refused) ||
	    expect("write across the end",
		   blk(c, LEGO_OP_BLK_WRITE, 7, vol, key, mib - 512, 1024, 0),
		   -ERANGE, &refused) ||
	    expect("discard from a wrapping offset",
		   blk(c, LEGO_OP_BLK_DISCARD, 7, vol, key, ~0ULL - 511, 512,
		       0), -ERANGE, &refused) ||
	    expect("read of no bytes",
		   blk(c, LEGO_OP_BLK_READ, 7, vol, key, 0, 0, 0), -EINVAL,
		   &refused) ||
	    expect("read of a length not in sectors",
		   blk(c, LEGO_OP_BLK_READ, 7, vol, key, 0, 1000, 0), -EINVAL,
		   &refused) ||
	    expect("read longer than one request may be",
		   blk(c, LEGO_OP_BLK_READ, 7, vol, key, 0,
		       LEGO_BLK_IO_MAX + 512, 0), -EINVAL, &refused) ||
	    expect("write at an offset not in sectors",
		   blk(c, LEGO_OP_BLK_WRITE, 7, vol, key, 100, 512, 0),
		   -EINVAL, &refused) ||
	    expect("flush with a length",
		   blk(c, LEGO_OP_BLK_FLUSH, 7, vol, key, 0, 512, 0), -EINVAL,
		   &refused) ||
	    expect("write with unknown flags",
		   blk(c, LEGO_OP_BLK_WRITE, 7, vol, key, 0, 512, 8), -EINVAL,
		   &refused) ||
	    expect("flush", blk(c, LEGO_OP_BLK_FLUSH, 7, vol, key, 0, 0, 0), 0,
		   &refused) ||
	    expect("discard the written block",
		   blk(c, LEGO_OP_BLK_DISCARD, 7, vol, key, 4096, 4096, 0), 0,
		   &refused) ||
	    expect("read it", blk(c, LEGO_OP_BLK_READ, 7, vol, key, 4096, 4096,
				  0), 0, &refused))
		return -1;
	memset(want, 0, sizeof(want));
	if (memcmp(c->blk, want, sizeof(want))) {
		fprintf(stderr, "lego-fuzz: a discarded block is not zero\n");
		return -1;
	}
	printf("discarded block reads zeroes\n");
	if (expect("delete the volume",
		   blk(c, LEGO_OP_BLK_DELETE, 7, vol, key, 0, 0, 0), 0,
		   &refused) ||
	    expect("read the deleted volume",
		   blk(c, LEGO_OP_BLK_READ, 7, vol, key, 0, 4096, 0), -EPERM,
		   &refused) ||
	    expect("delete it again",
		   blk(c, LEGO_OP_BLK_DELETE, 7, vol, key, 0, 0, 0), -EPERM,
		   &refused))
		return -1;
	printf("refused %d\n", refused);
	return 0;
}

static int bad_usage(void)
{
	fputs("usage: lego-fuzz [--blocks] [--random SECONDS [--seed N]] ADDRESS [PORT]\n",
	      stderr);
	return 2;
}

int main(int argc, char *argv[])
{
	unsigned long seconds = 0;
	unsigned long long seed = 0;
	bool blocks = false;
	const char *port;
	struct conn *c;
	char *end;
	int ret;

	for (; argc > 1 && !strncmp(argv[1], "--", 2); argc--, argv++) {
		if (!strcmp(argv[1], "--blocks")) {
			blocks = true;
			continue;
		}
		if (argc < 3 || (strcmp(argv[1], "--random") &&
				 strcmp(argv[1], "--seed")))
			return bad_usage();
		if (!strcmp(argv[1], "--random"))
			seconds = strtoul(argv[2], &end, 10);
		else
			seed = strtoull(argv[2], &end, 10);
		if (*end || !*argv[2])
			return bad_usage();
		argc--;
		argv++;
	}
	if (argc < 2 || argc > 3)
		return bad_usage();
	port = argc == 3 ? argv[2] : "7471";
	if (seconds)
		return fuzz_random(argv[1], port, blocks, seconds,
				   seed ?: (uint64_t)time(NULL)) ? 1 : 0;
	if (blocks) {
		c = conn_open(argv[1], port);
		if (!c)
			return 1;
		ret = malformed_then_echo(c) ?: forge_blocks(c);
		conn_close(c);
		return ret ? 1 : 0;
	}
	/* A refused one-sided access breaks its connection: one each. */
	c = conn_open(argv[1], port);
	if (!c)
		return 1;
	ret = malformed_then_echo(c) ?: forge_memory(c) ?: read_then_revoke(c);
	conn_close(c);
	if (ret)
		return 1;
	c = conn_open(argv[1], port);
	if (!c)
		return 1;
	ret = read_past_grant(c);
	conn_close(c);
	return ret ? 1 : 0;
}

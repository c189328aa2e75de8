// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl ping: echo RPCs, or one-sided READs or WRITEs of memory the
 * peer lends for it, from several threads at once, each transfer's data
 * checked, with the median and 99th percentile of their times.
 */
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "lego/genl.h"
#include "lego/pattern.h"
#include "lego/transport.h"
#include "peer.h"

#define LEGO_PING_MAX	1000000		/* samples kept in memory */

/* The memory a READ or WRITE ping works on: one slot of it per thread. */
struct lego_ping_window {
	u64 addr;
	u32 rkey;
	u32 seed;
};

struct lego_ping_thread {
	struct lego_peer *peer;
	enum lego_ping_op op;
	const struct lego_ping_window *win;
	u32 slot;
	u32 first, count, size;
	u64 *ns;			/* this thread's part of the samples */
	u64 ok, failed, corrupt;
	int first_error;
	struct completion done;
};

/* A pattern no two requests share, so a misrouted reply shows. */
static void lego_ping_fill(u32 *words, u32 size, u32 seq)
{
	u32 i;

	for (i = 0; i < size / 4; i++)
		words[i] = (seq * 0x9e3779b9U) ^ (i * 0x85ebca6bU);
}

/* One echo RPC: 0, a negative errno, or 1 when the data came back wrong. */
static int lego_ping_echo(struct lego_ping_thread *t, u32 seq, void *req,
			  void *reply)
{
	u32 got;
	int ret;

	lego_ping_fill(req, t->size, seq);
	memset(reply, 0, t->size);
	ret = lego_rpc_call(t->peer, LEGO_OP_ECHO, 0, req, t->size, reply,
			    t->size, &got);
	if (ret)
		return ret;
	return got != t->size || memcmp(req, reply, t->size);
}

/* One RPC for @t->size bytes of a pattern, as a page fetch would be. */
static int lego_ping_get(struct lego_ping_thread *t, u32 seq, void *reply)
{
	struct lego_pattern_req req = {
		.bytes = cpu_to_le32(t->size),
		.seed = cpu_to_le32(seq),
	};
	u32 got;
	int ret;

	memset(reply, 0, t->size);
	ret = lego_rpc_call(t->peer, LEGO_OP_PATTERN, 0, &req, sizeof(req),
			    reply, t->size, &got);
	if (ret)
		return ret;
	return got != t->size ||
	       lego_pattern_check(reply, t->size, seq, 0) != t->size;
}

/* One READ of this thread's slot, which holds the window's pattern. */
static int lego_ping_read(struct lego_ping_thread *t, void *buf)
{
	u64 offset = (u64)t->slot * t->size;
	int ret;

	memset(buf, 0, t->size);
	ret = lego_rdma_read(t->peer, buf, t->size, t->win->addr + offset,
			     t->win->rkey);
	if (ret)
		return ret;
	return lego_pattern_check(buf, t->size, t->win->seed, offset) != t->size;
}

/* One WRITE of a pattern of its own; *@ns times it, then it is read back. */
static int lego_ping_write(struct lego_ping_thread *t, u32 seq, void *buf,
			   void *check, u64 *ns)
{
	u64 raddr = t->win->addr + (u64)t->slot * t->size;
	ktime_t start;
	int ret;

	lego_pattern_fill(buf, t->size, seq, 0);
	start = ktime_get();
	ret = lego_rdma_write(t->peer, buf, t->size, raddr, t->win->rkey);
	*ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	if (ret)
		return ret;
	memset(check, 0, t->size);
	ret = lego_rdma_read(t->peer, check, t->size, raddr, t->win->rkey);
	if (ret)
		return ret;
	return lego_pattern_check(check, t->size, seq, 0) != t->size;
}

static int lego_ping_thread_fn(void *arg)
{
	struct lego_ping_thread *t = arg;
	void *a, *b;
	ktime_t start;
	u32 i;
	int ret;

	/* kmalloc'ed: one-sided transfers DMA straight into them. */
	a = kmalloc(max(t->size, 4U), GFP_KERNEL);
	b = kmalloc(max(t->size, 4U), GFP_KERNEL);
	if (!a || !b) {
		t->first_error = -ENOMEM;
		t->failed = t->count;
		goto out;
	}
	for (i = 0; i < t->count; i++) {
		u64 ns;

		start = ktime_get();
		if (t->op == LEGO_PING_ECHO)
			ret = lego_ping_echo(t, t->first + i, a, b);
		else if (t->op == LEGO_PING_GET)
			ret = lego_ping_get(t, t->first + i, a);
		else if (t->op == LEGO_PING_READ)
			ret = lego_ping_read(t, a);
		else
			ret = lego_ping_write(t, t->first + i, a, b, &ns);
		if (t->op != LEGO_PING_WRITE)
			ns = ktime_to_ns(ktime_sub(ktime_get(), start));
		t->ns[t->ok] = ns;
		if (ret < 0) {
			t->failed++;
			if (!t->first_error)
				t->first_error = ret;
		} else if (ret) {
			t->corrupt++;
		} else {
			t->ok++;
		}
	}
out:
	kfree(a);
	kfree(b);
	complete(&t->done);
	return 0;
}

static int lego_u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Ask @peer to lend memory for @bytes of READs and WRITEs. */
static int lego_ping_grant(struct lego_peer *peer, u32 bytes,
			   struct lego_ping_window *win)
{
	struct lego_mr_grant_req req = {
		.bytes = cpu_to_le32(bytes),
		.seed = cpu_to_le32(get_random_u32()),
	};
	struct lego_mr_grant_reply rep;
	u32 got;
	int ret;

	ret = lego_rpc_call(peer, LEGO_OP_MR_GRANT, 0, &req, sizeof(req), &rep,
			    sizeof(rep), &got);
	if (ret)
		return ret;
	if (got != sizeof(rep) || le32_to_cpu(rep.bytes) < bytes)
		return -EPROTO;
	win->addr = le64_to_cpu(rep.addr);
	win->rkey = le32_to_cpu(rep.rkey);
	win->seed = le32_to_cpu(req.seed);
	return 0;
}

static void lego_ping_revoke(struct lego_peer *peer,
			     const struct lego_ping_window *win)
{
	struct lego_mr_revoke_req req = { .rkey = cpu_to_le32(win->rkey) };
	u32 got;

	/* A connection reset meanwhile took the grant with it. */
	lego_rpc_call(peer, LEGO_OP_MR_REVOKE, 0, &req, sizeof(req), NULL, 0,
		      &got);
}

static int lego_ping_check(enum lego_ping_op op, u32 count, u32 threads,
			   u32 size)
{
	if (!count || count > LEGO_PING_MAX || !threads || threads > count ||
	    size % 4 || op >= __LEGO_PING_MAX)
		return -EINVAL;
	if (op == LEGO_PING_ECHO || op == LEGO_PING_GET)
		return size > LEGO_PAYLOAD_MAX ? -EINVAL : 0;
	if (!size || size > LEGO_PING_RDMA_MAX ||
	    (u64)size * threads > LEGO_GRANT_MAX)
		return -EINVAL;
	return 0;
}

/**
 * lego_ping() - @count checked transfers of @size bytes to or from @peer
 * @peer: a client peer
 * @op: echo or get RPCs, one-sided READs or one-sided WRITEs
 * @count: transfers in all
 * @threads: threads at once
 * @size: bytes each, a multiple of 4: up to LEGO_PAYLOAD_MAX for RPCs;
 *	  1..LEGO_PING_RDMA_MAX and @threads * @size up to LEGO_GRANT_MAX
 *	  for READ and WRITE, each thread working on a slot of its own
 * @res: the outcome
 *
 * Return: 0 when it ran (see @res for how the transfers went), or a
 * negative errno.
 */
int lego_ping(struct lego_peer *peer, enum lego_ping_op op, u32 count,
	      u32 threads, u32 size, struct lego_ping_result *res)
{
	struct lego_ping_window win = {};
	struct lego_ping_thread *t;
	u64 *ns, n = 0;
	u32 i, first = 0;
	int ret;

	ret = lego_ping_check(op, count, threads, size);
	if (ret)
		return ret;
	t = kcalloc(threads, sizeof(*t), GFP_KERNEL);
	ns = kvcalloc(count, sizeof(*ns), GFP_KERNEL);
	if (!t || !ns) {
		ret = -ENOMEM;
		goto out;
	}
	if (op == LEGO_PING_READ || op == LEGO_PING_WRITE) {
		ret = lego_ping_grant(peer, threads * size, &win);
		if (ret)
			goto out;
	}
	memset(res, 0, sizeof(*res));
	for (i = 0; i < threads; i++) {
		struct task_struct *task;

		t[i].peer = peer;
		t[i].op = op;
		t[i].win = &win;
		t[i].slot = i;
		t[i].first = first;
		t[i].count = count / threads + (i < count % threads);
		t[i].size = size;
		t[i].ns = ns + first;
		init_completion(&t[i].done);
		first += t[i].count;
		task = kthread_run(lego_ping_thread_fn, &t[i], "lego-ping/%u", i);
		if (IS_ERR(task)) {
			t[i].failed = t[i].count;
			t[i].first_error = PTR_ERR(task);
			complete(&t[i].done);
		}
	}
	/* Gather the successful samples to the front and sort them. */
	for (i = 0; i < threads; i++) {
		wait_for_completion(&t[i].done);
		memmove(ns + n, t[i].ns, t[i].ok * sizeof(*ns));
		n += t[i].ok;
		res->ok += t[i].ok;
		res->failed += t[i].failed;
		res->corrupt += t[i].corrupt;
		if (!res->first_error)
			res->first_error = t[i].first_error;
	}
	if (op == LEGO_PING_READ || op == LEGO_PING_WRITE)
		lego_ping_revoke(peer, &win);
	if (n) {
		sort(ns, n, sizeof(*ns), lego_u64_cmp, NULL);
		res->median_ns = ns[n / 2];
		res->p99_ns = ns[min(n - 1, n * 99 / 100)];
	}
out:
	kvfree(ns);
	kfree(t);
	return ret;
}

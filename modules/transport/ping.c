// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl ping: echo RPCs from several threads at once, each payload
 * checked on return, with the round-trip times' median and 99th percentile.
 */
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "lego/transport.h"
#include "peer.h"

#define LEGO_PING_MAX	1000000		/* samples kept in memory */

struct lego_ping_thread {
	struct lego_peer *peer;
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

static int lego_ping_thread_fn(void *arg)
{
	struct lego_ping_thread *t = arg;
	u32 *req, *reply, got, i;
	ktime_t start;
	int ret;

	req = kmalloc(t->size, GFP_KERNEL);
	reply = kmalloc(t->size, GFP_KERNEL);
	if (!req || !reply) {
		t->first_error = -ENOMEM;
		t->failed = t->count;
		goto out;
	}
	for (i = 0; i < t->count; i++) {
		lego_ping_fill(req, t->size, t->first + i);
		memset(reply, 0, t->size);
		start = ktime_get();
		ret = lego_rpc_call(t->peer, LEGO_OP_ECHO, 0, req, t->size,
				    reply, t->size, &got);
		t->ns[t->ok] = ktime_to_ns(ktime_sub(ktime_get(), start));
		if (ret) {
			t->failed++;
			if (!t->first_error)
				t->first_error = ret;
		} else if (got != t->size || memcmp(req, reply, t->size)) {
			t->corrupt++;
		} else {
			t->ok++;
		}
	}
out:
	kfree(req);
	kfree(reply);
	complete(&t->done);
	return 0;
}

static int lego_u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/**
 * lego_ping() - echo @count RPCs of @size bytes to @peer from @threads
 * @peer: a client peer
 * @count: RPCs in all
 * @threads: threads sending at once
 * @size: payload bytes, a multiple of 4 up to LEGO_PAYLOAD_MAX
 * @res: the outcome
 *
 * Return: 0 when it ran (see @res for how the RPCs went), or a negative errno.
 */
int lego_ping(struct lego_peer *peer, u32 count, u32 threads, u32 size,
	      struct lego_ping_result *res)
{
	struct lego_ping_thread *t;
	u64 *ns, n = 0;
	u32 i, first = 0;
	int ret = 0;

	if (!count || count > LEGO_PING_MAX || !threads || threads > count ||
	    size % 4 || size > LEGO_PAYLOAD_MAX)
		return -EINVAL;
	t = kcalloc(threads, sizeof(*t), GFP_KERNEL);
	ns = kvcalloc(count, sizeof(*ns), GFP_KERNEL);
	if (!t || !ns) {
		ret = -ENOMEM;
		goto out;
	}
	memset(res, 0, sizeof(*res));
	for (i = 0; i < threads; i++) {
		struct task_struct *task;

		t[i].peer = peer;
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

// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting for the link: a reply or a one-sided completion is busy-polled
 * for up to poll_us before the waiter sleeps, as KVM's halt polling and
 * nvme's polled queues do. Under a soft RDMA device the completion comes
 * from softirq on this CPU; polling takes it there, where a sleep costs
 * an idle entry, a wake-up and a task switch (measured in bench/README.md,
 * 20-excache-miss).
 */
#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/stat.h>

#include "lego/transport.h"
#include "peer.h"

#define LEGO_POLL_US_MAX	10000

static unsigned int lego_poll_us = 2000;

static int lego_poll_us_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, LEGO_POLL_US_MAX);
}

static const struct kernel_param_ops lego_poll_us_ops = {
	.set = lego_poll_us_set,
	.get = param_get_uint,
};
module_param_cb(poll_us, &lego_poll_us_ops, &lego_poll_us, 0644);
MODULE_PARM_DESC(poll_us, "How long a waiter busy-polls for a reply or RDMA completion before it sleeps, 0..10000 us, changeable at run time (default 2000)");

/*
 * Poll only while nothing else wants this CPU. A workqueue worker never
 * polls: the items queued behind it start only when it sleeps.
 */
static void lego_poll(struct completion *done, unsigned int us)
{
	u64 end = ktime_get_ns() + (u64)us * NSEC_PER_USEC;

	if (current->flags & PF_WQ_WORKER)
		return;
	while (!completion_done(done) && single_task_running() &&
	       !need_resched() && ktime_get_ns() < end)
		cpu_relax();
}

/**
 * lego_wait_completion() - wait for @done, up to the RPC timeout
 * @done: completed from the completion queue's softirq
 *
 * Sleeps. Return: as wait_for_completion_timeout(): 0 if it timed out.
 */
unsigned long lego_wait_completion(struct completion *done)
{
	unsigned int us = READ_ONCE(lego_poll_us);

	if (us)
		lego_poll(done, us);
	return wait_for_completion_timeout(done,
					   msecs_to_jiffies(lego_rpc_timeout_ms));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Transport counters in debugfs: /sys/kernel/debug/lego/transport for the
 * whole transport and /sys/kernel/debug/lego/peers/ADDR:PORT per peer, each
 * a "name value" table; and per peer in LEGO_CMD_STATS_GET replies.
 */
#include <linux/debugfs.h>
#include <linux/log2.h>
#include <linux/seq_file.h>
#include <net/netlink.h>

#include "lego/addrs.h"
#include "lego/lego.h"
#include "lego/transport.h"
#include "peer.h"

struct lego_stats lego_total;
static struct dentry *lego_peers_dir;
static struct dentry *lego_total_file;

static const char *const lego_peer_states[] = {
	[LEGO_PEER_CONNECTING]	= "connecting",
	[LEGO_PEER_LIVE]	= "live",
	[LEGO_PEER_DOWN]	= "down",
	[LEGO_PEER_CLOSING]	= "closing",
};

void lego_stats_latency(struct lego_peer *peer, u64 ns)
{
	u64 us = ns / NSEC_PER_USEC;
	unsigned int bucket = us ? min_t(unsigned int, ilog2(us) + 1,
					 LEGO_LAT_BUCKETS - 1) : 0;

	lego_count(peer, latency_us[bucket], 1);
}

/* Each counter of @s, by name, to @fn; stops at @fn's first error. */
typedef int (*lego_stat_fn)(void *ctx, const char *name, u64 value);

static const struct {
	const char *name;
	size_t offset;
} lego_counters[] = {
	{ "requests",		offsetof(struct lego_stats, requests) },
	{ "replies",		offsetof(struct lego_stats, replies) },
	{ "served",		offsetof(struct lego_stats, served) },
	{ "tx_bytes",		offsetof(struct lego_stats, tx_bytes) },
	{ "rx_bytes",		offsetof(struct lego_stats, rx_bytes) },
	{ "errors",		offsetof(struct lego_stats, errors) },
	{ "timeouts",		offsetof(struct lego_stats, timeouts) },
	{ "connects",		offsetof(struct lego_stats, connects) },
	{ "disconnects",	offsetof(struct lego_stats, disconnects) },
};

static int lego_stats_walk(struct lego_stats *s, lego_stat_fn fn, void *ctx)
{
	char name[32];
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(lego_counters); i++) {
		ret = fn(ctx, lego_counters[i].name,
			 atomic64_read((void *)s + lego_counters[i].offset));
		if (ret)
			return ret;
	}
	for (i = LEGO_DROP_NONE + 1; i < __LEGO_DROP_MAX; i++) {
		snprintf(name, sizeof(name), "dropped_%s", lego_drop_name(i));
		ret = fn(ctx, name, atomic64_read(&s->dropped[i]));
		if (ret)
			return ret;
	}
	/* Bucket b holds round trips of [2^(b-1), 2^b) us; bucket 0 < 1 us. */
	for (i = 0; i < LEGO_LAT_BUCKETS; i++) {
		snprintf(name, sizeof(name), "latency_lt_%lluus", 1ULL << i);
		ret = fn(ctx, name, atomic64_read(&s->latency_us[i]));
		if (ret)
			return ret;
	}
	return 0;
}

static int lego_stat_seq(void *m, const char *name, u64 value)
{
	seq_printf(m, "%s %llu\n", name, value);
	return 0;
}

static void lego_stats_show(struct seq_file *m, struct lego_stats *s)
{
	lego_stats_walk(s, lego_stat_seq, m);
}

static int lego_stat_nl(void *msg, const char *name, u64 value)
{
	return lego_nl_stat(msg, name, value);
}

/* LEGO_CMD_STATS_GET: a "peer" group for each monitor this host reaches. */
int lego_stats_nl_fill(struct sk_buff *msg)
{
	struct lego_peer *peers[LEGO_MAX_PEERS];
	unsigned int i, n = lego_peers_connected_to(peers, LEGO_MAX_PEERS);
	struct nlattr *group;
	char addr[16];

	for (i = 0; i < n; i++) {
		snprintf(addr, sizeof(addr), "%pI4",
			 &peers[i]->addr.sin_addr.s_addr);
		group = lego_nl_group_start(msg, "peer", addr);
		if (!group || lego_stats_walk(&peers[i]->stats, lego_stat_nl,
					      msg))
			return -EMSGSIZE;
		nla_nest_end(msg, group);
	}
	return 0;
}

const char *lego_peer_state_name(const struct lego_peer *peer)
{
	return lego_peer_states[READ_ONCE(peer->state)];
}

bool lego_peer_live(const struct lego_peer *peer)
{
	return READ_ONCE(peer->state) == LEGO_PEER_LIVE;
}

static int lego_total_show(struct seq_file *m, void *unused)
{
	lego_stats_show(m, &lego_total);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lego_total);

static int lego_peer_show(struct seq_file *m, void *unused)
{
	struct lego_peer *peer = m->private;

	seq_printf(m, "role %s\n", peer->server ? "server" : "client");
	seq_printf(m, "state %s\n", lego_peer_states[READ_ONCE(peer->state)]);
	lego_stats_show(m, &peer->stats);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lego_peer);

void lego_stats_debugfs_init(void)
{
	lego_peers_dir = debugfs_create_dir("peers", lego_debugfs);
	lego_total_file = debugfs_create_file("transport", 0444, lego_debugfs,
					      NULL, &lego_total_fops);
}

void lego_stats_debugfs_exit(void)
{
	debugfs_remove(lego_total_file);
	debugfs_remove_recursive(lego_peers_dir);
}

void lego_stats_debugfs_add(struct lego_peer *peer)
{
	peer->debugfs = debugfs_create_file(peer->name, 0444, lego_peers_dir,
					    peer, &lego_peer_fops);
}

void lego_stats_debugfs_remove(struct lego_peer *peer)
{
	debugfs_remove(peer->debugfs);
	peer->debugfs = NULL;
}

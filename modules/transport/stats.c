// SPDX-License-Identifier: GPL-2.0
/*
 * Transport counters in debugfs: /sys/kernel/debug/lego/transport for the
 * whole transport and /sys/kernel/debug/lego/peers/ADDR:PORT per peer, each
 * a "name value" table.
 */
#include <linux/debugfs.h>
#include <linux/log2.h>
#include <linux/seq_file.h>

#include "lego/lego.h"
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

static void lego_stats_show(struct seq_file *m, struct lego_stats *s)
{
	unsigned int i;

	seq_printf(m, "requests %lld\n", atomic64_read(&s->requests));
	seq_printf(m, "replies %lld\n", atomic64_read(&s->replies));
	seq_printf(m, "served %lld\n", atomic64_read(&s->served));
	seq_printf(m, "tx_bytes %lld\n", atomic64_read(&s->tx_bytes));
	seq_printf(m, "rx_bytes %lld\n", atomic64_read(&s->rx_bytes));
	seq_printf(m, "errors %lld\n", atomic64_read(&s->errors));
	seq_printf(m, "timeouts %lld\n", atomic64_read(&s->timeouts));
	seq_printf(m, "connects %lld\n", atomic64_read(&s->connects));
	seq_printf(m, "disconnects %lld\n", atomic64_read(&s->disconnects));
	for (i = LEGO_DROP_NONE + 1; i < __LEGO_DROP_MAX; i++)
		seq_printf(m, "dropped_%s %lld\n", lego_drop_name(i),
			   atomic64_read(&s->dropped[i]));
	/* Bucket b holds round trips of [2^(b-1), 2^b) us; bucket 0 < 1 us. */
	for (i = 0; i < LEGO_LAT_BUCKETS; i++)
		seq_printf(m, "latency_lt_%lluus %lld\n", 1ULL << i,
			   atomic64_read(&s->latency_us[i]));
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

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lego-ctl stats: the counter groups of LEGO_CMD_STATS_GET, and their
 * printing.
 */
#ifndef _LEGO_CTL_STATS_H
#define _LEGO_CTL_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lego_stat {
	char name[64];
	uint64_t value;
};

/* A group of counters: "excache" "", "vnode" "vn1", "peer" "10.0.0.2". */
struct lego_stats_group {
	char kind[32];
	char name[64];
	size_t nr_stats;
	struct lego_stat *stats;
};

struct lego_stats {
	size_t nr_groups;
	struct lego_stats_group *groups;
};

void lego_stats_print(const struct lego_stats *st, bool json);
void lego_stats_free(struct lego_stats *st);

#endif /* _LEGO_CTL_STATS_H */

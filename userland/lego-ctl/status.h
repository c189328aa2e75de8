/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_CTL_STATUS_H
#define _LEGO_CTL_STATUS_H

#include <stdbool.h>
#include <stdint.h>

/* What LEGO_CMD_STATUS_GET reports; a role's fields are set if it runs. */
struct lego_status {
	uint32_t roles;
	uint64_t excache_bytes;
	uint32_t excache_ways;
	uint32_t excache_sets;
	uint64_t pool_bytes;
	char backing[4096];
	uint64_t backing_bytes;
};

int lego_nl_status(struct lego_status *st);
void lego_status_print(const struct lego_status *st, bool json);

#endif /* _LEGO_CTL_STATUS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lego-ctl monitor: one LEGO_CMD_EVENT of the "events" group, and its
 * printing.
 */
#ifndef _LEGO_CTL_EVENT_H
#define _LEGO_CTL_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "lego/lego_dev.h"

struct lego_event_msg {
	uint32_t event;			/* enum lego_event */
	bool has_addr;
	uint32_t addr;			/* peer events: IPv4, network order */
	char vnode[LEGO_VNODE_NAME_MAX];	/* vNode events, else "" */
};

void lego_event_print(const struct lego_event_msg *ev, bool json);

#endif /* _LEGO_CTL_EVENT_H */

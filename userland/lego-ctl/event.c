// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl output: one line per lego.ko event, as text or as JSON.
 */
#include <stdio.h>
#include <arpa/inet.h>

#include "event.h"
#include "lego/compat.h"
#include "lego/genl.h"
#include "print.h"

static const struct {
	const char *json;	/* "peer_up" */
	const char *text;	/* "up": "peer 10.0.0.2 up" */
} events[] = {
	[LEGO_EVENT_PEER_UP]	= { "peer_up", "up" },
	[LEGO_EVENT_PEER_DOWN]	= { "peer_down", "down" },
	[LEGO_EVENT_VNODE_NEW]	= { "vnode_new", "created" },
	[LEGO_EVENT_VNODE_DEL]	= { "vnode_del", "destroyed" },
	[LEGO_EVENT_VNODE_FAILOVER] = { "vnode_failover",
					"failed over: a holder of its pages failed" },
	[LEGO_EVENT_VNODE_REBUILT] = { "vnode_rebuilt",
				       "rebuilt: a new replica has its pages" },
	[LEGO_EVENT_VNODE_LOST]	= { "vnode_lost",
				    "lost pages: their only holder failed" },
};

/**
 * lego_event_print() - print one event on stdout, as one line
 * @ev: the event
 * @json: a JSON object instead of text
 *
 * An event this lego-ctl does not know prints as "event N" (text) or
 * {"event":"unknown","code":N}, with its peer or vNode if it has one.
 */
void lego_event_print(const struct lego_event_msg *ev, bool json)
{
	bool known = ev->event < ARRAY_SIZE(events);
	char addr[INET_ADDRSTRLEN] = "", subject[64] = "";

	if (ev->has_addr) {
		inet_ntop(AF_INET, &ev->addr, addr, sizeof(addr));
		snprintf(subject, sizeof(subject), "peer %s", addr);
	} else if (ev->vnode[0]) {
		snprintf(subject, sizeof(subject), "vnode %s", ev->vnode);
	}
	if (!json) {
		if (known)
			printf("%s%s%s\n", subject, subject[0] ? " " : "",
			       events[ev->event].text);
		else
			printf("event %u%s%s\n", ev->event,
			       subject[0] ? " " : "", subject);
		return;
	}
	if (known)
		printf("{\"event\":\"%s\"", events[ev->event].json);
	else
		printf("{\"event\":\"unknown\",\"code\":%u", ev->event);
	if (ev->has_addr)
		printf(",\"peer\":\"%s\"", addr);
	if (ev->vnode[0]) {
		printf(",\"vnode\":");
		json_string(ev->vnode);
	}
	printf("}\n");
}

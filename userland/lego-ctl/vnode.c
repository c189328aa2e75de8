// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl output: vNodes, one in detail or a table of them, as text or
 * as JSON.
 */
#include <stdio.h>
#include <arpa/inet.h>

#include "lego/compat.h"
#include "print.h"
#include "vnode.h"

/* "10.0.0.2 (home), 10.0.0.3": room for LEGO_VNODE_MMONS_MAX of them. */
#define MMONS_TEXT_MAX	(LEGO_VNODE_MMONS_MAX * (INET_ADDRSTRLEN + 2) + 8)

static const char *mmons_text(const struct lego_vnode *vn, const char *home,
			      const char *sep, char *buf, size_t size)
{
	char addr[INET_ADDRSTRLEN];
	size_t len = 0;
	uint32_t i;

	buf[0] = '\0';
	for (i = 0; i < vn->nr_mmons && len < size; i++) {
		inet_ntop(AF_INET, &vn->mmons[i], addr, sizeof(addr));
		len += snprintf(buf + len, size - len, "%s%s%s",
				i ? sep : "", addr, i ? "" : home);
	}
	return buf;
}

static const char *vnode_state(const struct lego_vnode *vn)
{
	return vn->degraded ? "degraded" : "ok";
}

static void print_json(const struct lego_vnode *vn)
{
	char addr[INET_ADDRSTRLEN];
	uint32_t i;

	printf("{\"id\":%u,\"name\":", vn->id);
	json_string(vn->name);
	printf(",\"mem_bytes\":%llu,\"mmons\":[",
	       (unsigned long long)vn->mem);
	for (i = 0; i < vn->nr_mmons; i++) {
		inet_ntop(AF_INET, &vn->mmons[i], addr, sizeof(addr));
		printf("%s\"%s\"", i ? "," : "", addr);
	}
	printf("],\"replicas\":%u,\"state\":\"%s\",\"procs\":%u,\"pages\":%llu",
	       vn->replicas, vnode_state(vn), vn->procs,
	       (unsigned long long)vn->pages);
	if (vn->disk) {
		printf(",\"disk\":");
		json_string(vn->disk_name);
		printf(",\"disk_bytes\":%llu", (unsigned long long)vn->disk);
	}
	putchar('}');
}

/**
 * lego_vnode_print() - print one vNode on stdout
 * @vn: the vNode
 * @json: one JSON object on one line instead of text
 */
void lego_vnode_print(const struct lego_vnode *vn, bool json)
{
	struct lego_table t = { .cols = 2 };
	char buf[MMONS_TEXT_MAX], size[32];

	if (json) {
		print_json(vn);
		putchar('\n');
		return;
	}
	lego_table_add(&t, "vnode");
	snprintf(buf, sizeof(buf), "%s (id %u)", vn->name, vn->id);
	lego_table_add(&t, buf);
	lego_table_add(&t, "mem");
	lego_table_add(&t, human_size(vn->mem, size, sizeof(size)));
	lego_table_add(&t, "mmons");
	lego_table_add(&t, mmons_text(vn, " (home)", ", ", buf, sizeof(buf)));
	lego_table_add(&t, "replicas");
	lego_table_add_u64(&t, vn->replicas);
	lego_table_add(&t, "state");
	lego_table_add(&t, vn->degraded ? "degraded: a monitor of it is down" :
					  "ok");
	lego_table_add(&t, "procs");
	lego_table_add_u64(&t, vn->procs);
	lego_table_add(&t, "pages");
	snprintf(buf, sizeof(buf), "%llu at the mmons (%s)",
		 (unsigned long long)vn->pages,
		 human_size(vn->pages * LEGO_PAGE_SIZE, size, sizeof(size)));
	lego_table_add(&t, buf);
	if (vn->disk) {
		lego_table_add(&t, "disk");
		snprintf(buf, sizeof(buf), "/dev/%s (%s)", vn->disk_name,
			 human_size(vn->disk, size, sizeof(size)));
		lego_table_add(&t, buf);
	}
	lego_table_print(&t, "");
}

/**
 * lego_vnode_list_print() - print vNodes on stdout
 * @vns: the vNodes
 * @nr: how many; text prints nothing for none, JSON an empty array
 * @json: a JSON array on one line instead of a table
 */
void lego_vnode_list_print(const struct lego_vnode *vns, size_t nr,
			   bool json)
{
	static const char *const header[] = {
		"id", "name", "mem", "mmons", "replicas", "state", "procs",
		"pages", "disk",
	};
	struct lego_table t = { .cols = ARRAY_SIZE(header) };
	char mmons[MMONS_TEXT_MAX], size[32];
	size_t i;

	if (json) {
		putchar('[');
		for (i = 0; i < nr; i++) {
			if (i)
				putchar(',');
			print_json(&vns[i]);
		}
		printf("]\n");
		return;
	}
	if (!nr)
		return;
	for (i = 0; i < ARRAY_SIZE(header); i++)
		lego_table_add(&t, header[i]);
	for (i = 0; i < nr; i++) {
		lego_table_add_u64(&t, vns[i].id);
		lego_table_add(&t, vns[i].name);
		lego_table_add(&t, human_size(vns[i].mem, size, sizeof(size)));
		lego_table_add(&t, mmons_text(&vns[i], "", ",", mmons,
					      sizeof(mmons)));
		lego_table_add_u64(&t, vns[i].replicas);
		lego_table_add(&t, vnode_state(&vns[i]));
		lego_table_add_u64(&t, vns[i].procs);
		lego_table_add_u64(&t, vns[i].pages);
		lego_table_add(&t, vns[i].disk ? vns[i].disk_name : "-");
	}
	lego_table_print(&t, "");
}

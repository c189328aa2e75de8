// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl output: a status (roles, their resources, the monitors this
 * host connects to) or a ping result, as text or as one JSON object.
 */
#include <stdio.h>
#include <arpa/inet.h>

#include "args.h"
#include "lego/genl.h"
#include "lego/roles.h"
#include "netlink.h"
#include "print.h"
#include "status.h"

/* lego.ko reports mmons and smons; anything else prints as "?". */
static const char *peer_role(uint32_t role)
{
	const char *name = lego_role_name(role);

	return name ? name : "?";
}

static void print_peers_json(const struct lego_status *st)
{
	char addr[INET_ADDRSTRLEN];
	uint32_t i;

	printf(",\"peers\":[");
	for (i = 0; i < st->nr_peers; i++) {
		const struct lego_peer_status *p = &st->peers[i];

		inet_ntop(AF_INET, &p->addr, addr, sizeof(addr));
		printf("%s{\"addr\":\"%s\",\"role\":\"%s\",\"state\":",
		       i ? "," : "", addr, peer_role(p->role));
		json_string(p->state);
		if (p->has_mem)
			printf(",\"free_bytes\":%llu,\"used_bytes\":%llu",
			       (unsigned long long)p->free_bytes,
			       (unsigned long long)p->used_bytes);
		putchar('}');
	}
	putchar(']');
}

/* After a blank line: "peer role state free used", "-" for no sizes. */
static void print_peers_text(const struct lego_status *st)
{
	struct lego_table t = { .cols = 5 };
	char addr[INET_ADDRSTRLEN], size[32];
	uint32_t i;

	if (!st->nr_peers)
		return;
	lego_table_add(&t, "peer");
	lego_table_add(&t, "role");
	lego_table_add(&t, "state");
	lego_table_add(&t, "free");
	lego_table_add(&t, "used");
	for (i = 0; i < st->nr_peers; i++) {
		const struct lego_peer_status *p = &st->peers[i];

		inet_ntop(AF_INET, &p->addr, addr, sizeof(addr));
		lego_table_add(&t, addr);
		lego_table_add(&t, peer_role(p->role));
		lego_table_add(&t, p->state);
		lego_table_add(&t, p->has_mem ?
			       human_size(p->free_bytes, size, sizeof(size)) :
			       "-");
		lego_table_add(&t, p->has_mem ?
			       human_size(p->used_bytes, size, sizeof(size)) :
			       "-");
	}
	putchar('\n');
	lego_table_print(&t, "");
}

static void print_json(const struct lego_status *st)
{
	const char *sep = "";
	u32 bit;

	printf("{\"roles\":[");
	for (bit = 1; bit & LEGO_ROLE_ALL; bit <<= 1) {
		if (st->roles & bit) {
			printf("%s\"%s\"", sep, lego_role_name(bit));
			sep = ",";
		}
	}
	printf("]");
	if (st->roles & LEGO_ROLE_PMON) {
		printf(",\"pmon\":{\"excache_bytes\":%llu,",
		       (unsigned long long)st->excache_bytes);
		printf("\"excache_sets\":%u,\"excache_ways\":%u}",
		       st->excache_sets, st->excache_ways);
	}
	if (st->roles & LEGO_ROLE_MMON)
		printf(",\"mmon\":{\"pool_bytes\":%llu}",
		       (unsigned long long)st->pool_bytes);
	if (st->roles & LEGO_ROLE_SMON) {
		printf(",\"smon\":{\"backing\":");
		json_string(st->backing);
		printf(",\"backing_bytes\":%llu,\"used_bytes\":%llu,\"volumes\":%u}",
		       (unsigned long long)st->backing_bytes,
		       (unsigned long long)st->backing_used, st->volumes);
	}
	print_peers_json(st);
	printf("}\n");
}

static void print_text(const struct lego_status *st)
{
	char roles[LEGO_ROLES_MAXLEN];
	char size[32];

	if (lego_format_roles(st->roles & LEGO_ROLE_ALL, roles,
			      sizeof(roles)) <= 0)
		snprintf(roles, sizeof(roles), "none");
	printf("roles  %s\n", roles);
	if (st->roles & LEGO_ROLE_PMON)
		printf("pmon   excache %s, %u sets x %u ways\n",
		       human_size(st->excache_bytes, size, sizeof(size)),
		       st->excache_sets, st->excache_ways);
	if (st->roles & LEGO_ROLE_MMON)
		printf("mmon   pool %s\n",
		       human_size(st->pool_bytes, size, sizeof(size)));
	if (st->roles & LEGO_ROLE_SMON) {
		printf("smon   backing %s, %s", st->backing,
		       human_size(st->backing_bytes, size, sizeof(size)));
		printf(", %u volumes of %s\n", st->volumes,
		       human_size(st->backing_used, size, sizeof(size)));
	}
	print_peers_text(st);
}

/**
 * lego_status_print() - print a status reply on stdout
 * @st: the reply
 * @json: one JSON object on one line instead of text
 *
 * Unknown role bits (from a newer lego.ko) are not printed.
 */
void lego_status_print(const struct lego_status *st, bool json)
{
	if (json)
		print_json(st);
	else
		print_text(st);
}

void lego_ping_print(const struct lego_ping *p, const char *addr, bool json)
{
	if (json) {
		printf("{\"monitor\":\"%s\",\"op\":\"%s\",\"count\":%u,\"threads\":%u,\"size\":%u,",
		       addr, lego_ctl_ping_op_name(p->op), p->count,
		       p->threads, p->size);
		printf("\"ok\":%llu,\"failed\":%llu,\"corrupt\":%llu,",
		       (unsigned long long)p->ok, (unsigned long long)p->failed,
		       (unsigned long long)p->corrupt);
		printf("\"median_ns\":%llu,\"p99_ns\":%llu}\n",
		       (unsigned long long)p->median_ns,
		       (unsigned long long)p->p99_ns);
		return;
	}
	printf("%s: %llu/%u %s%s of %u bytes intact from %u threads\n",
	       addr, (unsigned long long)p->ok, p->count,
	       lego_ctl_ping_op_name(p->op),
	       p->op == LEGO_PING_ECHO || p->op == LEGO_PING_GET ? " RPCs" :
								    "s",
	       p->size, p->threads);
	printf("median %.1f us, p99 %.1f us\n",
	       p->median_ns / 1000.0, p->p99_ns / 1000.0);
}

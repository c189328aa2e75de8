// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl output: a status (roles and their resources) or a ping result,
 * as text or as one JSON object.
 */
#include <stdio.h>

#include "args.h"
#include "lego/genl.h"
#include "lego/roles.h"
#include "netlink.h"
#include "status.h"

/* "64 MiB", "1.5 GiB", "512 B": a whole number of units stays exact. */
static const char *human_size(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
	unsigned int u = 0;

	while (u + 1 < ARRAY_SIZE(units) && bytes >> (10 * (u + 1)))
		u++;
	if (!(bytes & ((1ULL << (10 * u)) - 1)))
		snprintf(buf, size, "%llu %s",
			 (unsigned long long)(bytes >> (10 * u)), units[u]);
	else
		snprintf(buf, size, "%.1f %s",
			 (double)bytes / (double)(1ULL << (10 * u)), units[u]);
	return buf;
}

/* Backing paths come from the admin, but JSON must stay JSON. */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned int)(unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
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
		printf(",\"backing_bytes\":%llu}",
		       (unsigned long long)st->backing_bytes);
	}
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
	if (st->roles & LEGO_ROLE_SMON)
		printf("smon   backing %s, %s\n", st->backing,
		       human_size(st->backing_bytes, size, sizeof(size)));
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

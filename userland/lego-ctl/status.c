// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl status: print what lego.ko runs on this host.
 */
#include <inttypes.h>
#include <stdio.h>

#include "lego/roles.h"
#include "status.h"

/* 64 MiB, 1.5 GiB, 512 B: exact sizes stay exact. */
static const char *human_size(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;
	double v = (double)bytes;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (v == (double)(uint64_t)v)
		snprintf(buf, size, "%" PRIu64 " %s", (uint64_t)v, units[u]);
	else
		snprintf(buf, size, "%.1f %s", v, units[u]);
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
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_json(const struct lego_status *st, const char *roles)
{
	printf("{\"roles\":\"%s\"", roles);
	if (st->roles & LEGO_ROLE_PMON)
		printf(",\"excache\":{\"bytes\":%" PRIu64 ",\"sets\":%u,\"ways\":%u}",
		       st->excache_bytes, st->excache_sets, st->excache_ways);
	if (st->roles & LEGO_ROLE_MMON)
		printf(",\"pool\":{\"bytes\":%" PRIu64 "}", st->pool_bytes);
	if (st->roles & LEGO_ROLE_SMON) {
		printf(",\"backing\":{\"path\":");
		json_string(st->backing);
		printf(",\"bytes\":%" PRIu64 "}", st->backing_bytes);
	}
	printf("}\n");
}

void lego_status_print(const struct lego_status *st, bool json)
{
	char roles[LEGO_ROLES_MAXLEN] = "?";
	char size[32];

	lego_format_roles(st->roles, roles, sizeof(roles));
	if (json) {
		print_json(st, roles);
		return;
	}
	printf("roles    %s\n", roles);
	if (st->roles & LEGO_ROLE_PMON)
		printf("excache  %s, %u sets x %u ways\n",
		       human_size(st->excache_bytes, size, sizeof(size)),
		       st->excache_sets, st->excache_ways);
	if (st->roles & LEGO_ROLE_MMON)
		printf("pool     %s\n",
		       human_size(st->pool_bytes, size, sizeof(size)));
	if (st->roles & LEGO_ROLE_SMON)
		printf("backing  %s, %s\n", st->backing,
		       human_size(st->backing_bytes, size, sizeof(size)));
}

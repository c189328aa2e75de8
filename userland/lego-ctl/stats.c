// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl output: counter groups, as text (a header line per group, then
 * "  name  value" lines, empty histogram buckets left out) or as one JSON
 * object. lego.ko decides which
 * groups and counters there are; they are printed as they come.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "stats.h"

/* Empty histogram buckets ("fetch_lt_2us 0") only clutter a table. */
static bool empty_bucket(const char *name, uint64_t value)
{
	return !value && strstr(name, "_lt_");
}

static void print_text(const struct lego_stats *st)
{
	struct lego_table t = { .cols = 2 };
	size_t i, j;

	for (i = 0; i < st->nr_groups; i++) {
		const struct lego_stats_group *g = &st->groups[i];

		printf("%s%s%s\n", g->kind, g->name[0] ? " " : "", g->name);
		for (j = 0; j < g->nr_stats; j++) {
			if (empty_bucket(g->stats[j].name, g->stats[j].value))
				continue;
			lego_table_add(&t, g->stats[j].name);
			lego_table_add_u64(&t, g->stats[j].value);
		}
		lego_table_print(&t, "  ");
	}
}

/* A group's counters, without braces. */
static void print_counters(const struct lego_stats_group *g, bool first)
{
	size_t j;

	for (j = 0; j < g->nr_stats; j++) {
		printf("%s", first && !j ? "" : ",");
		json_string(g->stats[j].name);
		printf(":%llu", (unsigned long long)g->stats[j].value);
	}
}

/*
 * "KIND":{...} for every group of @kind: a group without a name (the
 * ExCache) holds its counters, the others are keyed by their names.
 */
static void print_kind_json(const struct lego_stats *st, const char *kind,
			    bool named)
{
	bool first = true;
	size_t i;

	json_string(kind);
	printf(":{");
	for (i = 0; i < st->nr_groups; i++) {
		const struct lego_stats_group *g = &st->groups[i];

		if (strcmp(g->kind, kind))
			continue;
		if (named) {
			printf("%s", first ? "" : ",");
			json_string(g->name);
			printf(":{");
			print_counters(g, true);
			putchar('}');
			first = false;
		} else {
			print_counters(g, first);
			first = first && !g->nr_stats;
		}
	}
	putchar('}');
}

/* One object, the kinds in the order lego.ko first reports them. */
static void print_json(const struct lego_stats *st)
{
	size_t i, j;

	putchar('{');
	for (i = 0; i < st->nr_groups; i++) {
		const struct lego_stats_group *g = &st->groups[i];

		for (j = 0; j < i; j++)
			if (!strcmp(st->groups[j].kind, g->kind))
				break;
		if (j < i)
			continue;	/* printed with its first group */
		if (i)
			putchar(',');
		print_kind_json(st, g->kind, g->name[0] != '\0');
	}
	printf("}\n");
}

/**
 * lego_stats_print() - print counter groups on stdout
 * @st: the groups
 * @json: one JSON object on one line instead of text
 */
void lego_stats_print(const struct lego_stats *st, bool json)
{
	if (json)
		print_json(st);
	else
		print_text(st);
}

void lego_stats_free(struct lego_stats *st)
{
	size_t i;

	for (i = 0; i < st->nr_groups; i++)
		free(st->groups[i].stats);
	free(st->groups);
	st->groups = NULL;
	st->nr_groups = 0;
}

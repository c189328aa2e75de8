// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl output helpers: sizes for humans, JSON strings, aligned tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lego/compat.h"
#include "print.h"

/* "64 MiB", "1.5 GiB", "512 B": a whole number of units stays exact. */
const char *human_size(uint64_t bytes, char *buf, size_t size)
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

/* Names come from the admin and the kernel, but JSON must stay JSON. */
void json_string(const char *s)
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

/* lego-ctl has nothing sensible to print without memory. */
static void out_of_memory(void)
{
	fputs("lego-ctl: out of memory\n", stderr);
	exit(1);
}

/* The next cell of @t, a copy of @cell. */
void lego_table_add(struct lego_table *t, const char *cell)
{
	char **cells;

	cells = realloc(t->cells, (t->nr_cells + 1) * sizeof(*cells));
	if (!cells)
		out_of_memory();
	t->cells = cells;
	cells[t->nr_cells] = strdup(cell);
	if (!cells[t->nr_cells])
		out_of_memory();
	t->nr_cells++;
}

void lego_table_add_u64(struct lego_table *t, uint64_t value)
{
	char cell[24];

	snprintf(cell, sizeof(cell), "%llu", (unsigned long long)value);
	lego_table_add(t, cell);
}

/**
 * lego_table_print() - print a table on stdout and free its cells
 * @t: the table; its last row may be short
 * @indent: printed before every row
 *
 * Columns are two spaces apart; the last one of a row is not padded.
 */
void lego_table_print(struct lego_table *t, const char *indent)
{
	size_t *width = calloc(t->cols, sizeof(*width));
	size_t i, col, len;

	if (!width)
		out_of_memory();
	for (i = 0; i < t->nr_cells; i++) {
		col = i % t->cols;
		len = strlen(t->cells[i]);
		if (len > width[col])
			width[col] = len;
	}
	for (i = 0; i < t->nr_cells; i++) {
		col = i % t->cols;
		if (!col)
			fputs(indent, stdout);
		if (col + 1 == t->cols || i + 1 == t->nr_cells)
			printf("%s\n", t->cells[i]);
		else
			printf("%-*s  ", (int)width[col], t->cells[i]);
		free(t->cells[i]);
	}
	free(width);
	free(t->cells);
	t->cells = NULL;
	t->nr_cells = 0;
}

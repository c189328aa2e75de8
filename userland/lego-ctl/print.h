/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lego-ctl output helpers shared by the commands: sizes for humans, JSON
 * strings, aligned tables.
 */
#ifndef _LEGO_CTL_PRINT_H
#define _LEGO_CTL_PRINT_H

#include <stddef.h>
#include <stdint.h>

const char *human_size(uint64_t bytes, char *buf, size_t size);
void json_string(const char *s);

/* Cells added row by row; the columns are aligned when it is printed. */
struct lego_table {
	size_t cols;
	size_t nr_cells;
	char **cells;
};

void lego_table_add(struct lego_table *t, const char *cell);
void lego_table_add_u64(struct lego_table *t, uint64_t value);
void lego_table_print(struct lego_table *t, const char *indent);

#endif /* _LEGO_CTL_PRINT_H */

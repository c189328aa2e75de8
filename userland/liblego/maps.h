/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The caller's own mappings, as /proc/self/maps shows them: what liblego
 * needs to know of its memory (extent, protection) to grow or move it,
 * without a table of its own. Unit-tested by tests/unit/test_liblego_maps.c.
 */
#ifndef _LIBLEGO_MAPS_H
#define _LIBLEGO_MAPS_H

#include <stdint.h>

/* A mapping, or the part of one in the range walked. */
struct lego_piece {
	uint64_t start;
	uint64_t end;
	int prot;		/* PROT_READ, PROT_WRITE, PROT_EXEC */
};

int lego_maps_line(const char *line, const char *end, struct lego_piece *pc);
int lego_maps_walk(uint64_t lo, uint64_t hi,
		   int (*fn)(const struct lego_piece *pc, void *arg),
		   void *arg);

#endif /* _LIBLEGO_MAPS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liblego's address space: the /dev/lego file joined to the vNode that
 * $LEGO_VNODE names, for the life of the process image.
 */
#ifndef _LIBLEGO_SPACE_H
#define _LIBLEGO_SPACE_H

#include <stdbool.h>
#include <stdint.h>

bool lego_space_on(void);
void lego_space_enter(void);
void lego_space_leave(void);
int lego_space_map(uint64_t *addr, uint64_t len, int prot, bool fixed);
int lego_space_discard(uint64_t addr, uint64_t len);

#endif /* _LIBLEGO_SPACE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* mremap(2) of /dev/lego memory, which the kernel only shrinks. */
#ifndef _LIBLEGO_REMAP_H
#define _LIBLEGO_REMAP_H

#include <stdint.h>

#include "route.h"

long lego_remap(uint64_t old, const struct lego_remap_plan *plan);

#endif /* _LIBLEGO_REMAP_H */

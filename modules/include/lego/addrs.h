/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Monitor address lists (mmon=, smon=): pure logic shared with the tests.
 */
#ifndef _LEGO_ADDRS_H
#define _LEGO_ADDRS_H

#include "lego/compat.h"

#define LEGO_MAX_PEERS	16

int lego_parse_addrs(const char *s, u32 *addrs, unsigned int max,
		     unsigned int *nr);

#endif /* _LEGO_ADDRS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the pmon knows of a page at its owner mmon, in the 63 bits of an
 * xarray value. A few small values are states; any other is where the
 * owner said the page may be READ and WRITTEN: the rkey, the page's index
 * in the owner's pool, and the low bits of the serial of the connection
 * it said so on, as an rkey means nothing on another connection. Pure C,
 * shared with tests/unit/test_page_loc.
 */
#ifndef _LEGO_PAGE_LOC_H
#define _LEGO_PAGE_LOC_H

#include "lego/compat.h"
#include "lego/wire.h"

#define LEGO_LOC_UNLOCATED	0	/* written back: ask for it (FETCH) */
#define LEGO_LOC_CHARGED	1	/* dirtied, never written back: zero */
#define LEGO_LOC_LOST		2	/* its write-back failed: SIGBUS */

#define LEGO_LOC_INDEX_BITS	26	/* pool pages: 256 GiB of 4 KiB */
#define LEGO_LOC_SERIAL_BITS	4

u64 lego_loc_pack(const struct lego_mem_page_loc *loc, u64 serial);
bool lego_loc_unpack(u64 v, u64 serial, u64 *addr, u32 *rkey);
bool lego_loc_located(u64 v);

#endif /* _LEGO_PAGE_LOC_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Packing where a page is at its owner into an xarray value (see
 * lego/page_loc.h). Pure C: built into lego.ko and tests/unit/test_page_loc.
 */
#include "lego/page_loc.h"

#define LEGO_LOC_PAGE_SHIFT	12
#define LEGO_LOC_INDEX_SHIFT	32
#define LEGO_LOC_SERIAL_SHIFT	(LEGO_LOC_INDEX_SHIFT + LEGO_LOC_INDEX_BITS)
#define LEGO_LOC_VALID		BIT_ULL(62)
#define LEGO_LOC_MASK(bits)	(BIT_ULL(bits) - 1)

/**
 * lego_loc_pack() - the value saying where @loc is, on connection @serial
 * @loc: as the owner's reply has it
 * @serial: the connection the reply came on
 *
 * Return: the value, or LEGO_LOC_UNLOCATED if @loc says nowhere (rkey 0)
 * or cannot be packed.
 */
u64 lego_loc_pack(const struct lego_mem_page_loc *loc, u64 serial)
{
	u64 addr = le64_to_cpu(loc->addr);
	u64 index = addr >> LEGO_LOC_PAGE_SHIFT;
	u32 rkey = le32_to_cpu(loc->rkey);

	if (!rkey || addr & LEGO_LOC_MASK(LEGO_LOC_PAGE_SHIFT) ||
	    index > LEGO_LOC_MASK(LEGO_LOC_INDEX_BITS))
		return LEGO_LOC_UNLOCATED;
	return LEGO_LOC_VALID | rkey | index << LEGO_LOC_INDEX_SHIFT |
	       (serial & LEGO_LOC_MASK(LEGO_LOC_SERIAL_BITS)) <<
	       LEGO_LOC_SERIAL_SHIFT;
}

/**
 * lego_loc_unpack() - where to READ or WRITE the page, on connection @serial
 * @v: the value
 * @serial: the connection to use
 * @addr: set to the page's address at the owner
 * @rkey: and its rkey
 *
 * Return: false for a state, or a place said on another connection.
 */
bool lego_loc_unpack(u64 v, u64 serial, u64 *addr, u32 *rkey)
{
	if (!lego_loc_located(v) ||
	    (v >> LEGO_LOC_SERIAL_SHIFT & LEGO_LOC_MASK(LEGO_LOC_SERIAL_BITS)) !=
	    (serial & LEGO_LOC_MASK(LEGO_LOC_SERIAL_BITS)))
		return false;
	*addr = (v >> LEGO_LOC_INDEX_SHIFT & LEGO_LOC_MASK(LEGO_LOC_INDEX_BITS))
		<< LEGO_LOC_PAGE_SHIFT;
	*rkey = (u32)v;
	return true;
}

/* A place, not a state (on whatever connection). */
bool lego_loc_located(u64 v)
{
	return v & LEGO_LOC_VALID;
}

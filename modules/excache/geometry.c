// SPDX-License-Identifier: GPL-2.0
/*
 * ExCache geometry. Pure C: built into lego.ko and tests/unit.
 */
#include "lego/excache_geometry.h"

/* 2^32 / golden ratio, as the kernel's hash_32() uses. */
#define EXCACHE_GOLDEN_RATIO_32	0x61C88647U

/**
 * excache_geometry_init() - lay out an ExCache of @bytes in sets of @ways
 * @g: the geometry to fill in
 * @bytes: size of the cache, a multiple of @page_size
 * @ways: lines per set, a power of two up to EXCACHE_MAX_WAYS
 * @page_size: size of a line
 *
 * The number of sets must come out a power of two so that a set index is a
 * mask, not a division, on the fault path.
 *
 * Return: 0 or -EINVAL.
 */
int excache_geometry_init(struct excache_geometry *g, u64 bytes, u32 ways,
			  u32 page_size)
{
	u64 lines, sets;

	if (!is_power_of_2(page_size) || !bytes || bytes % page_size)
		return -EINVAL;
	if (!is_power_of_2(ways) || ways > EXCACHE_MAX_WAYS)
		return -EINVAL;
	lines = bytes / page_size;
	if (lines % ways)
		return -EINVAL;
	sets = lines / ways;
	if (!is_power_of_2(sets) || sets > (1ULL << 31))
		return -EINVAL;

	g->lines = lines;
	g->ways = ways;
	g->sets = (u32)sets;
	g->set_bits = ilog2(sets);
	return 0;
}

/**
 * excache_set_index() - the set that caches page @vpn of address space @asid
 * @g: the geometry
 * @asid: address-space id
 * @vpn: virtual page number
 *
 * Consecutive pages of one address space go to consecutive sets, so a
 * sequential scan uses every set evenly. Each address space starts at its
 * own set (a multiplicative hash of @asid), so that the low pages of
 * several address spaces, where every heap begins, do not pile up in one set.
 */
u32 excache_set_index(const struct excache_geometry *g, u32 asid, u64 vpn)
{
	u32 start = 0;

	if (g->set_bits)
		start = (asid * EXCACHE_GOLDEN_RATIO_32) >> (32 - g->set_bits);
	return (u32)((vpn + start) & (g->sets - 1));
}

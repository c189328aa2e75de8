// SPDX-License-Identifier: GPL-2.0
/*
 * The ExCache: lay out its sets and reserve its lines.
 */
#include <linux/mm.h>

#include "lego/excache.h"

int excache_init(struct excache *cache, u64 bytes, u32 ways)
{
	int ret;

	ret = excache_geometry_init(&cache->geo, bytes, ways, PAGE_SIZE);
	if (ret)
		return ret;
	return lego_pagepool_init(&cache->lines, cache->geo.lines);
}

void excache_destroy(struct excache *cache)
{
	lego_pagepool_destroy(&cache->lines);
}

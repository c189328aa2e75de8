/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ExCache lines as the lookup and replacement logic sees them: tags, state
 * bits and the victim choice of each policy. Pure logic shared by lego.ko
 * and the unit tests; the locking and the pages are the caller's.
 */
#ifndef _LEGO_EXCACHE_POLICY_H
#define _LEGO_EXCACHE_POLICY_H

#include "lego/compat.h"

enum excache_policy {
	EXCACHE_POLICY_FIFO,	/* the line filled longest ago */
	EXCACHE_POLICY_LRU,	/* least recently used, by aging access bits */
	EXCACHE_POLICY_CLOCK,	/* second chance, a hand per set */
	__EXCACHE_POLICY_MAX,
};

/*
 * A line is free (no bits), filling (BUSY, tag set: faults on the same
 * page wait for it), valid, or being evicted (VALID | BUSY). BUSY lines
 * are never chosen as victims.
 */
#define EXCACHE_LINE_VALID	0x01
#define EXCACHE_LINE_DIRTY	0x02	/* written since filled: write back */
#define EXCACHE_LINE_BUSY	0x04
#define EXCACHE_LINE_REF	0x08	/* used since the policy last looked */
#define EXCACHE_LINE_PREFETCHED	0x10	/* brought in ahead, not used yet */

#define EXCACHE_ASID_BITS	16
#define EXCACHE_VPN_BITS	48

struct excache_meta {
	u64 tag;		/* excache_tag(); meaningful unless free */
	u32 stamp;		/* fill order within the set */
	u8 flags;
	u8 age;			/* LRU: bit 7 = used in the latest period */
	u16 pins;		/* faults mapping it right now: not a victim */
};

struct excache_set_state {
	u32 hand;		/* CLOCK: the next line to look at */
	u32 fills;		/* lines filled so far: the next stamp */
};

/* Return true if the line's page was accessed since last asked, and forget. */
typedef bool (*excache_test_clear_ref_fn)(void *ctx, u32 way);

static inline u64 excache_tag(u32 asid, u64 vpn)
{
	return (u64)asid << EXCACHE_VPN_BITS | vpn;
}

static inline u64 excache_tag_vpn(u64 tag)
{
	return tag & (BIT_ULL(EXCACHE_VPN_BITS) - 1);
}

int excache_parse_policy(const char *name, enum excache_policy *policy);
const char *excache_policy_name(enum excache_policy policy);

int excache_set_lookup(const struct excache_meta *ways, u32 nr_ways, u64 tag);
void excache_line_start_fill(struct excache_set_state *set,
			     struct excache_meta *line, u64 tag);
void excache_line_filled(struct excache_meta *line, bool prefetch, bool dirty);
bool excache_line_use(struct excache_meta *line, bool write);
void excache_line_restore(struct excache_meta *line, u64 tag);
int excache_pick_victim(struct excache_set_state *set,
			struct excache_meta *ways, u32 nr_ways,
			enum excache_policy policy,
			excache_test_clear_ref_fn test_clear_ref, void *ctx);

/* Sequential-miss detection for prefetch, one stream per address space. */
/* The most pages apart that misses count as a strided scan. */
#define EXCACHE_STRIDE_MAX	16

struct excache_stream {
	u64 next_vpn;		/* the miss that would continue the run */
	u64 last_vpn;		/* the last miss */
	u32 stride;		/* pages from one page of the run to the next */
	u32 run;		/* misses so far at that stride */
};

u32 excache_stream_miss(struct excache_stream *s, u64 vpn, u32 window);
u32 excache_stream_hit(struct excache_stream *s, u64 vpn, u32 window);

#endif /* _LEGO_EXCACHE_POLICY_H */

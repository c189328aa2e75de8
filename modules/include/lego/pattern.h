/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The data pattern of transport tests: every 32-bit word depends on a seed
 * and on its byte offset, so a shifted, stale or misdirected transfer shows.
 * Shared by lego.ko and the userland test tools.
 */
#ifndef _LEGO_PATTERN_H
#define _LEGO_PATTERN_H

static inline unsigned int lego_pattern_word(unsigned int seed,
					     unsigned long long offset)
{
	return (seed * 0x9e3779b9U) ^ ((unsigned int)(offset / 4) * 0x85ebca6bU);
}

/* Fill @bytes (a multiple of 4) at @buf as if it sat at @offset. */
static inline void lego_pattern_fill(void *buf, unsigned int bytes,
				     unsigned int seed,
				     unsigned long long offset)
{
	unsigned int *words = buf, i;

	for (i = 0; i < bytes / 4; i++)
		words[i] = lego_pattern_word(seed, offset + 4ULL * i);
}

/* Return the offset into @buf of the first wrong word, or @bytes. */
static inline unsigned int lego_pattern_check(const void *buf,
					      unsigned int bytes,
					      unsigned int seed,
					      unsigned long long offset)
{
	const unsigned int *words = buf;
	unsigned int i;

	for (i = 0; i < bytes / 4; i++)
		if (words[i] != lego_pattern_word(seed, offset + 4ULL * i))
			return 4 * i;
	return bytes;
}

#endif /* _LEGO_PATTERN_H */

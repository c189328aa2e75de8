/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure-logic sources (role parsing, ExCache geometry, ...) are compiled into
 * lego.ko and into the userspace cmocka tests. This header gives both the
 * same small vocabulary of types and helpers.
 */
#ifndef _LEGO_COMPAT_H
#define _LEGO_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <asm/byteorder.h>

/* Callers may hold a spinlock (the mmon's address spaces). */
static inline void *lego_zalloc(size_t size)
{
	return kzalloc(size, GFP_ATOMIC);
}

static inline void lego_free(void *p)
{
	kfree(p);
}
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <endian.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

#define cpu_to_le16(x) ((__le16)htole16(x))
#define cpu_to_le32(x) ((__le32)htole32(x))
#define cpu_to_le64(x) ((__le64)htole64(x))
#define le16_to_cpu(x) le16toh((__u16)(x))
#define le32_to_cpu(x) le32toh((__u32)(x))
#define le64_to_cpu(x) le64toh((__u64)(x))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT_ULL(nr) (1ULL << (nr))
#define ALIGN(x, a) lego_align(x, a)

static inline __u64 lego_align(__u64 x, __u64 a)
{
	return (x + a - 1) & ~(a - 1);
}

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

static inline unsigned int ilog2(unsigned long n)
{
	return (unsigned int)(8 * sizeof(n) - 1 - __builtin_clzl(n));
}

static inline void *lego_zalloc(size_t size)
{
	return calloc(1, size);
}

static inline void lego_free(void *p)
{
	free(p);
}
#endif

#endif /* _LEGO_COMPAT_H */

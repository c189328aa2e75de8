/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel's userspace rbtree (tools/include/linux/rbtree*.h and
 * tools/lib/rbtree.c, extracted by scripts/ktools) needs from the kernel's
 * headers, and no more: the unit tests' own types come from lego/compat.h.
 */
#ifndef _LEGO_UNIT_LINUX_KERNEL_H
#define _LEGO_UNIT_LINUX_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#ifndef __always_inline
#define __always_inline		inline
#endif
#define EXPORT_SYMBOL(sym)

#endif

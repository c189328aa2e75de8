/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own memory calls, by syscall(2): liblego's mmap() and the
 * others it exports must not call themselves, and dlsym() of the C
 * library's may allocate, and so come back through malloc -> mmap.
 * Each returns as the C library's call does (errno set on failure).
 */
#ifndef _LIBLEGO_SYS_H
#define _LIBLEGO_SYS_H

#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static inline void *lego_sys_mmap(uint64_t addr, uint64_t len, int prot,
				  int flags, int fd, off_t off)
{
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

static inline int lego_sys_munmap(uint64_t addr, uint64_t len)
{
	return (int)syscall(SYS_munmap, addr, len);
}

static inline int lego_sys_mprotect(uint64_t addr, uint64_t len, int prot)
{
	return (int)syscall(SYS_mprotect, addr, len, prot);
}

static inline int lego_sys_madvise(uint64_t addr, uint64_t len, int advice)
{
	return (int)syscall(SYS_madvise, addr, len, advice);
}

static inline void *lego_sys_mremap(uint64_t old, uint64_t old_len,
				    uint64_t new_len, int flags, uint64_t to)
{
	return (void *)syscall(SYS_mremap, old, old_len, new_len, flags, to);
}

#endif /* _LIBLEGO_SYS_H */

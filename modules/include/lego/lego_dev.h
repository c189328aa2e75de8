/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/lego, the pmon's character device: each open file is one address
 * space of a vNode whose memory lives on mmons, cached in the ExCache.
 * Shared by lego.ko and userland (liblego, tests/tools/memtouch).
 */
#ifndef _LEGO_DEV_H
#define _LEGO_DEV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define LEGO_DEV_PATH		"/dev/lego"

/*
 * LEGO_IOC_MAP: map @len bytes of disaggregated memory into the caller
 * with @prot (PROT_READ, PROT_WRITE), at @addr when LEGO_MAP_FIXED is set
 * (it must be free), else where the home mmon chooses; @addr is set to it.
 * munmap(2) and mprotect(2) work on the mapping as on any other; the
 * mapping is not inherited across fork(2).
 */
struct lego_map_args {
	__u64 addr;
	__u64 len;
	__u32 prot;
	__u32 flags;
};

#define LEGO_MAP_FIXED		0x1

/* LEGO_IOC_DISCARD: MADV_DONTNEED: the pages read back as zeroes. */
struct lego_range_args {
	__u64 addr;
	__u64 len;
};

#define LEGO_IOC_MAP		_IOWR('L', 0x01, struct lego_map_args)
#define LEGO_IOC_DISCARD	_IOW('L', 0x02, struct lego_range_args)

#endif /* _LEGO_DEV_H */

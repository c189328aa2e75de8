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
 * munmap(2) and mprotect(2) work on the mapping as on any other; fork(2)
 * does not pass it on: see LEGO_IOC_CLONE.
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

/*
 * LEGO_IOC_JOIN: the address space becomes part of vNode @name (made by
 * lego-ctl vnode create), before its first LEGO_IOC_MAP or LEGO_IOC_CLONE.
 */
#define LEGO_VNODE_NAME_MAX	32	/* with the NUL */

struct lego_join_args {
	char name[LEGO_VNODE_NAME_MAX];
};

/* A vNode name: 1 to 31 of [A-Za-z0-9_.-], not starting with '-' or '.'. */
static inline int lego_vnode_name_valid(const char *name)
{
	int i;

	if (name[0] == '-' || name[0] == '.')
		return 0;
	for (i = 0; name[i]; i++) {
		char c = name[i];

		if (i == LEGO_VNODE_NAME_MAX - 1 ||
		    !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return 0;
	}
	return i > 0;
}

/*
 * fork(2), in two steps. In the parent, on a fresh open: LEGO_IOC_CLONE
 * joins the vNode of the /dev/lego file open as @fd and has the mmons copy
 * its address space, as its mappings in the caller are now. In the child,
 * which inherits the fresh file: LEGO_IOC_ADOPT maps the copy in, at the
 * same addresses and with the same protections.
 */
struct lego_clone_args {
	__s32 fd;
	__u32 reserved;		/* must be 0 */
};

#define LEGO_IOC_MAP		_IOWR('L', 0x01, struct lego_map_args)
#define LEGO_IOC_DISCARD	_IOW('L', 0x02, struct lego_range_args)
#define LEGO_IOC_JOIN		_IOW('L', 0x03, struct lego_join_args)
#define LEGO_IOC_CLONE		_IOW('L', 0x04, struct lego_clone_args)
#define LEGO_IOC_ADOPT		_IO('L', 0x05)

#endif /* _LEGO_DEV_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The calls liblego interposes (LD_PRELOAD): route.c says where each
 * goes. munmap(2) works on our mappings, so it is not interposed;
 * mprotect(2) is, only to wait while a fork copies the window (a page
 * committed meanwhile would be missing in the child). With $LEGO_VNODE
 * unset everything goes straight to the kernel.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "remap.h"
#include "route.h"
#include "space.h"
#include "sys.h"

#define LEGO_EXPORT	__attribute__((visibility("default")))

/* For LEGO_DEBUG=1: mappings made by /dev/lego and by the kernel. */
static atomic_ulong lego_nr_lego, lego_nr_real;

static void *lego_mmap_fail(int err)
{
	errno = err;
	return MAP_FAILED;
}

static void *lego_mmap(void *addr, size_t len, int prot, int flags, int fd,
		       off_t off)
{
	struct lego_map_plan plan = { .how = LEGO_ROUTE_REAL,
				      .addr = (uintptr_t)addr };
	int ret = 0;

	if (lego_space_on())
		lego_route_mmap((uintptr_t)addr, len, prot, flags, fd, &plan);
	if (plan.how == LEGO_ROUTE_FAIL)
		return lego_mmap_fail(plan.err);
	if (plan.how == LEGO_ROUTE_REAL) {
		atomic_fetch_add(&lego_nr_real, 1);
		return lego_sys_mmap(plan.addr, len, prot, flags, fd, off);
	}
	lego_space_enter();
	/* MAP_FIXED replaces what is there, as the kernel's would. */
	if (plan.how == LEGO_ROUTE_OVER &&
	    lego_sys_munmap(plan.addr, plan.len))
		ret = -errno;
	if (!ret)
		ret = lego_space_map(&plan.addr, plan.len, prot,
				     plan.how != LEGO_ROUTE_ANY);
	lego_space_leave();
	if (ret)
		return lego_mmap_fail(lego_map_errno(-ret));
	atomic_fetch_add(&lego_nr_lego, 1);
	return (void *)(uintptr_t)plan.addr;
}

LEGO_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
		       off_t off)
{
	return lego_mmap(addr, len, prot, flags, fd, off);
}

LEGO_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
			 off64_t off)
{
	return lego_mmap(addr, len, prot, flags, fd, off);
}

LEGO_EXPORT void *mremap(void *old, size_t old_len, size_t new_len,
			 int flags, ...)
{
	struct lego_remap_plan plan = { .how = LEGO_REMAP_REAL };
	uintptr_t to = 0;
	va_list ap;
	long ret;

	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		to = (uintptr_t)va_arg(ap, void *);
		va_end(ap);
	}
	if (lego_space_on())
		lego_route_mremap((uintptr_t)old, old_len, new_len, flags, to,
				  &plan);
	if (plan.how == LEGO_REMAP_REAL)
		return lego_sys_mremap((uintptr_t)old, old_len, new_len, flags,
				       to);
	if (plan.how == LEGO_REMAP_FAIL)
		return lego_mmap_fail(plan.err);
	lego_space_enter();
	ret = lego_remap((uintptr_t)old, &plan);
	lego_space_leave();
	if (ret < 0)
		return lego_mmap_fail(-ret);
	return (void *)ret;
}

LEGO_EXPORT int madvise(void *addr, size_t len, int advice)
{
	enum lego_advice how = LEGO_ADVICE_REAL;
	uint64_t rlen;
	int err;

	if (lego_space_on())
		how = lego_route_madvise((uintptr_t)addr, len, advice, &rlen,
					 &err);
	switch (how) {
	case LEGO_ADVICE_REAL:
		return lego_sys_madvise((uintptr_t)addr, len, advice);
	case LEGO_ADVICE_IGNORE:
		return 0;
	case LEGO_ADVICE_DISCARD:
		lego_space_enter();
		err = -lego_space_discard((uintptr_t)addr, rlen);
		lego_space_leave();
		if (!err)
			return 0;
		break;
	default:	/* LEGO_ADVICE_FAIL */
		break;
	}
	errno = err;
	return -1;
}

LEGO_EXPORT int mprotect(void *addr, size_t len, int prot)
{
	int ret;

	if (!lego_space_on() || !lego_meets_window((uintptr_t)addr, len))
		return lego_sys_mprotect((uintptr_t)addr, len, prot);
	lego_space_enter();
	ret = lego_sys_mprotect((uintptr_t)addr, len, prot);
	lego_space_leave();
	return ret;
}

__attribute__((destructor)) static void lego_report(void)
{
	const char *debug = getenv("LEGO_DEBUG");
	char line[96];
	int n;

	if (!debug || strcmp(debug, "1"))
		return;
	n = snprintf(line, sizeof(line),
		     "liblego: %lu maps to /dev/lego, %lu to the kernel\n",
		     atomic_load(&lego_nr_lego), atomic_load(&lego_nr_real));
	while (write(STDERR_FILENO, line, n) < 0 && errno == EINTR)
		continue;
}

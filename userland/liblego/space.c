// SPDX-License-Identifier: GPL-2.0
/*
 * liblego's address space: /dev/lego, opened and joined to $LEGO_VNODE
 * by the constructor or by the first call that needs it (another
 * library's constructor may allocate first), opened again if the program
 * closes it, and copied for the child at each fork(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lego/lego_dev.h"
#include "space.h"

#define LEGO_FD_UNSET	(-2)	/* $LEGO_VNODE not looked at yet */
#define LEGO_FD_OFF	(-1)	/* $LEGO_VNODE unset: everything passes */
/* Above the descriptors programs pick themselves, e.g. a shell's dup2(). */
#define LEGO_FD_MIN	512

static atomic_int lego_fd = LEGO_FD_UNSET;
static char lego_vnode[LEGO_VNODE_NAME_MAX];
/* Taken to open the space; reopens hold lego_fork_lock too (shared). */
static pthread_mutex_t lego_open_lock = PTHREAD_MUTEX_INITIALIZER;
/*
 * Held shared by every change to the window (maps, discards, mprotect,
 * mremap), alone from the fork's LEGO_IOC_CLONE to its end: the child
 * gets the window as it is at the fork.
 */
static pthread_rwlock_t lego_fork_lock = PTHREAD_RWLOCK_INITIALIZER;
static int lego_fork_fd;	/* the child's copy */
static int lego_fork_err;	/* why there is none */

/* "liblego: WHATvNode NAME: error" on stderr, then _exit(@status). */
static void lego_die(const char *what, const char *name, int err,
		     int status)
{
	const char *desc = strerrordesc_np(err);
	char line[192];
	int n;

	n = snprintf(line, sizeof(line), "liblego: %svNode %.64s: %s\n", what,
		     name, desc ? desc : "Unknown error");
	while (write(STDERR_FILENO, line, n) < 0 && errno == EINTR)
		continue;
	_exit(status);
}

/* @fd moved above LEGO_FD_MIN, if there is room. */
static int lego_fd_high(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, LEGO_FD_MIN);

	if (high < 0)
		return fd;
	close(fd);
	return high;
}

/* A new address space in vNode @name: its fd, or -errno. */
static int lego_join(const char *name)
{
	struct lego_join_args join = {};
	size_t len = strlen(name);
	int fd, err;

	if (len >= sizeof(join.name))
		return -EINVAL;
	memcpy(join.name, name, len);
	fd = open(LEGO_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, LEGO_IOC_JOIN, &join)) {
		err = errno;
		close(fd);
		return -err;
	}
	return lego_fd_high(fd);
}

/* Before fork: the child's copy of the window, as it is now. */
static void lego_prepare(void)
{
	struct lego_clone_args args = {};

	pthread_rwlock_wrlock(&lego_fork_lock);
	args.fd = atomic_load(&lego_fd);
	lego_fork_err = 0;
	lego_fork_fd = open(LEGO_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (lego_fork_fd < 0 || ioctl(lego_fork_fd, LEGO_IOC_CLONE, &args))
		lego_fork_err = errno;
}

static void lego_parent(void)
{
	if (lego_fork_fd >= 0)
		close(lego_fork_fd);
	pthread_rwlock_unlock(&lego_fork_lock);
}

/* Without its copy, the child has no heap: it must not run on. */
static void lego_child(void)
{
	/* A thread of the parent took it, not this one. */
	pthread_rwlock_init(&lego_fork_lock, NULL);
	if (!lego_fork_err && ioctl(lego_fork_fd, LEGO_IOC_ADOPT))
		lego_fork_err = errno;
	if (lego_fork_err)
		lego_die("fork: ", lego_vnode, lego_fork_err, 127);
	close(atomic_load(&lego_fd));
	atomic_store(&lego_fd, lego_fd_high(lego_fork_fd));
}

/*
 * The first look at $LEGO_VNODE. A program must not run on local memory
 * when it was meant to run on the vNode's: it cannot join, it exits.
 */
static int lego_open(void)
{
	const char *name;
	int fd, err;

	pthread_mutex_lock(&lego_open_lock);
	fd = atomic_load(&lego_fd);
	name = getenv("LEGO_VNODE");
	if (fd == LEGO_FD_UNSET && !name) {
		fd = LEGO_FD_OFF;
		atomic_store(&lego_fd, fd);
	} else if (fd == LEGO_FD_UNSET) {
		fd = lego_join(name);
		if (fd < 0)
			lego_die("", name, -fd, 1);
		memcpy(lego_vnode, name, strlen(name) + 1);
		/* Set before pthread_atfork(), which may allocate, so map. */
		atomic_store(&lego_fd, fd);
		err = pthread_atfork(lego_prepare, lego_parent, lego_child);
		if (err)
			lego_die("", name, err, 1);
	}
	pthread_mutex_unlock(&lego_open_lock);
	return fd;
}

static int lego_space_fd(void)
{
	int fd = atomic_load(&lego_fd);

	return fd == LEGO_FD_UNSET ? lego_open() : fd;
}

__attribute__((constructor)) static void lego_space_init(void)
{
	lego_space_fd();
}

/* Is $LEGO_VNODE set, so that memory goes to /dev/lego? */
bool lego_space_on(void)
{
	return lego_space_fd() >= 0;
}

void lego_space_enter(void)
{
	pthread_rwlock_rdlock(&lego_fork_lock);
}

void lego_space_leave(void)
{
	pthread_rwlock_unlock(&lego_fork_lock);
}

/*
 * A program that closes every descriptor (a daemon) closes the space's
 * too: its mappings stay, and a new space takes the next ones. Its fd
 * number may be the program's now: it is left alone.
 */
static int lego_reopen(int stale)
{
	int fd;

	pthread_mutex_lock(&lego_open_lock);
	fd = atomic_load(&lego_fd);
	if (fd == stale) {
		fd = lego_join(lego_vnode);
		if (fd < 0)
			lego_die("", lego_vnode, -fd, 1);
		atomic_store(&lego_fd, fd);
	}
	pthread_mutex_unlock(&lego_open_lock);
	return fd;
}

/* ioctl(2) on the space, opened again once if it is gone: 0 or -errno. */
static int lego_space_ioctl(unsigned long cmd, void *arg)
{
	int fd = lego_space_fd();

	if (!ioctl(fd, cmd, arg))
		return 0;
	if (errno != EBADF && errno != ENOTTY)
		return -errno;
	return ioctl(lego_reopen(fd), cmd, arg) ? -errno : 0;
}

/* LEGO_IOC_MAP at *@addr if @fixed, else where the home mmon chooses. */
int lego_space_map(uint64_t *addr, uint64_t len, int prot, bool fixed)
{
	struct lego_map_args args = {
		.addr = fixed ? *addr : 0,
		.len = len,
		.prot = prot,
		.flags = fixed ? LEGO_MAP_FIXED : 0,
	};
	int ret = lego_space_ioctl(LEGO_IOC_MAP, &args);

	if (!ret)
		*addr = args.addr;
	return ret;
}

int lego_space_discard(uint64_t addr, uint64_t len)
{
	struct lego_range_args args = { .addr = addr, .len = len };

	return lego_space_ioctl(LEGO_IOC_DISCARD, &args);
}

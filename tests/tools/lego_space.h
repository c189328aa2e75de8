/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test tools' address space: /dev/lego, joined to the vNode that
 * $LEGO_VNODE names (lego-ctl vnode create makes it).
 */
#ifndef _LEGO_TOOLS_SPACE_H
#define _LEGO_TOOLS_SPACE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lego/lego_dev.h"

/* The open space, or -1 after one line on stderr naming @prog. */
static inline int lego_space_open(const char *prog)
{
	struct lego_join_args join = {};
	const char *vnode = getenv("LEGO_VNODE");
	int fd;

	if (!vnode || strlen(vnode) >= sizeof(join.name)) {
		fprintf(stderr, "%s: set LEGO_VNODE to a vNode's name\n", prog);
		return -1;
	}
	strcpy(join.name, vnode);
	fd = open(LEGO_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, LEGO_DEV_PATH,
			strerror(errno));
		return -1;
	}
	if (ioctl(fd, LEGO_IOC_JOIN, &join)) {
		fprintf(stderr, "%s: vNode %s: %s\n", prog, vnode,
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

#endif /* _LEGO_TOOLS_SPACE_H */

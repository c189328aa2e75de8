/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lego-ctl vnode: what LEGO_CMD_VNODE_GET reports, and its printing.
 */
#ifndef _LEGO_CTL_VNODE_H
#define _LEGO_CTL_VNODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lego/lego_dev.h"
#include "lego/wire.h"

struct lego_vnode {
	uint32_t id;
	char name[LEGO_VNODE_NAME_MAX];
	uint64_t mem;			/* bytes */
	uint32_t nr_mmons;
	uint32_t mmons[LEGO_VNODE_MMONS_MAX];	/* IPv4, network order */
	uint32_t replicas;		/* copies of each page, 1 or 2; */
					/* to create: 0 for lego.ko's, 1 */
	uint32_t procs;			/* address spaces open in it */
	uint64_t pages;			/* held at the mmons */
	uint64_t disk;			/* bytes of its disk, 0 for none */
	char disk_name[32];		/* "legoblk0" */
	bool degraded;			/* one of its monitors is down */
};

void lego_vnode_print(const struct lego_vnode *vn, bool json);
void lego_vnode_list_print(const struct lego_vnode *vns, size_t nr,
			   bool json);

#endif /* _LEGO_CTL_VNODE_H */

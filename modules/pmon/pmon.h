/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the processor monitor: the address spaces of /dev/lego (space.c),
 * the device and its mappings (dev.c), all caching pages in one ExCache.
 */
#ifndef _LEGO_PMON_H
#define _LEGO_PMON_H

#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/mutex.h>

#include "lego/excache.h"
#include "lego/wire.h"

#define PMON_DEFAULT_VNODE	1	/* until vNodes are created by lego-ctl */

struct lego_peer;

/* One open of /dev/lego: an address space of a vNode. */
struct pmon_space {
	struct kref ref;		/* the file and each line holding a page */
	u32 asid;
	u32 vnode;
	u64 key;			/* from the home's first MAP reply */
	struct xarray written;		/* pages written back at least once */
	struct lego_peer *home;
	struct lego_peer *owner[LEGO_MEM_WINDOW_VREGIONS];
	struct address_space mapping;	/* its mappings, for unmapping a line */
	struct mutex lock;		/* LEGO_IOC_MAP against itself */
	u64 mapping_addr;		/* the map LEGO_IOC_MAP is installing */
	u64 mapping_len;

	spinlock_t stream_lock;		/* the three below */
	struct excache_stream stream;	/* sequential misses */
	u64 prefetch_next, prefetch_end;	/* pages to bring in ahead */
	struct work_struct prefetch_work;
};

extern struct excache pmon_excache;
extern atomic64_t pmon_zero_fills;
extern const struct excache_space_ops pmon_space_ops;

struct pmon_space *pmon_space_create(struct inode *inode);
void pmon_space_release(struct pmon_space *space);
int pmon_space_map(struct pmon_space *space, u64 *addr, u64 len, u32 prot);
int pmon_space_unmap(struct pmon_space *space, u64 addr, u64 len);
int pmon_space_protect(struct pmon_space *space, u64 addr, u64 len, u32 prot);
int pmon_space_discard(struct pmon_space *space, u64 addr, u64 len);
void pmon_space_missed(struct pmon_space *space, u64 vpn, u64 vpn_end);
void pmon_space_init(const u32 *mmons, unsigned int nr_mmons, u32 prefetch);

int pmon_dev_register(void);
void pmon_dev_unregister(void);

#endif /* _LEGO_PMON_H */

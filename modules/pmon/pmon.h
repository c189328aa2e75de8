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
#include <linux/rwsem.h>
#include <linux/workqueue.h>

#include "lego/excache.h"
#include "lego/genl.h"
#include "lego/lego.h"
#include "lego/lego_dev.h"
#include "lego/wire.h"

struct lego_peer;
struct pmon_disk;

/* What the address spaces of a vNode did (lego-ctl stats). */
struct pmon_vnode_stats {
	atomic64_t faults;
	atomic64_t misses;
	atomic64_t zero_fills;		/* misses answered here, no round trip */
	atomic64_t fetches;		/* misses that asked an mmon */
	atomic64_t reads;		/* misses served by one RDMA READ */
	atomic64_t writebacks;
	atomic64_t writes;		/* write-backs by one RDMA WRITE */
	atomic64_t errors;		/* faults that failed: SIGBUS */
	atomic64_t over_mem;		/* writes and forks past its --mem */
	atomic64_t failovers;		/* holders of its pages lost */
	atomic64_t rebuilds;		/* replicas given their pages anew */
	atomic64_t fetch_us[EXCACHE_LAT_BUCKETS];
};

struct pmon_vnode {
	struct kref ref;		/* the table and each space in it */
	u32 id;
	char name[LEGO_VNODE_NAME_MAX];
	u64 mem;
	u32 copies;			/* of each page: 1, or 2 (replicas) */
	u32 nr_mmons;
	__be32 mmon[LEGO_VNODE_MMONS_MAX];	/* the home first */
	struct lego_peer *home;

	spinlock_t lock;		/* the four below */
	struct list_head spaces;
	unsigned int nr_spaces;
	bool dying;			/* being destroyed: no more joins */
	wait_queue_head_t idle;		/* nr_spaces went down */

	atomic64_t pages;		/* written, so held at mmons: <= mem */
	unsigned long flags;		/* PMON_VNODE_* */
	struct pmon_vnode_stats stats;
	struct pmon_disk *disk;		/* or NULL */
};

/* Listeners heard that pages of it are lost: told once. */
#define PMON_VNODE_LOST_TOLD	0

/* A mapping a fork's child gets (LEGO_IOC_CLONE, LEGO_IOC_ADOPT). */
struct pmon_adopt {
	u64 addr;
	u64 len;
	u32 prot;			/* PROT_* */
};

/* Prefetches of one address space in flight at once, each its own fetch. */
#define PMON_PREFETCHERS	4

/* One open of /dev/lego: an address space of a vNode. */
struct pmon_space {
	struct kref ref;		/* the file and each line holding a page */
	u32 asid;
	u32 vnode;			/* vn's id, 0 until it joins one */
	struct pmon_vnode *vn;
	struct list_head vnode_node;
	struct pid *pid;		/* its process, killed with the vNode */
	u64 key;			/* from the home's first MAP reply */
	struct xarray written;		/* pages written at least once */
	struct xarray set_aside;	/* never written, with a place at the owner */
	struct lego_peer *home;
	struct lego_peer *owner[LEGO_MEM_WINDOW_VREGIONS];
	/* With two copies: the other holder of each vRegion, or NULL. */
	struct lego_peer *replica[LEGO_MEM_WINDOW_VREGIONS];
	/* Write-backs read the holders under it; a failover changes them. */
	struct rw_semaphore holders_rwsem;
	struct mutex failover_lock;	/* one REPLACE at a time; and: */
	u64 replica_wanted;		/* vRegions left with one copy */
	unsigned int replica_asks;	/* of the home, for new replicas */
	bool closed;			/* released: asks no more */
	struct delayed_work replica_work;	/* asks them */
	struct address_space mapping;	/* its mappings, for unmapping a line */
	struct mutex lock;		/* LEGO_IOC_MAP against itself */
	u64 mapping_addr;		/* the map LEGO_IOC_MAP is installing */
	u64 mapping_len;
	struct pmon_adopt *adopt;	/* a clone's mappings, until adopted */
	unsigned int nr_adopt;

	spinlock_t stream_lock;		/* the four below */
	struct excache_stream stream;	/* sequential or strided misses */
	u64 prefetch_next, prefetch_end;	/* pages to bring in ahead, */
	u32 prefetch_stride;			/* this many apart */
	struct pmon_prefetcher {
		struct work_struct work;
		struct pmon_space *space;
	} prefetchers[PMON_PREFETCHERS];
};

extern struct excache pmon_excache;
extern atomic64_t pmon_zero_fills;
extern const struct excache_space_ops pmon_space_ops;

void pmon_vnodes_init(const u32 *mmons, unsigned int nr_mmons);
int pmon_vnode_join(struct pmon_space *space, const char *name);
int pmon_vnode_join_as(struct pmon_space *space, struct pmon_space *parent);
void pmon_vnode_moved(struct pmon_space *space);
void pmon_vnode_leave(struct pmon_space *space);
void pmon_vnode_put(struct pmon_vnode *vn);
int pmon_vnode_stats_nl_fill(struct sk_buff *msg, const char *name);

/* A counter into a LEGO_CMD_STATS_GET group. */
static inline int pmon_stat(struct sk_buff *msg, const char *name,
			    atomic64_t *v)
{
	return lego_nl_stat(msg, name, atomic64_read(v));
}

struct pmon_space *pmon_space_create(struct inode *inode);
void pmon_space_release(struct pmon_space *space);
int pmon_space_map(struct pmon_space *space, u64 *addr, u64 len, u32 prot);
int pmon_space_unmap(struct pmon_space *space, u64 addr, u64 len);
int pmon_space_protect(struct pmon_space *space, u64 addr, u64 len, u32 prot,
		       bool revoke_write);
int pmon_space_discard(struct pmon_space *space, u64 addr, u64 len);
void pmon_space_read_ahead(struct pmon_space *space, u64 vpn, u64 vpn_end,
			   enum excache_found found);
int pmon_space_charge(struct pmon_space *space, u64 vpn);
int pmon_space_clone(struct pmon_space *space, struct pmon_space *parent);
void pmon_space_init(u32 prefetch);

struct pmon_disk *pmon_disk_create(u32 vnode, const char *name, u64 bytes,
				   struct netlink_ext_ack *extack);
bool pmon_disk_busy(struct pmon_disk *d);
void pmon_disk_destroy(struct pmon_disk *d);
int pmon_disk_nl_fill(struct sk_buff *msg, struct pmon_disk *d);
bool pmon_disk_live(const struct pmon_disk *d);
int pmon_disk_stats_fill(struct sk_buff *msg, struct pmon_disk *d);
int pmon_blk_init(u32 smon, bool inline_io);
void pmon_blk_exit(void);

int pmon_dev_register(void);
void pmon_dev_unregister(void);

#endif /* _LEGO_PMON_H */

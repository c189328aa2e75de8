/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The smon's volume table: the first bytes of its backing say which vNode
 * volume lives where, so volumes and their keys survive a restart. Pure
 * logic shared by lego.ko and the unit tests; the caller locks and does
 * the I/O.
 */
#ifndef _LEGO_SMON_VOLUMES_H
#define _LEGO_SMON_VOLUMES_H

#include "lego/compat.h"
#include "lego/wire.h"

#define SMON_TABLE_MAGIC	0x314c4f564f47454cULL	/* "LEGOVOL1" */
#define SMON_TABLE_VERSION	1
#define SMON_VOLUMES_MAX	64
#define SMON_DATA_START		BIT_ULL(20)	/* volumes start after it */
#define SMON_EXTENT_ALIGN	BIT_ULL(20)

/* On the backing, little-endian; a slot with 0 bytes is free. */
struct smon_volume {
	char name[LEGO_BLK_NAME_MAX];
	__be32 pmon;		/* the pmon it belongs to */
	__le32 vnode;		/* that pmon's vNode id */
	__le64 key;
	__le64 offset;		/* into the backing, SMON_EXTENT_ALIGN'ed */
	__le64 bytes;
};

struct smon_table {
	__le64 magic;
	__le32 version;
	__le32 nr_slots;	/* SMON_VOLUMES_MAX */
	__le64 reserved[2];
	struct smon_volume vol[SMON_VOLUMES_MAX];
};

/* Why a block request was refused; also the order of the smon's counters. */
enum smon_refusal {
	SMON_OK,
	SMON_REFUSE_VOLUME,	/* no such volume */
	SMON_REFUSE_OWNER,	/* another pmon's, vNode's, or a wrong key */
	SMON_REFUSE_LENGTH,	/* zero, unaligned, too long, or not 0 */
	SMON_REFUSE_RANGE,	/* beyond the volume's end */
	SMON_REFUSE_FIELD,	/* unknown flags */
	__SMON_REFUSE_MAX,
};

void smon_table_format(struct smon_table *t);
int smon_table_check(const struct smon_table *t, u64 limit);
int smon_volume_find(const struct smon_table *t, __be32 pmon,
		     const char *name);
int smon_volume_free_slot(const struct smon_table *t);
int smon_volume_place(const struct smon_table *t, u64 bytes, u64 limit,
		      u64 *offset);
u64 smon_table_bytes(const struct smon_table *t);
enum smon_refusal smon_blk_check(const struct smon_table *t, u16 opcode,
				 u32 vnode, __be32 pmon,
				 const struct lego_blk_req *req, u32 data_len);
const char *smon_refusal_name(enum smon_refusal why);

#endif /* _LEGO_SMON_VOLUMES_H */

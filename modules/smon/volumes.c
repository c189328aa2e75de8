// SPDX-License-Identifier: GPL-2.0
/*
 * The smon's volume table: where each vNode volume lives in the backing
 * (first fit, 1 MiB aligned extents) and who may use it. Pure C: built
 * into lego.ko and tests/unit/test_smon_volumes.
 */
#include "lego/smon_volumes.h"

static const char *const smon_refusal_names[__SMON_REFUSE_MAX] = {
	[SMON_OK]		= "ok",
	[SMON_REFUSE_VOLUME]	= "refused_volume",
	[SMON_REFUSE_OWNER]	= "refused_owner",
	[SMON_REFUSE_LENGTH]	= "refused_length",
	[SMON_REFUSE_RANGE]	= "refused_range",
	[SMON_REFUSE_FIELD]	= "refused_field",
};

const char *smon_refusal_name(enum smon_refusal why)
{
	return why < __SMON_REFUSE_MAX ? smon_refusal_names[why] : "?";
}

void smon_table_format(struct smon_table *t)
{
	memset(t, 0, sizeof(*t));
	t->magic = cpu_to_le64(SMON_TABLE_MAGIC);
	t->version = cpu_to_le32(SMON_TABLE_VERSION);
	t->nr_slots = cpu_to_le32(SMON_VOLUMES_MAX);
}

static bool smon_volume_used(const struct smon_volume *v)
{
	return v->bytes != 0;
}

static bool smon_extents_overlap(const struct smon_volume *a,
				 const struct smon_volume *b)
{
	u64 a_start = le64_to_cpu(a->offset), b_start = le64_to_cpu(b->offset);

	return a_start < b_start + le64_to_cpu(b->bytes) &&
	       b_start < a_start + le64_to_cpu(a->bytes);
}

static bool smon_volume_valid(const struct smon_volume *v, u64 limit)
{
	u64 offset = le64_to_cpu(v->offset), bytes = le64_to_cpu(v->bytes);

	return memchr(v->name, '\0', sizeof(v->name)) && v->name[0] &&
	       v->key && le32_to_cpu(v->vnode) &&
	       le32_to_cpu(v->vnode) <= LEGO_VNODE_MAX &&
	       offset >= SMON_DATA_START && !(offset % SMON_EXTENT_ALIGN) &&
	       !(bytes % LEGO_PAGE_SIZE) && bytes <= limit &&
	       offset <= limit - bytes;
}

/**
 * smon_table_check() - is @t a volume table this smon can use?
 * @t: as read from the start of the backing
 * @limit: the backing's bytes, or U64_MAX for a file that grows
 *
 * Return: 0 if it is, -ENODATA if it is all zeroes (a fresh backing),
 * -EINVAL if it is something else or broken (overlapping extents, ...).
 */
int smon_table_check(const struct smon_table *t, u64 limit)
{
	const u8 *p = (const u8 *)t;
	unsigned int i, j;
	size_t n;

	for (n = 0; n < sizeof(*t) && !p[n]; n++)
		;
	if (n == sizeof(*t))
		return -ENODATA;
	if (le64_to_cpu(t->magic) != SMON_TABLE_MAGIC ||
	    le32_to_cpu(t->version) != SMON_TABLE_VERSION ||
	    le32_to_cpu(t->nr_slots) != SMON_VOLUMES_MAX)
		return -EINVAL;
	for (i = 0; i < SMON_VOLUMES_MAX; i++) {
		const struct smon_volume *v = &t->vol[i];

		if (!smon_volume_used(v))
			continue;
		if (!smon_volume_valid(v, limit))
			return -EINVAL;
		for (j = 0; j < i; j++) {
			if (!smon_volume_used(&t->vol[j]))
				continue;
			if (smon_extents_overlap(v, &t->vol[j]) ||
			    (v->pmon == t->vol[j].pmon &&
			     !strcmp(v->name, t->vol[j].name)))
				return -EINVAL;
		}
	}
	return 0;
}

/* The slot of @pmon's volume @name, or -ENOENT. */
int smon_volume_find(const struct smon_table *t, __be32 pmon,
		     const char *name)
{
	unsigned int i;

	for (i = 0; i < SMON_VOLUMES_MAX; i++)
		if (smon_volume_used(&t->vol[i]) && t->vol[i].pmon == pmon &&
		    !strncmp(t->vol[i].name, name, LEGO_BLK_NAME_MAX))
			return i;
	return -ENOENT;
}

/* An unused slot, or -ENOSPC. */
int smon_volume_free_slot(const struct smon_table *t)
{
	unsigned int i;

	for (i = 0; i < SMON_VOLUMES_MAX; i++)
		if (!smon_volume_used(&t->vol[i]))
			return i;
	return -ENOSPC;
}

/**
 * smon_volume_place() - where a new volume of @bytes goes
 * @t: the table
 * @bytes: its size, a multiple of LEGO_PAGE_SIZE, not 0
 * @limit: the end of the room for volumes
 * @offset: set to the lowest aligned offset that overlaps no volume
 *
 * Return: 0, -EINVAL for a bad size, -ENOSPC if it does not fit.
 */
int smon_volume_place(const struct smon_table *t, u64 bytes, u64 limit,
		      u64 *offset)
{
	u64 at = SMON_DATA_START;
	bool moved = true;
	unsigned int i;

	if (!bytes || bytes % LEGO_PAGE_SIZE || bytes > limit)
		return -EINVAL;
	/* Step past every extent in the way until none is: first fit. */
	while (moved) {
		moved = false;
		for (i = 0; i < SMON_VOLUMES_MAX; i++) {
			const struct smon_volume *v = &t->vol[i];
			u64 start = le64_to_cpu(v->offset);
			u64 end = start + le64_to_cpu(v->bytes);

			if (smon_volume_used(v) && at < end && start < at + bytes) {
				at = ALIGN(end, SMON_EXTENT_ALIGN);
				moved = true;
			}
		}
		if (at > limit - bytes)
			return -ENOSPC;
	}
	*offset = at;
	return 0;
}

/* Bytes promised to volumes. */
u64 smon_table_bytes(const struct smon_table *t)
{
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < SMON_VOLUMES_MAX; i++)
		sum += le64_to_cpu(t->vol[i].bytes);
	return sum;
}

/* What a request of @opcode may ask: its length's bounds. */
static bool smon_blk_len_ok(u16 opcode, u64 offset, u32 len)
{
	switch (opcode) {
	case LEGO_OP_BLK_DELETE:
	case LEGO_OP_BLK_FLUSH:
		return !offset && !len;
	case LEGO_OP_BLK_READ:
	case LEGO_OP_BLK_WRITE:
		return len && len <= LEGO_BLK_IO_MAX &&
		       !(len % LEGO_BLK_SECTOR) && !(offset % LEGO_BLK_SECTOR);
	case LEGO_OP_BLK_DISCARD:
	case LEGO_OP_BLK_WRITE_ZEROES:
		return len && len <= LEGO_BLK_ZERO_MAX &&
		       !(len % LEGO_BLK_SECTOR) && !(offset % LEGO_BLK_SECTOR);
	default:
		return false;
	}
}

/**
 * smon_blk_check() - may this block request be served?
 * @t: the table
 * @opcode: LEGO_OP_BLK_DELETE ... LEGO_OP_BLK_WRITE_ZEROES
 * @vnode: the header's vNode id
 * @pmon: the address of the connection it came on
 * @req: the request, as received
 * @data_len: the bytes the message carries after @req
 *
 * Return: SMON_OK, or why it must be refused.
 */
enum smon_refusal smon_blk_check(const struct smon_table *t, u16 opcode,
				 u32 vnode, __be32 pmon,
				 const struct lego_blk_req *req, u32 data_len)
{
	u32 slot = le32_to_cpu(req->volume), len = le32_to_cpu(req->len), flags;
	u64 offset = le64_to_cpu(req->offset);
	const struct smon_volume *v;

	if (slot >= SMON_VOLUMES_MAX || !smon_volume_used(&t->vol[slot]))
		return SMON_REFUSE_VOLUME;
	v = &t->vol[slot];
	if (v->pmon != pmon || le32_to_cpu(v->vnode) != vnode ||
	    v->key != req->key)
		return SMON_REFUSE_OWNER;
	if (!smon_blk_len_ok(opcode, offset, len))
		return SMON_REFUSE_LENGTH;
	if (offset > le64_to_cpu(v->bytes) ||
	    len > le64_to_cpu(v->bytes) - offset)
		return SMON_REFUSE_RANGE;
	flags = le32_to_cpu(req->flags);
	if (flags & ~(LEGO_BLK_FUA | LEGO_BLK_INVALIDATE | LEGO_BLK_INLINE) ||
	    (opcode != LEGO_OP_BLK_WRITE && flags & LEGO_BLK_FUA) ||
	    (opcode != LEGO_OP_BLK_READ && opcode != LEGO_OP_BLK_WRITE &&
	     flags))
		return SMON_REFUSE_FIELD;
	if (!(flags & LEGO_BLK_INLINE))
		return data_len ? SMON_REFUSE_LENGTH : SMON_OK;
	/* Inline: the data is in the messages, no registration is named. */
	if (flags & LEGO_BLK_INVALIDATE || req->rkey || req->addr)
		return SMON_REFUSE_FIELD;
	if (len > LEGO_BLK_INLINE_MAX ||
	    data_len != (opcode == LEGO_OP_BLK_WRITE ? len : 0))
		return SMON_REFUSE_LENGTH;
	return SMON_OK;
}

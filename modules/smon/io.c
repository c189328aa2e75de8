// SPDX-License-Identifier: GPL-2.0
/*
 * Block requests of pmons: volumes made and removed, data read and written
 * between the backing and the pmon's request pages, by one-sided RDMA, or
 * in the messages for I/O of a page or less.
 * Every request is checked against the volume table first (who, where,
 * how much); a refused one is counted by its reason.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": smon: " fmt

#include <linux/bvec.h>
#include <linux/random.h>
#include <linux/uio.h>

#include "lego/transport.h"
#include "smon.h"

static int smon_refuse(enum smon_refusal why)
{
	atomic64_inc(&smon_stats.refused[why]);
	switch (why) {
	case SMON_REFUSE_VOLUME:
	case SMON_REFUSE_OWNER:
		return -EPERM;	/* the same for both: no probing for volumes */
	case SMON_REFUSE_RANGE:
		return -ERANGE;
	default:
		return -EINVAL;
	}
}

/* LEGO_OP_BLK_CREATE: a zeroed volume, replacing the pmon's old one. */
int smon_serve_create(struct lego_peer *peer, const struct lego_msg *msg,
		      const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_blk_create_req *req = payload;
	struct lego_blk_create_reply *rep = reply;
	u64 bytes = le64_to_cpu(req->bytes), offset;
	__be32 pmon = lego_peer_addr(peer);
	struct smon_volume *v, old = { };
	int slot, old_slot, ret;

	if (!memchr(req->name, '\0', sizeof(req->name)) || !req->name[0])
		return smon_refuse(SMON_REFUSE_FIELD);
	if (!bytes || bytes % LEGO_PAGE_SIZE)
		return smon_refuse(SMON_REFUSE_LENGTH);

	down_write(&smon_table_sem);
	old_slot = smon_volume_find(smon_table, pmon, req->name);
	if (old_slot >= 0) {
		old = smon_table->vol[old_slot];
		memset(&smon_table->vol[old_slot], 0, sizeof(old));
	}
	slot = smon_volume_free_slot(smon_table);
	ret = slot < 0 ? slot : smon_volume_place(smon_table, bytes,
						   MAX_LFS_FILESIZE, &offset);
	if (!ret && bytes > smon_room())
		ret = -ENOSPC;
	/* No one's old data may show through the new volume. */
	if (!ret)
		ret = smon_zero(offset, bytes);
	if (ret)
		goto err_restore;
	v = &smon_table->vol[slot];
	strscpy(v->name, req->name, sizeof(v->name));
	v->pmon = pmon;
	v->vnode = cpu_to_le32(msg->vnode);
	v->key = cpu_to_le64(get_random_u64() | 1);
	v->offset = cpu_to_le64(offset);
	v->bytes = cpu_to_le64(bytes);
	ret = smon_table_store();
	if (ret) {
		memset(v, 0, sizeof(*v));
		goto err_restore;
	}
	if (old_slot >= 0)	/* give its room back */
		smon_zero(le64_to_cpu(old.offset), le64_to_cpu(old.bytes));
	up_write(&smon_table_sem);

	rep->volume = cpu_to_le32(slot);
	rep->key = v->key;
	rep->bytes = v->bytes;
	*reply_len = sizeof(*rep);
	pr_info("volume %d: %s of %pI4, %llu MiB\n", slot, req->name, &pmon,
		bytes >> 20);
	return 0;

err_restore:
	if (old_slot >= 0)
		smon_table->vol[old_slot] = old;
	up_write(&smon_table_sem);
	return ret;
}

/* LEGO_OP_BLK_DELETE: the volume goes, its room with it. */
int smon_serve_delete(struct lego_peer *peer, const struct lego_msg *msg,
		      const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_blk_req *req = payload;
	enum smon_refusal why;
	struct smon_volume *v;
	int ret;

	down_write(&smon_table_sem);
	why = smon_blk_check(smon_table, msg->opcode, msg->vnode,
			     lego_peer_addr(peer), req, 0);
	if (why) {
		up_write(&smon_table_sem);
		return smon_refuse(why);
	}
	v = &smon_table->vol[le32_to_cpu(req->volume)];
	smon_zero(le64_to_cpu(v->offset), le64_to_cpu(v->bytes));
	pr_info("volume %u: %s deleted\n", le32_to_cpu(req->volume), v->name);
	memset(v, 0, sizeof(*v));
	ret = smon_table_store();
	up_write(&smon_table_sem);
	return ret;
}

/* Pages for the data of one request, at most LEGO_BLK_IO_MAX bytes. */
struct smon_buf {
	unsigned int nr;
	struct page *pages[LEGO_BLK_IO_MAX / PAGE_SIZE];
	struct bio_vec bvec[LEGO_BLK_IO_MAX / PAGE_SIZE];
};

static void smon_buf_free(struct smon_buf *buf)
{
	while (buf->nr--)
		__free_page(buf->pages[buf->nr]);
}

static int smon_buf_alloc(struct smon_buf *buf, u32 len)
{
	unsigned int i;

	buf->nr = 0;
	for (i = 0; i < DIV_ROUND_UP(len, PAGE_SIZE); i++) {
		buf->pages[i] = alloc_page(GFP_KERNEL);
		if (!buf->pages[i]) {
			smon_buf_free(buf);
			return -ENOMEM;
		}
		buf->nr++;
		buf->bvec[i].bv_page = buf->pages[i];
		buf->bvec[i].bv_offset = 0;
		buf->bvec[i].bv_len = min_t(u32, len - i * PAGE_SIZE,
					    PAGE_SIZE);
	}
	return 0;
}

/* The backing into @iter; past a file's end it reads zeroes. */
static int smon_read(struct iov_iter *iter, loff_t pos, u32 len)
{
	ssize_t n = vfs_iter_read(smon_backing, iter, &pos, 0);

	if (n < 0)
		return n;
	iov_iter_zero(len - n, iter);
	return 0;
}

static int smon_write(struct iov_iter *iter, loff_t pos, u32 len, bool fua)
{
	loff_t start = pos;
	ssize_t n;

	file_start_write(smon_backing);
	n = vfs_iter_write(smon_backing, iter, &pos, 0);
	file_end_write(smon_backing);
	if (n != len)
		return n < 0 ? n : -EIO;
	return fua ? vfs_fsync_range(smon_backing, start, start + len - 1, 1) :
		     0;
}

/* A failure of the backing is the pmon's EIO, and ours to tell. */
static int smon_backing_failed(loff_t pos, int ret)
{
	pr_err_ratelimited("backing I/O at %lld failed: %d\n", pos, ret);
	atomic64_inc(&smon_stats.errors);
	return -EIO;
}

/* LEGO_BLK_INLINE: the data in the request (WRITE) or the reply (READ). */
static int smon_rw_inline(u16 opcode, const struct lego_blk_req *req,
			  loff_t pos, void *reply, u32 *reply_len)
{
	u32 len = le32_to_cpu(req->len);
	struct kvec kvec = { .iov_base = (void *)(req + 1), .iov_len = len };
	struct iov_iter iter;
	int ret;

	if (opcode == LEGO_OP_BLK_READ) {
		kvec.iov_base = reply;
		iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, len);
		ret = smon_read(&iter, pos, len);
		*reply_len = len;
	} else {
		iov_iter_kvec(&iter, ITER_SOURCE, &kvec, 1, len);
		ret = smon_write(&iter, pos, len,
				 le32_to_cpu(req->flags) & LEGO_BLK_FUA);
	}
	return ret ? smon_backing_failed(pos, ret) : 0;
}

/* One-sided: the data moves to or from the pmon's registration. */
static int smon_rw_remote(struct lego_peer *peer, u16 opcode,
			  const struct lego_blk_req *req, loff_t pos)
{
	u64 addr = le64_to_cpu(req->addr);
	u32 len = le32_to_cpu(req->len), rkey = le32_to_cpu(req->rkey);
	struct iov_iter iter;
	struct smon_buf buf;
	int ret;

	ret = smon_buf_alloc(&buf, len);
	if (ret)
		return ret;
	if (opcode == LEGO_OP_BLK_READ) {
		iov_iter_bvec(&iter, ITER_DEST, buf.bvec, buf.nr, len);
		ret = smon_read(&iter, pos, len);
		if (ret)
			ret = smon_backing_failed(pos, ret);
		else
			ret = lego_rdma_write_pages(peer, buf.pages, len, addr,
						    rkey);
	} else {
		ret = lego_rdma_read_pages(peer, buf.pages, len, addr, rkey);
		if (!ret) {
			iov_iter_bvec(&iter, ITER_SOURCE, buf.bvec, buf.nr,
				      len);
			ret = smon_write(&iter, pos, len,
					 le32_to_cpu(req->flags) & LEGO_BLK_FUA);
			if (ret)
				ret = smon_backing_failed(pos, ret);
		}
	}
	smon_buf_free(&buf);
	return ret;
}

static int smon_rw(struct lego_peer *peer, const struct lego_msg *msg,
		   const struct lego_blk_req *req, loff_t pos, void *reply,
		   u32 *reply_len)
{
	u32 flags = le32_to_cpu(req->flags), len = le32_to_cpu(req->len);
	bool read = msg->opcode == LEGO_OP_BLK_READ;
	int ret;

	if (flags & LEGO_BLK_INLINE)
		ret = smon_rw_inline(msg->opcode, req, pos, reply, reply_len);
	else
		ret = smon_rw_remote(peer, msg->opcode, req, pos);
	if (ret)
		return ret;
	if (flags & LEGO_BLK_INVALIDATE)
		lego_reply_invalidate(msg, le32_to_cpu(req->rkey));
	atomic64_inc(read ? &smon_stats.reads : &smon_stats.writes);
	atomic64_add(len, read ? &smon_stats.read_bytes :
				 &smon_stats.write_bytes);
	return 0;
}

/* LEGO_OP_BLK_READ ... LEGO_OP_BLK_WRITE_ZEROES */
int smon_serve_io(struct lego_peer *peer, const struct lego_msg *msg,
		  const void *payload, void *reply, u32 *reply_len)
{
	const struct lego_blk_req *req = payload;
	enum smon_refusal why;
	loff_t pos;
	int ret;

	/* Read-held: the volume stays where it is until the request ends. */
	down_read(&smon_table_sem);
	why = smon_blk_check(smon_table, msg->opcode, msg->vnode,
			     lego_peer_addr(peer), req, msg->len - sizeof(*req));
	if (why) {
		ret = smon_refuse(why);
		goto out;
	}
	pos = le64_to_cpu(smon_table->vol[le32_to_cpu(req->volume)].offset) +
	      le64_to_cpu(req->offset);
	switch (msg->opcode) {
	case LEGO_OP_BLK_READ:
	case LEGO_OP_BLK_WRITE:
		ret = smon_rw(peer, msg, req, pos, reply, reply_len);
		break;
	case LEGO_OP_BLK_FLUSH:
		atomic64_inc(&smon_stats.flushes);
		ret = vfs_fsync(smon_backing, 1);
		break;
	default:
		atomic64_inc(msg->opcode == LEGO_OP_BLK_DISCARD ?
			     &smon_stats.discards : &smon_stats.write_zeroes);
		ret = smon_zero(pos, le32_to_cpu(req->len));
		break;
	}
	if (ret && msg->opcode != LEGO_OP_BLK_READ &&
	    msg->opcode != LEGO_OP_BLK_WRITE) {
		atomic64_inc(&smon_stats.errors);
		ret = -EIO;
	}
out:
	up_read(&smon_table_sem);
	return ret;
}

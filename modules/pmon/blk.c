// SPDX-License-Identifier: GPL-2.0
/*
 * A vNode's disk: /dev/legoblkN, a blk-mq disk whose blocks live in a
 * volume on the smon. Each request is served by a work item that lends
 * the request's pages to the smon (a registration of their scatterlist,
 * posted with the request), sends the block request and waits for the
 * reply: the smon moves the data with one-sided RDMA, and its reply
 * invalidates the registration. A page or less travels in the messages
 * instead (blk_inline=). Every step is bounded by the transport's
 * timeout, so a dead smon turns into BLK_STS_IOERR, never a hang.
 * Models: nvme-rdma (registration per request, in-capsule data), loop
 * (work per request).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": pmon: " fmt

#include <linux/blk-mq.h>
#include <linux/idr.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include <rdma/ib_verbs.h>

#include "lego/transport.h"
#include "pmon.h"

#define PMON_BLK_DEPTH		64	/* requests per hardware queue */
/* A request of LEGO_BLK_IO_MAX not starting a page spans one page more. */
#define PMON_BLK_SEGS		(LEGO_BLK_IO_MAX / PAGE_SIZE + 1)

struct pmon_disk_stats {
	atomic64_t reads;
	atomic64_t writes;
	atomic64_t flushes;
	atomic64_t discards;		/* and write-zeroes */
	atomic64_t read_bytes;
	atomic64_t write_bytes;
	atomic64_t errors;
	atomic64_t inline_io;		/* READs and WRITEs in the messages */
	atomic64_t io_us[EXCACHE_LAT_BUCKETS];
};

struct pmon_disk {
	struct lego_peer *smon;
	u32 vnode;
	u32 volume;
	__le64 key;
	u64 bytes;
	int index;			/* N of legoblkN */
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
	struct pmon_disk_stats stats;
};

struct pmon_blk_cmd {
	struct work_struct work;
	struct scatterlist sgl[PMON_BLK_SEGS];
	u8 data[LEGO_BLK_INLINE_MAX];	/* of an inline READ or WRITE */
};

static struct workqueue_struct *pmon_blk_wq;
static DEFINE_IDA(pmon_disk_ida);
static __be32 pmon_smon;
static bool pmon_blk_inline;

static const struct block_device_operations pmon_blk_fops = {
	.owner = THIS_MODULE,
};

static int pmon_blk_call(struct pmon_disk *d, u16 opcode,
			 struct lego_blk_req *req)
{
	u32 got;

	req->volume = cpu_to_le32(d->volume);
	req->key = d->key;
	return lego_rpc_call(d->smon, opcode, d->vnode, req, sizeof(*req),
			     NULL, 0, &got);
}

/*
 * READ or WRITE of a page or less: the data goes with the request or
 * comes with the reply, through cmd->data. One exchange, no registration:
 * cheaper than lending the pages, as for nvme-rdma's in-capsule data.
 */
static int pmon_blk_rw_inline(struct pmon_disk *d, struct request *rq,
			      struct pmon_blk_cmd *cmd,
			      struct lego_blk_req *req)
{
	struct kvec vec[2] = {
		{ .iov_base = req, .iov_len = sizeof(*req) },
		{ .iov_base = cmd->data, .iov_len = blk_rq_bytes(rq) },
	};
	bool write = req_op(rq) == REQ_OP_WRITE;
	struct req_iterator iter;
	struct bio_vec bvec;
	u32 at = 0, got;
	int ret;

	req->flags = cpu_to_le32(LEGO_BLK_INLINE |
				 (write && rq->cmd_flags & REQ_FUA ?
				  LEGO_BLK_FUA : 0));
	atomic64_inc(&d->stats.inline_io);
	if (write) {
		rq_for_each_segment(bvec, rq, iter) {
			memcpy_from_bvec(cmd->data + at, &bvec);
			at += bvec.bv_len;
		}
		return lego_rpc_call_vec(d->smon, LEGO_OP_BLK_WRITE, d->vnode,
					 vec, 2, NULL, 0, &got);
	}
	ret = lego_rpc_call(d->smon, LEGO_OP_BLK_READ, d->vnode, req,
			    sizeof(*req), cmd->data, blk_rq_bytes(rq), &got);
	if (ret)
		return ret;
	if (got != blk_rq_bytes(rq))
		return -EIO;
	rq_for_each_segment(bvec, rq, iter) {
		memcpy_to_bvec(&bvec, cmd->data + at);
		at += bvec.bv_len;
	}
	return 0;
}

/* READ or WRITE: the smon reaches the request's pages for the call. */
static int pmon_blk_rw(struct pmon_disk *d, struct request *rq,
		       struct pmon_blk_cmd *cmd, struct lego_blk_req *req)
{
	bool write = req_op(rq) == REQ_OP_WRITE;
	struct lego_mr *mr;
	int nents, ret;

	sg_init_table(cmd->sgl, PMON_BLK_SEGS);
	nents = blk_rq_map_sg(rq->q, rq, cmd->sgl);
	mr = lego_mr_prepare_sg(d->smon, cmd->sgl, nents,
				write ? IB_ACCESS_REMOTE_READ :
					IB_ACCESS_REMOTE_WRITE);
	if (IS_ERR(mr))
		return PTR_ERR(mr);
	req->addr = cpu_to_le64(lego_mr_addr(mr));
	req->rkey = cpu_to_le32(lego_mr_rkey(mr));
	req->flags = cpu_to_le32(LEGO_BLK_INVALIDATE |
				 (write && rq->cmd_flags & REQ_FUA ?
				  LEGO_BLK_FUA : 0));
	ret = lego_rpc_call_mr(d->smon, write ? LEGO_OP_BLK_WRITE :
						LEGO_OP_BLK_READ,
			       d->vnode, req, sizeof(*req), mr);
	lego_mr_deregister(mr);
	return ret;
}

static int pmon_blk_do(struct pmon_disk *d, struct request *rq,
		       struct pmon_blk_cmd *cmd)
{
	struct lego_blk_req req = {
		.volume = cpu_to_le32(d->volume),
		.key = d->key,
		.offset = cpu_to_le64(blk_rq_pos(rq) << SECTOR_SHIFT),
		.len = cpu_to_le32(blk_rq_bytes(rq)),
	};

	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		atomic64_inc(req_op(rq) == REQ_OP_READ ? &d->stats.reads :
							  &d->stats.writes);
		if (pmon_blk_inline && blk_rq_bytes(rq) <= LEGO_BLK_INLINE_MAX)
			return pmon_blk_rw_inline(d, rq, cmd, &req);
		return pmon_blk_rw(d, rq, cmd, &req);
	case REQ_OP_FLUSH:
		atomic64_inc(&d->stats.flushes);
		req.offset = 0;
		req.len = 0;
		return pmon_blk_call(d, LEGO_OP_BLK_FLUSH, &req);
	case REQ_OP_DISCARD:
		atomic64_inc(&d->stats.discards);
		return pmon_blk_call(d, LEGO_OP_BLK_DISCARD, &req);
	case REQ_OP_WRITE_ZEROES:
		atomic64_inc(&d->stats.discards);
		return pmon_blk_call(d, LEGO_OP_BLK_WRITE_ZEROES, &req);
	default:
		return -EOPNOTSUPP;
	}
}

static void pmon_blk_work(struct work_struct *work)
{
	struct pmon_blk_cmd *cmd = container_of(work, struct pmon_blk_cmd,
						work);
	struct request *rq = blk_mq_rq_from_pdu(cmd);
	struct pmon_disk *d = rq->q->queuedata;
	ktime_t start = ktime_get();
	int ret;

	ret = pmon_blk_do(d, rq, cmd);
	if (ret) {
		atomic64_inc(&d->stats.errors);
		pr_err_ratelimited("%s: %s of %u bytes at sector %llu failed: %d\n",
				   d->disk->disk_name, blk_op_str(req_op(rq)),
				   blk_rq_bytes(rq), blk_rq_pos(rq), ret);
	} else {
		if (req_op(rq) == REQ_OP_READ)
			atomic64_add(blk_rq_bytes(rq), &d->stats.read_bytes);
		else if (req_op(rq) == REQ_OP_WRITE)
			atomic64_add(blk_rq_bytes(rq), &d->stats.write_bytes);
		atomic64_inc(&d->stats.io_us[excache_lat_bucket(start)]);
	}
	/* Any failure, timeouts included, is an I/O error to the caller. */
	blk_mq_end_request(rq, ret ? BLK_STS_IOERR : BLK_STS_OK);
}

static blk_status_t pmon_blk_queue_rq(struct blk_mq_hw_ctx *hctx,
				      const struct blk_mq_queue_data *bd)
{
	struct pmon_blk_cmd *cmd = blk_mq_rq_to_pdu(bd->rq);

	blk_mq_start_request(bd->rq);
	queue_work(pmon_blk_wq, &cmd->work);
	return BLK_STS_OK;
}

static int pmon_blk_init_request(struct blk_mq_tag_set *set,
				 struct request *rq, unsigned int hctx_idx,
				 unsigned int numa_node)
{
	struct pmon_blk_cmd *cmd = blk_mq_rq_to_pdu(rq);

	INIT_WORK(&cmd->work, pmon_blk_work);
	return 0;
}

/*
 * No .timeout: every request ends within a few transport timeouts by
 * itself, and blk-mq's default for a late one is to wait on.
 */
static const struct blk_mq_ops pmon_blk_mq_ops = {
	.queue_rq	= pmon_blk_queue_rq,
	.init_request	= pmon_blk_init_request,
};

static void pmon_blk_set_limits(struct request_queue *q)
{
	blk_queue_logical_block_size(q, LEGO_BLK_SECTOR);
	blk_queue_physical_block_size(q, LEGO_PAGE_SIZE);
	blk_queue_io_min(q, LEGO_PAGE_SIZE);
	blk_queue_max_hw_sectors(q, LEGO_BLK_IO_MAX >> SECTOR_SHIFT);
	blk_queue_max_segments(q, PMON_BLK_SEGS);
	/* What one registration can cover: no gaps inside a page. */
	blk_queue_virt_boundary(q, PAGE_SIZE - 1);
	blk_queue_max_discard_sectors(q, LEGO_BLK_ZERO_MAX >> SECTOR_SHIFT);
	blk_queue_max_write_zeroes_sectors(q,
					   LEGO_BLK_ZERO_MAX >> SECTOR_SHIFT);
	q->limits.discard_granularity = LEGO_PAGE_SIZE;
	blk_queue_write_cache(q, true, true);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
}

static int pmon_disk_add(struct pmon_disk *d)
{
	struct blk_mq_tag_set *set = &d->tag_set;
	int ret;

	set->ops = &pmon_blk_mq_ops;
	set->nr_hw_queues = num_online_cpus();
	set->queue_depth = PMON_BLK_DEPTH;
	set->numa_node = NUMA_NO_NODE;
	set->cmd_size = sizeof(struct pmon_blk_cmd);
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	set->driver_data = d;
	ret = blk_mq_alloc_tag_set(set);
	if (ret)
		return ret;
	d->disk = blk_mq_alloc_disk(set, d);
	if (IS_ERR(d->disk)) {
		ret = PTR_ERR(d->disk);
		goto err_free_tags;
	}
	d->disk->fops = &pmon_blk_fops;
	d->disk->private_data = d;
	snprintf(d->disk->disk_name, DISK_NAME_LEN, "legoblk%d", d->index);
	set_capacity(d->disk, d->bytes >> SECTOR_SHIFT);
	pmon_blk_set_limits(d->disk->queue);
	ret = add_disk(d->disk);
	if (ret)
		goto err_put_disk;
	return 0;

err_put_disk:
	put_disk(d->disk);
err_free_tags:
	blk_mq_free_tag_set(set);
	return ret;
}

/* The smon forgets the volume; a dead smon keeps it, and says nothing. */
static void pmon_disk_delete_volume(struct pmon_disk *d)
{
	struct lego_blk_req req = { };
	int ret;

	ret = pmon_blk_call(d, LEGO_OP_BLK_DELETE, &req);
	if (ret)
		pr_warn("legoblk%d: the smon did not delete its volume: %d\n",
			d->index, ret);
}

/**
 * pmon_disk_create() - a disk of @bytes for vNode @vnode
 * @vnode: the vNode's id
 * @name: its name, which names the volume at the smon
 * @bytes: a multiple of LEGO_PAGE_SIZE
 * @extack: for the reason of a failure
 *
 * Return: the disk, or an ERR_PTR().
 */
struct pmon_disk *pmon_disk_create(u32 vnode, const char *name, u64 bytes,
				   struct netlink_ext_ack *extack)
{
	struct lego_blk_create_req req = { .bytes = cpu_to_le64(bytes) };
	struct lego_blk_create_reply rep;
	struct pmon_disk *d;
	u32 got;
	int ret;

	if (!bytes || bytes % LEGO_PAGE_SIZE) {
		NL_SET_ERR_MSG(extack, "a disk's size is a multiple of 4 KiB");
		return ERR_PTR(-EINVAL);
	}
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->vnode = vnode;
	d->smon = pmon_smon ? lego_peer_find(pmon_smon) : NULL;
	if (!d->smon) {
		NL_SET_ERR_MSG(extack, "the pmon has no smon= for disks");
		ret = -EOPNOTSUPP;
		goto err_free;
	}
	strscpy(req.name, name, sizeof(req.name));
	ret = lego_rpc_call(d->smon, LEGO_OP_BLK_CREATE, vnode, &req,
			    sizeof(req), &rep, sizeof(rep), &got);
	if (!ret && got != sizeof(rep))
		ret = -EPROTO;
	if (ret) {
		NL_SET_ERR_MSG(extack, "the smon refused the disk's volume");
		goto err_free;
	}
	d->volume = le32_to_cpu(rep.volume);
	d->key = rep.key;
	d->bytes = le64_to_cpu(rep.bytes);
	ret = ida_alloc(&pmon_disk_ida, GFP_KERNEL);
	if (ret < 0)
		goto err_volume;
	d->index = ret;
	ret = pmon_disk_add(d);
	if (ret)
		goto err_ida;
	return d;

err_ida:
	ida_free(&pmon_disk_ida, d->index);
err_volume:
	pmon_disk_delete_volume(d);
err_free:
	kfree(d);
	return ERR_PTR(ret);
}

/* Whether anyone has the disk open (a mounted filesystem does). */
bool pmon_disk_busy(struct pmon_disk *d)
{
	return disk_openers(d->disk) > 0;
}

/*
 * Remove the disk, even if open: I/O still in flight ends (each request
 * is bounded), later I/O fails. Then its volume goes.
 */
void pmon_disk_destroy(struct pmon_disk *d)
{
	del_gendisk(d->disk);
	put_disk(d->disk);
	blk_mq_free_tag_set(&d->tag_set);
	pmon_disk_delete_volume(d);
	ida_free(&pmon_disk_ida, d->index);
	kfree(d);
}

int pmon_disk_nl_fill(struct sk_buff *msg, struct pmon_disk *d)
{
	if (nla_put_u64_64bit(msg, LEGO_ATTR_VNODE_DISK, d->bytes,
			      LEGO_ATTR_PAD) ||
	    nla_put_string(msg, LEGO_ATTR_VNODE_DISK_NAME, d->disk->disk_name))
		return -EMSGSIZE;
	return 0;
}

/* LEGO_CMD_STATS_GET: a "disk" group, named as the disk. */
int pmon_disk_stats_fill(struct sk_buff *msg, struct pmon_disk *d)
{
	struct pmon_disk_stats *st = &d->stats;
	struct nlattr *group;
	char name[24];
	int i;

	group = lego_nl_group_start(msg, "disk", d->disk->disk_name);
	if (!group ||
	    pmon_stat(msg, "reads", &st->reads) ||
	    pmon_stat(msg, "writes", &st->writes) ||
	    pmon_stat(msg, "flushes", &st->flushes) ||
	    pmon_stat(msg, "discards", &st->discards) ||
	    pmon_stat(msg, "read_bytes", &st->read_bytes) ||
	    pmon_stat(msg, "write_bytes", &st->write_bytes) ||
	    pmon_stat(msg, "errors", &st->errors) ||
	    pmon_stat(msg, "inline", &st->inline_io))
		return -EMSGSIZE;
	for (i = 0; i < EXCACHE_LAT_BUCKETS; i++) {
		snprintf(name, sizeof(name), "io_lt_%lluus", 1ULL << i);
		if (pmon_stat(msg, name, &st->io_us[i]))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, group);
	return 0;
}

int pmon_blk_init(u32 smon, bool inline_io)
{
	pmon_smon = htonl(smon);
	pmon_blk_inline = inline_io;
	/* Reclaim may write to the disk: the work must not wait for memory. */
	pmon_blk_wq = alloc_workqueue("legoblk", WQ_MEM_RECLAIM | WQ_UNBOUND,
				      0);
	return pmon_blk_wq ? 0 : -ENOMEM;
}

void pmon_blk_exit(void)
{
	destroy_workqueue(pmon_blk_wq);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A vNode's disk: /dev/legoblkN, a blk-mq disk whose blocks live in a
 * volume on the smon. queue_rq sends each request to the smon and the
 * reply's completion ends it, as in nvme-rdma: a READ or WRITE lends the
 * request's pages with a registration posted ahead of the request, the
 * smon moves the data with one-sided RDMA and its reply invalidates the
 * registration. A page or less travels in the messages instead
 * (blk_inline=), as nvme-rdma's in-capsule data. A request unanswered
 * within the transport's timeout resets the connection, which ends it
 * and every other with BLK_STS_IOERR: a dead smon never hangs the disk.
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
/* Segments of an inline WRITE: each holds a logical block or more. */
#define PMON_BLK_INLINE_SEGS	(LEGO_BLK_INLINE_MAX / LEGO_BLK_SECTOR)

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
	struct lego_call call;
	struct lego_mr *mr;		/* the request's pages, lent */
	int status;
	ktime_t start;
	struct work_struct inv_work;	/* an invalidation the reply skipped */
	struct scatterlist sgl[PMON_BLK_SEGS];
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

static void pmon_blk_end(struct request *rq, int status)
{
	struct pmon_blk_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct pmon_disk *d = rq->q->queuedata;

	if (status) {
		atomic64_inc(&d->stats.errors);
		pr_err_ratelimited("%s: %s of %u bytes at sector %llu failed: %d\n",
				   d->disk->disk_name, blk_op_str(req_op(rq)),
				   blk_rq_bytes(rq), blk_rq_pos(rq), status);
	} else {
		if (req_op(rq) == REQ_OP_READ)
			atomic64_add(blk_rq_bytes(rq), &d->stats.read_bytes);
		else if (req_op(rq) == REQ_OP_WRITE)
			atomic64_add(blk_rq_bytes(rq), &d->stats.write_bytes);
		atomic64_inc(&d->stats.io_us[excache_lat_bucket(cmd->start)]);
	}
	/* Any failure, timeouts included, is an I/O error to the caller. */
	blk_mq_end_request(rq, status ? BLK_STS_IOERR : BLK_STS_OK);
}

/* The reply did not invalidate the registration: do it, then end. */
static void pmon_blk_inv_work(struct work_struct *work)
{
	struct pmon_blk_cmd *cmd = container_of(work, struct pmon_blk_cmd,
						inv_work);

	lego_mr_deregister(cmd->mr);
	cmd->mr = NULL;
	pmon_blk_end(blk_mq_rq_from_pdu(cmd), cmd->status);
}

/* The smon answered, or the connection failed: the request ends. */
static void pmon_blk_done(struct lego_call *call, int status,
			  const void *reply, u32 reply_len)
{
	struct pmon_blk_cmd *cmd = container_of(call, struct pmon_blk_cmd,
						call);
	struct request *rq = blk_mq_rq_from_pdu(cmd);
	struct req_iterator iter;
	struct bio_vec bvec;
	u32 at = 0;

	if (!status && req_op(rq) == REQ_OP_READ && !cmd->mr) {
		if (reply_len != blk_rq_bytes(rq)) {
			status = -EIO;
		} else {
			rq_for_each_segment(bvec, rq, iter) {
				memcpy_to_bvec(&bvec, reply + at);
				at += bvec.bv_len;
			}
		}
	}
	if (cmd->mr) {
		/* Until invalidated, the smon may still reach the pages. */
		if (lego_mr_must_invalidate(cmd->mr)) {
			cmd->status = status;
			queue_work(pmon_blk_wq, &cmd->inv_work);
			return;
		}
		lego_mr_deregister(cmd->mr);
		cmd->mr = NULL;
	}
	pmon_blk_end(rq, status);
}

/*
 * READ or WRITE of a page or less: the data goes with the request or
 * comes with the reply. One exchange, no registration: cheaper than
 * lending the pages, as for nvme-rdma's in-capsule data. A WRITE of more
 * segments than expected goes one-sided: -EAGAIN.
 */
static int pmon_blk_rw_inline(struct pmon_disk *d, struct request *rq,
			      struct pmon_blk_cmd *cmd,
			      struct lego_blk_req *req)
{
	struct kvec vec[1 + PMON_BLK_INLINE_SEGS] = {
		{ .iov_base = req, .iov_len = sizeof(*req) },
	};
	bool write = req_op(rq) == REQ_OP_WRITE;
	unsigned int nr_vec = 1;
	struct req_iterator iter;
	struct bio_vec bvec;

	if (write) {
		rq_for_each_segment(bvec, rq, iter) {
			if (nr_vec == ARRAY_SIZE(vec))
				return -EAGAIN;
			vec[nr_vec].iov_base = bvec_virt(&bvec);
			vec[nr_vec++].iov_len = bvec.bv_len;
		}
	}
	req->flags = cpu_to_le32(LEGO_BLK_INLINE |
				 (write && rq->cmd_flags & REQ_FUA ?
				  LEGO_BLK_FUA : 0));
	atomic64_inc(&d->stats.inline_io);
	return lego_rpc_submit(d->smon, &cmd->call, write ? LEGO_OP_BLK_WRITE :
			       LEGO_OP_BLK_READ, d->vnode, vec, nr_vec, NULL);
}

/* READ or WRITE: the smon reaches the request's pages for the call. */
static int pmon_blk_rw(struct pmon_disk *d, struct request *rq,
		       struct pmon_blk_cmd *cmd, struct lego_blk_req *req)
{
	bool write = req_op(rq) == REQ_OP_WRITE;
	struct kvec vec = { .iov_base = req, .iov_len = sizeof(*req) };
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
	cmd->mr = mr;
	ret = lego_rpc_submit(d->smon, &cmd->call, write ? LEGO_OP_BLK_WRITE :
			      LEGO_OP_BLK_READ, d->vnode, &vec, 1, mr);
	if (ret) {
		lego_mr_deregister(mr);
		cmd->mr = NULL;
	}
	return ret;
}

/* Send @rq to the smon. Return: 0 if sent, pmon_blk_done() will follow. */
static int pmon_blk_submit(struct pmon_disk *d, struct request *rq,
			   struct pmon_blk_cmd *cmd)
{
	struct lego_blk_req req = {
		.volume = cpu_to_le32(d->volume),
		.key = d->key,
		.offset = cpu_to_le64(blk_rq_pos(rq) << SECTOR_SHIFT),
		.len = cpu_to_le32(blk_rq_bytes(rq)),
	};
	struct kvec vec = { .iov_base = &req, .iov_len = sizeof(req) };
	u16 opcode;
	int ret;

	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		atomic64_inc(req_op(rq) == REQ_OP_READ ? &d->stats.reads :
							  &d->stats.writes);
		if (pmon_blk_inline &&
		    blk_rq_bytes(rq) <= LEGO_BLK_INLINE_MAX) {
			ret = pmon_blk_rw_inline(d, rq, cmd, &req);
			if (ret != -EAGAIN)
				return ret;
		}
		return pmon_blk_rw(d, rq, cmd, &req);
	case REQ_OP_FLUSH:
		atomic64_inc(&d->stats.flushes);
		req.offset = 0;
		req.len = 0;
		opcode = LEGO_OP_BLK_FLUSH;
		break;
	case REQ_OP_DISCARD:
		atomic64_inc(&d->stats.discards);
		opcode = LEGO_OP_BLK_DISCARD;
		break;
	case REQ_OP_WRITE_ZEROES:
		atomic64_inc(&d->stats.discards);
		opcode = LEGO_OP_BLK_WRITE_ZEROES;
		break;
	default:
		return -EOPNOTSUPP;
	}
	return lego_rpc_submit(d->smon, &cmd->call, opcode, d->vnode, &vec, 1,
			       NULL);
}

/* Runs in the submitter's context (BLK_MQ_F_BLOCKING): it may wait. */
static blk_status_t pmon_blk_queue_rq(struct blk_mq_hw_ctx *hctx,
				      const struct blk_mq_queue_data *bd)
{
	struct request *rq = bd->rq;
	struct pmon_blk_cmd *cmd = blk_mq_rq_to_pdu(rq);
	int ret;

	cmd->start = ktime_get();
	cmd->mr = NULL;
	cmd->call.req_id = 0;
	blk_mq_start_request(rq);
	ret = pmon_blk_submit(rq->q->queuedata, rq, cmd);
	if (ret)
		pmon_blk_end(rq, ret);
	return BLK_STS_OK;
}

/*
 * As nvme-rdma: a request unanswered for the transport's timeout resets
 * the connection, which ends it and every request behind it. One that
 * waited for a request slot (itself bounded) has its full time once sent.
 */
static enum blk_eh_timer_return pmon_blk_timeout(struct request *rq)
{
	struct pmon_blk_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct pmon_disk *d = rq->q->queuedata;
	unsigned long sent = READ_ONCE(cmd->call.sent);

	if (!READ_ONCE(cmd->call.req_id) ||
	    time_before(jiffies, sent + msecs_to_jiffies(lego_rpc_timeout_ms)))
		return BLK_EH_RESET_TIMER;
	lego_rpc_abort(d->smon, &cmd->call);
	return BLK_EH_DONE;
}

static int pmon_blk_init_request(struct blk_mq_tag_set *set,
				 struct request *rq, unsigned int hctx_idx,
				 unsigned int numa_node)
{
	struct pmon_blk_cmd *cmd = blk_mq_rq_to_pdu(rq);

	cmd->call.done = pmon_blk_done;
	INIT_WORK(&cmd->inv_work, pmon_blk_inv_work);
	return 0;
}

static const struct blk_mq_ops pmon_blk_mq_ops = {
	.queue_rq	= pmon_blk_queue_rq,
	.timeout	= pmon_blk_timeout,
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
	set->timeout = msecs_to_jiffies(lego_rpc_timeout_ms);
	set->flags = BLK_MQ_F_SHOULD_MERGE | BLK_MQ_F_BLOCKING;
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

bool pmon_disk_live(const struct pmon_disk *d)
{
	return lego_peer_live(d->smon);
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
	/* Reclaim may write to the disk: invalidations must not wait for memory. */
	pmon_blk_wq = alloc_workqueue("legoblk", WQ_MEM_RECLAIM | WQ_UNBOUND,
				      0);
	return pmon_blk_wq ? 0 : -ENOMEM;
}

void pmon_blk_exit(void)
{
	destroy_workqueue(pmon_blk_wq);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The storage monitor: serves vNode volumes from one backing file or block
 * device, held open from load to unload. The backing starts with the
 * volume table (lego/smon_volumes.h); a file backing is sparse, so a
 * volume takes room as it is written.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": smon: " fmt

#include <linux/bvec.h>
#include <linux/debugfs.h>
#include <linux/falloc.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/uio.h>
#include <net/netlink.h>

#include "lego/genl.h"
#include "lego/lego.h"
#include "lego/transport.h"
#include "smon.h"

struct file *smon_backing;
struct smon_table *smon_table;
DECLARE_RWSEM(smon_table_sem);
struct smon_stats smon_stats;

static const char *smon_backing_path;
static struct dentry *smon_debugfs;

static bool smon_is_bdev(void)
{
	return S_ISBLK(file_inode(smon_backing)->i_mode);
}

/* The backing's end: a file grows, a block device does not. */
static u64 smon_limit(void)
{
	/* For a block device the size is on the bdev inode, not the node. */
	return smon_is_bdev() ? i_size_read(smon_backing->f_mapping->host) :
				MAX_LFS_FILESIZE;
}

/* Bytes new volumes may still take. */
u64 smon_room(void)
{
	u64 used = SMON_DATA_START + smon_table_bytes(smon_table);
	struct kstatfs st;

	if (smon_is_bdev())
		return smon_limit() > used ? smon_limit() - used : 0;
	if (vfs_statfs(&smon_backing->f_path, &st))
		return 0;
	return st.f_bavail * st.f_bsize;
}

/* Write the table where it lives, durably. */
int smon_table_store(void)
{
	loff_t pos = 0;
	ssize_t n;

	n = kernel_write(smon_backing, smon_table, sizeof(*smon_table), &pos);
	if (n != sizeof(*smon_table))
		return n < 0 ? n : -EIO;
	return vfs_fsync(smon_backing, 0);
}

static int smon_write_zeroes(u64 offset, u64 len)
{
	struct bio_vec bv = {
		.bv_page = ZERO_PAGE(0),
		.bv_len = PAGE_SIZE,
	};
	struct iov_iter iter;
	loff_t pos = offset;
	ssize_t n;

	file_start_write(smon_backing);
	while (len) {
		bv.bv_len = min_t(u64, len, PAGE_SIZE);
		iov_iter_bvec(&iter, ITER_SOURCE, &bv, 1, bv.bv_len);
		n = vfs_iter_write(smon_backing, &iter, &pos, 0);
		if (n <= 0)
			break;
		len -= n;
	}
	file_end_write(smon_backing);
	return len ? -EIO : 0;
}

/*
 * Make [@offset, @offset + @len) read zeroes: punch it (freeing a file's
 * room; a block device zeroes or unmaps), else write zeroes.
 */
int smon_zero(u64 offset, u64 len)
{
	int ret;

	ret = vfs_fallocate(smon_backing,
			    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			    offset, len);
	if (ret == -EOPNOTSUPP)
		ret = smon_write_zeroes(offset, len);
	return ret;
}

/* Read the table, or start one on a fresh backing. */
static int smon_table_load(void)
{
	loff_t pos = 0;
	ssize_t n;
	int ret;

	smon_table = kzalloc(sizeof(*smon_table), GFP_KERNEL);
	if (!smon_table)
		return -ENOMEM;
	if (smon_limit() < SMON_DATA_START + SMON_EXTENT_ALIGN) {
		pr_err("backing=%s is smaller than 2 MiB\n", smon_backing_path);
		return -EINVAL;
	}
	n = kernel_read(smon_backing, smon_table, sizeof(*smon_table), &pos);
	if (n < 0)
		return n;
	ret = smon_table_check(smon_table, smon_limit());
	if (ret == -ENODATA) {
		smon_table_format(smon_table);
		return smon_table_store();
	}
	if (ret)
		pr_err("backing=%s holds no LegoLKM volume table: zero its first MiB to use it\n",
		       smon_backing_path);
	return ret;
}

static int smon_show(struct seq_file *m, void *unused)
{
	unsigned int i;

	down_read(&smon_table_sem);
	seq_printf(m, "backing %s\n", smon_backing_path);
	seq_printf(m, "used %llu\n", smon_table_bytes(smon_table));
	seq_printf(m, "room %llu\n", smon_room());
	for (i = 0; i < SMON_VOLUMES_MAX; i++) {
		struct smon_volume *v = &smon_table->vol[i];

		if (v->bytes)
			seq_printf(m, "volume %u %s pmon %pI4 vnode %u offset %llu bytes %llu\n",
				   i, v->name, &v->pmon, le32_to_cpu(v->vnode),
				   le64_to_cpu(v->offset),
				   le64_to_cpu(v->bytes));
	}
	up_read(&smon_table_sem);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(smon);

static u32 smon_nr_volumes(void)
{
	u32 i, n = 0;

	for (i = 0; i < SMON_VOLUMES_MAX; i++)
		n += !!smon_table->vol[i].bytes;
	return n;
}

int smon_start(const char *backing)
{
	umode_t mode;
	u16 op;
	int ret;

	smon_backing = filp_open(backing, O_RDWR | O_CREAT | O_LARGEFILE, 0600);
	if (IS_ERR(smon_backing)) {
		ret = PTR_ERR(smon_backing);
		pr_err("cannot open backing=%s: %d\n", backing, ret);
		return ret;
	}
	smon_backing_path = backing;
	mode = file_inode(smon_backing)->i_mode;
	if (!S_ISREG(mode) && !S_ISBLK(mode)) {
		pr_err("backing=%s is neither a file nor a block device\n",
		       backing);
		ret = -EINVAL;
		goto err_close;
	}
	ret = smon_table_load();
	if (ret)
		goto err_close;

	lego_serve_register(LEGO_OP_BLK_CREATE, smon_serve_create, true);
	lego_serve_register(LEGO_OP_BLK_DELETE, smon_serve_delete, true);
	for (op = LEGO_OP_BLK_READ; op <= LEGO_OP_BLK_WRITE_ZEROES; op++)
		lego_serve_register(op, smon_serve_io, true);
	smon_debugfs = debugfs_create_file("smon", 0444, lego_debugfs, NULL,
					   &smon_fops);
	pr_info("backing %s: %u volumes, %llu bytes used\n", backing,
		smon_nr_volumes(), smon_table_bytes(smon_table));
	return 0;

err_close:
	kfree(smon_table);
	filp_close(smon_backing, NULL);
	return ret;
}

/* After the transport: no request can come any more. */
void smon_stop(void)
{
	debugfs_remove(smon_debugfs);
	kfree(smon_table);
	filp_close(smon_backing, NULL);
}

int smon_nl_fill(struct sk_buff *msg)
{
	int ret = 0;

	down_read(&smon_table_sem);
	if (nla_put_string(msg, LEGO_ATTR_BACKING, smon_backing_path) ||
	    nla_put_u64_64bit(msg, LEGO_ATTR_BACKING_BYTES,
			      smon_table_bytes(smon_table) + smon_room(),
			      LEGO_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LEGO_ATTR_BACKING_USED,
			      smon_table_bytes(smon_table), LEGO_ATTR_PAD) ||
	    nla_put_u32(msg, LEGO_ATTR_BACKING_VOLUMES, smon_nr_volumes()))
		ret = -EMSGSIZE;
	up_read(&smon_table_sem);
	return ret;
}

static int smon_stat(struct sk_buff *msg, const char *name, atomic64_t *v)
{
	return lego_nl_stat(msg, name, atomic64_read(v));
}

/* LEGO_CMD_STATS_GET: the "smon" group. */
int smon_stats_nl_fill(struct sk_buff *msg)
{
	struct smon_stats *st = &smon_stats;
	struct nlattr *group;
	int i;

	group = lego_nl_group_start(msg, "smon", smon_backing_path);
	if (!group ||
	    smon_stat(msg, "reads", &st->reads) ||
	    smon_stat(msg, "writes", &st->writes) ||
	    smon_stat(msg, "flushes", &st->flushes) ||
	    smon_stat(msg, "discards", &st->discards) ||
	    smon_stat(msg, "write_zeroes", &st->write_zeroes) ||
	    smon_stat(msg, "read_bytes", &st->read_bytes) ||
	    smon_stat(msg, "write_bytes", &st->write_bytes) ||
	    smon_stat(msg, "errors", &st->errors))
		return -EMSGSIZE;
	for (i = SMON_REFUSE_VOLUME; i < __SMON_REFUSE_MAX; i++)
		if (smon_stat(msg, smon_refusal_name(i), &st->refused[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, group);
	return 0;
}

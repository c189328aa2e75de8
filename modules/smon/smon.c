// SPDX-License-Identifier: GPL-2.0
/*
 * The storage monitor: serves vNode volumes from a backing file or block
 * device, held open from load to unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": smon: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <net/netlink.h>

#include "lego/genl.h"
#include "lego/lego.h"

static struct file *smon_backing;
static const char *smon_backing_path;
static struct dentry *smon_debugfs;

/* For a block device the size is on the bdev inode, not the device node. */
static u64 smon_capacity(void)
{
	return i_size_read(smon_backing->f_mapping->host);
}

static int smon_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "backing %s\n", smon_backing_path);
	seq_printf(m, "bytes %llu\n", smon_capacity());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(smon);

int smon_start(const char *backing)
{
	umode_t mode;
	int ret;

	smon_backing = filp_open(backing, O_RDWR | O_CREAT | O_LARGEFILE, 0600);
	if (IS_ERR(smon_backing)) {
		ret = PTR_ERR(smon_backing);
		pr_err("cannot open backing=%s: %d\n", backing, ret);
		return ret;
	}
	mode = file_inode(smon_backing)->i_mode;
	if (!S_ISREG(mode) && !S_ISBLK(mode)) {
		pr_err("backing=%s is neither a file nor a block device\n",
		       backing);
		ret = -EINVAL;
		goto err_close;
	}
	smon_backing_path = backing;
	smon_debugfs = debugfs_create_file("smon", 0444, lego_debugfs, NULL,
					   &smon_fops);
	pr_info("backing %s, %llu bytes\n", backing, smon_capacity());
	return 0;

err_close:
	filp_close(smon_backing, NULL);
	return ret;
}

void smon_stop(void)
{
	debugfs_remove(smon_debugfs);
	filp_close(smon_backing, NULL);
}

int smon_nl_fill(struct sk_buff *msg)
{
	if (nla_put_string(msg, LEGO_ATTR_BACKING, smon_backing_path) ||
	    nla_put_u64_64bit(msg, LEGO_ATTR_BACKING_BYTES, smon_capacity(),
			      LEGO_ATTR_PAD))
		return -EMSGSIZE;
	return 0;
}

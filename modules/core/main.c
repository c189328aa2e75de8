// SPDX-License-Identifier: GPL-2.0
/*
 * lego.ko: the LegoOS splitkernel as a module. One module, loaded on every
 * host with the role(s) it plays: pmon, mmon and/or smon.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <net/route.h>

#include "lego/addrs.h"
#include "lego/excache_geometry.h"
#include "lego/lego.h"
#include "lego/roles.h"
#include "lego/transport.h"
#include "lego/wire.h"

static char *role;
module_param(role, charp, 0444);
MODULE_PARM_DESC(role, "Roles of this host: pmon, mmon, smon or a comma list (required)");

static unsigned int excache_mb = 64;
module_param(excache_mb, uint, 0444);
MODULE_PARM_DESC(excache_mb, "pmon: ExCache size in MiB (default 64)");

static unsigned int excache_ways = 64;
module_param(excache_ways, uint, 0444);
MODULE_PARM_DESC(excache_ways, "pmon: ExCache lines per set, a power of two up to 512 (default 64)");

static unsigned int pool_mb = 128;
module_param(pool_mb, uint, 0444);
MODULE_PARM_DESC(pool_mb, "mmon: memory pool size in MiB (default 128)");

static char *excache_policy = "clock";
module_param(excache_policy, charp, 0444);
MODULE_PARM_DESC(excache_policy, "pmon: ExCache replacement: clock, fifo or lru (default clock)");

static unsigned int excache_prefetch = 8;
module_param(excache_prefetch, uint, 0444);
MODULE_PARM_DESC(excache_prefetch, "pmon: pages fetched ahead of sequential misses, 0 (off) to 64 (default 8)");

static char *backing;
module_param(backing, charp, 0444);
MODULE_PARM_DESC(backing, "smon: backing file (created if missing) or block device, absolute path (required for smon)");

static char *mmon;
module_param(mmon, charp, 0444);
MODULE_PARM_DESC(mmon, "Memory monitors to connect to: IPv4 addresses, comma separated; this host's own is skipped");

static char *smon;
module_param(smon, charp, 0444);
MODULE_PARM_DESC(smon, "Storage monitor to connect to: an IPv4 address");

static bool blk_inline = true;
module_param(blk_inline, bool, 0444);
MODULE_PARM_DESC(blk_inline, "pmon: vNode disk I/O of a page or less travels in the messages, not by one-sided RDMA (default 1)");

static ushort port = LEGO_PORT_DEFAULT;
module_param(port, ushort, 0444);
MODULE_PARM_DESC(port, "rdma_cm port of every monitor (default 7471)");

static unsigned int rpc_timeout_ms = 3000;
module_param(rpc_timeout_ms, uint, 0444);
MODULE_PARM_DESC(rpc_timeout_ms, "How long a request waits for its reply, 100..600000 ms (default 3000)");

struct dentry *lego_debugfs;
static u32 lego_roles;
static enum excache_policy lego_policy;
static u32 lego_peer_addrs[LEGO_MAX_PEERS + 1];	/* mmon= then smon= */
static unsigned int lego_nr_peers, lego_nr_mmons;

static u64 lego_ram_mb(void)
{
	return (totalram_pages() << PAGE_SHIFT) >> 20;
}

/* Check every parameter, whichever roles are asked for; print one line. */
static int lego_validate_params(void)
{
	struct excache_geometry geo;
	u64 ram_mb = lego_ram_mb();
	unsigned int nr_smon;
	u32 smon_addr;

	if (!role || !*role) {
		pr_err("role= is required: role=pmon|mmon|smon (comma list for several)\n");
		return -EINVAL;
	}
	if (lego_parse_roles(role, &lego_roles)) {
		pr_err("bad role=%s: want pmon, mmon, smon or a comma list of them, each once\n",
		       role);
		return -EINVAL;
	}
	if (!excache_mb || excache_mb > ram_mb / 2) {
		pr_err("excache_mb=%u out of range: 1..%llu (half the RAM)\n",
		       excache_mb, ram_mb / 2);
		return -EINVAL;
	}
	if (excache_geometry_init(&geo, (u64)excache_mb << 20, excache_ways,
				  PAGE_SIZE)) {
		pr_err("excache_ways=%u does not fit excache_mb=%u: want a power of two up to %u giving a power-of-two number of sets\n",
		       excache_ways, excache_mb, EXCACHE_MAX_WAYS);
		return -EINVAL;
	}
	if (!excache_policy ||
	    excache_parse_policy(excache_policy, &lego_policy)) {
		pr_err("bad excache_policy=%s: want fifo, lru or clock\n",
		       excache_policy ?: "");
		return -EINVAL;
	}
	if (excache_prefetch > 64) {
		pr_err("excache_prefetch=%u out of range: 0..64\n",
		       excache_prefetch);
		return -EINVAL;
	}
	if (!pool_mb || pool_mb > ram_mb * 3 / 4) {
		pr_err("pool_mb=%u out of range: 1..%llu (3/4 of the RAM)\n",
		       pool_mb, ram_mb * 3 / 4);
		return -EINVAL;
	}
	if ((lego_roles & LEGO_ROLE_PMON) && (lego_roles & LEGO_ROLE_MMON) &&
	    excache_mb + pool_mb > ram_mb * 3 / 4) {
		pr_err("excache_mb=%u + pool_mb=%u exceed 3/4 of the RAM (%llu MiB)\n",
		       excache_mb, pool_mb, ram_mb * 3 / 4);
		return -EINVAL;
	}
	if (backing && *backing != '/') {
		pr_err("backing=%s: want an absolute path\n", backing);
		return -EINVAL;
	}
	if ((lego_roles & LEGO_ROLE_SMON) && !backing) {
		pr_err("role smon needs backing=PATH (a file or block device)\n");
		return -EINVAL;
	}
	if (mmon && lego_parse_addrs(mmon, lego_peer_addrs, LEGO_MAX_PEERS,
				     &lego_nr_peers)) {
		pr_err("bad mmon=%s: want up to %u distinct IPv4 addresses, comma separated\n",
		       mmon, LEGO_MAX_PEERS);
		return -EINVAL;
	}
	lego_nr_mmons = lego_nr_peers;
	if (smon && (lego_parse_addrs(smon, &smon_addr, 1, &nr_smon) ||
		     !nr_smon)) {
		pr_err("bad smon=%s: want one IPv4 address\n", smon);
		return -EINVAL;
	}
	if (smon)
		lego_peer_addrs[lego_nr_peers++] = smon_addr;
	if (!port) {
		pr_err("port=0: want an rdma_cm port, 1..65535\n");
		return -EINVAL;
	}
	if (rpc_timeout_ms < 100 || rpc_timeout_ms > 600000) {
		pr_err("rpc_timeout_ms=%u out of range: 100..600000\n",
		       rpc_timeout_ms);
		return -EINVAL;
	}
	return 0;
}

/* Whether @addr is one of mmon= (the other monitors are smons). */
bool lego_is_mmon(__be32 addr)
{
	unsigned int i;

	for (i = 0; i < lego_nr_mmons; i++)
		if (htonl(lego_peer_addrs[i]) == addr)
			return true;
	return false;
}

/* Monitors start first so that a pmon on the same host can reach them. */
static int lego_start_roles(void)
{
	int ret;

	if (lego_roles & LEGO_ROLE_MMON) {
		ret = mmon_start((u64)pool_mb << 20);
		if (ret)
			return ret;
	}
	if (lego_roles & LEGO_ROLE_SMON) {
		ret = smon_start(backing);
		if (ret)
			goto err_mmon;
	}
	if (lego_roles & LEGO_ROLE_PMON) {
		struct pmon_params params = {
			.excache_bytes = (u64)excache_mb << 20,
			.excache_ways = excache_ways,
			.policy = lego_policy,
			.prefetch = excache_prefetch,
			.mmons = lego_peer_addrs,
			.nr_mmons = lego_nr_mmons,
			.smon = lego_nr_peers > lego_nr_mmons ?
				lego_peer_addrs[lego_nr_mmons] : 0,
			.blk_inline = blk_inline,
		};

		ret = pmon_start(&params);
		if (ret)
			goto err_smon;
	}
	return 0;

err_smon:
	if (lego_roles & LEGO_ROLE_SMON)
		smon_stop();
err_mmon:
	if (lego_roles & LEGO_ROLE_MMON)
		mmon_stop();
	return ret;
}

/* What the roles do on their own (not serving a request) stops. */
static void lego_quiesce_roles(void)
{
	if (lego_roles & LEGO_ROLE_MMON)
		mmon_quiesce();
}

static void lego_stop_roles(void)
{
	if (lego_roles & LEGO_ROLE_PMON)
		pmon_stop();
	if (lego_roles & LEGO_ROLE_SMON)
		smon_stop();
	if (lego_roles & LEGO_ROLE_MMON)
		mmon_stop();
}

/*
 * Connections come up in the background and are retried until unload.
 * An mmon may be given the whole list of mmons, itself included: the home
 * mmon of a vNode talks to the others, not to itself.
 */
static int lego_connect_peers(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < lego_nr_peers; i++) {
		__be32 addr = htonl(lego_peer_addrs[i]);

		if (inet_addr_type(&init_net, addr) == RTN_LOCAL)
			continue;
		ret = lego_peer_add(addr, port);
		if (ret)
			return ret;
	}
	return 0;
}

static int __init lego_init(void)
{
	char names[LEGO_ROLES_MAXLEN];
	int ret;

	ret = lego_validate_params();
	if (ret)
		return ret;

	lego_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	ret = lego_start_roles();
	if (ret)
		goto err_debugfs;
	/* Monitors listen once their role can serve. */
	ret = lego_transport_init(port, lego_roles & (LEGO_ROLE_MMON |
						      LEGO_ROLE_SMON),
				  rpc_timeout_ms);
	if (ret)
		goto err_roles;
	ret = lego_connect_peers();
	if (ret)
		goto err_transport;
	/* Last: lego-ctl may ask for status as soon as the family exists. */
	ret = lego_genl_register(lego_roles);
	if (ret) {
		pr_err("cannot register the generic netlink family: %d\n", ret);
		goto err_transport;
	}
	lego_format_roles(lego_roles, names, sizeof(names));
	pr_info("loaded, roles %s\n", names);
	return 0;

err_transport:
	lego_quiesce_roles();
	lego_transport_exit();
err_roles:
	lego_stop_roles();
err_debugfs:
	debugfs_remove_recursive(lego_debugfs);
	return ret;
}

static void __exit lego_exit(void)
{
	lego_genl_unregister();
	if (lego_roles & LEGO_ROLE_PMON)
		pmon_unload_vnodes();
	lego_quiesce_roles();
	lego_transport_exit();
	lego_stop_roles();
	debugfs_remove_recursive(lego_debugfs);
	pr_info("unloaded\n");
}

module_init(lego_init);
module_exit(lego_exit);

MODULE_DESCRIPTION("LegoLKM: the LegoOS splitkernel (pmon, mmon, smon) as a module");
MODULE_LICENSE("GPL");

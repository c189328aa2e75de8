// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl command-line and size parsing. No I/O and no libnl here: an
 * error is one line written to the caller's buffer, so that every case
 * can be unit-tested.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "lego/genl.h"
#include "lego/lego_dev.h"
#include "lego/wire.h"
#include "lego/compat.h"

static const char usage_main[] =
	"NAME\n"
	"       lego-ctl - control LegoLKM (lego.ko) on this host\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl [-h|--help] [-V|--version] COMMAND [ARGS]\n"
	"\n"
	"DESCRIPTION\n"
	"       lego-ctl talks to lego.ko over its \"lego\" generic netlink\n"
	"       family. On a pmon it builds vNodes, whose memory lives on\n"
	"       mmons, and runs unmodified programs in them.\n"
	"\n"
	"COMMANDS\n"
	"       status [--json]\n"
	"              Print the roles of this host, the resources of each\n"
	"              role and the monitors it is connected to.\n"
	"\n"
	"       vnode create NAME --mem SIZE [--mmon ADDR]... [--disk SIZE]\n"
	"            [--replicas N]\n"
	"       vnode list [--json]\n"
	"       vnode show NAME [--json]\n"
	"       vnode destroy NAME [--force]\n"
	"              Build, list, show and destroy vNodes.\n"
	"\n"
	"       run NAME [--malloc mimalloc|jemalloc|libc] [--] CMD [ARGS...]\n"
	"              Run a program in vNode NAME.\n"
	"\n"
	"       stats [NAME] [--json] [--watch SECS]\n"
	"              Print the counters of the ExCache, of the vNodes\n"
	"              and of the connections to other monitors.\n"
	"\n"
	"       monitor [--json]\n"
	"              Print lego.ko's events as they happen.\n"
	"\n"
	"       ping MONITOR [--op echo|get|read|write] [--count N] [--threads N]\n"
	"            [--size SIZE] [--json]\n"
	"              Send echo RPCs to a monitor over RDMA and check them.\n"
	"\n"
	"       help [COMMAND]\n"
	"              Print this text, or the usage of COMMAND.\n"
	"\n"
	"OPTIONS\n"
	"       -h, --help [COMMAND]\n"
	"              Same as help [COMMAND]. Every command also takes -h\n"
	"              and --help.\n"
	"\n"
	"       -V, --version\n"
	"              Print the version of lego-ctl.\n"
	"\n"
	"       An option's value follows it, as in --mem 512M or --mem=512M.\n"
	"       A SIZE is a number of bytes, optionally followed by K, M, G\n"
	"       or T (powers of 1024).\n"
	"\n"
	"EXIT STATUS\n"
	"       0 on success. 1 on a bad argument, when lego.ko is not loaded\n"
	"       or when it reports an error; the reason is one line on\n"
	"       stderr. run exits as its program does, or with 127 when the\n"
	"       program cannot be executed.\n";

static const char usage_status[] =
	"NAME\n"
	"       lego-ctl status - roles and resources of this host\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl status [--json]\n"
	"\n"
	"DESCRIPTION\n"
	"       Print the roles lego.ko plays on this host (pmon, mmon, smon)\n"
	"       and what each one holds: the pmon's ExCache (size, sets and\n"
	"       ways), the mmon's memory pool, the smon's backing store.\n"
	"       Then a table of the monitors this host connects to: address,\n"
	"       role, state of the connection (live, connecting, ...) and,\n"
	"       for an mmon that answered, its memory free (not promised to\n"
	"       any vNode) and its memory holding pages.\n"
	"\n"
	"OPTIONS\n"
	"       --json\n"
	"              Print one JSON object instead of text; the monitors\n"
	"              are its \"peers\" array.\n"
	"\n"
	"       -h, --help\n"
	"              Print this text.\n";

static const char usage_vnode[] =
	"NAME\n"
	"       lego-ctl vnode - build, list, show and destroy vNodes\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl vnode create NAME --mem SIZE [--mmon ADDR]... [--disk SIZE]\n"
	"                             [--replicas N]\n"
	"       lego-ctl vnode list [--json]\n"
	"       lego-ctl vnode show NAME [--json]\n"
	"       lego-ctl vnode destroy NAME [--force]\n"
	"\n"
	"DESCRIPTION\n"
	"       A vNode is a machine made of this host's processors (the\n"
	"       pmon) and of the memory of one or more mmons. Programs run\n"
	"       in it with lego-ctl run: their anonymous memory lives on its\n"
	"       mmons, cached in the pmon's ExCache. A NAME is 1 to 31 of\n"
	"       A-Z a-z 0-9 _ . - and does not start with . or -.\n"
	"\n"
	"SUBCOMMANDS\n"
	"       create     build a vNode (needs CAP_NET_ADMIN)\n"
	"       list       one line per vNode\n"
	"       show       one vNode, in detail\n"
	"       destroy    destroy a vNode (needs CAP_NET_ADMIN)\n"
	"\n"
	"       lego-ctl vnode SUBCOMMAND --help prints the usage of one.\n";

static const char usage_vnode_create[] =
	"NAME\n"
	"       lego-ctl vnode create - build a vNode\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl vnode create NAME --mem SIZE [--mmon ADDR]... [--disk SIZE]\n"
	"                             [--replicas N]\n"
	"\n"
	"DESCRIPTION\n"
	"       Build vNode NAME on this pmon and print its id. Its memory\n"
	"       lives on the mmons given, the first one being its home (the\n"
	"       mmon that places its address spaces); without --mmon, on\n"
	"       every mmon lego.ko was loaded with (mmon=), the first one its\n"
	"       home. The mmons must have SIZE free between them, but do not\n"
	"       set it aside. Needs CAP_NET_ADMIN.\n"
	"\n"
	"OPTIONS\n"
	"       --mem SIZE     its memory: a multiple of 4K, such as 512M\n"
	"                      (required); a write past it gets SIGBUS\n"
	"       --mmon ADDR    an mmon lego.ko is connected to, by address or\n"
	"                      host name; up to 16, home first\n"
	"       --disk SIZE    a disk of SIZE (a multiple of 4K): a volume\n"
	"                      on the smon lego.ko was loaded with (smon=),\n"
	"                      shown here as /dev/legoblkN\n"
	"       --replicas N   keep every page on N of its mmons: 1 (the\n"
	"                      default) or 2, a copy on each of two mmons\n"
	"\n"
	"EXIT STATUS\n"
	"       0 when it was built. 1 otherwise: the name is taken, an mmon\n"
	"       is not connected, the mmons have less memory free, this host\n"
	"       is not a pmon, ...\n";

static const char usage_vnode_list[] =
	"NAME\n"
	"       lego-ctl vnode list - the vNodes of this pmon\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl vnode list [--json]\n"
	"\n"
	"DESCRIPTION\n"
	"       Print a table with one line per vNode: its id, name, memory,\n"
	"       mmons (the home first), copies of each page (replicas),\n"
	"       the processes running in it, the memory its pages hold at\n"
	"       the mmons and its disk. Nothing when there is none.\n"
	"\n"
	"OPTIONS\n"
	"       --json\n"
	"              Print a JSON array of the objects vnode show --json\n"
	"              prints.\n";

static const char usage_vnode_show[] =
	"NAME\n"
	"       lego-ctl vnode show - one vNode in detail\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl vnode show NAME [--json]\n"
	"\n"
	"DESCRIPTION\n"
	"       Print vNode NAME: its id, memory, mmons (the home first),\n"
	"       the copies kept of each page (replicas, 1 or 2), the\n"
	"       processes running in it, its pages at the mmons\n"
	"       (4 KiB each) and its disk, if it has one.\n"
	"\n"
	"OPTIONS\n"
	"       --json\n"
	"              Print one JSON object: id, name, mem_bytes, mmons\n"
	"              (an array of addresses), replicas, procs, pages, and\n"
	"              disk (its name) and disk_bytes if it has one.\n";

static const char usage_vnode_destroy[] =
	"NAME\n"
	"       lego-ctl vnode destroy - destroy a vNode\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl vnode destroy NAME [--force]\n"
	"\n"
	"DESCRIPTION\n"
	"       Destroy vNode NAME: its mmons free every page it holds, its\n"
	"       disk is removed and the smon deletes its volume. It is\n"
	"       refused while processes run in the vNode or its disk is open\n"
	"       (mounted). Needs CAP_NET_ADMIN.\n"
	"\n"
	"OPTIONS\n"
	"       --force\n"
	"              Kill the processes running in it (SIGKILL) and wait\n"
	"              until they have exited, then destroy it; remove its\n"
	"              disk even if open: a filesystem on it gets I/O errors.\n";

static const char usage_run[] =
	"NAME\n"
	"       lego-ctl run - run a program in a vNode\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl run NAME [--malloc mimalloc|jemalloc|libc] [--] CMD [ARGS...]\n"
	"\n"
	"DESCRIPTION\n"
	"       Check that vNode NAME exists and that /dev/lego can be opened\n"
	"       (it is root's only), then execute CMD (looked up in PATH) in\n"
	"       place of lego-ctl, without a fork: CMD keeps the process, its\n"
	"       standard input and output, and its exit status and signals\n"
	"       reach the caller as if it had been run directly. Its\n"
	"       environment gets LEGO_VNODE=NAME and an LD_PRELOAD of\n"
	"       liblego.so, which maps the program's anonymous memory from\n"
	"       /dev/lego so that it lives on the vNode's mmons, and of a\n"
	"       malloc library. lego-ctl's options end at CMD, or at --.\n"
	"\n"
	"OPTIONS\n"
	"       --malloc mimalloc\n"
	"              Preload libmimalloc.so.2 (the default). Its heap is\n"
	"              made of mmap()ed memory: all of it is in the vNode.\n"
	"\n"
	"       --malloc jemalloc\n"
	"              Preload libjemalloc.so.2, likewise.\n"
	"\n"
	"       --malloc libc\n"
	"              Preload no allocator: glibc's malloc serves small\n"
	"              allocations from its brk heap, which is NOT\n"
	"              disaggregated: it stays in local memory. Only its\n"
	"              large, mmap()ed blocks live in the vNode.\n"
	"\n"
	"ENVIRONMENT\n"
	"       LEGO_LIBLEGO\n"
	"              The liblego.so to preload. Default:\n"
	"              ../liblego/liblego.so from the directory of lego-ctl\n"
	"              (the build tree's userland/liblego/), else\n"
	"              /usr/local/lib/liblego.so.\n"
	"\n"
	"       LD_PRELOAD\n"
	"              Kept, after liblego and the malloc library.\n"
	"\n"
	"EXIT STATUS\n"
	"       That of CMD. 1 when lego-ctl cannot run it in the vNode (no\n"
	"       such vNode, no access to /dev/lego, no liblego.so); 127 when\n"
	"       CMD cannot be executed (not found, not executable), as a\n"
	"       shell does.\n";

static const char usage_stats[] =
	"NAME\n"
	"       lego-ctl stats - counters of the ExCache, vNodes and peers\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl stats [NAME] [--json] [--watch SECS]\n"
	"\n"
	"DESCRIPTION\n"
	"       Print the counters lego.ko keeps, in groups: on a pmon the\n"
	"       ExCache's and each vNode's (only vNode NAME's when given),\n"
	"       then those of each connection to another monitor, and any\n"
	"       other group lego.ko reports. A group is a header line, such\n"
	"       as \"excache\", \"vnode vn1\" or \"peer 10.77.0.20\", then one\n"
	"       line per counter. lego.ko decides which counters there are;\n"
	"       lego-ctl prints them all, in lego.ko's order.\n"
	"\n"
	"OPTIONS\n"
	"       --json\n"
	"              Print one JSON object: {\"excache\":{COUNTER:VALUE,...},\n"
	"              \"vnode\":{NAME:{...}},\"peer\":{ADDRESS:{...}},...}: a\n"
	"              group without a name (the ExCache) holds its counters,\n"
	"              the others are keyed by their names.\n"
	"\n"
	"       --watch SECS\n"
	"              Print them again every SECS seconds (1..3600) until\n"
	"              interrupted: a blank line between two tables, or\n"
	"              with --json one object per line.\n";

static const char usage_monitor[] =
	"NAME\n"
	"       lego-ctl monitor - lego.ko's events as they happen\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl monitor [--json]\n"
	"\n"
	"DESCRIPTION\n"
	"       Listen to the \"events\" group of lego.ko's netlink family\n"
	"       and print one line per event until interrupted:\n"
	"\n"
	"              peer ADDRESS up       a connection to a monitor is up\n"
	"              peer ADDRESS down     it went down\n"
	"              vnode NAME created\n"
	"              vnode NAME destroyed\n"
	"\n"
	"OPTIONS\n"
	"       --json\n"
	"              Print one JSON object per line, such as\n"
	"              {\"event\":\"peer_up\",\"peer\":\"10.77.0.20\"} or\n"
	"              {\"event\":\"vnode_new\",\"vnode\":\"vn1\"}.\n";

static const char usage_ping[] =
	"NAME\n"
	"       lego-ctl ping - measure the RDMA transport to a monitor\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl ping MONITOR [--op echo|get|read|write]\n"
	"                     [--count N] [--threads N] [--size SIZE] [--json]\n"
	"\n"
	"DESCRIPTION\n"
	"       lego.ko makes N transfers with MONITOR (an address or host\n"
	"       name given to lego.ko with mmon= or smon=) over its RDMA\n"
	"       connection, from several kernel threads at once, checks the\n"
	"       data of every one and prints the median and 99th percentile\n"
	"       of their times. Needs CAP_NET_ADMIN.\n"
	"\n"
	"OPTIONS\n"
	"       --op echo      RPCs whose payload comes back (default)\n"
	"       --op get       RPCs of a small request whose reply carries\n"
	"                      SIZE bytes of a known pattern (a page fetch)\n"
	"       --op read      one-sided RDMA READs of memory MONITOR lends,\n"
	"                      filled with a known pattern\n"
	"       --op write     one-sided RDMA WRITEs of a pattern to that\n"
	"                      memory, each read back (untimed) and checked\n"
	"       --count N      transfers in all (default 1000)\n"
	"       --threads N    threads at once, 1..64 (default 1)\n"
	"       --size SIZE    bytes per transfer, a multiple of 4: up to\n"
	"                      8160 for RPCs, 4..64K for read and write\n"
	"                      (threads x size up to 1M); K suffix allowed\n"
	"                      (default 4K)\n"
	"       --json         print one JSON object\n"
	"\n"
	"EXIT STATUS\n"
	"       0 if every transfer's data was intact, else 1.\n";

static const char usage_help[] =
	"NAME\n"
	"       lego-ctl help - usage of lego-ctl and of its commands\n"
	"\n"
	"SYNOPSIS\n"
	"       lego-ctl help [COMMAND]\n"
	"\n"
	"DESCRIPTION\n"
	"       Print the usage of lego-ctl, or of COMMAND: one word, such\n"
	"       as stats, or two for a subcommand, such as vnode create.\n";

/* How an option's value is parsed, and into what. */
enum opt_type {
	OPT_FLAG,	/* bool; takes no value */
	OPT_NUMBER,	/* uint32_t, min..max; K, M, G suffixes allowed */
	OPT_SECONDS,	/* uint32_t, min..max; digits only */
	OPT_PAGES,	/* uint64_t bytes: a SIZE, a multiple of 4 KiB, > 0 */
	OPT_CHOICE,	/* uint32_t: the value's index in @choices */
	OPT_MMON,	/* appended to mmons[] */
};

struct lego_ctl_option {
	const char *name;
	enum opt_type type;
	size_t offset;			/* of its field in lego_ctl_args */
	uint32_t min, max;		/* OPT_NUMBER, OPT_SECONDS */
	const char *const *choices;	/* OPT_CHOICE: NULL-terminated */
};

#define OPT(name_, type_, field_, ...)					\
	{ .name = (name_), .type = (type_),				\
	  .offset = offsetof(struct lego_ctl_args, field_), __VA_ARGS__ }

/* What a command takes besides options. */
enum lego_ctl_operand {
	OPERAND_NONE,
	OPERAND_MONITOR,	/* MONITOR, required: args->monitor */
	OPERAND_VNODE,		/* NAME, required: args->vnode */
	OPERAND_ANY_VNODE,	/* [NAME]: args->vnode, NULL for all */
};

struct lego_ctl_command {
	const char *name;	/* "status", or "vnode create" */
	enum lego_ctl_cmd cmd;
	const char *usage;
	bool group;		/* "vnode": only names its subcommands */
	enum lego_ctl_operand operand;
	bool takes_cmd;		/* run: CMD [ARGS...] after NAME */
	const struct lego_ctl_option *options;	/* ends with a NULL name */
	const struct lego_ctl_args *defaults;
	/* What no single option can check; NULL when nothing is left. */
	int (*check)(struct lego_ctl_args *args, char *err, size_t err_size);
};

static const char *const ping_ops[] = {
	[LEGO_PING_ECHO]	= "echo",
	[LEGO_PING_READ]	= "read",
	[LEGO_PING_WRITE]	= "write",
	[LEGO_PING_GET]		= "get",
	[__LEGO_PING_MAX]	= NULL,
};

static const char *const mallocs[] = {
	[LEGO_MALLOC_MIMALLOC]	= "mimalloc",
	[LEGO_MALLOC_JEMALLOC]	= "jemalloc",
	[LEGO_MALLOC_LIBC]	= "libc",
	[__LEGO_MALLOC_MAX]	= NULL,
};

static const struct lego_ctl_option json_options[] = {
	OPT("--json", OPT_FLAG, json),
	{ NULL },
};

/* --size is checked again once --op is known. */
static const struct lego_ctl_option ping_options[] = {
	OPT("--count", OPT_NUMBER, count, .min = 1, .max = 1000000),
	OPT("--threads", OPT_NUMBER, threads, .min = 1, .max = 64),
	OPT("--size", OPT_NUMBER, size, .max = LEGO_PING_RDMA_MAX),
	OPT("--op", OPT_CHOICE, op, .choices = ping_ops),
	OPT("--json", OPT_FLAG, json),
	{ NULL },
};

static const struct lego_ctl_option vnode_create_options[] = {
	OPT("--mem", OPT_PAGES, mem),
	OPT("--mmon", OPT_MMON, mmons),
	OPT("--disk", OPT_PAGES, disk),
	OPT("--replicas", OPT_NUMBER, replicas, .min = 1, .max = 2),
	{ NULL },
};

static const struct lego_ctl_option vnode_destroy_options[] = {
	OPT("--force", OPT_FLAG, force),
	{ NULL },
};

static const struct lego_ctl_option run_options[] = {
	OPT("--malloc", OPT_CHOICE, malloc, .choices = mallocs),
	{ NULL },
};

static const struct lego_ctl_option stats_options[] = {
	OPT("--json", OPT_FLAG, json),
	OPT("--watch", OPT_SECONDS, watch, .min = 1, .max = 3600),
	{ NULL },
};

static const struct lego_ctl_args ping_defaults = {
	.count = 1000,
	.threads = 1,
	.size = 4096,
	.op = LEGO_PING_ECHO,
};

/* Print the one-line error into @err; evaluates to -EINVAL. */
#define arg_error(err, err_size, ...)	\
	(snprintf((err), (err_size), __VA_ARGS__), -EINVAL)

/* The one-sided operations work on memory the monitor lends. */
static bool ping_is_rdma(uint32_t op)
{
	return op == LEGO_PING_READ || op == LEGO_PING_WRITE;
}

/* The limits of lego_ping() in lego.ko, said in the user's terms. */
static int check_ping(struct lego_ctl_args *args, char *err, size_t err_size)
{
	bool rdma = ping_is_rdma(args->op);
	uint32_t max = rdma ? LEGO_PING_RDMA_MAX : LEGO_PAYLOAD_MAX;

	if (args->threads > args->count)
		return arg_error(err, err_size,
				 "ping: --threads %u exceeds --count %u",
				 args->threads, args->count);
	if (args->size % 4 || args->size > max || (rdma && !args->size))
		return arg_error(err, err_size,
				 "ping: bad --size %u: want a multiple of 4, %u..%u for --op %s",
				 args->size, rdma ? 4 : 0, max, ping_ops[args->op]);
	if (rdma &&
	    (uint64_t)args->size * args->threads > LEGO_GRANT_MAX)
		return arg_error(err, err_size,
				 "ping: --threads x --size exceeds %u bytes of lent memory",
				 LEGO_GRANT_MAX);
	return 0;
}

/* The name of a ping operation, as --op spells it. */
const char *lego_ctl_ping_op_name(uint32_t op)
{
	return op < ARRAY_SIZE(ping_ops) - 1 ? ping_ops[op] : "?";
}

static int check_vnode_create(struct lego_ctl_args *args, char *err,
			      size_t err_size)
{
	if (!args->mem)
		return arg_error(err, err_size,
				 "vnode create: how much memory? (--mem SIZE)");
	return 0;
}

static const struct lego_ctl_command commands[] = {
	{ "status", LEGO_CTL_STATUS, usage_status,
	  .options = json_options },
	{ .name = "vnode", .usage = usage_vnode, .group = true },
	{ "vnode create", LEGO_CTL_VNODE_CREATE, usage_vnode_create,
	  .operand = OPERAND_VNODE, .options = vnode_create_options,
	  .check = check_vnode_create },
	{ "vnode list", LEGO_CTL_VNODE_LIST, usage_vnode_list,
	  .options = json_options },
	{ "vnode show", LEGO_CTL_VNODE_SHOW, usage_vnode_show,
	  .operand = OPERAND_VNODE, .options = json_options },
	{ "vnode destroy", LEGO_CTL_VNODE_DESTROY, usage_vnode_destroy,
	  .operand = OPERAND_VNODE, .options = vnode_destroy_options },
	{ "run", LEGO_CTL_RUN, usage_run, .operand = OPERAND_VNODE,
	  .takes_cmd = true, .options = run_options },
	{ "stats", LEGO_CTL_STATS, usage_stats,
	  .operand = OPERAND_ANY_VNODE, .options = stats_options },
	{ "monitor", LEGO_CTL_MONITOR, usage_monitor,
	  .options = json_options },
	{ "ping", LEGO_CTL_PING, usage_ping, .operand = OPERAND_MONITOR,
	  .options = ping_options, .defaults = &ping_defaults,
	  .check = check_ping },
	{ .name = "help", .cmd = LEGO_CTL_HELP, .usage = usage_help },
};

/* The command named @word, or @word @sub ("vnode", "create"). */
static const struct lego_ctl_command *find_command(const char *word,
						   const char *sub)
{
	size_t i, n = strlen(word);

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		const char *name = commands[i].name;

		if (strncmp(name, word, n))
			continue;
		if (sub ? name[n] == ' ' && !strcmp(name + n + 1, sub) :
			  !name[n])
			return &commands[i];
	}
	return NULL;
}

/* The command of "lego-ctl help TOPIC": "status", "vnode create". */
static const struct lego_ctl_command *find_topic(const char *topic)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, topic))
			return &commands[i];
	return NULL;
}

/**
 * lego_ctl_usage() - the usage text of lego-ctl or of one command
 * @topic: a command name ("status", "vnode create"), or NULL for lego-ctl
 *
 * Return: the text, several lines ending with a newline.
 */
const char *lego_ctl_usage(const char *topic)
{
	const struct lego_ctl_command *c = topic ? find_topic(topic) : NULL;

	return c ? c->usage : usage_main;
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

static bool is_option(const char *arg)
{
	return arg[0] == '-' && arg[1];
}

static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t value;

	if (lego_parse_size(s, &value) || value < min || value > max)
		return -EINVAL;
	*out = (uint32_t)value;
	return 0;
}

/* "want a, b or c": an OPT_CHOICE's values, appended to @err. */
static void list_choices(const char *const *choices, char *err,
			 size_t err_size)
{
	size_t i, len;

	for (i = 0; choices[i]; i++) {
		len = strnlen(err, err_size);
		snprintf(err + len, err_size - len, "%s%s",
			 !i ? "" : choices[i + 1] ? ", " : " or ", choices[i]);
	}
}

/* Store @value for option @o of command @cmd into @args. */
static int set_option(const char *cmd, const struct lego_ctl_option *o,
		      const char *value, struct lego_ctl_args *args,
		      char *err, size_t err_size)
{
	void *field = (char *)args + o->offset;
	uint64_t bytes;
	uint32_t i;

	switch (o->type) {
	case OPT_FLAG:
		*(bool *)field = true;
		return 0;
	case OPT_SECONDS:
	case OPT_NUMBER:
		if ((o->type == OPT_SECONDS &&
		     strspn(value, "0123456789") != strlen(value)) ||
		    parse_u32(value, o->min, o->max, field))
			break;
		return 0;
	case OPT_PAGES:
		if (lego_parse_size(value, &bytes) || !bytes ||
		    bytes % LEGO_PAGE_SIZE)
			return arg_error(err, err_size,
					 "%s: bad %s '%s': want a multiple of 4K above 0, such as 512M",
					 cmd, o->name, value);
		*(uint64_t *)field = bytes;
		return 0;
	case OPT_CHOICE:
		for (i = 0; o->choices[i]; i++) {
			if (!strcmp(value, o->choices[i])) {
				*(uint32_t *)field = i;
				return 0;
			}
		}
		snprintf(err, err_size, "%s: bad %s '%s': want ", cmd, o->name,
			 value);
		list_choices(o->choices, err, err_size);
		return -EINVAL;
	case OPT_MMON:
		if (args->nr_mmons == ARRAY_SIZE(args->mmons))
			return arg_error(err, err_size,
					 "%s: more than %zu %s", cmd,
					 ARRAY_SIZE(args->mmons), o->name);
		args->mmons[args->nr_mmons++] = value;
		return 0;
	}
	return arg_error(err, err_size, "%s: bad %s '%s': want %u..%u", cmd,
			 o->name, value, o->min, o->max);
}

/*
 * Parse the option at argv[*i], "--name", "--name VALUE" or
 * "--name=VALUE"; *i moves past its value.
 */
static int parse_option(const struct lego_ctl_command *c, int argc,
			char *const argv[], int *i, struct lego_ctl_args *args,
			char *err, size_t err_size)
{
	const char *arg = argv[*i], *value = NULL;
	const struct lego_ctl_option *o;
	size_t len = strcspn(arg, "=");

	for (o = c->options; o && o->name; o++)
		if (strlen(o->name) == len && !strncmp(arg, o->name, len))
			break;
	if (!o || !o->name)
		return arg_error(err, err_size, "%s: unknown option '%s'",
				 c->name, arg);
	if (arg[len])
		value = arg + len + 1;
	if (o->type == OPT_FLAG && value)
		return arg_error(err, err_size, "%s: '%s' takes no value",
				 c->name, o->name);
	if (o->type != OPT_FLAG && !value) {
		if (*i + 1 >= argc)
			return arg_error(err, err_size,
					 "%s: '%s' needs a value", c->name,
					 o->name);
		value = argv[++*i];
	}
	return set_option(c->name, o, value, args, err, err_size);
}

static int set_operand(const struct lego_ctl_command *c, const char *arg,
		       struct lego_ctl_args *args, char *err, size_t err_size)
{
	if (c->operand == OPERAND_MONITOR) {
		args->monitor = arg;
		return 0;
	}
	if (!lego_vnode_name_valid(arg))
		return arg_error(err, err_size,
				 "%s: bad vNode name '%s': want 1 to 31 of A-Z a-z 0-9 _ . -, not starting with . or -",
				 c->name, arg);
	args->vnode = arg;
	return 0;
}

/* A command's own arguments, argv[first] on. */
static int parse_command(const struct lego_ctl_command *c, int argc,
			 char *const argv[], int first,
			 struct lego_ctl_args *args, char *err,
			 size_t err_size)
{
	bool operand = false;
	int i, ret = 0;

	for (i = first; i < argc && !ret; i++) {
		const char *arg = argv[i];

		if (c->takes_cmd && !strcmp(arg, "--")) {
			i++;
			break;
		}
		if (is_option(arg)) {
			ret = parse_option(c, argc, argv, &i, args, err,
					   err_size);
		} else if (c->operand != OPERAND_NONE && !operand) {
			ret = set_operand(c, arg, args, err, err_size);
			operand = true;
		} else if (!c->takes_cmd) {
			ret = arg_error(err, err_size,
					"%s: unexpected argument '%s'",
					c->name, arg);
		} else {
			break;	/* CMD */
		}
	}
	if (ret)
		return ret;
	if (!operand && c->operand == OPERAND_MONITOR)
		return arg_error(err, err_size, "%s: which monitor?", c->name);
	if (!operand && c->operand == OPERAND_VNODE)
		return arg_error(err, err_size, "%s: which vNode?", c->name);
	if (c->takes_cmd) {
		if (i >= argc)
			return arg_error(err, err_size,
					 "%s: which command?", c->name);
		args->cmd_index = i;
	}
	return c->check ? c->check(args, err, err_size) : 0;
}

/*
 * Whether -h or --help is among a command's arguments, whatever else is
 * there; for run, only among its own, before CMD.
 */
static bool help_asked(const struct lego_ctl_command *c, int argc,
		       char *const argv[], int first)
{
	const struct lego_ctl_option *o;
	bool operand = false;
	int i;

	for (i = first; i < argc; i++) {
		const char *arg = argv[i];

		if (is_help(arg))
			return true;
		if (!c->takes_cmd)
			continue;
		if (!strcmp(arg, "--"))
			return false;
		if (!is_option(arg)) {
			if (operand)
				return false;	/* CMD */
			operand = true;
			continue;
		}
		for (o = c->options; o->name; o++)
			if (!strcmp(arg, o->name) && o->type != OPT_FLAG)
				i++;	/* skip its value */
	}
	return false;
}

/* "lego-ctl help [COMMAND [SUBCOMMAND]]" */
static int parse_help(int argc, char *const argv[], int first,
		      struct lego_ctl_args *args, char *err, size_t err_size)
{
	const struct lego_ctl_command *c;
	int words = 1;

	if (first >= argc)
		return 0;
	if (is_option(argv[first]))
		return arg_error(err, err_size, "help: unknown option '%s'",
				 argv[first]);
	c = find_command(argv[first], NULL);
	if (!c)
		return arg_error(err, err_size,
				 "help: unknown command '%s' (try 'lego-ctl --help')",
				 argv[first]);
	if (c->group && first + 1 < argc) {
		c = find_command(argv[first], argv[first + 1]);
		if (!c)
			return arg_error(err, err_size,
					 "help: unknown command '%s %s' (try 'lego-ctl %s --help')",
					 argv[first], argv[first + 1],
					 argv[first]);
		words = 2;
	}
	if (first + words < argc)
		return arg_error(err, err_size,
				 "help: unexpected argument '%s'",
				 argv[first + words]);
	args->help_topic = c->name;
	return 0;
}

/* "vnode" alone, or with what is not one of its subcommands. */
static int group_error(const struct lego_ctl_command *c, int argc,
		       char *const argv[], char *err, size_t err_size)
{
	if (argc < 3)
		return arg_error(err, err_size,
				 "%s: which subcommand? (try 'lego-ctl %s --help')",
				 c->name, c->name);
	if (is_option(argv[2]))
		return arg_error(err, err_size,
				 "%s: unknown option '%s' (try 'lego-ctl %s --help')",
				 c->name, argv[2], c->name);
	return arg_error(err, err_size,
			 "%s: unknown subcommand '%s' (try 'lego-ctl %s --help')",
			 c->name, argv[2], c->name);
}

/**
 * lego_ctl_parse_args() - parse lego-ctl's command line
 * @argc: argument count, argv[0] being the program
 * @argv: the arguments
 * @args: the parsed command
 * @err: where a one-line error goes, without "lego-ctl: " or newline
 * @err_size: size of @err
 *
 * -h or --help among a command's arguments asks for that command's usage,
 * whatever else is there (for run: before its CMD).
 *
 * Return: 0, or -EINVAL with @err set.
 */
int lego_ctl_parse_args(int argc, char *const argv[],
			struct lego_ctl_args *args, char *err, size_t err_size)
{
	const struct lego_ctl_command *c, *sub;
	const char *name;
	int first = 2;

	memset(args, 0, sizeof(*args));
	if (err_size)
		err[0] = '\0';
	if (argc < 2)
		return arg_error(err, err_size,
				 "no command (try 'lego-ctl --help')");
	name = argv[1];
	if (is_help(name)) {
		args->cmd = LEGO_CTL_HELP;
		return parse_help(argc, argv, 2, args, err, err_size);
	}
	if (!strcmp(name, "-V") || !strcmp(name, "--version")) {
		args->cmd = LEGO_CTL_VERSION;
		if (argc > 2)
			return arg_error(err, err_size,
					 "unexpected argument '%s' after '%s'",
					 argv[2], name);
		return 0;
	}
	if (is_option(name))
		return arg_error(err, err_size,
				 "unknown option '%s' (try 'lego-ctl --help')",
				 name);
	c = find_command(name, NULL);
	if (!c)
		return arg_error(err, err_size,
				 "unknown command '%s' (try 'lego-ctl --help')",
				 name);
	if (c->group) {
		sub = argc > 2 ? find_command(name, argv[2]) : NULL;
		if (sub) {
			c = sub;
			first = 3;
		}
	}

	if (help_asked(c, argc, argv, first)) {
		args->cmd = LEGO_CTL_HELP;
		args->help_topic = c->name;
		return 0;
	}
	if (c->group)
		return group_error(c, argc, argv, err, err_size);
	if (c->defaults)
		*args = *c->defaults;
	args->cmd = c->cmd;
	if (c->cmd == LEGO_CTL_HELP)
		return parse_help(argc, argv, first, args, err, err_size);
	return parse_command(c, argc, argv, first, args, err, err_size);
}

/**
 * lego_parse_size() - parse a size such as "4096", "64K", "512MiB", "2GB"
 * @s: digits, then optionally K, M, G or T (powers of 1024, either case),
 *     then optionally "B", or "iB" after a K, M, G or T
 * @bytes: the size on success, untouched on error
 *
 * No sign, space, fraction or base prefix is accepted.
 *
 * Return: 0, -EINVAL for anything else, -ERANGE when it exceeds 64 bits.
 */
int lego_parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	unsigned int shift = 0;
	uint64_t value = 0;
	const char *unit;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned int digit = (unsigned int)(*s - '0');

		if (value > (UINT64_MAX - digit) / 10)
			return -ERANGE;
		value = value * 10 + digit;
	}
	unit = *s ? strchr(units, toupper((unsigned char)*s)) : NULL;
	if (unit) {
		shift = 10 * (unsigned int)(unit - units + 1);
		s++;
		if (!strcmp(s, "iB"))
			s += 2;
	}
	if (!strcmp(s, "B"))
		s++;
	if (*s)
		return -EINVAL;
	if (value > (UINT64_MAX >> shift))
		return -ERANGE;
	*bytes = value << shift;
	return 0;
}

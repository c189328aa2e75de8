// SPDX-License-Identifier: GPL-2.0
/*
 * lego-ctl run: execute a program in place of lego-ctl, with liblego and
 * a malloc library preloaded. There is no fork: the program keeps the
 * process, so its standard streams, exit status and signals are the ones
 * the caller sees.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lego/compat.h"
#include "lego/lego_dev.h"
#include "run.h"

#define LIBLEGO_IN_TREE		"../liblego/liblego.so"	/* from lego-ctl */
#define LIBLEGO_INSTALLED	"/usr/local/lib/liblego.so"

/* The program is most likely of lego-ctl's own architecture. */
#if defined(__x86_64__)
#define LIB_MULTIARCH		"/usr/lib/x86_64-linux-gnu"
#elif defined(__aarch64__)
#define LIB_MULTIARCH		"/usr/lib/aarch64-linux-gnu"
#else
#define LIB_MULTIARCH		"/usr/lib"
#endif

static const char *const lib_dirs[] = {
	LIB_MULTIARCH, "/usr/lib64", "/usr/lib", "/usr/local/lib",
};

/* What --malloc preloads, and the Debian package that has it. */
static const struct {
	const char *lib;
	const char *package;
} malloc_libs[] = {
	[LEGO_MALLOC_MIMALLOC]	= { "libmimalloc.so.2", "libmimalloc2.0" },
	[LEGO_MALLOC_JEMALLOC]	= { "libjemalloc.so.2", "libjemalloc2" },
	[LEGO_MALLOC_LIBC]	= { NULL, NULL },
};

/* @path, made absolute (no "..") into @real, if we can read it. */
static bool readable(const char *path, char *real)
{
	return realpath(path, real) && !access(real, R_OK);
}

/* $LEGO_LIBLEGO, else the build tree's, else the installed one. */
static int find_liblego(char *path)
{
	const char *env = getenv("LEGO_LIBLEGO");
	char exe[PATH_MAX], guess[PATH_MAX + sizeof(LIBLEGO_IN_TREE)];
	ssize_t n;

	if (env && *env) {
		if (readable(env, path))
			return 0;
		fprintf(stderr, "lego-ctl: run: LEGO_LIBLEGO=%s: %s\n", env,
			strerror(errno));
		return -1;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(guess, sizeof(guess), "%s/%s", dirname(exe),
			 LIBLEGO_IN_TREE);
		if (readable(guess, path))
			return 0;
	}
	if (readable(LIBLEGO_INSTALLED, path))
		return 0;
	fprintf(stderr,
		"lego-ctl: run: no liblego.so beside lego-ctl (%s) or in %s (set LEGO_LIBLEGO)\n",
		LIBLEGO_IN_TREE, LIBLEGO_INSTALLED);
	return -1;
}

/* The first of lib_dirs that has it, by its soname. */
static int find_malloc(uint32_t which, char *path)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lib_dirs); i++) {
		snprintf(path, PATH_MAX, "%s/%s", lib_dirs[i],
			 malloc_libs[which].lib);
		if (!access(path, R_OK))
			return 0;
	}
	fprintf(stderr,
		"lego-ctl: run: no %s in %s (install %s, or use --malloc libc)\n",
		malloc_libs[which].lib, LIB_MULTIARCH, malloc_libs[which].package);
	return -1;
}

/* ld.so splits LD_PRELOAD at spaces and colons. */
static int preloadable(const char *path)
{
	if (!strpbrk(path, " :"))
		return 0;
	fprintf(stderr,
		"lego-ctl: run: cannot preload '%s': LD_PRELOAD splits it at its spaces or colons\n",
		path);
	return -1;
}

/* "LIBLEGO[ MALLOC][ LD_PRELOAD]" into the environment. */
static int set_preload(const char *liblego, const char *malloc_lib)
{
	const char *old = getenv("LD_PRELOAD");
	char *preload;
	int ret;

	if (asprintf(&preload, "%s%s%s%s%s", liblego,
		     malloc_lib ? " " : "", malloc_lib ?: "",
		     old && *old ? " " : "", old && *old ? old : "") < 0)
		return -1;
	ret = setenv("LD_PRELOAD", preload, 1);
	free(preload);
	return ret;
}

/**
 * lego_run_exec() - execute lego-ctl run's CMD in its vNode
 * @args: the vNode, the malloc library and where CMD is in @argv
 * @argv: lego-ctl's arguments
 *
 * The vNode must have been checked to exist.
 *
 * Return: only on failure, with the reason on stderr: 1 when the run
 * could not be set up, LEGO_CTL_EXEC_FAILED when CMD could not be
 * executed.
 */
int lego_run_exec(const struct lego_ctl_args *args, char *const argv[])
{
	char liblego[PATH_MAX], malloc_lib[PATH_MAX];
	const char *cmd = argv[args->cmd_index];
	bool with_malloc = malloc_libs[args->malloc].lib;

	/* Opening it is the first thing liblego does in the program. */
	if (faccessat(AT_FDCWD, LEGO_DEV_PATH, R_OK | W_OK, AT_EACCESS)) {
		fprintf(stderr,
			"lego-ctl: run: needs root (read-write access to %s): %s\n",
			LEGO_DEV_PATH, strerror(errno));
		return 1;
	}
	if (find_liblego(liblego) || preloadable(liblego))
		return 1;
	if (with_malloc &&
	    (find_malloc(args->malloc, malloc_lib) || preloadable(malloc_lib)))
		return 1;
	if (setenv("LEGO_VNODE", args->vnode, 1) ||
	    set_preload(liblego, with_malloc ? malloc_lib : NULL)) {
		fprintf(stderr, "lego-ctl: run: environment: %s\n",
			strerror(errno));
		return 1;
	}
	execvp(cmd, argv + args->cmd_index);
	fprintf(stderr, "lego-ctl: run: %s: %s\n", cmd, strerror(errno));
	return LEGO_CTL_EXEC_FAILED;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * memtouch: write a pattern to disaggregated memory from /dev/lego and
 * read it back, from several threads, in sequential or random order.
 *
 * Usage: memtouch [--bytes SIZE] [--threads N] [--order seq|rand]
 *                 [--chunks K] [--seed S] [--fork] [--discard]
 *                 [--wait PATH]...
 * Maps SIZE bytes (default 32M) in K mappings (default 1; with K > 1 the
 * k-th is placed at the k-th GiB of the window, a vRegion of its own),
 * writes every 8-byte word of every page (a pattern of S, default 0),
 * checks them all, rewrites every other page and checks again.
 *
 * With --fork it then forks a child with a copy of the space
 * (LEGO_IOC_CLONE, LEGO_IOC_ADOPT), which checks every page, overwrites
 * them all and execs a shell; the parent's pages must be untouched. With
 * --discard it then discards the first mapping (MADV_DONTNEED,
 * LEGO_IOC_DISCARD): it must read back as zeroes. With --wait it says so
 * and waits until PATH exists, then checks every page again: a test does
 * something to the mmons meanwhile. Each further --wait does the same
 * again, in the order given.
 *
 * The space joins the vNode $LEGO_VNODE. Prints one line; exits 0 if every
 * byte checked, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lego/lego_dev.h"
#include "lego/wire.h"
#include "lego_space.h"

#define PAGE 4096UL
#define WORDS (PAGE / sizeof(uint64_t))
#define MAX_CHUNKS 16
#define MAX_WAITS 4		/* --wait given that many times at most */

static uint64_t *pages[1 << 22];	/* each page's address */
static uint64_t nr_pages;
static unsigned int nr_threads = 1;
static int random_order;
static uint64_t pattern_seed;	/* runs with different seeds write apart */

struct worker {
	pthread_t tid;
	unsigned int id;
	uint64_t *order;	/* the pages this thread touches, in order */
	uint64_t n;
	uint64_t bad;
};

static uint64_t word(uint64_t page, uint64_t i, uint64_t round)
{
	uint64_t x = (page << 20) ^ (i << 4) ^ round ^ (pattern_seed << 40);

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* Round 0 wrote every page; round 1 rewrote the odd ones. */
static uint64_t round_of(uint64_t page, int rounds)
{
	return rounds > 1 && (page & 1) ? 1 : 0;
}

static void shuffle(struct worker *w, unsigned int *seed)
{
	uint64_t i, j, t;

	if (!random_order)
		return;
	for (i = w->n - 1; i > 0; i--) {
		j = (uint64_t)rand_r(seed) % (i + 1);
		t = w->order[i];
		w->order[i] = w->order[j];
		w->order[j] = t;
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;
	unsigned int seed = 1234 + w->id;
	uint64_t k, i, p;
	int round;

	/* write all; check all; rewrite the odd pages; check all. */
	for (round = 0; round < 4; round++) {
		shuffle(w, &seed);
		for (k = 0; k < w->n; k++) {
			p = w->order[k];
			if (round == 0 || (round == 2 && (p & 1))) {
				for (i = 0; i < WORDS; i++)
					pages[p][i] = word(p, i, round / 2);
			} else if (round == 1 || round == 3) {
				for (i = 0; i < WORDS; i++)
					if (pages[p][i] !=
					    word(p, i, round_of(p, round))) {
						w->bad++;
						break;
					}
			}
		}
	}
	return NULL;
}

/* After LEGO_IOC_DISCARD, pages [0, @n) must read as zeroes. */
static uint64_t check_discarded(int fd, uint64_t n)
{
	struct lego_range_args range = {
		.addr = (uintptr_t)pages[0],
		.len = n * PAGE,
	};
	uint64_t p, i, bad = 0;

	if (ioctl(fd, LEGO_IOC_DISCARD, &range)) {
		perror("memtouch: LEGO_IOC_DISCARD");
		return n;
	}
	for (p = 0; p < n; p++)
		for (i = 0; i < WORDS; i++)
			if (pages[p][i]) {
				bad++;
				break;
			}
	return bad;
}

/* Every page as the last round left it. */
static uint64_t check_all(void)
{
	uint64_t p, i, bad = 0;

	for (p = 0; p < nr_pages; p++)
		for (i = 0; i < WORDS; i++)
			if (pages[p][i] != word(p, i, round_of(p, 3))) {
				bad++;
				break;
			}
	return bad;
}

/*
 * fork with a copy: the child checks it, overwrites it and execs a shell;
 * its writes must not reach the parent's pages.
 */
static int fork_copy(int fd)
{
	struct lego_clone_args clone = { .fd = fd };
	int copy, status;
	uint64_t p, i;
	pid_t pid;

	copy = open(LEGO_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (copy < 0 || ioctl(copy, LEGO_IOC_CLONE, &clone)) {
		perror("memtouch: LEGO_IOC_CLONE");
		return -1;
	}
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (ioctl(copy, LEGO_IOC_ADOPT))
			_exit(3);
		if (check_all())
			_exit(4);
		for (p = 0; p < nr_pages; p++)
			for (i = 0; i < WORDS; i++)
				pages[p][i] = ~pages[p][i];
		execl("/bin/sh", "sh", "-c", "exit 0", (char *)NULL);
		_exit(5);
	}
	close(copy);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "memtouch: forked child failed: status %d\n",
			status);
		return -1;
	}
	return 0;
}

static int parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMG";
	const char *unit;
	char *end;
	uint64_t v = strtoull(s, &end, 10);

	if (end == s)
		return -1;
	unit = *end ? strchr(units, *end) : NULL;
	if (unit) {
		v <<= 10 * (unit - units + 1);
		end++;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char *argv[])
{
	uint64_t bytes = 32 << 20, chunk, k, i, bad = 0;
	struct worker *w;
	unsigned int chunks = 1, t;
	int fd, a, do_fork = 0, do_discard = 0;
	const char *wait_path[MAX_WAITS];
	unsigned int nr_waits = 0, n;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--bytes") && a + 1 < argc &&
		    !parse_size(argv[a + 1], &bytes))
			a++;
		else if (!strcmp(argv[a], "--threads") && a + 1 < argc)
			nr_threads = (unsigned int)atoi(argv[++a]);
		else if (!strcmp(argv[a], "--chunks") && a + 1 < argc)
			chunks = (unsigned int)atoi(argv[++a]);
		else if (!strcmp(argv[a], "--seed") && a + 1 < argc)
			pattern_seed = strtoull(argv[++a], NULL, 10);
		else if (!strcmp(argv[a], "--order") && a + 1 < argc)
			random_order = !strcmp(argv[++a], "rand");
		else if (!strcmp(argv[a], "--fork"))
			do_fork = 1;
		else if (!strcmp(argv[a], "--discard"))
			do_discard = 1;
		else if (!strcmp(argv[a], "--wait") && a + 1 < argc &&
			 nr_waits < MAX_WAITS)
			wait_path[nr_waits++] = argv[++a];
		else
			goto usage;
	}
	chunk = bytes / (chunks ? chunks : 1);
	if (!nr_threads || nr_threads > 64 || !chunks || chunks > MAX_CHUNKS ||
	    chunk % PAGE || !chunk || bytes / PAGE > sizeof(pages) / sizeof(*pages))
		goto usage;

	fd = lego_space_open("memtouch");
	if (fd < 0)
		return 1;
	for (k = 0; k < chunks; k++) {
		struct lego_map_args map = {
			.len = chunk,
			.prot = PROT_READ | PROT_WRITE,
		};

		if (chunks > 1) {
			map.addr = LEGO_MEM_WINDOW_BASE + (k << 30);
			map.flags = LEGO_MAP_FIXED;
		}
		if (ioctl(fd, LEGO_IOC_MAP, &map)) {
			fprintf(stderr, "memtouch: LEGO_IOC_MAP of %llu bytes: %s\n",
				(unsigned long long)chunk, strerror(errno));
			return 1;
		}
		for (i = 0; i < chunk / PAGE; i++)
			pages[nr_pages++] = (uint64_t *)(uintptr_t)(map.addr +
								    i * PAGE);
	}

	w = calloc(nr_threads, sizeof(*w));
	for (t = 0; t < nr_threads; t++) {
		w[t].id = t;
		w[t].order = calloc(nr_pages / nr_threads + 1, sizeof(uint64_t));
		for (i = t; i < nr_pages; i += nr_threads)
			w[t].order[w[t].n++] = i;
		pthread_create(&w[t].tid, NULL, work, &w[t]);
	}
	for (t = 0; t < nr_threads; t++) {
		pthread_join(w[t].tid, NULL);
		bad += w[t].bad;
	}
	for (n = 0; n < nr_waits; n++) {
		printf("memtouch: %llu bad, waiting for %s\n",
		       (unsigned long long)bad, wait_path[n]);
		fflush(stdout);
		while (access(wait_path[n], F_OK))
			usleep(200000);
		bad += check_all();
	}
	if (do_fork) {
		if (fork_copy(fd))
			return 1;
		bad += check_all();
	}
	if (do_discard)
		bad += check_discarded(fd, chunk / PAGE);
	printf("memtouch: %llu pages in %u mapping(s), %u thread(s), %s order: %llu bad\n",
	       (unsigned long long)nr_pages, chunks, nr_threads,
	       random_order ? "random" : "sequential", (unsigned long long)bad);
	close(fd);
	return bad ? 1 : 0;

usage:
	fprintf(stderr, "usage: memtouch [--bytes SIZE] [--threads N] %s\n",
		"[--order seq|rand] [--chunks K] [--seed S] [--fork] [--discard] [--wait PATH]...");
	return 2;
}

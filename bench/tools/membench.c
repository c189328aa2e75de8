// SPDX-License-Identifier: GPL-2.0
/*
 * membench: the microbenchmark workload of bench/40-swap.sh, an ordinary
 * program (plain anonymous mmap), so that it runs unchanged on local
 * memory, under swap in a memory cgroup and under `lego-ctl run`.
 *
 * It maps MIB MiB, writes every page (untimed), then times one phase:
 *   random: OPS accesses to random pages, each reading and checking one
 *           word; every other access also rewrites it (dirtying the page);
 *   seq:    PASSES scans of the whole area, one word read per 64 bytes;
 *           with --stride N, of every Nth page only (a column of a
 *           matrix whose rows are N pages).
 * Afterwards every page is checked against what it must hold. Prints one
 * JSON object: the phase's nanoseconds, in all and per access.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define PAGE		4096UL
#define WORDS		(PAGE / sizeof(uint64_t))

struct opts {
	unsigned long mib;
	bool seq;
	unsigned long ops;	/* random */
	unsigned long passes;	/* seq */
	unsigned long stride;	/* seq: pages from one read page to the next */
	uint64_t seed;
};

static uint64_t word_of(uint64_t page, uint64_t word, uint64_t gen)
{
	return (page << 20 | word) * 0x9e3779b97f4a7c15ULL + gen;
}

/* xorshift64*: the same page sequence for every run with one seed. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die_usage(void)
{
	fprintf(stderr,
		"usage: membench --mib N (--random OPS | --seq PASSES [--stride N]) [--seed S]\n");
	exit(1);
}

static unsigned long parse_count(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || !v) {
		fprintf(stderr, "membench: bad number '%s'\n", s);
		exit(1);
	}
	return v;
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "mib", required_argument, NULL, 'm' },
		{ "random", required_argument, NULL, 'r' },
		{ "seq", required_argument, NULL, 's' },
		{ "stride", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 'S' },
		{ }
	};
	int c;

	o->seed = 1;
	o->stride = 1;
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 'm':
			o->mib = parse_count(optarg);
			break;
		case 'r':
			o->ops = parse_count(optarg);
			break;
		case 's':
			o->passes = parse_count(optarg);
			o->seq = true;
			break;
		case 't':
			o->stride = parse_count(optarg);
			break;
		case 'S':
			o->seed = parse_count(optarg);
			break;
		default:
			die_usage();
		}
	}
	if (optind != argc || !o->mib || !o->ops == !o->passes ||
	    (o->stride > 1 && !o->seq))
		die_usage();
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	uint64_t pages, p, w, sum = 0, accesses;
	uint64_t *mem;
	double t0, t;

	parse(argc, argv, &o);
	pages = o.mib * (1 << 20) / PAGE;
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("membench: mmap");
		return 1;
	}
	for (p = 0; p < pages; p++)
		for (w = 0; w < WORDS; w++)
			mem[p * WORDS + w] = word_of(p, w, 0);

	t0 = now();
	if (o.seq) {
		for (uint64_t pass = 0; pass < o.passes; pass++)
			for (p = 0; p < pages; p += o.stride)
				for (w = 0; w < WORDS; w += 8)
					sum += mem[p * WORDS + w];
		accesses = o.passes * ((pages + o.stride - 1) / o.stride) *
			   (WORDS / 8);
	} else {
		uint64_t s = o.seed;

		for (uint64_t i = 0; i < o.ops; i++) {
			uint64_t r = next_rand(&s);

			p = r % pages;
			w = (r >> 40) % WORDS;
			sum += mem[p * WORDS + w];
			if (i & 1)
				mem[p * WORDS + w] += 1;
		}
		accesses = o.ops;
	}
	t = now() - t0;

	/* Every word must hold its fill value plus the rewrites it had. */
	if (!o.seq) {
		uint64_t s = o.seed;

		for (uint64_t i = 1; i < o.ops; i += 2) {
			uint64_t r;

			next_rand(&s);
			r = next_rand(&s);
			p = r % pages;
			w = (r >> 40) % WORDS;
			mem[p * WORDS + w] -= 1;
		}
	}
	for (p = 0; p < pages; p++)
		for (w = 0; w < WORDS; w++)
			if (mem[p * WORDS + w] != word_of(p, w, 0)) {
				fprintf(stderr,
					"membench: page %" PRIu64 " word %" PRIu64
					" holds a wrong value\n", p, w);
				return 1;
			}
	printf("{\"pattern\":\"%s\",\"mib\":%lu,\"accesses\":%" PRIu64
	       ",\"ns\":%" PRIu64 ",\"ns_per_access\":%.1f,\"sum\":%" PRIu64
	       "}\n", !o.seq ? "random" : o.stride > 1 ? "stride" : "seq",
	       o.mib, accesses,
	       (uint64_t)(t * 1e9), t * 1e9 / accesses, sum);
	return 0;
}

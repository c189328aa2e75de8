// SPDX-License-Identifier: GPL-2.0
/*
 * faultlat: how long a read of a page that is not in the ExCache takes,
 * from the fault to the mapped page, as a program sees it.
 *
 * Usage: faultlat [--bytes SIZE]
 * Maps SIZE bytes (default 16M; make it several times the ExCache) from
 * /dev/lego, writes every page, then reads one word of each page, in
 * order, three times: with the ExCache smaller than SIZE every read of
 * the last two passes misses, and evicts a clean line. Prints the median
 * and 99th percentile of those reads in ns, as one JSON object, and
 * exits 1 if a word read back wrong.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lego/lego_dev.h"
#include "lego_space.h"

#define PAGE 4096UL

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char *argv[])
{
	struct lego_map_args map = { .prot = PROT_READ | PROT_WRITE };
	uint64_t bytes = 16 << 20, pages, i, n = 0, bad = 0, *ns;
	uint64_t *mem;
	int fd, pass;

	if (argc == 3 && !strcmp(argv[1], "--bytes"))
		bytes = strtoull(argv[2], NULL, 10) << 20;
	else if (argc != 1)
		goto usage;
	pages = bytes / PAGE;
	if (!pages)
		goto usage;
	ns = calloc(2 * pages, sizeof(*ns));
	fd = lego_space_open("faultlat");
	if (!ns || fd < 0)
		return 1;
	map.len = pages * PAGE;
	if (ioctl(fd, LEGO_IOC_MAP, &map)) {
		perror("faultlat: LEGO_IOC_MAP");
		return 1;
	}
	mem = (uint64_t *)(uintptr_t)map.addr;
	for (i = 0; i < pages; i++)
		mem[i * PAGE / 8] = i * 7919 + 1;
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < pages; i++) {
			uint64_t start = now_ns();
			/* One real load each time, never folded. */
			uint64_t v = __atomic_load_n(&mem[i * PAGE / 8],
						     __ATOMIC_RELAXED);

			if (pass)
				ns[n++] = now_ns() - start;
			bad += v != i * 7919 + 1;
		}
	}
	qsort(ns, n, sizeof(*ns), cmp_u64);
	printf("{\"reads\":%llu,\"bad\":%llu,\"median_ns\":%llu,\"p99_ns\":%llu}\n",
	       (unsigned long long)n, (unsigned long long)bad,
	       (unsigned long long)ns[n / 2],
	       (unsigned long long)ns[n * 99 / 100]);
	close(fd);
	return bad ? 1 : 0;

usage:
	fprintf(stderr, "usage: faultlat [--bytes MIB]\n");
	return 2;
}

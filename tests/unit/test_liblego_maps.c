// SPDX-License-Identifier: GPL-2.0
/*
 * liblego's view of /proc/self/maps: userland/liblego/maps.c, the same
 * file liblego.so is built from, walking this test's own mappings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lego/compat.h"
#include "maps.h"

#define PAGE	4096ULL
#define RW	(PROT_READ | PROT_WRITE)

static int parse(const char *line, struct lego_piece *pc)
{
	return lego_maps_line(line, line + strlen(line), pc);
}

static void lines(void **state)
{
	const struct {
		const char *line;
		uint64_t start, end;
		int prot;
	} good[] = {
		{ "7f0000000000-7f0000003000 rw-p 00000000 00:00 0",
		  0x7f0000000000ULL, 0x7f0000003000ULL, RW },
		{ "100000000000-100000001000 ---p 00000000 00:00 0",
		  0x100000000000ULL, 0x100000001000ULL, PROT_NONE },
		{ "55d0c8a00000-55d0c8a21000 r-xp 00002000 fe:01 1234 /bin/sh",
		  0x55d0c8a00000ULL, 0x55d0c8a21000ULL,
		  PROT_READ | PROT_EXEC },
		{ "1000-2000 rw-s 100000000 00:05 9 /dev/lego",
		  0x1000, 0x2000, RW },
		{ "1000-2000 --xp", 0x1000, 0x2000, PROT_EXEC },
	};
	const char *const bad[] = {
		"", "1000", "1000-", "1000-2000", "1000-2000 rw",
		"1000 2000 rw-p", "2000-1000 rw-p", "-1000 rw-p",
		"1000-1000 rw-p", "10g0-2000 rw-p",
	};
	struct lego_piece pc;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		assert_int_equal(parse(good[i].line, &pc), 0);
		assert_int_equal(pc.start, good[i].start);
		assert_int_equal(pc.end, good[i].end);
		assert_int_equal(pc.prot, good[i].prot);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(parse(bad[i], &pc), -EINVAL);
}

#define MAX_SEEN 8

struct seen {
	struct lego_piece pc[MAX_SEEN];
	int n;
	int stop_at;		/* return -EINTR from this call on, if > 0 */
};

static int record(const struct lego_piece *pc, void *arg)
{
	struct seen *s = arg;

	if (s->stop_at && s->n + 1 >= s->stop_at)
		return -EINTR;
	assert_true(s->n < MAX_SEEN);
	s->pc[s->n++] = *pc;
	return 0;
}

/* Four pages: none, read/write, read-only, none. */
static void *setup_area(void)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	assert_true(p != MAP_FAILED);
	assert_int_equal(mprotect(p + PAGE, PAGE, RW), 0);
	assert_int_equal(mprotect(p + 2 * PAGE, PAGE, PROT_READ), 0);
	return p;
}

static void walks_pieces_in_order(void **state)
{
	char *p = setup_area();
	uint64_t a = (uintptr_t)p;
	struct seen s = { .n = 0 };

	(void)state;
	assert_int_equal(lego_maps_walk(a, a + 4 * PAGE, record, &s), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.pc[0].prot, PROT_NONE);
	assert_int_equal(s.pc[1].prot, RW);
	assert_int_equal(s.pc[2].prot, PROT_READ);
	assert_int_equal(s.pc[3].prot, PROT_NONE);
	/* clipped to the range, whatever mapping is next to it */
	assert_int_equal(s.pc[0].start, a);
	assert_int_equal(s.pc[0].end, a + PAGE);
	assert_int_equal(s.pc[2].start, a + 2 * PAGE);
	assert_int_equal(s.pc[3].end, a + 4 * PAGE);

	s.n = 0;
	assert_int_equal(lego_maps_walk(a + PAGE + PAGE / 2, a + 3 * PAGE,
					record, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.pc[0].start, a + PAGE + PAGE / 2);
	assert_int_equal(s.pc[0].end, a + 2 * PAGE);
	assert_int_equal(s.pc[1].end, a + 3 * PAGE);

	s.n = 0;
	assert_int_equal(lego_maps_walk(a, a, record, &s), 0);
	assert_int_equal(s.n, 0);
	munmap(p, 4 * PAGE);
}

static void holes_fail(void **state)
{
	char *p = setup_area();
	uint64_t a = (uintptr_t)p;
	struct seen s = { .n = 0 };

	(void)state;
	assert_int_equal(munmap(p + 2 * PAGE, PAGE), 0);
	assert_int_equal(lego_maps_walk(a, a + 4 * PAGE, record, &s),
			 -EFAULT);
	assert_int_equal(s.n, 2);	/* what comes before the hole */
	s.n = 0;
	assert_int_equal(lego_maps_walk(a, a + 2 * PAGE, record, &s), 0);
	assert_int_equal(s.n, 2);
	s.n = 0;
	assert_int_equal(lego_maps_walk(a + 2 * PAGE, a + 3 * PAGE, record,
					&s), -EFAULT);
	assert_int_equal(s.n, 0);
	munmap(p, 4 * PAGE);
	/* past every mapping */
	assert_int_equal(lego_maps_walk(0xfffffffff000ULL, 0x1000000000000ULL,
					record, &s), -EFAULT);
}

static void callback_error_stops(void **state)
{
	char *p = setup_area();
	uint64_t a = (uintptr_t)p;
	struct seen s = { .n = 0, .stop_at = 2 };

	(void)state;
	assert_int_equal(lego_maps_walk(a, a + 4 * PAGE, record, &s),
			 -EINTR);
	assert_int_equal(s.n, 1);
	munmap(p, 4 * PAGE);
}

/* More mappings than one read of the file holds. */
static void many_mappings(void **state)
{
	enum { N = 400 };
	char *p = mmap(NULL, 2 * N * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	uint64_t a = (uintptr_t)p;
	struct seen s = { .n = 0 };
	int i;

	(void)state;
	assert_true(p != MAP_FAILED);
	for (i = 0; i < N; i++)
		assert_int_equal(mprotect(p + 2 * i * PAGE, PAGE, PROT_READ),
				 0);
	assert_int_equal(lego_maps_walk(a + (2 * N - 4) * PAGE,
					a + 2 * N * PAGE, record, &s), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.pc[0].prot, PROT_READ);
	assert_int_equal(s.pc[3].prot, RW);
	munmap(p, 2 * N * PAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines),
		cmocka_unit_test(walks_pieces_in_order),
		cmocka_unit_test(holes_fail),
		cmocka_unit_test(callback_error_stops),
		cmocka_unit_test(many_mappings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* The mmon's pool by chunk: modules/mmon/chunks.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lego/chunks.h"

#define NR_CHUNKS	4
#define PMON_A		0x0a000001
#define PMON_B		0x0a000002

static struct lego_chunk array[NR_CHUNKS];
static struct lego_chunks c;

static int setup(void **state)
{
	(void)state;
	memset(array, 0, sizeof(array));
	lego_chunks_init(&c, array, NR_CHUNKS);
	return 0;
}

static u32 chunk_no(s64 page)
{
	return (u32)(page >> LEGO_CHUNK_SHIFT);
}

/* One tenant fills a chunk before it claims the next one. */
static void tenant_fills_its_chunk_first(void **state)
{
	u32 hint = ~0U, i;
	s64 page;

	(void)state;
	for (i = 0; i < LEGO_CHUNK_PAGES; i++) {
		page = lego_chunks_alloc(&c, PMON_A, &hint);
		assert_int_equal(page, i);
	}
	assert_int_equal(array[0].state, LEGO_CHUNK_OWNED);
	assert_int_equal(array[0].tenant, PMON_A);
	assert_int_equal(array[0].nr_used, LEGO_CHUNK_PAGES);
	page = lego_chunks_alloc(&c, PMON_A, &hint);
	assert_int_equal(chunk_no(page), 1);
	assert_int_equal(hint, 1);
	assert_int_equal(c.used_pages, LEGO_CHUNK_PAGES + 1);
}

/* Two tenants never share a chunk while a free one exists. */
static void tenants_get_their_own_chunks(void **state)
{
	u32 hint_a = ~0U, hint_b = ~0U;
	s64 a, b;

	(void)state;
	a = lego_chunks_alloc(&c, PMON_A, &hint_a);
	b = lego_chunks_alloc(&c, PMON_B, &hint_b);
	assert_int_not_equal(chunk_no(a), chunk_no(b));
	assert_int_equal(array[chunk_no(b)].tenant, PMON_B);
	/* A stale hint into another tenant's chunk is not followed. */
	hint_a = chunk_no(b);
	a = lego_chunks_alloc(&c, PMON_A, &hint_a);
	assert_int_equal(array[chunk_no(a)].tenant, PMON_A);
	assert_int_equal(lego_chunks_alloc(&c, 0, &hint_a), -EINVAL);
}

/* With no chunk free, a page goes where there is room: never -ENOMEM early. */
static void foreign_page_when_no_chunk_is_free(void **state)
{
	u32 hint = ~0U, hint_b = ~0U, i;
	s64 page;

	(void)state;
	for (i = 0; i < NR_CHUNKS * LEGO_CHUNK_PAGES - 1; i++)
		assert_true(lego_chunks_alloc(&c, PMON_A, &hint) >= 0);
	page = lego_chunks_alloc(&c, PMON_B, &hint_b);
	assert_int_equal(page, NR_CHUNKS * LEGO_CHUNK_PAGES - 1);
	assert_int_equal(array[chunk_no(page)].tenant, PMON_A);
	assert_int_equal(hint_b, ~0U);
	assert_int_equal(lego_chunks_alloc(&c, PMON_B, &hint_b), -ENOMEM);
	assert_int_equal(c.used_pages, NR_CHUNKS * LEGO_CHUNK_PAGES);
}

/* Freed pages are reused; an emptied chunk goes free at once if unexposed. */
static void free_and_reuse(void **state)
{
	u32 hint = ~0U;
	s64 a, b;

	(void)state;
	a = lego_chunks_alloc(&c, PMON_A, &hint);
	b = lego_chunks_alloc(&c, PMON_A, &hint);
	assert_null(lego_chunks_free(&c, a));
	assert_int_equal(lego_chunks_alloc(&c, PMON_A, &hint), a);
	assert_null(lego_chunks_free(&c, a));
	assert_null(lego_chunks_free(&c, a));	/* twice: ignored */
	assert_int_equal(c.used_pages, 1);
	assert_null(lego_chunks_free(&c, b));
	assert_int_equal(array[0].state, LEGO_CHUNK_FREE);
	assert_int_equal(array[0].tenant, 0);
	assert_int_equal(c.used_pages, 0);
	assert_null(lego_chunks_free(&c, NR_CHUNKS * LEGO_CHUNK_PAGES));
}

/* An exposed chunk left empty is released by the caller, not reused. */
static void exposed_chunk_is_released(void **state)
{
	u32 hint = ~0U, hint_b = ~0U;
	struct lego_chunk *ch;
	s64 a;

	(void)state;
	a = lego_chunks_alloc(&c, PMON_A, &hint);
	array[chunk_no(a)].serial = 7;
	array[chunk_no(a)].rkey = 0x1234;
	ch = lego_chunks_free(&c, a);
	assert_ptr_equal(ch, &array[chunk_no(a)]);
	assert_int_equal(ch->state, LEGO_CHUNK_RELEASING);
	/* Neither its tenant nor another may take it meanwhile. */
	assert_int_not_equal(chunk_no(lego_chunks_alloc(&c, PMON_A, &hint)),
			     chunk_no(a));
	assert_int_not_equal(chunk_no(lego_chunks_alloc(&c, PMON_B, &hint_b)),
			     chunk_no(a));
	lego_chunks_released(ch);
	assert_int_equal(ch->state, LEGO_CHUNK_FREE);
	assert_int_equal(ch->serial, 0);
	assert_int_equal(ch->rkey, 0);
	assert_int_equal(ch->tenant, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(tenant_fills_its_chunk_first, setup),
		cmocka_unit_test_setup(tenants_get_their_own_chunks, setup),
		cmocka_unit_test_setup(foreign_page_when_no_chunk_is_free,
				       setup),
		cmocka_unit_test_setup(free_and_reuse, setup),
		cmocka_unit_test_setup(exposed_chunk_is_released, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

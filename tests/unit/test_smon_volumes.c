// SPDX-License-Identifier: GPL-2.0
/* The smon's volume table and block request checks: modules/smon/volumes.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lego/smon_volumes.h"

#define MIB BIT_ULL(20)
#define PMON 0x0a000001U
#define OTHER_PMON 0x0a000002U

static struct smon_table t;

static int setup(void **state)
{
	(void)state;
	smon_table_format(&t);
	return 0;
}

/* Fill slot @i as the smon does on LEGO_OP_BLK_CREATE. */
static void add(int i, const char *name, u64 offset, u64 bytes)
{
	struct smon_volume *v = &t.vol[i];

	strcpy(v->name, name);
	v->pmon = PMON;
	v->vnode = cpu_to_le32(7);
	v->key = cpu_to_le64(0x1234 + i);
	v->offset = cpu_to_le64(offset);
	v->bytes = cpu_to_le64(bytes);
}

static struct lego_blk_req req(int slot, u64 offset, u32 len)
{
	struct lego_blk_req r = {
		.volume = cpu_to_le32(slot),
		.key = cpu_to_le64(0x1234 + slot),
		.offset = cpu_to_le64(offset),
		.len = cpu_to_le32(len),
	};

	return r;
}

static void test_fresh_and_foreign(void **state)
{
	struct smon_table zero = { 0 };

	(void)state;
	assert_int_equal(smon_table_check(&zero, UINT64_MAX), -ENODATA);
	assert_int_equal(smon_table_check(&t, UINT64_MAX), 0);
	t.magic = cpu_to_le64(0xdeadbeef);
	assert_int_equal(smon_table_check(&t, UINT64_MAX), -EINVAL);
	setup(NULL);
	t.version = cpu_to_le32(2);
	assert_int_equal(smon_table_check(&t, UINT64_MAX), -EINVAL);
}

static void test_broken_tables(void **state)
{
	(void)state;
	add(0, "a", MIB, 4 * MIB);
	add(1, "b", 4 * MIB, MIB);		/* overlaps a */
	assert_int_equal(smon_table_check(&t, UINT64_MAX), -EINVAL);
	add(1, "b", 5 * MIB, MIB);
	assert_int_equal(smon_table_check(&t, UINT64_MAX), 0);
	assert_int_equal(smon_table_check(&t, 5 * MIB), -EINVAL);	/* past end */
	add(1, "a", 5 * MIB, MIB);		/* same pmon and name twice */
	assert_int_equal(smon_table_check(&t, UINT64_MAX), -EINVAL);
	add(1, "b", 0, MIB);			/* inside the table */
	assert_int_equal(smon_table_check(&t, UINT64_MAX), -EINVAL);
	add(1, "b", 5 * MIB + 4096, MIB);	/* unaligned */
	assert_int_equal(smon_table_check(&t, UINT64_MAX), -EINVAL);
	add(1, "b", 5 * MIB, MIB);
	memset(t.vol[1].name, 'x', LEGO_BLK_NAME_MAX);	/* no NUL */
	assert_int_equal(smon_table_check(&t, UINT64_MAX), -EINVAL);
	add(1, "b", 5 * MIB, MIB);
	t.vol[1].key = 0;
	assert_int_equal(smon_table_check(&t, UINT64_MAX), -EINVAL);
}

static void test_first_fit(void **state)
{
	u64 at;

	(void)state;
	assert_int_equal(smon_volume_place(&t, 3 * MIB, UINT64_MAX, &at), 0);
	assert_int_equal(at, SMON_DATA_START);
	add(0, "a", MIB, 3 * MIB);
	add(1, "b", 6 * MIB, 2 * MIB);
	/* The 2 MiB gap at 4 MiB takes 2 MiB, not 3 MiB. */
	assert_int_equal(smon_volume_place(&t, 2 * MIB, UINT64_MAX, &at), 0);
	assert_int_equal(at, 4 * MIB);
	assert_int_equal(smon_volume_place(&t, 3 * MIB, UINT64_MAX, &at), 0);
	assert_int_equal(at, 8 * MIB);
	/* Sizes not filling a MiB still start aligned. */
	add(2, "c", 8 * MIB, 4096);
	assert_int_equal(smon_volume_place(&t, 4096, 16 * MIB, &at), 0);
	assert_int_equal(at, 4 * MIB);
	add(3, "d", 4 * MIB, 2 * MIB);
	assert_int_equal(smon_volume_place(&t, 4096, 16 * MIB, &at), 0);
	assert_int_equal(at, 9 * MIB);
	assert_int_equal(smon_volume_place(&t, 8 * MIB, 16 * MIB, &at), -ENOSPC);
	assert_int_equal(smon_volume_place(&t, 7 * MIB, 16 * MIB, &at), 0);
	assert_int_equal(smon_volume_place(&t, 0, 16 * MIB, &at), -EINVAL);
	assert_int_equal(smon_volume_place(&t, 100, 16 * MIB, &at), -EINVAL);
	assert_int_equal(smon_table_bytes(&t), 7 * MIB + 4096);
	assert_int_equal(smon_table_check(&t, 16 * MIB), 0);
}

static void test_find_and_slots(void **state)
{
	int i;

	(void)state;
	add(3, "vn1", MIB, MIB);
	assert_int_equal(smon_volume_find(&t, PMON, "vn1"), 3);
	assert_int_equal(smon_volume_find(&t, OTHER_PMON, "vn1"), -ENOENT);
	assert_int_equal(smon_volume_find(&t, PMON, "vn2"), -ENOENT);
	assert_int_equal(smon_volume_free_slot(&t), 0);
	for (i = 0; i < SMON_VOLUMES_MAX; i++)
		add(i, "x", MIB * (i + 1), MIB);
	assert_int_equal(smon_volume_free_slot(&t), -ENOSPC);
}

static void test_requests(void **state)
{
	struct lego_blk_req r;

	(void)state;
	add(2, "vn1", MIB, 8 * MIB);
	r = req(2, 0, 4096);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 0), SMON_OK);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 8, PMON, &r, 0),
			 SMON_REFUSE_OWNER);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, OTHER_PMON, &r, 0),
			 SMON_REFUSE_OWNER);
	r.key = cpu_to_le64(99);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_WRITE, 7, PMON, &r, 0),
			 SMON_REFUSE_OWNER);
	r = req(1, 0, 4096);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 0),
			 SMON_REFUSE_VOLUME);
	r = req(SMON_VOLUMES_MAX, 0, 4096);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 0),
			 SMON_REFUSE_VOLUME);

	/* Lengths: sectors, at most LEGO_BLK_IO_MAX, none where none goes. */
	r = req(2, 0, 0);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_WRITE, 7, PMON, &r, 0),
			 SMON_REFUSE_LENGTH);
	r = req(2, 0, 1000);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_WRITE, 7, PMON, &r, 0),
			 SMON_REFUSE_LENGTH);
	r = req(2, 100, 512);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_WRITE, 7, PMON, &r, 0),
			 SMON_REFUSE_LENGTH);
	r = req(2, 0, LEGO_BLK_IO_MAX + 512);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 0),
			 SMON_REFUSE_LENGTH);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_DISCARD, 7, PMON, &r, 0),
			 SMON_OK);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_FLUSH, 7, PMON, &r, 0),
			 SMON_REFUSE_LENGTH);
	r = req(2, 0, 0);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_FLUSH, 7, PMON, &r, 0), SMON_OK);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_DELETE, 7, PMON, &r, 0), SMON_OK);

	/* Bounds: the last sector is in, the next is out; no wrap-around. */
	r = req(2, 8 * MIB - 512, 512);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 0), SMON_OK);
	r = req(2, 8 * MIB, 512);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 0),
			 SMON_REFUSE_RANGE);
	r = req(2, 8 * MIB - 512, 1024);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_WRITE, 7, PMON, &r, 0),
			 SMON_REFUSE_RANGE);
	r = req(2, UINT64_MAX - 511, 512);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_WRITE, 7, PMON, &r, 0),
			 SMON_REFUSE_RANGE);

	/* Flags: FUA on writes only, invalidation on reads and writes. */
	r = req(2, 0, 512);
	r.flags = cpu_to_le32(LEGO_BLK_FUA | LEGO_BLK_INVALIDATE);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_WRITE, 7, PMON, &r, 0), SMON_OK);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 0),
			 SMON_REFUSE_FIELD);
	r.flags = cpu_to_le32(LEGO_BLK_INVALIDATE);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 0), SMON_OK);
	r.len = cpu_to_le32(8192);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_DISCARD, 7, PMON, &r, 0),
			 SMON_REFUSE_FIELD);
	r.flags = cpu_to_le32(8);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_WRITE, 7, PMON, &r, 0),
			 SMON_REFUSE_FIELD);

	/* Inline: up to a page; a WRITE carries exactly its data, a READ none. */
	r = req(2, 0, 4096);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_WRITE, 7, PMON, &r, 4096),
			 SMON_REFUSE_LENGTH);
	r.flags = cpu_to_le32(LEGO_BLK_INLINE | LEGO_BLK_FUA);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_WRITE, 7, PMON, &r, 4096),
			 SMON_OK);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_WRITE, 7, PMON, &r, 512),
			 SMON_REFUSE_LENGTH);
	r.flags = cpu_to_le32(LEGO_BLK_INLINE);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 0),
			 SMON_OK);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 4096),
			 SMON_REFUSE_LENGTH);
	r.len = 0;
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_FLUSH, 7, PMON, &r, 0),
			 SMON_REFUSE_FIELD);
	r = req(2, 0, 4096);
	r.flags = cpu_to_le32(LEGO_BLK_INLINE | LEGO_BLK_INVALIDATE);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 0),
			 SMON_REFUSE_FIELD);
	r.flags = cpu_to_le32(LEGO_BLK_INLINE);
	r.rkey = cpu_to_le32(5);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 0),
			 SMON_REFUSE_FIELD);
	r = req(2, 0, 8192);
	r.flags = cpu_to_le32(LEGO_BLK_INLINE);
	assert_int_equal(smon_blk_check(&t, LEGO_OP_BLK_READ, 7, PMON, &r, 0),
			 SMON_REFUSE_LENGTH);
	assert_string_equal(smon_refusal_name(SMON_REFUSE_RANGE), "refused_range");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_fresh_and_foreign, setup),
		cmocka_unit_test_setup(test_broken_tables, setup),
		cmocka_unit_test_setup(test_first_fit, setup),
		cmocka_unit_test_setup(test_find_and_slots, setup),
		cmocka_unit_test_setup(test_requests, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

# The module/userland sources each unit test is built from (same files as
# lego.ko and lego-ctl, no copies).
UNIT_SRCS_test_roles := modules/core/roles.c
UNIT_SRCS_test_excache_geometry := modules/excache/geometry.c
UNIT_SRCS_test_lego_ctl_args := userland/lego-ctl/args.c
UNIT_SRCS_test_wire := modules/transport/wire.c
UNIT_SRCS_test_addrs := modules/core/addrs.c
UNIT_SRCS_test_excache_policy := modules/excache/policy.c
UNIT_SRCS_test_vma_tree := modules/mmon/vma_tree.c $(BUILD)/ktools/rbtree.o
UNIT_CFLAGS_test_vma_tree := -Itests/unit/include -I$(BUILD)/ktools/include
UNIT_SRCS_test_vregion := modules/mmon/vregion.c
UNIT_SRCS_test_liblego_route := userland/liblego/route.c
UNIT_CFLAGS_test_liblego_route := -Iuserland/liblego
UNIT_SRCS_test_liblego_maps := userland/liblego/maps.c
UNIT_CFLAGS_test_liblego_maps := -Iuserland/liblego
UNIT_SRCS_test_smon_volumes := modules/smon/volumes.c
UNIT_SRCS_test_chunks := modules/mmon/chunks.c
UNIT_SRCS_test_excache_held := modules/excache/held_table.c
UNIT_SRCS_test_page_loc := modules/pmon/page_loc.c

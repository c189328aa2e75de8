# The module/userland sources each unit test is built from (same files as
# lego.ko and lego-ctl, no copies).
UNIT_SRCS_test_roles := modules/core/roles.c
UNIT_SRCS_test_excache_geometry := modules/excache/geometry.c
UNIT_SRCS_test_lego_ctl_args := userland/lego-ctl/args.c
UNIT_SRCS_test_wire := modules/transport/wire.c
UNIT_SRCS_test_addrs := modules/core/addrs.c

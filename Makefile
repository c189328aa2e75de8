# LegoLKM: lego.ko (kernel module), lego-ctl (userland), tests and the rack.
# Kbuild (beside this file) lists the module's objects.

KVER ?= $(shell scripts/kver)
KDIR ?= /lib/modules/$(KVER)/build
BUILD := build

CC ?= gcc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes
USER_CFLAGS = $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -Imodules/include
NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

LEGO_CTL := userland/lego-ctl/lego-ctl
LEGO_CTL_SRCS := $(wildcard userland/lego-ctl/*.c) modules/core/roles.c
LEGO_CTL_HDRS := $(wildcard userland/lego-ctl/*.h) $(wildcard modules/include/lego/*.h)

LIBLEGO := userland/liblego/liblego.so
LIBLEGO_SRCS := $(wildcard userland/liblego/*.c)
LIBLEGO_HDRS := $(wildcard userland/liblego/*.h) $(wildcard modules/include/lego/*.h)

LEGO_FUZZ := tests/tools/lego-fuzz
MEMTOUCH := tests/tools/memtouch
FAULTLAT := tests/tools/faultlat
MEMBENCH := bench/tools/membench

.PHONY: all module userland tools unit check lint demo bench fuzz deps clean
all: module userland tools

deps:
	scripts/deps.sh

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

userland: $(LEGO_CTL) $(LIBLEGO)

$(LEGO_CTL): $(LEGO_CTL_SRCS) $(LEGO_CTL_HDRS)
	$(CC) $(USER_CFLAGS) $(NL_CFLAGS) -Iuserland/lego-ctl -o $@ $(LEGO_CTL_SRCS) $(NL_LIBS)

# LD_PRELOAD library: only the calls it interposes are exported.
$(LIBLEGO): $(LIBLEGO_SRCS) $(LIBLEGO_HDRS)
	$(CC) $(USER_CFLAGS) -shared -fPIC -fvisibility=hidden -o $@ $(LIBLEGO_SRCS)

tools: $(LEGO_FUZZ) $(MEMTOUCH) $(FAULTLAT) $(MEMBENCH)

LEGO_FUZZ_SRCS := tests/tools/lego-fuzz.c tests/tools/fuzz_conn.c \
		  tests/tools/fuzz_random.c
$(LEGO_FUZZ): $(LEGO_FUZZ_SRCS) tests/tools/fuzz.h modules/include/lego/wire.h
	$(CC) $(USER_CFLAGS) -o $@ $(LEGO_FUZZ_SRCS) -lrdmacm -libverbs

$(MEMTOUCH): tests/tools/memtouch.c tests/tools/lego_space.h modules/include/lego/lego_dev.h
	$(CC) $(USER_CFLAGS) -o $@ $< -lpthread

$(FAULTLAT): tests/tools/faultlat.c tests/tools/lego_space.h modules/include/lego/lego_dev.h
	$(CC) $(USER_CFLAGS) -o $@ $<

$(MEMBENCH): bench/tools/membench.c
	$(CC) $(USER_CFLAGS) -o $@ $<

# Unit tests: cmocka, userspace, built from the same pure-logic sources as
# the module and lego-ctl. Each test_NAME.c names its sources below.
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
include tests/unit/sources.mk

# The kernel's userspace rbtree (tools/lib/rbtree.c), for code that uses one.
KTOOLS := $(BUILD)/ktools
$(KTOOLS)/.done:
	scripts/ktools $(KTOOLS)

$(KTOOLS)/rbtree.o: $(KTOOLS)/.done
	$(CC) -O2 -g -Itests/unit/include -I$(KTOOLS)/include -c -o $@ $(KTOOLS)/lib/rbtree.c

.SECONDEXPANSION:
$(BUILD)/unit/%: tests/unit/%.c $$(UNIT_SRCS_$$*) $(LEGO_CTL_HDRS) $(LIBLEGO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(UNIT_CFLAGS_$*) -Iuserland/lego-ctl -o $@ $< $(UNIT_SRCS_$*) $(CMOCKA_LIBS)

unit: $(UNIT_TESTS)
	@tests/run-unit $(UNIT_TESTS)

# Everything: unit tests on this host, then the rack's own tests and the
# integration tests inside a booted rack. Ends with "N passed, N failed".
check: all $(UNIT_TESTS)
	tests/check $(UNIT_TESTS)

lint:
	scripts/lint

demo: deps all
	scripts/demo

bench: deps all
	bench/run

# The random fuzz of tests/integration/52 for FUZZ_SECONDS against an mmon
# and then the smon, in a rack of its own; fails on any console complaint.
FUZZ_SECONDS ?= 300
fuzz: deps all
	scripts/rack exec --timeout $$((2 * $(FUZZ_SECONDS) + 600)) -- \
		env FUZZ_SECONDS=$(FUZZ_SECONDS) \
		bash tests/integration/52-transport-fuzz-random.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD) $(LEGO_CTL) $(LIBLEGO) $(LEGO_FUZZ) $(MEMTOUCH) $(FAULTLAT) \
		$(MEMBENCH)

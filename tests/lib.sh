# Helpers for integration tests (sourced; they run as root on the pmon guest,
# in the project tree, with the rack's environment: see scripts/rack).

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# on GUEST CMD...: run CMD on another guest of the rack.
on() {
	scripts/rack guest "$@"
}

# Guests of a role, from the rack's list: guests_of mmon
guests_of() {
	scripts/rack list | awk -v r="$1" '$3 == r { print $1 }'
}

# wait_rdma_listen GUEST COMM: wait until program COMM on GUEST listens on
# an RDMA CM id (connecting earlier gets a reject).
wait_rdma_listen() {
	local _
	for _ in $(seq 100); do
		on "$1" rdma resource show cm_id | grep 'state LISTEN' |
			grep -qw "comm $2" && return 0
		sleep 0.3
	done
	fail "$2 on $1 never listened"
}

# wait_tcp_listen GUEST PORT: wait until something on GUEST listens on PORT.
wait_tcp_listen() {
	local _
	for _ in $(seq 100); do
		on "$1" ss -Hltn "sport = :$2" | grep -q . && return 0
		sleep 0.3
	done
	fail "nothing on $1 listens on TCP port $2"
}

# json_field NAME JSON: a number field of a flat JSON object.
json_field() {
	echo "$2" | sed -n "s/.*\"$1\":\([0-9-]*\).*/\1/p"
}

# wait_peer_live ADDR: wait until the pmon's connection to ADDR is up.
wait_peer_live() {
	local f=/sys/kernel/debug/lego/peers/$1:7471 _
	for _ in $(seq 100); do
		grep -q '^state live' "$f" 2>/dev/null && return 0
		sleep 0.3
	done
	fail "no live connection to $1: $(cat "$f" 2>&1 | head -n 2)"
}

# wait_mmons_live: until the pmon's connections to every mmon are up.
wait_mmons_live() {
	local m
	for m in $(echo "$LEGO_MMONS" | tr , ' '); do
		wait_peer_live "$m"
	done
}

LEGO_CTL=userland/lego-ctl/lego-ctl

# wait_mmon_mesh: until every mmon's connections to the other mmons are up:
# a home mmon asks the others' free pages over them when it places memory.
wait_mmon_mesh() {
	local g
	for g in $(guests_of mmon); do
		on "$g" sh -c 'for _ in $(seq 100); do
			ok=1
			for f in /sys/kernel/debug/lego/peers/*:7471; do
				[ -e "$f" ] || continue
				grep -q "^state live" "$f" || ok=0
			done
			[ $ok = 1 ] && exit 0
			sleep 0.3
		done
		exit 1' || fail "$g: a connection to another mmon is not up"
	done
}

# load_mmons [ARGS...]: reload lego.ko on every mmon with ARGS.
load_mmons() {
	local g
	for g in $(guests_of mmon); do
		on "$g" rmmod lego || fail "rmmod on $g"
	done
	for g in $(guests_of mmon); do
		on "$g" insmod lego.ko role=mmon mmon="$LEGO_MMONS" "$@" ||
			fail "insmod on $g"
	done
	wait_mmon_mesh
	wait_mmons_live
}

# use_vnode NAME SIZE: create vNode NAME of SIZE on every mmon, and make it
# the one the test tools join (LEGO_VNODE).
use_vnode() {
	$LEGO_CTL vnode create "$1" --mem "$2" >/dev/null ||
		fail "lego-ctl vnode create $1 --mem $2"
	export LEGO_VNODE=$1
}

# vnode_rack: the vNode tests' rack: a 32 MiB ExCache, 448 MiB pools on
# the mmons, and vNode vn1 of 800 MiB on them all; as before at exit.
vnode_rack() {
	trap 'load_mmons; load_pmon' EXIT
	load_mmons pool_mb=448
	load_pmon excache_mb=32
	$LEGO_CTL vnode create vn1 --mem 800M || fail "vnode create vn1"
}

# stat_of KIND NAME STAT: a counter of lego-ctl stats --json; NAME is ''
# for the excache group.
stat_of() {
	$LEGO_CTL stats --json | python3 -c '
import json, sys
g = json.load(sys.stdin)[sys.argv[1]]
print((g[sys.argv[2]] if sys.argv[2] else g)[sys.argv[3]])' "$@"
}

# load_pmon [ARGS...]: reload lego.ko on the pmon with the rack's peers and
# ARGS; without ARGS, as the rack loaded it.
load_pmon() {
	if [ -d /sys/module/lego ]; then
		rmmod lego || fail "rmmod on the pmon"
	fi
	insmod lego.ko role=pmon mmon="$LEGO_MMONS" ${LEGO_SMON:+smon=$LEGO_SMON} "$@" ||
		fail "insmod lego.ko role=pmon $*"
	wait_mmons_live
}

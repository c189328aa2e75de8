# Module parameters: every role and role list loads and unloads cleanly; a
# bad parameter fails insmod with EINVAL and exactly one dmesg line.
. tests/lib.sh

smon_args=backing=/var/tmp/lego-params.img

# load ARGS...: insmod must succeed, the roles must show, rmmod must be clean.
load_unload() {
	dmesg -C
	insmod lego.ko "$@" || fail "insmod $*: failed"
	grep -q '^lego ' /proc/modules || fail "insmod $*: not in /proc/modules"
	rmmod lego || fail "rmmod after insmod $*: failed"
	grep -q '^lego ' /proc/modules && fail "rmmod after insmod $*: still loaded"
	[ -e /sys/kernel/debug/lego ] && fail "rmmod after insmod $*: debugfs left"
	dmesg | grep -E 'BUG|WARNING|Oops|leak' && fail "insmod/rmmod $*: kernel complained"
	echo "ok: insmod $*"
}

# refuse ARGS...: insmod must fail with EINVAL and print one line.
refuse() {
	local out n
	dmesg -C
	out=$(insmod lego.ko "$@" 2>&1) && fail "insmod $*: loaded, want EINVAL"
	echo "$out" | grep -q 'Invalid parameters' ||
		fail "insmod $*: want EINVAL (Invalid parameters), got: $out"
	grep -q '^lego ' /proc/modules && fail "insmod $*: module left loaded"
	n=$(dmesg | grep -c 'lego')
	[ "$n" = 1 ] || fail "insmod $*: want one dmesg line, got $n: $(dmesg | grep lego)"
	echo "ok: refused $* ($(dmesg | grep lego | sed 's/^\[[^]]*\] //'))"
}

rmmod lego || fail "rmmod of the rack's pmon failed"
# Whatever happens here, leave the rack's pmon as the next tests expect it.
trap 'grep -q "^lego " /proc/modules ||
	insmod lego.ko role=pmon mmon=$LEGO_MMONS ${LEGO_SMON:+smon=$LEGO_SMON}' EXIT

load_unload role=pmon
load_unload role=mmon pool_mb=16
load_unload role=smon "$smon_args"
load_unload role=pmon,mmon excache_mb=8 pool_mb=8
load_unload role=mmon,smon,pmon excache_mb=8 pool_mb=8 "$smon_args"
load_unload role=pmon excache_mb=4 excache_ways=1
load_unload role=pmon mmon=10.77.0.99 rpc_timeout_ms=500
load_unload role=pmon poll_us=0

# poll_us changes at run time, within its range only.
insmod lego.ko role=pmon || fail "insmod role=pmon: failed"
poll=/sys/module/lego/parameters/poll_us
[ "$(cat $poll)" = 2000 ] || fail "poll_us: want 2000 by default, got $(cat $poll)"
echo 500 >$poll || fail "poll_us: 500 refused at run time"
echo 10001 2>/dev/null >$poll && fail "poll_us: 10001 taken at run time"
[ "$(cat $poll)" = 500 ] || fail "poll_us: want 500 after a refused write, got $(cat $poll)"
rmmod lego || fail "rmmod after the poll_us writes: failed"
echo "ok: poll_us 500 taken, 10001 refused at run time"
[ -e /var/tmp/lego-params.img ] || fail "smon did not create its backing file"

refuse
refuse role=
refuse role=bogus
refuse role=pmon,bogus
refuse role=pmon,
refuse role=pmon excache_mb=0
refuse role=pmon excache_mb=100000
refuse role=pmon excache_ways=3
refuse role=pmon excache_ways=0
refuse role=pmon excache_mb=abc
refuse role=mmon pool_mb=0
refuse role=mmon pool_mb=100000
refuse role=smon
refuse role=pmon mmon=10.77.0.20,
refuse role=pmon mmon=10.77.0.256
refuse role=pmon mmon=10.77.0.20,10.77.0.20
refuse role=pmon mmon=mmon0
refuse role=pmon smon=10.77.0.30,10.77.0.31
refuse role=pmon port=0
refuse role=pmon rpc_timeout_ms=50
refuse role=pmon poll_us=10001
refuse role=pmon blk_inline=maybe
refuse role=smon backing=relative.img
refuse role=smon backing=/dev/null

# A backing file that cannot be created fails with the open's own error.
dmesg -C
insmod lego.ko role=smon backing=/nonexistent/dir/x 2>/dev/null &&
	fail "insmod with a backing file in a missing folder loaded"
n=$(dmesg | grep -c lego)
[ "$n" = 1 ] || fail "missing backing folder: want one dmesg line, got $n"

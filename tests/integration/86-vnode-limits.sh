# Limits: an address space the mmons' pools cannot hold is refused at
# mmap (ENOMEM), and a vNode holds no more than its --mem at the mmons: a
# page counts from its first write until it is unmapped, the write that
# would go past the limit gets SIGBUS and a fork past it fails with
# ENOMEM, each counted; the vNode's other processes run on. The ExCache,
# set aside at load, keeps working while the pmon is short of memory.
. tests/lib.sh

sleeper= hog=
trap 'kill $sleeper $hog 2>/dev/null; wait; load_mmons; load_pmon' EXIT
load_mmons pool_mb=256
load_pmon excache_mb=2

# More than any mmon has room for: the map fails, nothing is taken.
use_vnode big 400M
out=$(tests/tools/memtouch --bytes 320M 2>&1) &&
	fail "320M mapped on mmons of 256M: $out"
echo "$out" | grep -q 'Cannot allocate memory' ||
	fail "320M on mmons of 256M: not ENOMEM: $out"
$LEGO_CTL vnode destroy big || fail "vnode destroy big"

# Through /dev/lego: up to the limit, not past it, and no fork past it.
use_vnode lim 8M
tests/tools/memtouch --bytes 7M || fail "memtouch of 7M in an 8M vNode"
rc=0
timeout 120 tests/tools/memtouch --bytes 12M >/var/tmp/over.out 2>&1 || rc=$?
expect_eq "memtouch of 12M in an 8M vNode: status (128 + SIGBUS)" $rc 135
out=$(tests/tools/memtouch --bytes 5M --fork 2>&1) &&
	fail "a fork that doubles 5M in an 8M vNode succeeded: $out"
echo "$out" | grep -q 'LEGO_IOC_CLONE: Cannot allocate memory' ||
	fail "fork past --mem: not ENOMEM: $out"
tests/tools/memtouch --bytes 3M --fork || fail "fork within --mem"
expect_eq "refusals counted" "$(stat_of vnode lim over_mem)" 2
expect_eq "pages counted after exit" "$(stat_of vnode lim pages_at_mmons)" 0
$LEGO_CTL vnode destroy lim || fail "vnode destroy lim"

# The pmon short of memory: nothing reclaims the ExCache's lines. The hog
# fills all but 96 MiB of what is available once, then sleeps holding it.
use_vnode tight 64M
avail=$(awk '$1 == "MemAvailable:" { print int($2 / 1024) }' /proc/meminfo)
stress-ng --vm 1 --vm-bytes $((avail - 96))M --vm-keep --vm-hang 0 \
	--timeout 120s >/var/tmp/hog.out 2>&1 &
hog=$!
for _ in $(seq 120); do
	left=$(awk '$1 == "MemAvailable:" { print int($2 / 1024) }' /proc/meminfo)
	[ "$left" -lt 160 ] && break
	sleep 0.5
done
kill -0 $hog || fail "stress-ng did not start: $(cat /var/tmp/hog.out)"
echo "pmon memory available: $avail MiB before stress-ng, $left MiB with it"
[ "$left" -lt 160 ] || fail "stress-ng left $left MiB available"
tests/tools/memtouch --bytes 8M --threads 2 --order rand ||
	fail "memtouch while the pmon is short of memory"
kill $hog
wait $hog
hog=
$LEGO_CTL vnode destroy tight || fail "vnode destroy tight"

# An ordinary program: what it writes counts, not what it maps; going
# past the limit kills the writer, not the vNode's other processes; and
# while the vNode has processes the module stays.
$LEGO_CTL vnode create py --mem 40M || fail "vnode create py"
$LEGO_CTL run py -- sleep 600 &
sleeper=$!
$LEGO_CTL run py -- python3 -c '
blocks = [bytes([i]) * (1 << 20) for i in range(16)]
assert all(b[-1] == i for i, b in enumerate(blocks))
print("16M written in a 40M vNode")' || fail "python writing 16M in a 40M vNode"
rc=0
$LEGO_CTL run py -- python3 -c '
blocks = [bytes([i]) * (1 << 20) for i in range(96)]' || rc=$?
expect_eq "python writing 96M in a 40M vNode: status (128 + SIGBUS)" $rc 135
[ "$(stat_of vnode py over_mem)" -ge 1 ] || fail "python's refusal not counted"
kill -0 $sleeper || fail "the vNode's other process died"
rmmod lego 2>/dev/null && fail "rmmod while a vNode has a process"
$LEGO_CTL vnode destroy py --force || fail "vnode destroy py"
wait $sleeper
for g in $(guests_of mmon); do
	expect_eq "pages still used on $g" \
		"$(on "$g" awk '$1 == "used" { print $2 }' /sys/kernel/debug/lego/pool)" 0
done

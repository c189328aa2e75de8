# vNodes: unmodified programs under lego-ctl run, with an ExCache of 32 MiB
# and their memory on two mmons: a Python heap of ~200 MiB, sort of a
# 150 MiB file, stress-ng's verifying vm stressors, a pipe of forked
# shells; each result equals the same program's run on local memory.
. tests/lib.sh

trap 'load_mmons; load_pmon' EXIT
load_mmons pool_mb=448
load_pmon excache_mb=32
$LEGO_CTL vnode create vn1 --mem 800M || fail "vnode create vn1"
$LEGO_CTL vnode show vn1

# stat_of GROUP NAME STAT: one counter of lego-ctl stats --json.
stat_of() {
	$LEGO_CTL stats --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
g = s[sys.argv[1]]
print((g[sys.argv[2]] if sys.argv[2] else g)[sys.argv[3]])' "$@"
}

# most_pages_while PID: the vNode's pages at the mmons, sampled until PID
# exits; prints the largest count.
most_pages_while() {
	local most=0 n
	while kill -0 "$1" 2>/dev/null; do
		n=$(stat_of vnode vn1 pages_at_mmons)
		[ "$n" -gt "$most" ] && most=$n
		sleep 2
	done
	echo "$most"
}

py='
import hashlib
d = {i: ("%d" % i) * 8 for i in range(750000)}
order = sorted(d, key=lambda k: (k * 7919) % 1000003)
h = hashlib.sha256()
for k in order:
    h.update(d[k].encode())
print(len(d), h.hexdigest())'
want=$(python3 -c "$py") || fail "python3 on local memory"
$LEGO_CTL run vn1 -- python3 -c "$py" >/var/tmp/py.out 2>&1 &
run=$!
most=$(most_pages_while $run)
wait $run || fail "python3 in vn1: $(cat /var/tmp/py.out)"
expect_eq "python3 in vn1" "$(cat /var/tmp/py.out)" "$want"
echo "python3: $want; at most $most pages at the mmons"
[ "$most" -gt 25600 ] || fail "the heap did not go to the mmons: $most pages"
for k in misses fetches writebacks; do
	[ "$(stat_of vnode vn1 $k)" -gt 0 ] || fail "vn1 $k did not move"
done
[ "$(stat_of excache '' evictions)" -gt 0 ] || fail "no ExCache eviction"
expect_eq "vn1 fault errors" "$(stat_of vnode vn1 errors)" 0
expect_eq "vn1 pages after python3" "$(stat_of vnode vn1 pages_at_mmons)" 0

# sort of 150 MiB: its buffers are on the mmons, its temp files local.
awk 'BEGIN { srand(1); for (i = 0; i < 6300000; i++)
	printf "%08x%08x%06d\n", rand() * 4294967296, rand() * 4294967296, i }' \
	>/var/tmp/sort.in
want=$(sort /var/tmp/sort.in | md5sum)
got=$($LEGO_CTL run vn1 -- sort /var/tmp/sort.in | md5sum)
rm -f /var/tmp/sort.in
expect_eq "sort in vn1" "$got" "$want"

out=$($LEGO_CTL run vn1 -- stress-ng --vm 2 --vm-bytes 128M \
	--vm-method all --verify -t 20 --metrics-brief 2>&1) ||
	fail "stress-ng in vn1: $out"
echo "$out" | tail -n 3
echo "$out" | grep -qiE 'verif.*fail|fail.*verif' && fail "stress-ng: $out"

expect_eq "fork+exec in vn1" \
	"$($LEGO_CTL run vn1 -- sh -c 'echo a | tr a b')" b
expect_eq "exit status through lego-ctl run" \
	"$($LEGO_CTL run vn1 -- sh -c 'exit 7'; echo $?)" 7

$LEGO_CTL stats vn1
$LEGO_CTL vnode destroy vn1 || fail "vnode destroy vn1"

# An mmon powered off mid-traffic: the pmon's requests to it fail within
# the RPC timeout (3 s), nothing hangs, the other mmon keeps serving and
# lego.ko unloads cleanly. A vNode whose memory was there is degraded and
# its process gets SIGBUS; a vNode on the other mmon runs on, even though
# the ExCache they share drops the lost one's dirty pages to make room.
# Runs last: the rack has one mmon less after it.
. tests/lib.sh

ctl=userland/lego-ctl/lego-ctl
dead=$(guests_of mmon | tail -n 1)
alive=$(guests_of mmon | head -n 1)
[ "$dead" != "$alive" ] || fail "needs two mmons"
dead_addr=$(echo "$LEGO_MMONS" | tr , '\n' | tail -n 1)
alive_addr=$(echo "$LEGO_MMONS" | tr , '\n' | head -n 1)

# vnode_state NAME: ok or degraded.
vnode_state() {
	$ctl vnode show "$1" --json | python3 -c \
		'import json, sys; print(json.load(sys.stdin)["state"])'
}

# peer_state ADDR: the pmon's connection to ADDR, as lego-ctl status says.
peer_state() {
	$ctl status --json | python3 -c '
import json, sys
print(next(p["state"] for p in json.load(sys.stdin)["peers"]
	   if p["addr"] == sys.argv[1]))' "$1"
}

load_pmon excache_mb=4
$ctl monitor >/var/tmp/events 2>&1 &
monitor=$!
trap 'kill $monitor 2>/dev/null' EXIT
expect_eq "status of $dead_addr before" "$(peer_state "$dead_addr")" live
$ctl vnode create lost --mem 96M --mmon "$dead_addr" || fail "vnode create lost"
$ctl vnode create kept --mem 96M --mmon "$alive_addr" || fail "vnode create kept"
expect_eq "state of lost before" "$(vnode_state lost)" ok
LEGO_VNODE=lost tests/tools/memtouch --bytes 64M --order rand \
	>/var/tmp/lost.out 2>&1 &
lost=$!
LEGO_VNODE=kept tests/tools/memtouch --bytes 24M --threads 2 --order rand \
	>/var/tmp/kept.out 2>&1 &
kept=$!

# RPCs and one-sided READs in flight at once.
$ctl ping "$dead" --count 1000000 --threads 8 --json >/var/tmp/ping.out 2>&1 &
ping=$!
$ctl ping "$dead" --op read --count 1000000 --threads 4 --json >/var/tmp/read.out 2>&1 &
read=$!
sleep 5
kill -0 $ping $read 2>/dev/null || fail "ping ended early: $(cat /var/tmp/ping.out /var/tmp/read.out)"
kill -0 $lost 2>/dev/null || fail "memtouch in lost ended early: $(cat /var/tmp/lost.out)"
scripts/rack poweroff "$dead"
start=$SECONDS
while kill -0 $ping 2>/dev/null || kill -0 $read 2>/dev/null ||
	kill -0 $lost 2>/dev/null; do
	[ $((SECONDS - start)) -lt 30 ] || fail "transfers to a dead mmon still pending after 30 s"
	sleep 0.5
done
for job in "$ping ping" "$read read"; do
	set -- $job
	wait "$1" && fail "$2 to a powered-off mmon succeeded"
	out=$(cat "/var/tmp/$2.out")
	echo "$2 ended $((SECONDS - start)) s after the power-off at most: $out"
	failed=$(json_field failed "$out")
	[ "${failed:-0}" -gt 0 ] || fail "no $2 failed: $out"
	expect_eq "corrupt ${2}s" "$(json_field corrupt "$out")" 0
done

rc=0
wait $lost || rc=$?
echo "memtouch in lost ended $((SECONDS - start)) s after the power-off at most: $(tail -n 1 /var/tmp/lost.out)"
expect_eq "memtouch on the dead mmon: status (128 + SIGBUS)" $rc 135
wait $kept || fail "memtouch on the live mmon: $(cat /var/tmp/kept.out)"
cat /var/tmp/kept.out
expect_eq "state of lost" "$(vnode_state lost)" degraded
expect_eq "state of kept" "$(vnode_state kept)" ok
state=$(peer_state "$dead_addr")
echo "lego-ctl status: $dead_addr $state"
[ "$state" != live ] || fail "lego-ctl status says $dead_addr is live"
grep -qx "peer $dead_addr down" /var/tmp/events ||
	fail "lego-ctl monitor missed 'peer $dead_addr down': $(cat /var/tmp/events)"
grep -qx "vnode lost lost pages: their only holder failed" /var/tmp/events ||
	grep -q '^lost 0$' /sys/kernel/debug/lego/excache ||
	fail "no vnode_lost event though the ExCache lost lines: $(cat /var/tmp/events)"
grep -E '^(writebacks|held|lost|errors) ' /sys/kernel/debug/lego/excache
$ctl vnode destroy lost || fail "vnode destroy lost, its home dead"
$ctl vnode destroy kept || fail "vnode destroy kept"

$ctl ping "$alive" --count 200 --threads 4 || fail "$alive stopped serving"
grep -q '^state live' /sys/kernel/debug/lego/peers/*:7471 || fail "no live peer left"
rmmod lego || fail "rmmod with a dead peer failed"
grep -q '^lego ' /proc/modules && fail "lego still loaded"
echo "unloaded cleanly"

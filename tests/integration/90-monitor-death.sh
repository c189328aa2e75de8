# An mmon powered off mid-traffic: the pmon's requests to it fail within
# the RPC timeout (3 s), nothing hangs, the other mmon keeps serving and
# lego.ko unloads cleanly. Runs last: the rack has one mmon less after it.
. tests/lib.sh

ctl=userland/lego-ctl/lego-ctl
dead=$(guests_of mmon | tail -n 1)
alive=$(guests_of mmon | head -n 1)
[ "$dead" != "$alive" ] || fail "needs two mmons"

# RPCs and one-sided READs in flight at once.
$ctl ping "$dead" --count 1000000 --threads 8 --json >/var/tmp/ping.out 2>&1 &
ping=$!
$ctl ping "$dead" --op read --count 1000000 --threads 4 --json >/var/tmp/read.out 2>&1 &
read=$!
sleep 5
kill -0 $ping $read 2>/dev/null || fail "ping ended early: $(cat /var/tmp/ping.out /var/tmp/read.out)"
scripts/rack poweroff "$dead"
start=$SECONDS
while kill -0 $ping 2>/dev/null || kill -0 $read 2>/dev/null; do
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

$ctl ping "$alive" --count 200 --threads 4 || fail "$alive stopped serving"
grep -q '^state live' /sys/kernel/debug/lego/peers/*:7471 || fail "no live peer left"
rmmod lego || fail "rmmod with a dead peer failed"
grep -q '^lego ' /proc/modules && fail "lego still loaded"
echo "unloaded cleanly"

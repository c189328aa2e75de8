# An mmon powered off mid-traffic: the pmon's requests to it fail within
# the RPC timeout (3 s), nothing hangs, the other mmon keeps serving and
# lego.ko unloads cleanly. Runs last: the rack has one mmon less after it.
. tests/lib.sh

ctl=userland/lego-ctl/lego-ctl
dead=$(guests_of mmon | tail -n 1)
alive=$(guests_of mmon | head -n 1)
[ "$dead" != "$alive" ] || fail "needs two mmons"

$ctl ping "$dead" --count 1000000 --threads 8 --json >/var/tmp/ping.out 2>&1 &
ping=$!
sleep 5
kill -0 $ping 2>/dev/null || fail "ping ended early: $(cat /var/tmp/ping.out)"
scripts/rack poweroff "$dead"
start=$SECONDS
while kill -0 $ping 2>/dev/null; do
	[ $((SECONDS - start)) -lt 30 ] || fail "requests to a dead mmon still pending after 30 s"
	sleep 0.5
done
wait $ping && fail "ping to a powered-off mmon succeeded"
out=$(cat /var/tmp/ping.out)
echo "ping ended $((SECONDS - start)) s after the power-off: $out"
failed=$(json_field failed "$out")
[ "${failed:-0}" -gt 0 ] || fail "no request failed: $out"
expect_eq "corrupt replies" "$(json_field corrupt "$out")" 0

$ctl ping "$alive" --count 200 --threads 4 || fail "$alive stopped serving"
grep -q '^state live' /sys/kernel/debug/lego/peers/*:7471 || fail "no live peer left"
rmmod lego || fail "rmmod with a dead peer failed"
grep -q '^lego ' /proc/modules && fail "lego still loaded"
echo "unloaded cleanly"

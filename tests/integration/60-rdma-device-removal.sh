# The RDMA device going away under live connections (rdma link delete):
# transfers in flight fail, the device's resources are released so the
# delete completes, and the connections come back with the device.
. tests/lib.sh

ctl=userland/lego-ctl/lego-ctl
m=$(guests_of mmon | head -n 1)
addr=$(scripts/rack list | awk -v g="$m" '$1 == g { print $2 }')

readd_rxe() {
	rdma link add rxe0 type rxe netdev eth0 || fail "cannot add rxe0 back"
}

# On the pmon, with READs in flight.
wait_peer_live "$addr"
$ctl ping "$m" --op read --count 1000000 --threads 4 --json >/var/tmp/ping.out 2>&1 &
ping=$!
sleep 3
kill -0 $ping 2>/dev/null || fail "ping ended early: $(cat /var/tmp/ping.out)"
timeout 60 rdma link delete rxe0 || fail "rdma link delete rxe0 hung or failed"
start=$SECONDS
while kill -0 $ping 2>/dev/null; do
	[ $((SECONDS - start)) -lt 30 ] || { readd_rxe; fail "transfers still pending 30 s after the device went"; }
	sleep 0.5
done
wait $ping && { readd_rxe; fail "ping over a removed device succeeded"; }
out=$(cat /var/tmp/ping.out)
echo "ping ended $((SECONDS - start)) s after the removal: $out"
expect_eq "corrupt reads" "$(json_field corrupt "$out")" 0
grep -q '^state live' "/sys/kernel/debug/lego/peers/$addr:7471" &&
	{ readd_rxe; fail "connection live without a device"; }
readd_rxe
wait_peer_live "$addr"
$ctl ping "$m" --op read --count 200 --threads 2 >/dev/null ||
	fail "no READs after the device came back"

# On the mmon: its accepted connections go, the pmon reconnects.
on "$m" timeout 60 rdma link delete rxe0 || fail "rdma link delete on $m hung or failed"
sleep 2
on "$m" rdma link add rxe0 type rxe netdev eth0 || fail "cannot add rxe0 back on $m"
wait_peer_live "$addr"
$ctl ping "$m" --count 200 --threads 2 >/dev/null ||
	fail "no RPCs after $m's device came back"
echo "device removal and return: clean on both ends"

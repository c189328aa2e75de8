# Soft-RoCE works between the pmon and every mmon: ib_read_lat at 4 KiB
# (path MTU 4096) and rping with data verification.
. tests/lib.sh

for m in $(guests_of mmon); do
	mtu=$(ibv_devinfo -d rxe0 | awk '/active_mtu/ { print $2; exit }')
	expect_eq "rxe0 active_mtu" "$mtu" 4096

	# perftest's own TCP exchange: its rdma_cm mode (-R) races under TCG.
	on "$m" -- sh -c 'timeout 60 ib_read_lat -d rxe0 -s 4096 -n 200 >/var/tmp/lat.log 2>&1 &'
	wait_tcp_listen "$m" 18515
	out=$(timeout 60 ib_read_lat -d rxe0 -s 4096 -n 200 "$m") ||
		fail "ib_read_lat to $m failed: $out"
	echo "$out" | grep -E '^ *4096 +200 ' ||
		fail "ib_read_lat to $m printed no 4 KiB result: $out"

	on "$m" -- sh -c 'timeout 60 rping -s -a 0.0.0.0 -C 10 -S 4096 -V >/var/tmp/rping.log 2>&1 &'
	wait_rdma_listen "$m" rping
	out=$(timeout 60 rping -c -a "$m" -C 10 -S 4096 -v -V) ||
		fail "rping to $m failed: $out"
	n=$(echo "$out" | grep -c '^ping data: rdma-ping-')
	expect_eq "rping replies from $m" "$n" 10
	echo "$m: ib_read_lat and rping ok"
done

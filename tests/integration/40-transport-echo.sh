# The pmon's RDMA transport: 10,000 checked 4 KiB echo RPCs to every mmon
# from 8 threads at once, and the counters on both sides account for them.
. tests/lib.sh

ctl=userland/lego-ctl/lego-ctl
for m in $(guests_of mmon); do
	addr=$(scripts/rack list | awk -v g="$m" '$1 == g { print $2 }')
	wait_peer_live "$addr"
	before=$(on "$m" awk '$1 == "served" { print $2 }' /sys/kernel/debug/lego/transport)
	out=$($ctl ping "$m" --count 10000 --threads 8 --size 4096 --json) ||
		fail "ping $m: $out"
	echo "$out"
	expect_eq "$m intact replies" "$(json_field ok "$out")" 10000
	after=$(on "$m" awk '$1 == "served" { print $2 }' /sys/kernel/debug/lego/transport)
	expect_eq "$m requests served" "$((after - before))" 10000
done

# Sizes from empty to the largest payload, and the limits of the API.
m=$(guests_of mmon | head -n 1)
for size in 0 4 4096 8160; do
	$ctl ping "$m" --count 50 --threads 2 --size "$size" >/dev/null ||
		fail "ping $m --size $size failed"
done
$ctl ping "$m" --size 8164 2>/dev/null && fail "ping --size 8164 accepted"
$ctl ping 10.77.0.99 2>/dev/null && fail "ping of an unknown monitor worked"
peer=/sys/kernel/debug/lego/peers/$(scripts/rack list | awk -v g="$m" '$1 == g { print $2 }'):7471
expect_eq "errors on the pmon" "$(awk '$1 == "errors" { print $2 }' "$peer")" 0
expect_eq "timeouts on the pmon" "$(awk '$1 == "timeouts" { print $2 }' "$peer")" 0

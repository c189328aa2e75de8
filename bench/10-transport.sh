# The transport against the raw link, pmon -> mmon0, one thread, 4 KiB:
# lego.ko's one-sided READ and its echo RPC round trip beside perftest's
# ib_read_lat, in alternating rounds so that drift hits all three alike.
# Writes transport.md and transport.json into the directory given.
. tests/lib.sh

out=${1:?usage: 10-transport.sh RESULT_DIR}
ctl=userland/lego-ctl/lego-ctl
m=$(guests_of mmon | head -n 1)
addr=$(scripts/rack list | awk -v g="$m" '$1 == g { print $2 }')
rounds=${BENCH_ROUNDS:-3}
n=${BENCH_COUNT:-2000}

# ib_read_lat's t_typical (its median) and 99th percentile, in ns.
ib_read_lat_4k() {
	local res
	on "$m" -- sh -c "timeout 120 ib_read_lat -d rxe0 -s 4096 -n $n >/dev/null 2>&1 &"
	wait_tcp_listen "$m" 18515
	res=$(timeout 120 ib_read_lat -d rxe0 -s 4096 -n "$n" "$m" | awk '$1 == 4096 && $2 == '"$n"' { print $5 * 1000, $8 * 1000 }')
	[ -n "$res" ] || fail "ib_read_lat to $m printed no result"
	echo "$res"
}

lego_4k() {
	local res
	res=$($ctl ping "$m" --op "$1" --size 4096 --count "$n" --threads 1 --json) ||
		fail "lego-ctl ping --op $1: $res"
	echo "$(json_field median_ns "$res") $(json_field p99_ns "$res")"
}

wait_peer_live "$addr"
rows=
for r in $(seq "$rounds"); do
	set -- $(ib_read_lat_4k) $(lego_4k read) $(lego_4k echo)
	rows="$rows$r $*
"
	echo "round $r: ib_read_lat $1 ns, lego READ $3 ns, lego RPC $5 ns (medians)"
done

# Per round: the ratios of medians; reported: the median round by ratio.
echo "$rows" | awk -v out="$out" -v n="$n" -v rounds="$rounds" '
NF == 7 {
	k++
	raw[k] = $2; rawp[k] = $3; rd[k] = $4; rdp[k] = $5; rpc[k] = $6; rpcp[k] = $7
	rr[k] = $4 / $2; pr[k] = $6 / $2
}
function median(a, n,   i, j, t, b) {
	for (i = 1; i <= n; i++) b[i] = a[i]
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
		if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
	return b[int((n + 1) / 2)]
}
END {
	mr = median(rr, k); mp = median(pr, k)
	md = "| 4 KiB, 1 thread | median us | p99 us | vs ib_read_lat median |\n"
	md = md "|---|---|---|---|\n"
	for (i = 1; i <= k; i++) {
		md = md sprintf("| round %d: ib_read_lat | %.1f | %.1f | 1.00 |\n", i, raw[i] / 1000, rawp[i] / 1000)
		md = md sprintf("| round %d: lego READ (one-sided) | %.1f | %.1f | %.2f |\n", i, rd[i] / 1000, rdp[i] / 1000, rr[i])
		md = md sprintf("| round %d: lego RPC (echo round trip) | %.1f | %.1f | %.2f |\n", i, rpc[i] / 1000, rpcp[i] / 1000, pr[i])
	}
	md = md sprintf("\nMedian over %d rounds of %d each: READ/ib_read_lat %.2fx (goal <= 1.2x), RPC/ib_read_lat %.2fx (goal <= 1.5x).\n", k, n, mr, mp)
	printf "%s", md > (out "/transport.md")
	printf "{\"rounds\":%d,\"count\":%d,\"read_ratio\":%.3f,\"rpc_ratio\":%.3f,\"samples\":[", k, n, mr, mp > (out "/transport.json")
	for (i = 1; i <= k; i++)
		printf "%s{\"ib_read_lat_ns\":[%d,%d],\"read_ns\":[%d,%d],\"rpc_ns\":[%d,%d]}", (i > 1 ? "," : ""), raw[i], rawp[i], rd[i], rdp[i], rpc[i], rpcp[i] > (out "/transport.json")
	print "]}" > (out "/transport.json")
	printf "%s", md
}'

# The transport against the raw link, pmon -> mmon0, one thread, 4 KiB:
# lego.ko's one-sided READ and its RPCs beside perftest on the same guests,
# in alternating rounds so that drift hits every row alike.
#   ib_read_lat       4 KiB RDMA READ, userspace, busy polling
#   ib_send_lat       4 KiB SEND ping-pong; its figure is half a round trip,
#                     doubled here to compare with an echo round trip
#   lego READ         lego_rdma_read() of memory the mmon lent
#   lego RPC get      small request, 4 KiB reply: the shape of a page fetch
#   lego RPC echo     4 KiB each way
# Writes transport.md and transport.json into the directory given.
. tests/lib.sh

out=${1:?usage: 10-transport.sh RESULT_DIR}
ctl=userland/lego-ctl/lego-ctl
m=$(guests_of mmon | head -n 1)
addr=$(scripts/rack list | awk -v g="$m" '$1 == g { print $2 }')
rounds=3
n=2000

# perftest TOOL: its median (t_typical) and 99th percentile, in ns.
perftest_4k() {
	local res
	on "$m" -- sh -c "timeout 120 $1 -d rxe0 -s 4096 -n $n >/dev/null 2>&1 &"
	wait_tcp_listen "$m" 18515
	res=$(timeout 120 "$1" -d rxe0 -s 4096 -n "$n" "$m" |
		awk -v n="$n" '$1 == 4096 && $2 == n { print $5 * 1000, $8 * 1000 }')
	[ -n "$res" ] || fail "$1 to $m printed no result"
	echo "$res"
}

lego_4k() {
	local res
	res=$($ctl ping "$m" --op "$1" --size 4096 --count "$n" --threads 1 --json) ||
		fail "lego-ctl ping --op $1: $res"
	echo "$(json_field median_ns "$res") $(json_field p99_ns "$res")"
}

wait_peer_live "$addr"
samples=$(for r in $(seq $rounds); do
	echo "$r ib_read_lat $(perftest_4k ib_read_lat)"
	set -- $(perftest_4k ib_send_lat)
	echo "$r ib_send_lat_x2 $(($1 * 2)) $(($2 * 2))"
	echo "$r lego_read $(lego_4k read)"
	echo "$r lego_rpc_get $(lego_4k get)"
	echo "$r lego_rpc_echo $(lego_4k echo)"
done)

# The ratio of medians per round; reported: the median ratio of the rounds.
echo "$samples" | awk -v out="$out" -v n="$n" '
function median(a, k,   i, j, t, b) {
	for (i = 1; i <= k; i++) b[i] = a[i]
	for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
		if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
	return b[int((k + 1) / 2)]
}
{
	r = $1; if (r > k) k = r
	med[$2, r] = $3; p99[$2, r] = $4
	if (!($2 in seen)) { seen[$2] = 1; names[++nn] = $2 }
}
END {
	base["lego_read"] = base["lego_rpc_get"] = base["lego_rpc_echo"] = "ib_read_lat"
	md = sprintf("| 4 KiB, 1 thread, %d each | median us | p99 us | / ib_read_lat | / ib_send_lat x2 |\n", n)
	md = md "|---|---|---|---|---|\n"
	json = sprintf("{\"count\":%d,\"rounds\":%d,\"rows\":{", n, k)
	for (i = 1; i <= nn; i++) {
		x = names[i]
		for (r = 1; r <= k; r++) {
			m1[r] = med[x, r]; m2[r] = p99[x, r]
			q1[r] = med[x, r] / med["ib_read_lat", r]
			q2[r] = med[x, r] / med["ib_send_lat_x2", r]
		}
		a = median(m1, k); b = median(m2, k); c = median(q1, k); d = median(q2, k)
		md = md sprintf("| %s | %.1f | %.1f | %.2f | %.2f |\n", x, a / 1000, b / 1000, c, d)
		json = json sprintf("%s\"%s\":{\"median_ns\":%d,\"p99_ns\":%d,\"vs_ib_read_lat\":%.3f,\"vs_ib_send_lat_x2\":%.3f}", (i > 1 ? "," : ""), x, a, b, c, d)
	}
	md = md sprintf("\nMedians over %d rounds; ratios are per round, then their median. Goals: lego_read <= 1.2x ib_read_lat, RPC <= 1.5x.\n", k)
	printf "%s", md > (out "/transport.md")
	print json "}}" > (out "/transport.json")
	printf "%s", md
}'

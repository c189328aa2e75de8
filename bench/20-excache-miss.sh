# An ExCache miss, fault to mapped page, against the raw link: the pmon is
# reloaded with a 4 MiB ExCache and no prefetch, faultlat reads 16 MiB in
# order (every read misses and evicts a clean line), and ib_read_lat and
# the fetch RPC (lego-ctl ping --op get) run beside it, in rounds.
# Writes excache-miss.md and excache-miss.json into the directory given.
. tests/lib.sh

out=${1:?usage: 20-excache-miss.sh RESULT_DIR}
ctl=userland/lego-ctl/lego-ctl
m=$(guests_of mmon | head -n 1)
rounds=3

load_pmon() {
	local a
	rmmod lego && insmod lego.ko role=pmon mmon="$LEGO_MMONS" \
		${LEGO_SMON:+smon=$LEGO_SMON} "$@" || fail "insmod $*"
	for a in $(echo "$LEGO_MMONS" | tr , ' '); do
		wait_peer_live "$a"
	done
}
trap load_pmon EXIT
load_pmon excache_mb=4 excache_prefetch=0

ib_read_lat_4k() {
	on "$m" -- sh -c "timeout 120 ib_read_lat -d rxe0 -s 4096 -n 2000 >/dev/null 2>&1 &"
	wait_tcp_listen "$m" 18515
	timeout 120 ib_read_lat -d rxe0 -s 4096 -n 2000 "$m" |
		awk '$1 == 4096 && $2 == 2000 { print $5 * 1000, $8 * 1000 }'
}

samples=$(for r in $(seq $rounds); do
	echo "$r ib_read_lat $(ib_read_lat_4k)"
	res=$($ctl ping "$m" --op get --size 4096 --count 2000 --json) ||
		fail "ping: $res"
	echo "$r lego_rpc_get $(json_field median_ns "$res") $(json_field p99_ns "$res")"
	res=$(tests/tools/faultlat --bytes 16) || fail "faultlat: $res"
	echo "$r excache_miss $(json_field median_ns "$res") $(json_field p99_ns "$res")"
done)
echo "$samples"

echo "$samples" | awk -v out="$out" '
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
	md = "| 4 KiB, 1 thread | median us | p99 us | / ib_read_lat |\n|---|---|---|---|\n"
	json = "{"
	for (i = 1; i <= nn; i++) {
		x = names[i]
		for (r = 1; r <= k; r++) {
			m1[r] = med[x, r]; m2[r] = p99[x, r]
			q[r] = med[x, r] / med["ib_read_lat", r]
		}
		a = median(m1, k); b = median(m2, k); c = median(q, k)
		md = md sprintf("| %s | %.1f | %.1f | %.2f |\n", x, a / 1000, b / 1000, c)
		json = json sprintf("%s\"%s\":{\"median_ns\":%d,\"p99_ns\":%d,\"vs_ib_read_lat\":%.3f}", (i > 1 ? "," : ""), x, a, b, c)
	}
	md = md sprintf("\nMedians of %d rounds; excache_miss: faultlat, a read of a page not cached (4 MiB ExCache, 16 MiB read in order, no prefetch), fault to mapped. Goal: <= 1.3x ib_read_lat.\n", k)
	printf "%s", md > (out "/excache-miss.md")
	print json "}" > (out "/excache-miss.json")
	printf "%s", md
}'

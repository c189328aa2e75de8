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
. bench/lib.sh

out=${1:?usage: 10-transport.sh RESULT_DIR}
m=$(guests_of mmon | head -n 1)
n=2000

wait_peer_live "$(scripts/rack list | awk -v g="$m" '$1 == g { print $2 }')"
for r in $(seq "${BENCH_ROUNDS:-3}"); do
	echo "$r ib_read_lat $(perftest_4k "$m" ib_read_lat $n)"
	set -- $(perftest_4k "$m" ib_send_lat $n)
	echo "$r ib_send_lat_x2 $(($1 * 2)) $(($2 * 2))"
	echo "$r lego_read $(ping_4k "$m" read $n)"
	echo "$r lego_rpc_get $(ping_4k "$m" get $n)"
	echo "$r lego_rpc_echo $(ping_4k "$m" echo $n)"
done | bench_report "$out" transport \
	"Medians of ${BENCH_ROUNDS:-3} rounds of $n; ratios per round, then their median. Goals: lego_read <= 1.2x ib_read_lat, RPC <= 1.5x." \
	ib_read_lat ib_send_lat_x2

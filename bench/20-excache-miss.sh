# An ExCache miss, fault to mapped page, against the raw link: the pmon is
# reloaded with a 4 MiB ExCache and no prefetch, faultlat reads 16 MiB in
# order (every read misses, evicts a clean line and READs a page written
# back before), and beside it in rounds: ib_read_lat, the transport's own
# READ (lego-ctl ping --op read) and the fetch RPC (--op get), so that the
# miss splits into the link, the kernel's completion and the fault. The
# miss and the READ run twice a round: as loaded (waiters busy-poll up to
# poll_us) and sleeping at once on the completion (poll_us=0). Nine
# rounds unless BENCH_ROUNDS says otherwise: under TCG the baseline itself
# moves by half from one run to the next, and the medians of three rounds
# put the same code at 0.99x to 1.53x (bench/README.md).
# Writes excache-miss.md and excache-miss.json into the directory given.
. tests/lib.sh
. bench/lib.sh

out=${1:?usage: 20-excache-miss.sh RESULT_DIR}
m=$(guests_of mmon | head -n 1)
rounds=${BENCH_ROUNDS:-9}

trap load_pmon EXIT
load_pmon excache_mb=4 excache_prefetch=0
use_vnode bench 64M
poll=/sys/module/lego/parameters/poll_us
loaded_poll=$(cat $poll)
for r in $(seq "$rounds"); do
	echo "$r ib_read_lat $(perftest_4k "$m" ib_read_lat 2000)"
	for row in "" _sleep; do
		if [ -n "$row" ]; then echo 0 >$poll; else echo "$loaded_poll" >$poll; fi
		echo "$r lego_read$row $(ping_4k "$m" read 2000)"
		res=$(tests/tools/faultlat --bytes 16) || fail "faultlat: $res"
		echo "$r excache_miss$row $(json_field median_ns "$res") $(json_field p99_ns "$res")"
	done
	echo "$loaded_poll" >$poll
	echo "$r lego_rpc_get $(ping_4k "$m" get 2000)"
done | bench_report "$out" excache-miss \
	"Medians of $rounds rounds; excache_miss: faultlat, a read of a page not cached (4 MiB ExCache, 16 MiB read in order, no prefetch), fault to mapped; the misses READ (stats below). Rows _sleep: poll_us=0, the waiter sleeps at once (loaded: poll_us=$loaded_poll). Goal: <= 1.3x ib_read_lat." \
	ib_read_lat lego_read
echo "vnode bench: reads $(stat_of vnode bench reads), fetches $(stat_of vnode bench fetches), zero fills $(stat_of vnode bench zero_fills)"

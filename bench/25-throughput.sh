# Throughput, 4 KiB, pmon -> mmon0: transfers or page faults a second,
# against ib_read_bw on the same link, in alternating rounds.
#   ib_read_bw     perftest, 4 KiB RDMA READs, its default 128 in flight
#   lego_read_tN   lego-ctl ping --op read, N kernel threads: one-sided
#                  READs of memory the mmon lent
#   lego_get_tN    lego-ctl ping --op get: RPCs with a 4 KiB reply
#   faults_tN      memtouch, N threads, random order over 4x a 4 MiB
#                  ExCache without prefetch: ExCache misses a second
# Writes throughput.md and throughput.json into the directory given.
. tests/lib.sh
. bench/lib.sh

out=${1:?usage: 25-throughput.sh RESULT_DIR}
m=$(guests_of mmon | head -n 1)
n=2000

# ib_read_bw_4k GUEST N: 4 KiB RDMA READs a second, perftest's MsgRate.
ib_read_bw_4k() {
	local res
	on "$1" -- sh -c "timeout 120 ib_read_bw -d rxe0 -s 4096 -n $2 >/dev/null 2>&1 &"
	wait_tcp_listen "$1" 18515
	res=$(timeout 120 ib_read_bw -d rxe0 -s 4096 -n "$2" "$1" |
		awk -v n="$2" '$1 == 4096 && $2 == n { printf "%d\n", $5 * 1e6 }')
	[ -n "$res" ] || fail "ib_read_bw to $1 printed no result"
	echo "$res"
}

# per_second N CMD...: N over the seconds CMD took.
per_second() {
	local n=$1 t0 t1
	shift
	t0=$(date +%s%N)
	"$@" >/var/tmp/cmd.out 2>&1 || fail "$*: $(cat /var/tmp/cmd.out)"
	t1=$(date +%s%N)
	echo $((n * 1000000000 / (t1 - t0)))
}

misses() {
	awk '$1 == "misses" { print $2 }' /sys/kernel/debug/lego/excache
}

# faults_per_second THREADS: ExCache misses a second of memtouch.
faults_per_second() {
	local before t0 t1

	before=$(misses)
	t0=$(date +%s%N)
	tests/tools/memtouch --bytes 16M --threads "$1" --order rand \
		>/var/tmp/cmd.out 2>&1 || fail "memtouch: $(cat /var/tmp/cmd.out)"
	t1=$(date +%s%N)
	echo $((($(misses) - before) * 1000000000 / (t1 - t0)))
}

trap load_pmon EXIT
load_pmon excache_mb=4 excache_prefetch=0
use_vnode bench 64M
for r in $(seq "${BENCH_ROUNDS:-3}"); do
	echo "$r ib_read_bw $(ib_read_bw_4k "$m" $n)"
	for t in 1 4; do
		echo "$r lego_read_t$t $(per_second $n $LEGO_CTL ping "$m" \
			--op read --size 4096 --count $n --threads $t)"
		echo "$r lego_get_t$t $(per_second $n $LEGO_CTL ping "$m" \
			--op get --size 4096 --count $n --threads $t)"
	done
	for t in 1 2 4; do
		echo "$r faults_t$t $(faults_per_second $t)"
	done
done | python3 bench/tools/rate-table.py "$out" throughput ib_read_bw \
	"Medians of ${BENCH_ROUNDS:-3} rounds; a ratio is the median of the per-round ratios. lego rows are timed around lego-ctl ping (count $n, its netlink round trip included); faults around memtouch (its fill and check included), counting the ExCache's misses. The guests have one vCPU: threads overlap waits, not work."

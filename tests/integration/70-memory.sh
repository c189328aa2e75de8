# Disaggregated memory through /dev/lego: memtouch over 4x the ExCache,
# 1 and 4 threads, sequential and random, every byte checked; the pages
# go back to the mmons' pools when it exits; with mmon pools each smaller
# than the data, it lands on both mmons.
. tests/lib.sh

excache() {
	awk -v k="$1" '$1 == k { print $2 }' /sys/kernel/debug/lego/excache
}

pool() {
	on "$1" awk -v k="$2" '$1 == k { print $2 }' /sys/kernel/debug/lego/pool
}

trap 'load_mmons; load_pmon' EXIT
load_pmon excache_mb=2
use_vnode t 256M

for threads in 1 4; do
	for order in seq rand; do
		tests/tools/memtouch --bytes 8M --threads $threads --order $order ||
			fail "memtouch, $threads thread(s), $order"
	done
done
# fork: the child gets a copy, apart from the parent's pages; then
# MADV_DONTNEED: the pages read back as zeroes.
tests/tools/memtouch --bytes 4M --threads 2 --fork --discard ||
	fail "memtouch --fork --discard"
# Pages written back come back with one RDMA READ of the mmon's chunk.
reads=$(stat_of vnode t reads)
echo "misses served by RDMA READ: $reads, by FETCH: $(stat_of vnode t fetches)"
[ "$reads" -gt 0 ] || fail "no miss was served by an RDMA READ"
grep -E '^(hits|misses|zero_fills|prefetch|evictions|writebacks|held|errors)' /sys/kernel/debug/lego/excache
# held: dirty victims written back from a copy while their miss went on.
for k in hits misses zero_fills evictions writebacks held prefetches prefetch_hits; do
	[ "$(excache $k)" -gt 0 ] || fail "ExCache $k did not move: $(cat /sys/kernel/debug/lego/excache)"
done
expect_eq "ExCache errors" "$(excache errors)" 0
for g in $(guests_of mmon); do
	expect_eq "pages still used on $g after exit" "$(pool "$g" used)" 0
done

# Pools of 12 MiB, data of 16 MiB in four vRegions: it must spill.
set -- $(guests_of mmon)
[ $# -ge 2 ] || fail "needs two mmons"
load_mmons pool_mb=12
load_pmon excache_mb=4
use_vnode t 24M
tests/tools/memtouch --bytes 16M --chunks 4 --threads 2 --order rand >/var/tmp/spill.out 2>&1 &
touch=$!
max1=0 max2=0
while kill -0 $touch 2>/dev/null; do
	u1=$(pool "$1" used) u2=$(pool "$2" used)
	[ "${u1:-0}" -gt $max1 ] && max1=$u1
	[ "${u2:-0}" -gt $max2 ] && max2=$u2
	sleep 1
done
wait $touch || fail "memtouch over two small pools: $(cat /var/tmp/spill.out)"
cat /var/tmp/spill.out
echo "pages used at most: $1 $max1, $2 $max2"
[ $max1 -gt 0 ] && [ $max2 -gt 0 ] || fail "the data did not land on both mmons"
expect_eq "pages still used on $1" "$(pool "$1" used)" 0
expect_eq "pages still used on $2" "$(pool "$2" used)" 0

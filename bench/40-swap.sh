# The headline: programs whose working set does not fit in local memory,
# on LegoLKM against Linux swapping to remote memory over the same link.
#
# Workloads, each about WS MiB of heap:
#   random, seq, stride: bench/tools/membench (random page accesses, half
#                of them writes; sequential scans; or scans of every 3rd
#                page, a matrix's column), every page checked after;
#   python:      python3 builds a dict of strings and hashes its values;
#   sqlite:      sqlite3 fills an in-memory table and aggregates it.
# Each runs three ways on the pmon guest:
#   local: plain Linux, enough memory (the 1.0 line);
#   swap:  swap on an nvme-rdma namespace that nvmet-rdma on mmon0 exports
#          from a brd ramdisk, the program in a cgroup v2 whose memory.high
#          is the local-memory budget (memory.max, with swap written over
#          a slow link, OOM-kills before reclaim catches up);
#   lego:  `lego-ctl run` in a vNode, the ExCache (excache_mb=) the budget,
#          with the pmon's default policy and prefetch; at MATRIX_AT% also
#          with every other policy, prefetch on and off (MATRIX_WORKLOADS:
#          random, seq and stride).
# All three run with lego-ctl run's default malloc, mimalloc, preloaded:
# its heap is larger than glibc's (sqlite's peak RSS 46 against 35 MiB),
# and the budgets must be of the same program's working set.
# The budgets are FRACTIONS percent of WS. ROUNDS rounds, each running
# every configuration once. A program's output must equal its local run's.
# Writes swap.md and swap.json into the directory given.
. tests/lib.sh
. bench/lib.sh

out=${1:?usage: 40-swap.sh RESULT_DIR}
ws=${BENCH_WS_MIB:-32}
fractions=${BENCH_FRACTIONS:-100 50 25 12.5}
rounds=${BENCH_ROUNDS:-3}
workloads=${BENCH_WORKLOADS:-random seq stride python sqlite}
matrix_at=${BENCH_MATRIX_AT:-25}
matrix_workloads=${BENCH_MATRIX_WORKLOADS:-random seq stride}
# policy/prefetch pages[/poll_us]; the first is the pmon's default
variants=${BENCH_VARIANTS:-clock/8 fifo/8 lru/8 clock/0 fifo/0 lru/0}
default=${variants%% *}
m=$(guests_of mmon | head -n 1)
m_addr=${LEGO_MMONS%%,*}
nqn=lego-swap
cfs=/sys/kernel/config/nvmet
cg=/sys/fs/cgroup/lego-bench
membench=bench/tools/membench
# the malloc `lego-ctl run` preloads by default, for the local and swap runs
malloc_lib=libmimalloc.so.2
random_ops=$((ws * 256))	# as many accesses as the area has pages
seq_passes=2
py='
import hashlib, sys
d = {i: ("%d" % i) * 8 for i in range(int(sys.argv[1]))}
h = hashlib.sha256()
for v in d.values():
    h.update(v.encode())
print(len(d), h.hexdigest())'

# sqlite_sql ROWS: fill a table of ROWS rows and aggregate it.
sqlite_sql() {
	echo "create table t(k integer primary key, v text);
with recursive c(k) as (select 1 union all select k + 1 from c where k < $1)
insert into t select k, printf('%040d', k * 7919 % $1) from c;
select count(*), sum(length(v)), max(v), sum(k % 7) from t;"
}

# budget_mb FRACTION: that percentage of the working set, in MiB.
budget_mb() {
	awk -v ws="$ws" -v f="$1" 'BEGIN { printf "%d", ws * f / 100 }'
}

# swap_setup: swap on mmon0's ramdisk over nvme-rdma, and the cgroup.
swap_setup() {
	nvmet_export "$m" "$m_addr" $nqn 2 /dev/ram0
	swapdev=$(nvme_attach "$m_addr" $nqn) || exit 1
	mkswap "/dev/$swapdev" >/dev/null && swapon "/dev/$swapdev" ||
		fail "swapon /dev/$swapdev"
	mountpoint -q /sys/fs/cgroup ||
		mount -t cgroup2 none /sys/fs/cgroup || fail "mount cgroup2"
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control
	mkdir -p $cg
}

swap_teardown() {
	[ -n "${swapdev:-}" ] && swapoff "/dev/$swapdev"
	rmdir $cg 2>/dev/null
	nvme disconnect -n $nqn >/dev/null 2>&1
	on "$m" sh -c "rm -f $cfs/ports/2/subsystems/$nqn
		rmdir $cfs/ports/2 $cfs/subsystems/$nqn/namespaces/1 \
			$cfs/subsystems/$nqn" 2>/dev/null
}

# workload W [SMALL]: the command line of workload W; with SMALL, of its
# smallest run (the program without its heap).
workload() {
	local mib=$ws

	[ -n "${2:-}" ] && mib=1
	case $1 in
	random) echo "$membench --mib $mib --random $random_ops" ;;
	seq) echo "$membench --mib $mib --seq $seq_passes" ;;
	stride) echo "$membench --mib $mib --seq $seq_passes --stride 3" ;;
	python) echo "python3 -c '$py' $((mib * 4900))" ;;
	sqlite) echo "sqlite3 :memory: \"$(sqlite_sql $((mib * 13000)))\"" ;;
	esac
}

# run HOW BUDGET W: run workload W HOW (local, swap, lego) with a
# local-memory budget of BUDGET MiB for its heap; its output goes to
# /var/tmp/w.out. Prints the nanoseconds it took: membench's timed phase,
# else all of it. Under swap the cgroup also holds what the program takes
# without its heap (its base), which the ExCache does not have to.
run() {
	local cmd t0 t1

	cmd=$(workload "$3")
	t0=$(date +%s%N)
	case $1 in
	local) LD_PRELOAD=$malloc_lib sh -c "$cmd" ;;
	swap)
		echo $((($2 + base[$3]) << 20)) >$cg/memory.high
		LD_PRELOAD=$malloc_lib \
			sh -c "echo \$\$ >$cg/cgroup.procs && exec $cmd"
		;;
	lego) $LEGO_CTL run bench -- sh -c "$cmd" ;;
	esac >/var/tmp/w.out 2>&1 || fail "$3 $1 at $2 MiB: $(cat /var/tmp/w.out)"
	t1=$(date +%s%N)
	case $3 in
	random | seq | stride) json_field ns "$(cat /var/tmp/w.out)" ;;
	*)
		cmp -s /var/tmp/w.out "/var/tmp/$3.want" ||
			fail "$3 $1 at $2 MiB: wrong output: $(cat /var/tmp/w.out)"
		echo $((t1 - t0))
		;;
	esac
}

# lego_budget BUDGET VARIANT: the pmon reloaded with an ExCache of BUDGET
# MiB, the VARIANT's policy, prefetch and, if given, poll_us
# (POLICY/PREFETCH[/POLL_US]), and a fresh vNode.
lego_budget() {
	local policy prefetch poll

	IFS=/ read -r policy prefetch poll <<<"$2"
	$LEGO_CTL vnode destroy bench >/dev/null 2>&1
	load_pmon excache_mb="$1" excache_policy="$policy" \
		excache_prefetch="$prefetch" ${poll:+poll_us=$poll} >&2
	$LEGO_CTL vnode create bench --mem $((ws * 2))M >/dev/null ||
		fail "vnode create bench"
}

# traffic HOW: "IN OUT", the pages moved so far to and from remote memory:
# swap's pages swapped in and out, or the vNode's pages read or fetched
# (misses and prefetches) and written back.
traffic() {
	case $1 in
	swap) awk '$1 == "pswpin" { i = $2 } $1 == "pswpout" { o = $2 }
		END { print i, o }' /proc/vmstat ;;
	lego) $LEGO_CTL stats bench | awk '/^[a-z]/ { v = $1 == "vnode"; next }
		v && ($1 == "reads" || $1 == "fetches") { i += $2 }
		v && $1 == "writebacks" { o = $2 }
		END { print i + 0, o + 0 }' ;;
	*) echo 0 0 ;;
	esac
}

# measure ROUND W HOW FRACTION VARIANT BUDGET: run W HOW with BUDGET MiB;
# the measurement, with the pages it moved, is kept and shown.
measure() {
	local ns before after

	before=$(traffic "$3")
	ns=$(run "$3" "$6" "$2") || exit 1
	after=$(traffic "$3")
	echo "$1 $2 $3 $4 $5 $ns $(echo "$before $after" |
		awk '{ print $3 - $1, $4 - $2 }')" | tee -a /var/tmp/swap.raw
}

trap 'swap_teardown; $LEGO_CTL vnode destroy bench >/dev/null 2>&1; load_pmon' EXIT
on "$m" modprobe brd rd_nr=1 rd_size=$((ws * 2 * 1024)) ||
	fail "brd on $m"
swap_setup
echo "working set $ws MiB; swap on /dev/$swapdev (nvme-rdma to $m)"

# peak_mib W [SMALL]: the MiB workload W takes at most, run locally in a
# fresh cgroup without limit; its output goes to /var/tmp/W.want.
peak_mib() {
	rmdir $cg && mkdir $cg
	LD_PRELOAD=$malloc_lib \
		sh -c "echo \$\$ >$cg/cgroup.procs && exec $(workload "$@")" \
		>"/var/tmp/$1.want" 2>&1 || fail "$1: $(cat "/var/tmp/$1.want")"
	echo $((($(cat $cg/memory.peak) + (1 << 20) - 1) >> 20))
}

# Each workload's base, then its peak and the output every run must give.
# The page cache a program reads is charged to the cgroup of its first run
# only, and is no part of later runs' memory.high: a first small run
# warms it, so that the base is what the program takes besides (until
# 2026-12-01 it was measured cold: python's was 18 MiB, not 10).
declare -A base
rm -f /var/tmp/swap.raw /var/tmp/swap.peak
for w in $workloads; do
	peak_mib "$w" small >/dev/null || exit 1
	base[$w]=$(peak_mib "$w" small) || exit 1
	peak=$(peak_mib "$w") || exit 1
	echo "$w $peak ${base[$w]}" | tee -a /var/tmp/swap.peak
done

for r in $(seq "$rounds"); do
	for w in $workloads; do
		measure "$r" "$w" local 100 - 0
	done
	for f in $fractions; do
		b=$(budget_mb "$f")
		lego_budget "$b" "$default"
		for w in $workloads; do
			measure "$r" "$w" swap "$f" - "$b"
			measure "$r" "$w" lego "$f" "$default" "$b"
		done
		[ "$f" = "$matrix_at" ] || continue
		for v in ${variants#"$default"}; do
			lego_budget "$b" "$v"
			for w in $matrix_workloads; do
				measure "$r" "$w" lego "$f" "$v" "$b"
			done
		done
	done
done

python3 bench/tools/swap-table.py "$out" "$ws" /var/tmp/swap.peak \
	/var/tmp/swap.raw

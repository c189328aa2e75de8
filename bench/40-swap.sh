# The headline: a program whose working set does not fit in local memory,
# on LegoLKM against Linux swapping to remote memory over the same link.
#
# Workload: bench/tools/membench over WS MiB (random accesses, or
# sequential scans), run three ways on the pmon guest:
#   local: plain Linux, enough memory (the 1.0 line);
#   swap:  swap on an nvme-rdma namespace that nvmet-rdma on mmon0 exports
#          from a brd ramdisk, the program in a cgroup v2 whose memory.max
#          is the local-memory budget;
#   lego:  `lego-ctl run` in a vNode, the ExCache (excache_mb=) the budget.
# at each budget of FRACTIONS percent of WS, ROUNDS rounds alternating all
# of them. Reports medians, min and max of the timed phase, and the
# slowdowns against local in the same round.
# Writes swap.md and swap.json into the directory given.
. tests/lib.sh
. bench/lib.sh

out=${1:?usage: 40-swap.sh RESULT_DIR}
ws=${BENCH_WS_MIB:-64}
fractions=${BENCH_FRACTIONS:-100 50 25 12.5}
rounds=${BENCH_ROUNDS:-3}
m=$(guests_of mmon | head -n 1)
m_addr=${LEGO_MMONS%%,*}
nqn=lego-swap
cfs=/sys/kernel/config/nvmet
cg=/sys/fs/cgroup/lego-bench
membench=bench/tools/membench
random_ops=$((ws * 256))	# as many accesses as the area has pages
seq_passes=2

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

# run_membench HOW BUDGET PATTERN: membench's JSON, run HOW (local, swap,
# lego) with a local-memory budget of BUDGET MiB.
run_membench() {
	local args
	case $3 in
	random) args="--mib $ws --random $random_ops" ;;
	seq) args="--mib $ws --seq $seq_passes" ;;
	esac
	case $1 in
	local) $membench $args ;;
	swap)
		echo "${2}M" >$cg/memory.max
		sh -c "echo \$\$ >$cg/cgroup.procs && exec $membench $args"
		;;
	lego) $LEGO_CTL run bench -- $membench $args ;;
	esac
}

# lego_budget BUDGET: the pmon reloaded with an ExCache of BUDGET MiB and
# a fresh vNode.
lego_budget() {
	$LEGO_CTL vnode destroy bench >/dev/null 2>&1
	load_pmon excache_mb="$1" >&2
	$LEGO_CTL vnode create bench --mem $((ws * 2))M >/dev/null ||
		fail "vnode create bench"
}

trap 'swap_teardown; $LEGO_CTL vnode destroy bench >/dev/null 2>&1; load_pmon' EXIT
on "$m" modprobe brd rd_nr=1 rd_size=$((ws * 2 * 1024)) ||
	fail "brd on $m"
swap_setup
echo "working set $ws MiB; swap on /dev/$swapdev (nvme-rdma to $m)"

# row ROUND PATTERN HOW FRACTION JSON: one measurement, kept and shown.
row() {
	echo "$1 $2 $3 $4 $(json_field ns "$5")" | tee -a /var/tmp/swap.raw
}

rm -f /var/tmp/swap.raw
for r in $(seq "$rounds"); do
	for pattern in random seq; do
		res=$(run_membench local 0 $pattern) || fail "membench local: $res"
		row "$r" $pattern local 100 "$res"
	done
	for f in $fractions; do
		b=$(budget_mb "$f")
		lego_budget "$b"
		for pattern in random seq; do
			for how in swap lego; do
				res=$(run_membench $how "$b" $pattern) ||
					fail "membench $how $pattern at $f%: $res"
				row "$r" $pattern $how "$f" "$res"
			done
		done
	done
done

awk -v dir="$out" -v ws="$ws" -v rounds="$rounds" '
function sorted(a, k, b,   i, j, t) {
	for (i = 1; i <= k; i++) b[i] = a[i]
	for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
		if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
}
{
	t[$1, $2, $3, $4] = $5 / 1e6
	if (!(($2, $3, $4) in seen) && $3 != "local") {
		seen[$2, $3, $4] = 1; rows[++nr] = $2 " " $3 " " $4
	}
}
END {
	md = "| workload | how | local memory | median ms | min ms | max ms | slowdown vs local | lego speedup vs swap |\n|---|---|---|---|---|---|---|---|\n"
	json = sprintf("{\"ws_mib\":%d,\"rounds\":%d,\"rows\":[", ws, rounds)
	for (p = 1; p <= 2; p++) {
		pat = p == 1 ? "random" : "seq"
		for (r = 1; r <= rounds; r++) a[r] = t[r, pat, "local", 100]
		sorted(a, rounds, s)
		lmed = s[int((rounds + 1) / 2)]
		md = md sprintf("| %s | local | 100%% | %.1f | %.1f | %.1f | 1.00 | |\n", pat, lmed, s[1], s[rounds])
		json = json sprintf("%s{\"workload\":\"%s\",\"how\":\"local\",\"fraction\":100,\"median_ms\":%.3f,\"min_ms\":%.3f,\"max_ms\":%.3f,\"slowdown\":1}", (p > 1 ? "," : ""), pat, lmed, s[1], s[rounds])
		for (i = 1; i <= nr; i++) {
			split(rows[i], f, " ")
			if (f[1] != pat) continue
			for (r = 1; r <= rounds; r++) {
				a[r] = t[r, pat, f[2], f[3]]
				q[r] = a[r] / t[r, pat, "local", 100]
				v[r] = t[r, pat, "swap", f[3]] / t[r, pat, "lego", f[3]]
			}
			sorted(a, rounds, s); med = s[int((rounds + 1) / 2)]
			sorted(q, rounds, sq); slow = sq[int((rounds + 1) / 2)]
			sorted(v, rounds, sv); vs = sv[int((rounds + 1) / 2)]
			md = md sprintf("| %s | %s | %s%% | %.1f | %.1f | %.1f | %.1f | %s |\n", pat, f[2], f[3], med, s[1], s[rounds], slow, f[2] == "lego" ? sprintf("%.2f", vs) : "")
			json = json sprintf(",{\"workload\":\"%s\",\"how\":\"%s\",\"fraction\":%s,\"median_ms\":%.3f,\"min_ms\":%.3f,\"max_ms\":%.3f,\"slowdown\":%.3f%s}", pat, f[2], f[3], med, s[1], s[rounds], slow, f[2] == "lego" ? sprintf(",\"speedup_vs_swap\":%.3f", vs) : "")
		}
	}
	md = md sprintf("\nmembench over %d MiB: random = %d accesses to random pages (half of them writes), seq = 2 scans; the timed phase only, after a fill of every page, then every page is checked. Local memory: the ExCache (lego) or the cgroup memory.max (swap, on nvme-rdma to a ramdisk on mmon0), as a percentage of the working set. Medians of %d rounds; a slowdown or speedup is the median of the per-round ratios. Goal: at 25%%, lego >= 2x faster than swap on random.\n", ws, ws * 256, rounds)
	printf "%s", md > (dir "/swap.md")
	print json "]}" > (dir "/swap.json")
	printf "%s", md
}' /var/tmp/swap.raw

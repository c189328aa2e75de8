# Helpers for benchmarks (sourced after tests/lib.sh; they run on the pmon
# guest of a rack, like integration tests).

# perftest_4k GUEST TOOL N: TOOL (ib_read_lat, ib_send_lat) of N 4 KiB
# transfers to GUEST; prints its median (t_typical) and p99, in ns.
perftest_4k() {
	local res
	on "$1" -- sh -c "timeout 120 $2 -d rxe0 -s 4096 -n $3 >/dev/null 2>&1 &"
	wait_tcp_listen "$1" 18515
	res=$(timeout 120 "$2" -d rxe0 -s 4096 -n "$3" "$1" |
		awk -v n="$3" '$1 == 4096 && $2 == n { printf "%d %d\n", $5 * 1000, $8 * 1000 }')
	[ -n "$res" ] || fail "$2 to $1 printed no result"
	echo "$res"
}

# ping_4k GUEST OP N: lego-ctl ping --op OP, one thread; median and p99 ns.
ping_4k() {
	local res
	res=$(userland/lego-ctl/lego-ctl ping "$1" --op "$2" --size 4096 \
		--count "$3" --threads 1 --json) || fail "lego-ctl ping --op $2: $res"
	echo "$(json_field median_ns "$res") $(json_field p99_ns "$res")"
}

# bench_report DIR NAME NOTE BASELINE...: read "ROUND ROW MEDIAN_NS P99_NS"
# lines; per row, the median over the rounds of its median, its p99 and
# of its ratio to each BASELINE row in the same round (so drift between
# rounds cancels). Writes DIR/NAME.md (a table, then NOTE) and
# DIR/NAME.json, and prints the table.
bench_report() {
	local dir=$1 name=$2 note=$3
	shift 3
	awk -v dir="$dir" -v name="$name" -v note="$note" -v bases="$*" '
	function median(a, k,   i, j, t, b) {
		for (i = 1; i <= k; i++) b[i] = a[i]
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
			if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
		return b[int((k + 1) / 2)]
	}
	{
		if ($1 > k) k = $1
		med[$2, $1] = $3; p99[$2, $1] = $4
		if (!($2 in seen)) { seen[$2] = 1; rows[++nr] = $2 }
	}
	END {
		nb = split(bases, base, " ")
		md = "| 4 KiB, 1 thread | median us | p99 us |"
		sep = "|---|---|---|"
		for (j = 1; j <= nb; j++) { md = md " / " base[j] " |"; sep = sep "---|" }
		md = md "\n" sep "\n"
		json = sprintf("{\"rounds\":%d,\"rows\":{", k)
		for (i = 1; i <= nr; i++) {
			x = rows[i]
			for (r = 1; r <= k; r++) { m1[r] = med[x, r]; m2[r] = p99[x, r] }
			a = median(m1, k); b = median(m2, k)
			md = md sprintf("| %s | %.1f | %.1f |", x, a / 1000, b / 1000)
			json = json sprintf("%s\"%s\":{\"median_ns\":%d,\"p99_ns\":%d", (i > 1 ? "," : ""), x, a, b)
			for (j = 1; j <= nb; j++) {
				for (r = 1; r <= k; r++) q[r] = med[x, r] / med[base[j], r]
				c = median(q, k)
				md = md sprintf(" %.2f |", c)
				json = json sprintf(",\"vs_%s\":%.3f", base[j], c)
			}
			md = md "\n"
			json = json "}"
		}
		md = md "\n" note "\n"
		printf "%s", md > (dir "/" name ".md")
		print json "}}" > (dir "/" name ".json")
		printf "%s", md
	}'
}

# nvmet_export GUEST ADDR NQN PORT DEVICE [ATTR=VALUE...]: GUEST exports
# DEVICE (a file or a block device) over nvmet-rdma as namespace 1 of
# subsystem NQN, on nvmet port PORT at ADDR:4420; each ATTR=VALUE is set
# on the namespace before it is enabled (buffered_io=1, say).
nvmet_export() {
	local guest=$1 addr=$2 nqn=$3 port=$4 dev=$5 a attrs=
	local sub=/sys/kernel/config/nvmet/subsystems/$3
	local p=/sys/kernel/config/nvmet/ports/$4

	shift 5
	for a in "$@"; do
		attrs="$attrs echo ${a#*=} >$sub/namespaces/1/${a%%=*};"
	done
	on "$guest" sh -e -c "
		modprobe -a nvmet nvmet-rdma
		mountpoint -q /sys/kernel/config ||
			mount -t configfs none /sys/kernel/config
		mkdir $sub
		echo 1 >$sub/attr_allow_any_host
		mkdir $sub/namespaces/1
		echo $dev >$sub/namespaces/1/device_path
		$attrs
		echo 1 >$sub/namespaces/1/enable
		mkdir $p
		echo rdma >$p/addr_trtype
		echo ipv4 >$p/addr_adrfam
		echo $addr >$p/addr_traddr
		echo 4420 >$p/addr_trsvcid
		ln -s $sub $p/subsystems/$nqn" ||
		fail "nvmet export of $dev on $guest"
}

# nvme_attach ADDR NQN: connect to subsystem NQN at ADDR over nvme-rdma and
# print its namespace's block device (the multipath head, not the hidden
# per-controller path nvmeXcYnZ). One nvme-rdma namespace at a time.
nvme_attach() {
	local dev

	modprobe nvme-rdma
	nvme connect -t rdma -a "$1" -s 4420 -n "$2" -k 120 >/dev/null ||
		fail "nvme connect to $1"
	for _ in $(seq 50); do
		dev=$(ls /sys/block | grep -E '^nvme[0-9]+n1$' | head -n 1)
		if [ -n "$dev" ] && [ -b "/dev/$dev" ]; then
			echo "$dev"
			return
		fi
		sleep 0.2
	done
	fail "no nvme namespace appeared"
}

# One-sided transfers: 4 KiB RDMA READs of memory an mmon lends (filled
# with a known pattern) and WRITEs of the pmon's own pattern read back,
# and fetch-shaped RPCs (small request, 4 KiB pattern back), from 8
# threads at once, every byte checked; mmons reach each other too.
. tests/lib.sh

ctl=userland/lego-ctl/lego-ctl
addr_of() {
	scripts/rack list | awk -v g="$1" '$1 == g { print $2 }'
}

for m in $(guests_of mmon); do
	wait_peer_live "$(addr_of "$m")"
	for op in read write get; do
		out=$($ctl ping "$m" --op $op --count 2000 --threads 8 --size 4096 --json) ||
			fail "ping --op $op $m: $out"
		echo "$out"
		expect_eq "$m intact ${op}s" "$(json_field ok "$out")" 2000
	done
done

# The largest transfers, and the bounds the module enforces itself.
m=$(guests_of mmon | head -n 1)
out=$($ctl ping "$m" --op read --count 64 --threads 16 --size 64K --json) ||
	fail "64 KiB reads: $out"
expect_eq "64 KiB reads" "$(json_field ok "$out")" 64
$ctl ping "$m" --op write --size 64K --threads 32 --count 32 2>/dev/null &&
	fail "2 MiB of lent memory accepted"
peer=/sys/kernel/debug/lego/peers/$(addr_of "$m"):7471
expect_eq "errors on the pmon" "$(awk '$1 == "errors" { print $2 }' "$peer")" 0

# The home mmon talks to owner mmons: each mmon has a connection to the others.
set -- $(guests_of mmon)
if [ $# -ge 2 ]; then
	b=$(addr_of "$2")
	on "$1" sh -c "cd $PWD && . tests/lib.sh && wait_peer_live $b" ||
		fail "$1 has no connection to $2"
	out=$(on "$1" "$PWD/$ctl" ping "$b" --op read --count 200 --threads 2 --json) ||
		fail "$1 -> $2: $out"
	expect_eq "$1 -> $2 reads" "$(json_field ok "$out")" 200
	on "$1" grep -q "^role client" "/sys/kernel/debug/lego/peers/$(addr_of "$1"):7471" 2>/dev/null &&
		fail "$1 connected to itself"
fi
exit 0

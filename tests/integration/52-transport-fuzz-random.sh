# Random messages built from the wire format's structures (lego-fuzz
# --random: opcodes, lengths, vNode ids, addresses, keys, replayed ids,
# bursts) to an mmon and to the smon for a bounded time, FUZZ_SECONDS
# each (10 here; make fuzz: 300): each is dropped and counted or answered,
# nothing on any console complains (the rack checks), the monitors serve
# on, and what the fuzz made is gone after it: pool pages, volumes.
. tests/lib.sh

secs=${FUZZ_SECONDS:-10}
seed=${FUZZ_SEED:-$RANDOM$RANDOM}
m=$(guests_of mmon | head -n 1)
s=$(guests_of smon | head -n 1)

# of GUEST FILE KEY: a line "KEY N" of a debugfs file of lego on GUEST.
of() {
	on "$1" awk -v k="$3" '$1 == k { print $2 }' "/sys/kernel/debug/lego/$2"
}

drops() {
	on "$1" awk '$1 ~ /^dropped_/ { n += $2 } END { print n + 0 }' \
		/sys/kernel/debug/lego/transport
}

used=$(of "$m" pool used)
drops_m=$(drops "$m")
out=$(tests/tools/lego-fuzz --random "$secs" --seed "$seed" "$m") ||
	fail "lego-fuzz --random on $m (seed $seed): $out"
echo "$out"
[ "$(drops "$m")" -gt "$drops_m" ] || fail "$m dropped nothing"
expect_eq "pool pages used on $m after the fuzz" "$(of "$m" pool used)" "$used"

if [ -n "$s" ]; then
	used=$(of "$s" smon used)
	drops_s=$(drops "$s")
	out=$(tests/tools/lego-fuzz --blocks --random "$secs" --seed "$seed" \
		"$LEGO_SMON") || fail "lego-fuzz --random on $s (seed $seed): $out"
	echo "$out"
	[ "$(drops "$s")" -gt "$drops_s" ] || fail "$s dropped nothing"
	expect_eq "smon bytes given to volumes after the fuzz" \
		"$(of "$s" smon used)" "$used"
fi

userland/lego-ctl/lego-ctl ping "$m" --count 200 --threads 4 ||
	fail "$m stopped serving after the fuzz"
use_vnode after-fuzz 64M
tests/tools/memtouch --bytes 8M --threads 2 --order rand ||
	fail "memory through $m after the fuzz"
$LEGO_CTL vnode destroy after-fuzz || fail "vnode destroy after-fuzz"

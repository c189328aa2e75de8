# Malformed messages to a monitor are dropped and counted, one counter per
# reason; forged memory requests are refused and counted; the monitor
# keeps serving, on that connection and others.
. tests/lib.sh

m=$(guests_of mmon | head -n 1)
stats=/sys/kernel/debug/lego/transport
refused() {
	on "$m" awk '$1 == "refused" { print $2 }' /sys/kernel/debug/lego/pool
}

before=$(on "$m" cat "$stats")
refused_before=$(refused)
out=$(tests/tools/lego-fuzz "$m") || fail "lego-fuzz: $out"
echo "$out"
after=$(on "$m" cat "$stats")
expect_eq "forged memory requests refused on $m" \
	"$(($(refused) - refused_before))" \
	"$(echo "$out" | awk '$1 == "refused" { print $2 }')"

echo "$out" | awk '$1 == "dropped" { print $2, $3 }' | while read -r reason n; do
	b=$(echo "$before" | awk -v k="dropped_$reason" '$1 == k { print $2 }')
	a=$(echo "$after" | awk -v k="dropped_$reason" '$1 == k { print $2 }')
	expect_eq "dropped_$reason on $m" "$((a - b))" "$n"
done || exit 1
userland/lego-ctl/lego-ctl ping "$m" --count 100 --threads 4 ||
	fail "$m stopped serving after the fuzz"

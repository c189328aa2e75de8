# Memory replicas (vnode create --replicas 2) over three mmons: every page
# is on two of them, neither the home while the others have room. The
# owner is powered off while memtouch runs: the pmon fails over to the
# replica, memtouch goes on with every byte intact, and the home makes
# the third mmon (itself) the new replica, which gets the pages copied.
# Then the other first copy is powered off too: memtouch reads every page
# back from the rebuilt one. Needs a rack of its own (tests/rack/40-*).
. tests/lib.sh

pool() {
	on "$1" awk -v k="$2" '$1 == k { print $2 }' /sys/kernel/debug/lego/pool
}

# wait_line FILE TEXT SECS: until FILE has a line with TEXT.
wait_line() {
	local _
	for _ in $(seq $(($3 * 2))); do
		grep -q "$2" "$1" && return 0
		sleep 0.5
	done
	fail "no '$2' after $3 s: $(cat "$1")"
}

set -- $(guests_of mmon)
[ $# -eq 3 ] || fail "needs three mmons, has $#"
home=$1 first=$2 second=$3
addr_of() {
	scripts/rack list | awk -v g="$1" '$1 == g { print $2 }'
}

load_pmon excache_mb=2
$LEGO_CTL monitor --json >/var/tmp/events 2>&1 &
monitor=$!
$LEGO_CTL vnode create one --mem 8M --mmon "$(addr_of "$home")" \
	--replicas 2 2>/var/tmp/one.err && fail "two replicas on one mmon"
cat /var/tmp/one.err
$LEGO_CTL vnode create rep --mem 64M --replicas 2 ||
	fail "vnode create --replicas 2"
expect_eq "replicas" "$($LEGO_CTL vnode show rep --json | python3 -c \
	'import json, sys; print(json.load(sys.stdin)["replicas"])')" 2
export LEGO_VNODE=rep

# Both copies: the same pages on the two mmons that are not the home.
rm -f /var/tmp/go
tests/tools/memtouch --bytes 8M --order rand --wait /var/tmp/go \
	>/var/tmp/both.out 2>&1 &
touch=$!
wait_line /var/tmp/both.out waiting 300
echo "pages used: $home $(pool "$home" used), $first $(pool "$first" used), $second $(pool "$second" used)"
[ "$(pool "$first" used)" -gt 0 ] || fail "no page on $first"
expect_eq "pages on $second as on $first" "$(pool "$second" used)" \
	"$(pool "$first" used)"
expect_eq "pages on the home" "$(pool "$home" used)" 0
touch /var/tmp/go
wait $touch || fail "memtouch with two copies: $(cat /var/tmp/both.out)"
for g in "$home" "$first" "$second"; do
	expect_eq "pages used on $g after exit" "$(pool "$g" used)" 0
done

# The owner dies mid-run. Should memtouch finish its first checks before
# the power-off is through, its second, after go1, reads every page from
# the owner that is gone.
rm -f /var/tmp/go1 /var/tmp/go2
tests/tools/memtouch --bytes 16M --threads 2 --order rand \
	--wait /var/tmp/go1 --wait /var/tmp/go2 >/var/tmp/rep.out 2>&1 &
touch=$!
for _ in $(seq 200); do
	[ "$(pool "$first" used)" -gt 1000 ] && break
	sleep 0.3
done
[ "$(pool "$first" used)" -gt 1000 ] || fail "memtouch wrote little back: $(cat /var/tmp/rep.out)"
kill -0 $touch 2>/dev/null || fail "memtouch ended early: $(cat /var/tmp/rep.out)"
scripts/rack poweroff "$first"
start=$SECONDS
wait_line /var/tmp/rep.out "waiting for /var/tmp/go1" 400
touch /var/tmp/go1
wait_line /var/tmp/rep.out "waiting for /var/tmp/go2" 400
echo "memtouch checked every page $((SECONDS - start)) s after the power-off: $(tail -n 1 /var/tmp/rep.out)"
grep -q ': 0 bad, waiting for /var/tmp/go2' /var/tmp/rep.out ||
	fail "bad pages after the failover"
failovers=$(stat_of vnode rep failovers)
echo "failovers: $failovers"
[ "$failovers" -gt 0 ] || fail "no failover counted"

# The new replica on the home gets every page the surviving copy has.
for _ in $(seq 120); do
	[ "$(pool "$home" used)" = "$(pool "$second" used)" ] && break
	sleep 0.5
done
echo "pages used: $home $(pool "$home" used), $second $(pool "$second" used)"
echo "copied by $second: $(pool "$second" copied), filled on $home: $(pool "$home" filled)"
[ "$(pool "$second" used)" -gt 1000 ] || fail "the surviving copy is small"
expect_eq "pages of the rebuilt replica" "$(pool "$home" used)" \
	"$(pool "$second" used)"
[ "$(pool "$home" filled)" -gt 0 ] || fail "no page was copied to the new replica"
[ "$(stat_of vnode rep rebuilds)" -gt 0 ] || fail "no rebuild counted"

# The second copy dies too: the rebuilt one serves every page.
scripts/rack poweroff "$second"
touch /var/tmp/go2
start=$SECONDS
rc=0
wait $touch || rc=$?
echo "memtouch ended $((SECONDS - start)) s after the second power-off: $(tail -n 1 /var/tmp/rep.out)"
expect_eq "memtouch on the rebuilt replica: status" $rc 0
$LEGO_CTL vnode show rep
$LEGO_CTL stats rep | grep -E 'failovers|rebuilds|errors'
kill $monitor
for ev in vnode_failover vnode_rebuilt; do
	grep -q "\"$ev\",\"vnode\":\"rep\"" /var/tmp/events ||
		fail "no $ev event: $(cat /var/tmp/events)"
done
$LEGO_CTL vnode destroy rep || fail "vnode destroy rep"
expect_eq "pages used on the home at the end" "$(pool "$home" used)" 0
rmmod lego || fail "rmmod with dead mmons"
echo "unloaded cleanly"

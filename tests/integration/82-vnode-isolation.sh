# Two vNodes at once, homed on different mmons: each sees only its own
# memory; a vNode in use is destroyed only when forced, which kills its
# processes; destroying them gives every page back to the mmons; lego-ctl
# monitor saw it all happen.
. tests/lib.sh

# pool_used GUEST: pages an mmon's pool holds.
pool_used() {
	on "$1" awk '$1 == "used" { print $2 }' /sys/kernel/debug/lego/pool
}

trap 'kill $monitor 2>/dev/null; load_pmon' EXIT
load_pmon excache_mb=8
$LEGO_CTL monitor >/var/tmp/events &
monitor=$!
sleep 1
set -- $(echo "$LEGO_MMONS" | tr , ' ')
$LEGO_CTL vnode create a --mem 128M || fail "vnode create a"
$LEGO_CTL vnode create b --mem 128M --mmon "$2" --mmon "$1" ||
	fail "vnode create b"
$LEGO_CTL vnode list

# Same addresses, same pages, different data: the ExCache and the mmons
# must keep them apart.
LEGO_VNODE=a tests/tools/memtouch --bytes 24M --threads 2 --order rand \
	--seed 1 >/var/tmp/a.out 2>&1 &
ta=$!
LEGO_VNODE=b tests/tools/memtouch --bytes 24M --threads 2 --order rand \
	--seed 2 >/var/tmp/b.out 2>&1 &
tb=$!
wait $ta || fail "memtouch in a: $(cat /var/tmp/a.out)"
wait $tb || fail "memtouch in b: $(cat /var/tmp/b.out)"
cat /var/tmp/a.out /var/tmp/b.out

$LEGO_CTL run a -- sleep 600 &
sleeper=$!
for _ in $(seq 100); do
	[ "$($LEGO_CTL vnode show a --json | python3 -c \
		'import json, sys; print(json.load(sys.stdin)["procs"])')" = 1 ] &&
		break
	sleep 0.3
done
$LEGO_CTL vnode destroy a && fail "destroyed vNode a while sleep runs in it"
$LEGO_CTL vnode destroy a --force || fail "vnode destroy a --force"
rc=0
wait $sleeper || rc=$?
expect_eq "status of the process killed with its vNode" $rc 137
$LEGO_CTL vnode destroy b || fail "vnode destroy b"
expect_eq "vNodes left" "$($LEGO_CTL vnode list --json | tr -d ' \n')" "[]"
for g in $(guests_of mmon); do
	expect_eq "pages used on $g" "$(pool_used "$g")" 0
done
for _ in $(seq 30); do
	grep -qx "vnode b destroyed" /var/tmp/events && break
	sleep 0.2
done
for e in "vnode a created" "vnode b created" "vnode a destroyed" \
	"vnode b destroyed"; do
	grep -qx "$e" /var/tmp/events ||
		fail "monitor missed '$e': $(cat /var/tmp/events)"
done

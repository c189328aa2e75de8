# The smon powered off mid-I/O: the disk's requests in flight and later
# ones fail with EIO within the RPC timeout (3 s), the pmon neither hangs
# nor oopses, the vNode and its disk are removed, and lego.ko unloads.
# Runs after 90-monitor-death (one mmon is gone) and last: the rack has no
# smon after it.
. tests/lib.sh

[ -n "$LEGO_SMON" ] || fail "needs an smon"
smon=$(guests_of smon)
alive=$(scripts/rack list | awk '$3 == "mmon" { print $2; exit }')

[ -d /sys/module/lego ] && rmmod lego
insmod lego.ko role=pmon mmon="$LEGO_MMONS" smon="$LEGO_SMON" ||
	fail "insmod lego.ko role=pmon"
wait_peer_live "$alive"
wait_peer_live "$LEGO_SMON"
$LEGO_CTL vnode create dd --mem 16M --mmon "$alive" --disk 64M ||
	fail "vnode create --disk"
dev=/dev/$($LEGO_CTL vnode show dd --json | python3 -c \
	'import json, sys; print(json.load(sys.stdin)["disk"])')

# 32 writes in flight at any time.
fio --name=busy --filename="$dev" --direct=1 --ioengine=libaio \
	--iodepth=32 --bs=4k --rw=randwrite --time_based --runtime=600 \
	>/var/tmp/busy.out 2>&1 &
fio=$!
sleep 5
kill -0 $fio 2>/dev/null || fail "fio ended early: $(cat /var/tmp/busy.out)"
scripts/rack poweroff "$smon"
start=$SECONDS
while kill -0 $fio 2>/dev/null; do
	[ $((SECONDS - start)) -lt 30 ] ||
		fail "I/O to a dead smon still pending after 30 s"
	sleep 0.5
done
wait $fio && fail "fio against a powered-off smon succeeded"
echo "fio ended $((SECONDS - start)) s after the power-off at most:"
grep -E "error|err=" /var/tmp/busy.out
grep -q "Input/output error" /var/tmp/busy.out || fail "fio saw no EIO"

start=$SECONDS
dd if="$dev" of=/dev/null bs=4k count=1 iflag=direct 2>/var/tmp/dd.err &&
	fail "a read from a dead smon succeeded"
grep -q "Input/output error" /var/tmp/dd.err || fail "dd: $(cat /var/tmp/dd.err)"
echo "a new read failed with EIO after $((SECONDS - start)) s"
[ "$(stat_of disk "${dev#/dev/}" errors)" -gt 0 ] || fail "no disk errors counted"

$LEGO_CTL vnode destroy dd || fail "vnode destroy with a dead smon"
[ -e "$dev" ] && fail "$dev still exists"
rmmod lego || fail "rmmod with a dead smon failed"
echo "disk removed, unloaded cleanly"

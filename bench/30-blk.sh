# A vNode's disk against NVMe over RDMA on the same link: fio 4 KiB random
# I/O at QD1 and QD32 on /dev/legoblkN (a volume of the smon, backed by a
# file in its tmpfs) and on an nvme-rdma namespace that nvmet-rdma on the
# smon guest exports from a file of the same kind (buffered I/O, as the
# smon does), in alternating rounds. Each run is fio randwrite with
# verify=crc32c, then fio's verify pass reading every block back in random
# order: write IOPS from the first, read IOPS from the second.
# Writes blk.md and blk.json into the directory given.
. tests/lib.sh
. bench/lib.sh

out=${1:?usage: 30-blk.sh RESULT_DIR}
smon=$(guests_of smon)
nqn=lego-bench
cfs=/sys/kernel/config/nvmet
size=16M

# nvmet_export: the smon guest exports a 64 MiB file over nvmet-rdma.
nvmet_export() {
	on "$smon" sh -e -c "
		modprobe -a nvmet nvmet-rdma
		mountpoint -q /sys/kernel/config ||
			mount -t configfs none /sys/kernel/config
		truncate -s 64M /var/tmp/nvmet.img
		mkdir $cfs/subsystems/$nqn
		echo 1 >$cfs/subsystems/$nqn/attr_allow_any_host
		mkdir $cfs/subsystems/$nqn/namespaces/1
		echo /var/tmp/nvmet.img >$cfs/subsystems/$nqn/namespaces/1/device_path
		echo 1 >$cfs/subsystems/$nqn/namespaces/1/buffered_io
		echo 1 >$cfs/subsystems/$nqn/namespaces/1/enable
		mkdir $cfs/ports/1
		echo rdma >$cfs/ports/1/addr_trtype
		echo ipv4 >$cfs/ports/1/addr_adrfam
		echo $LEGO_SMON >$cfs/ports/1/addr_traddr
		echo 4420 >$cfs/ports/1/addr_trsvcid
		ln -s $cfs/subsystems/$nqn $cfs/ports/1/subsystems/$nqn" ||
		fail "nvmet export on $smon"
}

# nvme_dev: the namespace's block device (the multipath head, not the
# hidden per-controller path nvmeXcYnZ).
nvme_dev() {
	ls /sys/block | grep -E '^nvme[0-9]+n1$' | head -n 1
}

# fio_iops DEV QD: "READ_IOPS WRITE_IOPS" of a verified randwrite run.
fio_iops() {
	fio --name=blk --filename="/dev/$1" --direct=1 --ioengine=libaio \
		--iodepth="$2" --bs=4k --rw=randwrite --size=$size \
		--verify=crc32c --verify_fatal=1 --do_verify=1 \
		--output-format=json >/var/tmp/fio.json 2>/var/tmp/fio.err ||
		fail "fio on $1 QD$2: $(cat /var/tmp/fio.err)"
	python3 -c '
import json, sys
j = json.load(open("/var/tmp/fio.json"))["jobs"][0]
print("%d %d" % (j["read"]["iops"], j["write"]["iops"]))'
}

trap 'nvme disconnect -n $nqn >/dev/null 2>&1; load_pmon' EXIT
load_pmon
$LEGO_CTL vnode create bench --mem 16M --disk 64M >/dev/null ||
	fail "vnode create --disk"
lego=$($LEGO_CTL vnode show bench --json | python3 -c \
	'import json, sys; print(json.load(sys.stdin)["disk"])')
nvmet_export
modprobe nvme-rdma
nvme connect -t rdma -a "$LEGO_SMON" -s 4420 -n $nqn -k 120 >/dev/null ||
	fail "nvme connect"
for _ in $(seq 50); do
	nvme=$(nvme_dev)
	[ -n "$nvme" ] && [ -b "/dev/$nvme" ] && break
	sleep 0.2
done
[ -n "$nvme" ] || fail "no nvme namespace appeared"
echo "lego: /dev/$lego, nvme-rdma: /dev/$nvme"

for r in 1 2 3; do
	for qd in 1 32; do
		for dev in "legoblk $lego" "nvme_rdma $nvme"; do
			set -- $dev
			res=$(fio_iops "$2" $qd) || exit 1
			read -r rd wr <<<"$res"
			echo "$r $1 randread $qd $rd"
			echo "$r $1 randwrite $qd $wr"
		done
	done
done >/var/tmp/blk.raw
awk -v dir="$out" '
function median(a, k,   i, j, t, b) {
	for (i = 1; i <= k; i++) b[i] = a[i]
	for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
		if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
	return b[int((k + 1) / 2)]
}
{
	if ($1 > k) k = $1
	iops[$2, $3, $4, $1] = $5
	if (!(($3, $4) in seen)) { seen[$3, $4] = 1; rows[++nr] = $3 " " $4 }
}
END {
	md = "| 4 KiB, crc32c verify | QD | legoblk IOPS | nvme-rdma IOPS | legoblk / nvme-rdma |\n|---|---|---|---|---|\n"
	json = sprintf("{\"rounds\":%d,\"rows\":{", k)
	for (i = 1; i <= nr; i++) {
		split(rows[i], f, " ")
		for (r = 1; r <= k; r++) {
			a[r] = iops["legoblk", f[1], f[2], r]
			b[r] = iops["nvme_rdma", f[1], f[2], r]
			q[r] = b[r] ? a[r] / b[r] : 0
		}
		la = median(a, k); nb = median(b, k); c = median(q, k)
		md = md sprintf("| %s | %d | %d | %d | %.2f |\n", f[1], f[2], la, nb, c)
		json = json sprintf("%s\"%s_qd%d\":{\"legoblk_iops\":%d,\"nvme_rdma_iops\":%d,\"vs_nvme_rdma\":%.3f}", (i > 1 ? "," : ""), f[1], f[2], la, nb, c)
	}
	md = md "\nMedians of " k " rounds; the ratio is the median of the per-round ratios. Each run: randwrite of " "16 MiB" " with verify=crc32c, then the verify pass reads it back (randread). Goal: legoblk >= nvme-rdma at QD32.\n"
	printf "%s", md > (dir "/blk.md")
	print json "}}" > (dir "/blk.json")
	printf "%s", md
}' /var/tmp/blk.raw

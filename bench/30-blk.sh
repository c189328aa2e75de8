# A vNode's disk against NVMe over RDMA on the same link: fio 4 KiB random
# I/O at QD1 and QD32 on /dev/legoblkN (a volume of the smon, backed by a
# file in its tmpfs) and on an nvme-rdma namespace that nvmet-rdma on the
# smon guest exports from a file of the same kind (buffered I/O, as the
# smon does), in alternating rounds. Each run is fio randwrite with
# verify=crc32c, then fio's verify pass reading every block back in random
# order: write IOPS from the first, read IOPS from the second. Before each
# run the blocks are written once in order (untimed).
# Writes blk.md and blk.json into the directory given.
. tests/lib.sh
. bench/lib.sh

out=${1:?usage: 30-blk.sh RESULT_DIR}
smon=$(guests_of smon)
nqn=lego-bench
size=${BENCH_BLK_SIZE:-16M}

# fio_iops DEV QD: "READ_IOPS WRITE_IOPS" of a verified randwrite run, on
# blocks written once before (untimed), so that no device pays for first
# allocations in its backing file that another was spared.
fio_iops() {
	fio --name=fill --filename="/dev/$1" --direct=1 --ioengine=libaio \
		--iodepth=8 --bs=64k --rw=write --size=$size >/dev/null 2>&1 ||
		fail "fio fill of $1"
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

# lego_disk INLINE: reload the pmon with blk_inline=INLINE, make the vNode
# with its disk; prints the disk's name.
lego_disk() {
	$LEGO_CTL vnode destroy bench >/dev/null 2>&1
	load_pmon blk_inline="$1" >&2
	$LEGO_CTL vnode create bench --mem 16M --disk 64M >/dev/null ||
		fail "vnode create --disk"
	$LEGO_CTL vnode show bench --json | python3 -c \
		'import json, sys; print(json.load(sys.stdin)["disk"])'
}

trap 'nvme disconnect -n $nqn >/dev/null 2>&1
	$LEGO_CTL vnode destroy bench >/dev/null 2>&1; load_pmon' EXIT
on "$smon" truncate -s 64M /var/tmp/nvmet.img || fail "nvmet.img on $smon"
nvmet_export "$smon" "$LEGO_SMON" $nqn 1 /var/tmp/nvmet.img buffered_io=1
nvme=$(nvme_attach "$LEGO_SMON" $nqn) || exit 1
echo "nvme-rdma: /dev/$nvme"

# Rows: fio on legoblk as it is (blk_inline=1), on legoblk with every
# transfer one-sided (blk_inline=0), and on nvme-rdma.
for r in $(seq "${BENCH_ROUNDS:-5}"); do
	for dev in legoblk legoblk_onesided nvme_rdma; do
		case $dev in
		legoblk) disk=$(lego_disk 1) || exit 1 ;;
		legoblk_onesided) disk=$(lego_disk 0) || exit 1 ;;
		nvme_rdma) disk=$nvme ;;
		esac
		for qd in 1 32; do
			res=$(fio_iops "$disk" $qd) || exit 1
			read -r rd wr <<<"$res"
			echo "$r $dev randread $qd $rd"
			echo "$r $dev randwrite $qd $wr"
		done
	done
done >/var/tmp/blk.raw
awk -v dir="$out" -v size="$size" '
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
	md = "| 4 KiB, crc32c verify | QD | legoblk IOPS | legoblk one-sided IOPS | nvme-rdma IOPS | legoblk / nvme-rdma | one-sided / nvme-rdma |\n|---|---|---|---|---|---|---|\n"
	json = sprintf("{\"rounds\":%d,\"rows\":{", k)
	for (i = 1; i <= nr; i++) {
		split(rows[i], f, " ")
		for (r = 1; r <= k; r++) {
			a[r] = iops["legoblk", f[1], f[2], r]
			o[r] = iops["legoblk_onesided", f[1], f[2], r]
			b[r] = iops["nvme_rdma", f[1], f[2], r]
			q[r] = b[r] ? a[r] / b[r] : 0
			qo[r] = b[r] ? o[r] / b[r] : 0
		}
		la = median(a, k); lo = median(o, k); nb = median(b, k)
		c = median(q, k); co = median(qo, k)
		md = md sprintf("| %s | %d | %d | %d | %d | %.2f | %.2f |\n", f[1], f[2], la, lo, nb, c, co)
		json = json sprintf("%s\"%s_qd%d\":{\"legoblk_iops\":%d,\"legoblk_onesided_iops\":%d,\"nvme_rdma_iops\":%d,\"vs_nvme_rdma\":%.3f,\"onesided_vs_nvme_rdma\":%.3f}", (i > 1 ? "," : ""), f[1], f[2], la, lo, nb, c, co)
	}
	md = md "\nMedians of " k " rounds; a ratio is the median of the per-round ratios. Each run: randwrite of " size " with verify=crc32c, then the verify pass reads it back (randread). legoblk moves 4 KiB in its messages (blk_inline=1, the default), legoblk one-sided by RDMA into/out of the request pages (blk_inline=0). Goal: legoblk >= nvme-rdma at QD32.\n"
	printf "%s", md > (dir "/blk.md")
	print json "}}" > (dir "/blk.json")
	printf "%s", md
}' /var/tmp/blk.raw

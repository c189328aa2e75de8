# An unmodified program in a vNode (lego-ctl run, ExCache 32 MiB, memory
# on two mmons): Python builds ~200 MiB of objects and hashes them, as it
# does on local memory; the heap went to the mmons and came back. Then
# fork+exec (a shell pipe) and the exit status through lego-ctl run.
. tests/lib.sh

# sample_pages FILE: vn1's most pages at the mmons so far into FILE, every
# 2 s until killed.
sample_pages() {
	local most=0 n
	while :; do
		n=$(stat_of vnode vn1 pages_at_mmons)
		[ "$n" -gt "$most" ] && most=$n && echo "$most" >"$1"
		sleep 2
	done
}

vnode_rack
$LEGO_CTL vnode show vn1
py='
import hashlib
d = {i: ("%d" % i) * 8 for i in range(750000)}
h = hashlib.sha256()
for v in d.values():
    h.update(v.encode())
print(len(d), h.hexdigest())'
# What it prints on local memory (python3 -c "$py" on the pmon).
want="750000 040c1907fbdbd643aa3c926ac5e032b2279a96149d49b31a0e45d1d2bbe4de0a"
echo 0 >/var/tmp/pages.max
sample_pages /var/tmp/pages.max &
sampler=$!
$LEGO_CTL run vn1 -- python3 -c "$py" >/var/tmp/py.out 2>&1 ||
	fail "python3 in vn1: $(cat /var/tmp/py.out)"
kill $sampler
most=$(cat /var/tmp/pages.max)
expect_eq "python3 in vn1" "$(cat /var/tmp/py.out)" "$want"
echo "python3: $want; at most $most pages at the mmons ($SECONDS s)"
[ "$most" -gt 25600 ] || fail "the heap did not go to the mmons: $most pages"
for k in misses reads writebacks writes; do
	[ "$(stat_of vnode vn1 $k)" -gt 0 ] || fail "vn1 $k did not move"
done
[ "$(stat_of excache '' evictions)" -gt 0 ] || fail "no ExCache eviction"
expect_eq "vn1 fault errors" "$(stat_of vnode vn1 errors)" 0
expect_eq "vn1 pages after python3" "$(stat_of vnode vn1 pages_at_mmons)" 0

expect_eq "fork+exec in vn1" \
	"$($LEGO_CTL run vn1 -- sh -c 'echo a | tr a b')" b
expect_eq "exit status through lego-ctl run" \
	"$($LEGO_CTL run vn1 -- sh -c 'exit 7'; echo $?)" 7
$LEGO_CTL stats vn1 | sed -n '/^vnode/,/^peer/p'
$LEGO_CTL vnode destroy vn1 || fail "vnode destroy vn1"

# stress-ng's vm stressors, every method, verifying what they write, in a
# vNode (ExCache 32 MiB): two workers of 128 MiB, forked from stress-ng.
. tests/lib.sh

vnode_rack
out=$($LEGO_CTL run vn1 -- stress-ng --vm 2 --vm-bytes 128M \
	--vm-method all --verify -t 20 --metrics-brief 2>&1) ||
	fail "stress-ng in vn1: $out"
echo "$out" | tail -n 4
echo "$out" | grep -qiE 'verif.*fail|fail.*verif' && fail "stress-ng: $out"
[ "$(stat_of vnode vn1 misses)" -gt 0 ] || fail "stress-ng missed nothing"
expect_eq "vn1 fault errors" "$(stat_of vnode vn1 errors)" 0
$LEGO_CTL vnode destroy vn1 || fail "vnode destroy vn1"

# sort of a 75 MiB generated file in a vNode (ExCache 32 MiB) equals
# sort on local memory. In 16 MiB runs merged from temp files (local): an
# in-memory sort compares lines all over its ~180 MiB buffer, and with a
# miss at ~1 ms under TCG that would take hours.
. tests/lib.sh

vnode_rack
# mawk (Debian's awk, always there) makes the same file everywhere; sorted
# on local memory (the host's sort -S 16M) its md5 is:
want="2a5536cbc1c3693dc1b684a5467255a3  -"
mawk 'BEGIN { srand(1); for (i = 0; i < 3150000; i++)
	printf "%08x%08x%06d\n", rand() * 4294967296, rand() * 4294967296, i }' \
	>/var/tmp/sort.in
got=$($LEGO_CTL run vn1 -- sort -S 16M /var/tmp/sort.in | md5sum)
rm -f /var/tmp/sort.in
expect_eq "sort in vn1" "$got" "$want"
echo "sort: $got ($SECONDS s); vn1 misses $(stat_of vnode vn1 misses)"
expect_eq "vn1 fault errors" "$(stat_of vnode vn1 errors)" 0
$LEGO_CTL vnode destroy vn1 || fail "vnode destroy vn1"

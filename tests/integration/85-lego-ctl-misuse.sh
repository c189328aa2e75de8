# Every misuse of lego-ctl gets one line on stderr and exit status 1.
. tests/lib.sh

# refused ARGS...: lego-ctl ARGS must fail so.
refused() {
	local err rc=0
	err=$($LEGO_CTL "$@" 2>&1 >/dev/null) || rc=$?
	[ "$rc" = 1 ] || fail "lego-ctl $*: status $rc, want 1"
	[ -n "$err" ] && [ "$(echo "$err" | wc -l)" = 1 ] ||
		fail "lego-ctl $*: not one line on stderr: $err"
	echo "lego-ctl $*: $err"
}

trap load_pmon EXIT
refused
refused frobnicate
refused vnode
refused vnode frobnicate
refused vnode create m1
refused vnode create m1 --mem 12Q
refused vnode create m1 --mem 1000
refused vnode create 'bad/name' --mem 1M
refused vnode create m1 --mem 1M --mmon 10.9.9.9
refused vnode show nosuch
refused vnode destroy nosuch
refused run nosuch -- true
refused run
refused stats nosuch
refused stats --watch 0
$LEGO_CTL vnode create m1 --mem 16M || fail "vnode create m1"
refused vnode create m1 --mem 16M
refused vnode create m2 --mem 16M --disk 1G
err=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
	$LEGO_CTL vnode create m3 --mem 1M 2>&1) && fail "created as nobody"
echo "as nobody: $err"
echo "$err" | grep -q CAP_NET_ADMIN || fail "as nobody: $err"
$LEGO_CTL vnode destroy m1 || fail "vnode destroy m1"
rmmod lego || fail "rmmod"
refused status
refused vnode list

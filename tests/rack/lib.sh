# Helpers for the rack's own tests, run on the host.

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Nothing of a rack may outlive it: QEMU, network namespace, run folder.
expect_no_leftovers() {
	local left
	left=$(pgrep -af 'qemu-system-x86_64.*rack\.name=' || true)
	[ -z "$left" ] || fail "QEMU left running: $left"
	left=$(ip netns list | grep legorack || true)
	[ -z "$left" ] || fail "network namespace left: $left"
	left=$(ls -d /tmp/lego-rack.* 2>/dev/null || true)
	[ -z "$left" ] || fail "run folder left: $left"
}

# rack_status CMD...: exit status of a minimal rack (one guest, no lego.ko)
# running CMD.
rack_status() {
	local rc=0
	scripts/rack exec --mmons 0 --no-smon --no-insmod --timeout 300 -- "$@" || rc=$?
	echo "$rc"
}

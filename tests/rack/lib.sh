# Helpers for the rack's own tests, run on the host.

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# What racks have left on this host: QEMU, network namespaces, run folders.
rack_leftovers() {
	pgrep -af 'qemu-system-x86_64.*rack\.name=' || true
	ip netns list | grep legorack || true
	ls -d /tmp/lego-rack.* 2>/dev/null || true
}

# A rack killed outside this test (a stopped session, another run on the
# same host) is not this test's to judge: compare against what was there.
RACK_LEFTOVERS_BEFORE=$(rack_leftovers)

# Nothing of a rack started by this test may outlive it.
expect_no_leftovers() {
	local left
	left=$(comm -13 <(echo "$RACK_LEFTOVERS_BEFORE" | sort) \
		<(rack_leftovers | sort) | sed '/^$/d')
	[ -z "$left" ] || fail "rack left behind: $left"
}

# rack_status CMD...: exit status of a minimal rack (one guest, no lego.ko)
# running CMD.
rack_status() {
	local rc=0
	scripts/rack exec --mmons 0 --no-smon --no-insmod --timeout 300 -- "$@" || rc=$?
	echo "$rc"
}

# Helpers for integration tests (sourced; they run as root on the pmon guest,
# in the project tree, with the rack's environment: see scripts/rack).

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# on GUEST CMD...: run CMD on another guest of the rack.
on() {
	scripts/rack guest "$@"
}

# Guests of a role, from the rack's list: guests_of mmon
guests_of() {
	scripts/rack list | awk -v r="$1" '$3 == r { print $1 }'
}

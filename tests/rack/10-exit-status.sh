# rack exec returns the command's exit status and leaves nothing behind.
. tests/rack/lib.sh

rc=$(rack_status true | tail -n 1)
[ "$rc" = 0 ] || fail "true: status $rc"
rc=$(rack_status sh -c 'exit 7' | tail -n 1)
[ "$rc" = 7 ] || fail "exit 7: status $rc"
expect_no_leftovers

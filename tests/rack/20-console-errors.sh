# A kernel error on any guest console fails the run, even when the command
# itself succeeded, and a crashed guest fails it in bounded time.
. tests/rack/lib.sh

rc=$(rack_status sh -c 'echo "WARNING: rack self-test" >/dev/kmsg' | tail -n 1)
[ "$rc" != 0 ] || fail "a WARNING on the console did not fail the run"

start=$SECONDS
rc=$(rack_status sh -c 'echo c >/proc/sysrq-trigger; sleep 600' | tail -n 1)
[ "$rc" != 0 ] || fail "a kernel crash (sysrq c) did not fail the run"
[ $((SECONDS - start)) -lt 120 ] || fail "the crashed guest took $((SECONDS - start)) s to notice"
grep -q 'Kernel panic' build/rack/logs/pmon.console ||
	fail "the crash is not in the console log"
expect_no_leftovers

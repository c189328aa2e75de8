# Ctrl-C (SIGINT) or SIGTERM during a run tears the rack down.
. tests/rack/lib.sh

# Without job control a background job ignores SIGINT, and a shell cannot
# trap what it was started ignoring: run the rack as a terminal would.
for sig in INT TERM; do
	env --default-signal=INT scripts/rack exec --mmons 1 --no-smon \
		--no-insmod -- sleep 600 >/dev/null 2>&1 &
	pid=$!
	started=0
	for _ in $(seq 300); do
		for run in $(comm -13 <(echo "$RACK_LEFTOVERS_BEFORE" | sort) \
			<(ls -d /tmp/lego-rack.* 2>/dev/null | sort)); do
			ls "$run"/share/pmon/run/*.sh >/dev/null 2>&1 && started=1
		done
		[ $started -eq 1 ] && break
		sleep 0.5
	done
	[ $started -eq 1 ] || fail "the rack did not start the command"
	kill -s "$sig" "$pid"
	for _ in $(seq 60); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	kill -0 "$pid" 2>/dev/null && fail "rack exec still running 30 s after SIG$sig"
	expect_no_leftovers
done

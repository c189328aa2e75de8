# Ctrl-C (SIGINT) or SIGTERM during a run tears the rack down.
set -m # background jobs take SIGINT, as at a terminal
. tests/rack/lib.sh

for sig in INT TERM; do
	scripts/rack exec --mmons 1 --no-smon --no-insmod -- sleep 600 >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 300); do
		ls /tmp/lego-rack.*/share/pmon/run/*.sh >/dev/null 2>&1 && break
		sleep 0.5
	done
	ls /tmp/lego-rack.*/share/pmon/run/*.sh >/dev/null 2>&1 ||
		fail "the rack did not start the command"
	kill -s "$sig" "$pid"
	for _ in $(seq 60); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	kill -0 "$pid" 2>/dev/null && fail "rack exec still running 30 s after SIG$sig"
	expect_no_leftovers
done

# Memory replicas need three mmons and power two of them off: they run in
# a rack of their own (tests/integration/three-mmons/replicas.sh). A WARN,
# BUG or Oops on any guest console fails it, as in every rack.
. tests/rack/lib.sh

LEGO_RACK_LOGS=$PWD/build/rack/logs-replicas \
	scripts/rack exec --mmons 3 --no-smon --insmod-args mmon:pool_mb=64 \
	--timeout 840 -- bash tests/integration/three-mmons/replicas.sh ||
	fail "replicas in a rack of three mmons (consoles: build/rack/logs-replicas)"
expect_no_leftovers

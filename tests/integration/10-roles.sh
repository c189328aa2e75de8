# Every guest of the rack runs lego.ko with its role, shows it in sysfs, in
# debugfs and through lego-ctl, and unloads and reloads cleanly.
. tests/lib.sh

expect_eq "pmon role" "$(cat /sys/module/lego/parameters/role)" pmon
grep -q '^lines ' /sys/kernel/debug/lego/excache || fail "no ExCache in debugfs"
status=$(userland/lego-ctl/lego-ctl status) || fail "lego-ctl status failed"
echo "$status" | grep -qw pmon || fail "lego-ctl status shows no pmon: $status"

for g in $(guests_of mmon); do
	expect_eq "$g role" "$(on "$g" cat /sys/module/lego/parameters/role)" mmon
	on "$g" grep -q '^pages ' /sys/kernel/debug/lego/pool ||
		fail "$g: no memory pool in debugfs"
done
for g in $(guests_of smon); do
	expect_eq "$g role" "$(on "$g" cat /sys/module/lego/parameters/role)" smon
	on "$g" grep -q '^backing /' /sys/kernel/debug/lego/smon ||
		fail "$g: no backing store in debugfs"
done

# Unload and reload on a monitor: the module goes away entirely.
for g in $(guests_of mmon | head -n 1); do
	on "$g" rmmod lego || fail "$g: rmmod lego failed"
	on "$g" sh -c '! grep -q "^lego " /proc/modules && [ ! -e /sys/kernel/debug/lego ]' ||
		fail "$g: lego still present after rmmod"
	on "$g" insmod lego.ko role=mmon mmon="$LEGO_MMONS" || fail "$g: reload failed"
done
echo "roles ok on $LEGO_RACK_GUESTS"

#!/usr/bin/env bash
# Install every Debian package LegoLKM needs to build, test and benchmark.
# Idempotent: prints nothing and touches nothing when all is installed.
set -euo pipefail

PKGS=(
	# build: kernel module against the installed Debian kernel, userland tools
	build-essential pkg-config linux-image-amd64 linux-headers-amd64 kmod
	libnl-3-dev libnl-genl-3-dev libibverbs-dev librdmacm-dev libcmocka-dev
	# lint: checkpatch.pl ships in the kernel source package
	linux-source-6.1 perl xz-utils
	# the QEMU test rack
	qemu-system-x86 busybox-static cpio iproute2 procps
	# RDMA and storage tools used inside the guests
	rdma-core ibverbs-utils rdmacm-utils perftest fio nvme-cli e2fsprogs
	# make bench's plots
	gnuplot-nox
	# programs run in vNodes, and the mallocs lego-ctl run preloads
	python3 sqlite3 stress-ng libmimalloc2.0 libjemalloc2
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# linux-image-amd64 and linux-headers-amd64 go in one command so versions match
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# make bench: measure the running kernel if this machine can load modules;
# otherwise say why, in one line, and run the VM lab on Debian's kernels.
#
# Environment: PCI=<BDF> a spare PCI device for the IOMMU paths (host runs);
# QUICK=1 the quick matrix; CONFIG=configs/<name>.conf the matrix's options;
# KERNELS="6.12 7.3" the VM lab's kernels.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
quick=()
case ${QUICK:-0} in 1|y|yes) quick=(--quick) ;; esac
words=()
config=()
if [ -n "${CONFIG:-}" ]; then
	[ -r "$CONFIG" ] || { echo "bench: cannot read CONFIG=$CONFIG" >&2; exit 2; }
	mapfile -t words < <(sed 's/#.*//' "$CONFIG" | tr -s ' \t' '\n' | grep -v '^$')
	config=(--config "$CONFIG")
fi

release=$(uname -r)
why=
if [ "$(id -u)" != 0 ]; then
	echo "bench: loading a module (or building the VM lab) needs root: sudo make bench" >&2
	exit 1
elif [ ! -e /proc/modules ]; then
	why="this kernel ($release) has no loadable module support"
elif [ -e /.dockerenv ] || [ -e /run/.containerenv ]; then
	why="this is a container; its kernel is not ours to load modules into"
elif [ -r /sys/kernel/security/lockdown ] &&
	! grep -q '\[none\]' /sys/kernel/security/lockdown; then
	why="the kernel is locked down ($(cat /sys/kernel/security/lockdown))"
elif [ ! -d "/lib/modules/$release/build" ]; then
	why="no build tree for $release: install linux-headers-$release"
fi

if [ -z "$why" ]; then
	make -s -C bench-module
	make -s -C userspace
	pci=()
	[ -n "${PCI:-}" ] && pci=(--pci "$PCI")
	exec scripts/micro.sh bench-module/dmabench.ko userspace/dmabench \
		--rev "$(git describe --always --dirty 2>/dev/null || echo unknown)" \
		"${pci[@]}" "${words[@]}" "${quick[@]}"
fi

cat >&2 <<MSG
bench: cannot measure this machine: $why.
bench: running the VM lab instead.
bench: *** EMULATED MACHINE: QEMU TCG with -icount, so every figure is an
bench: *** instruction count of an emulated CPU, not a time on this one. ***
MSG
for kernel in ${KERNELS:-6.12 7.3}; do
	lab/vm-bench.sh --kernel "$kernel" --dma all --icount \
		"${config[@]}" "${quick[@]}"
done

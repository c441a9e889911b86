#!/usr/bin/env bash
# make bench: measure the running kernel if this machine can load modules;
# otherwise say why, in one line, and run the VM lab on Debian's kernels.
#
# Environment: PCI=<BDF> a spare PCI device for the IOMMU paths (host runs);
# QUICK=1 the quick matrix; CONFIG=configs/<name>.conf the matrix's options;
# KERNELS="6.12 7.3" the VM lab's kernels.
# NVME=/dev/nvme0n1 adds the NVMe workloads on that namespace (dmabench nvme
# and fio, reads only; NVME_ARGS="..." their options, default --quick; writes
# only with NVME_ARGS containing --allow-write).  RDMA=<ibdev> chooses the
# RDMA device; RDMA workloads run when one is present (RDMA=none: never).
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

read -r -a nvme_args <<<"${NVME_ARGS:---quick}"
rdma_dev=${RDMA:-}
if [ -z "$rdma_dev" ] && [ -d /sys/class/infiniband ]; then
	rdma_dev=$(find /sys/class/infiniband -mindepth 1 -maxdepth 1 -printf '%f\n' |
		sort | head -n 1)
fi

if [ -z "$why" ]; then
	make -s -C bench-module
	make -s -C userspace
	pci=()
	[ -n "${PCI:-}" ] && pci=(--pci "$PCI")
	rev=$(git describe --always --dirty 2>/dev/null || echo unknown)
	export DMABENCH_REV=$rev
	scripts/micro.sh bench-module/dmabench.ko userspace/dmabench \
		--rev "$rev" "${pci[@]}" "${words[@]}" "${quick[@]}" |
		tee build/bench-micro.out
	run=$(tail -n 1 build/bench-micro.out)
	[ -d "$run" ] || { echo "bench: the microbenchmark wrote no run" >&2; exit 1; }
	if [ -n "${NVME:-}" ]; then
		userspace/dmabench nvme --into "$run" "${nvme_args[@]}" "$NVME" >/dev/null
		userspace/dmabench fio --into "$run" "${nvme_args[@]}" "$NVME" >/dev/null
	else
		echo "bench: no NVMe workloads: name a namespace to read, e.g. NVME=/dev/nvme0n1" >&2
	fi
	if [ -n "$rdma_dev" ] && [ "$rdma_dev" != none ]; then
		userspace/dmabench rdma --into "$run" --dev "$rdma_dev" "${quick[@]}" >/dev/null
	else
		echo "bench: no RDMA workloads: ${RDMA:+RDMA=none}${RDMA:-no RDMA device in /sys/class/infiniband}" >&2
	fi
	echo "$run"
	exit 0
fi

cat >&2 <<MSG
bench: cannot measure this machine: $why.
bench: running the VM lab instead.
bench: *** EMULATED MACHINE: QEMU TCG with -icount, so every figure is an
bench: *** instruction count of an emulated CPU, not a time on this one. ***
MSG
if [ -n "${NVME:-}" ]; then
	echo "bench: NVME=$NVME is a device of this machine, which the lab cannot reach; the lab measures its emulated NVMe disk" >&2
fi
for kernel in ${KERNELS:-6.12 7.3}; do
	lab/vm-bench.sh --kernel "$kernel" --dma all --icount \
		"${config[@]}" "${quick[@]}" --nvme-args "${NVME_ARGS:---quick}" \
		--rdma ${CPU:+--cpu "$CPU"}
done

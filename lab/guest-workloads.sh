#!/usr/bin/env bash
# Inside a lab guest, after the microbenchmark: the NVMe workloads on the
# emulated disk (dmabench nvme, then fio with the same points), once per DMA
# path of the boot, added to the boot's part directory.  On the IOMMU boot
# the disk's IOMMU group is switched to each domain type in turn (the
# controller unbound, the type written, the controller bound again), and
# restored at the end.  dmabench checks the path it finds against --path.
#
# Usage: lab/guest-workloads.sh [--no-fio] DMABENCH PART PATHS SERIAL [nvme options...]
#   --no-fio  dmabench nvme alone (a guest without fio: the arm64 lab's)
#   PATHS     comma list: direct, swiotlb, iommu-strict, iommu-lazy,
#             iommu-identity
#   SERIAL    the serial number QEMU gave the disk to measure
set -euo pipefail

fio=1
if [ "${1-}" = --no-fio ]; then
	fio=0
	shift
fi
bin=$1 part=$2 paths=$3 serial=$4
shift 4

# The nvme driver is a module and udev is stubbed out in the lab: load it
# here, with one poll queue so that polled I/O can be measured.
if [ ! -d /sys/module/nvme ]; then
	modprobe nvme poll_queues=1
fi

# The namespace of the controller with this serial number.
namespace() {
	local c
	for c in /sys/class/nvme/nvme*; do
		[ "$(tr -d ' ' <"$c/serial")" = "$serial" ] || continue
		for n in "$c"/nvme*n*; do
			[ -e "$n/dev" ] && { basename "$n"; return 0; }
		done
	done
	return 1
}

wait_namespace() {
	local _
	for _ in $(seq 100); do
		ns=$(namespace) && [ -b "/dev/$ns" ] && return 0
		sleep 0.1
	done
	echo "guest-workloads: no NVMe namespace with serial $serial" >&2
	return 1
}

wait_namespace
bdf=$(basename "$(readlink -f "/sys/block/$ns/device/device")")
group=/sys/bus/pci/devices/$bdf/iommu_group
orig_type=
[ -e "$group/type" ] && orig_type=$(cat "$group/type")

set_type() {
	[ "$(cat "$group/type")" = "$1" ] && return 0
	echo "$bdf" >/sys/bus/pci/drivers/nvme/unbind
	echo "$1" >"$group/type"
	echo "$bdf" >/sys/bus/pci/drivers/nvme/bind
	wait_namespace
}

# shellcheck disable=SC2317  # called from the trap
restore() {
	if [ -n "$orig_type" ] && [ "$(cat "$group/type")" != "$orig_type" ]; then
		set_type "$orig_type" || echo "guest-workloads: could not restore $group/type" >&2
	fi
}
trap restore EXIT

status=0
for path in ${paths//,/ }; do
	case $path in
	iommu-strict) set_type DMA ;;
	iommu-lazy) set_type DMA-FQ ;;
	iommu-identity) set_type identity ;;
	esac
	echo "guest-workloads: $path: dmabench nvme on /dev/$ns" >&2
	"$bin" nvme --into "$part" --path "$path" "$@" "/dev/$ns" >/dev/null ||
		status=1
	[ "$fio" = 1 ] || continue
	echo "guest-workloads: $path: fio on /dev/$ns" >&2
	"$bin" fio --into "$part" --path "$path" "$@" "/dev/$ns" >/dev/null ||
		status=1
done
exit "$status"

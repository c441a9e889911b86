#!/usr/bin/env bash
# Inside a lab guest: the RDMA workloads on soft-RoCE.  The guest's emulated
# NIC gets an address and an rdma_rxe device; dmabench rdma measures
# registration, on-demand paging and the loopback data path on it; then
# scripts/nvmeof-rdma.sh runs dmabench nvme over a loopback NVMe-over-RDMA
# target.  All rows go to the boot's part directory.  rxe maps memory with
# virtual addresses, never through the DMA API: the rows say so.
#
# Usage: lab/guest-rdma.sh DMABENCH PART [dmabench nvme options...]
set -euo pipefail

bin=$1 part=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=lab/guest-nic.sh
. "$here/guest-nic.sh"
nic=$(guest_nic)
ip -4 addr show dev "$nic" | grep -q inet || ip addr add 10.0.2.15/24 dev "$nic"
addr=$(ip -4 -o addr show dev "$nic" | awk '{ sub("/.*", "", $4); print $4; exit }')

modprobe rdma_rxe
rdma link add rxe_lab type rxe netdev "$nic"
# shellcheck disable=SC2317  # called from the trap
cleanup() { rdma link delete rxe_lab || true; }
trap cleanup EXIT
for _ in $(seq 50); do
	[ -e /sys/class/infiniband/rxe_lab/ports/1/state ] && break
	sleep 0.1
done

status=0
echo "guest-rdma: dmabench rdma on rxe_lab ($nic, $addr)" >&2
"$bin" rdma --into "$part" --dev rxe_lab --quick --hugepages 64 >/dev/null ||
	status=1
echo "guest-rdma: NVMe over RDMA to $addr" >&2
"$here/../scripts/nvmeof-rdma.sh" --addr "$addr" --dmabench "$bin" \
	--null-size 256 -- --into "$part" "$@" >&2 || status=1
exit "$status"

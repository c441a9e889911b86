#!/usr/bin/env bash
# Inside the VM (one vCPU, QEMU -icount): on the spare PCI device, for each
# IOMMU domain type in PATHS, the kernel's own dma_map_benchmark (its test
# program from the kernel tree's tools/dma, SINGLE_MODE: dma_map_single of
# SIZE bytes, then dma_unmap_single, for SECONDS) and `dmabench micro --api
# single` on the same device, path, size and direction, one after the
# other.  Writes OUTDIR/peer-<path>.txt (the program's output) and
# OUTDIR/dmabench/<run>/ (dmabench's run); lab/vm-peer.sh puts them side
# by side.
#
# With TRACEDIR (lab/vm-peer.sh --trace), dmabench's point ends with one
# traced map and unmap (micro --trace single --trace-dir TRACEDIR), and the
# tracer, told by TRACEDIR/trace-funcs.csv, steps one call of the peer's.
#
# Usage: peer.sh MODULE.ko DMABENCH PEER BDF OUTDIR PATHS SIZE DIR SECONDS SAMPLES [TRACEDIR]
set -euo pipefail

ko=$1
bin=$2
peer=$3
bdf=$4
out=$5
paths=$6
size=$7
dir=$8
seconds=$9
samples=${10}
traced=()
[ -z "${11-}" ] || traced=(--trace single --trace-dir "${11}" --trace-size "$size" --trace-dirs "$dir")

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
dev=/sys/bus/pci/devices/$bdf
group=/sys/kernel/iommu_groups/$(basename "$(readlink "$dev/iommu_group")")
mkdir -p "$out/dmabench"

declare -A types=([iommu-strict]=DMA [iommu-lazy]=DMA-FQ [iommu-identity]=identity)
declare -A dirs=([bidirectional]=0 [to_device]=1 [from_device]=2)
orig_type=$(cat "$group/type")
unbind() {
	[ -e "$dev/driver" ] || return 0
	echo "$bdf" >"$dev/driver/unbind"
}

# The peer on each path in turn (its output to OUTDIR/peer-<path>SUFFIX.txt):
# the device bound to the built-in dma_map_benchmark driver through
# driver_override, the group switched while it is unbound.
run_peer() {
	local suffix=$1 p t
	for p in ${paths//,/ }; do
		t=${types[$p]:?unknown path $p}
		unbind
		echo "$t" >"$group/type"
		echo dma_map_benchmark >"$dev/driver_override"
		echo "$bdf" >/sys/bus/pci/drivers/dma_map_benchmark/bind
		{
			echo "path=$p type=$(cat "$group/type") device=$bdf"
			"$peer" -t 1 -s "$seconds" -b 64 -d "${dirs[$dir]}" \
				-g $((size / 4096)) -m 0
		} >"$out/peer-$p$suffix.txt" 2>&1 ||
			{ echo "peer: dma_map_benchmark failed on $p:" >&2
			  cat "$out/peer-$p$suffix.txt" >&2; exit 1; }
		unbind
		echo >"$dev/driver_override"
	done
	echo "$orig_type" >"$group/type"
}

# The peer first, then dmabench, which lends itself the device, switches
# the group and gives both back at exit.  A traced run arms the tracer's
# breakpoints when dmabench says it is ready: the peer's timed run is over
# by then (a breakpoint stops the guest at every call, its hits not
# counted too, and the peer's clock then counts far more than the call),
# and a second run of the peer gives the tracer its call.
run_peer ""
insmod "$ko"
"$bin" micro --pci "$bdf" --path "$paths" --api single --size "$size" \
	--dir "$dir" --samples "$samples" --warmup 1000 --clock icount \
	--emulated --no-counters --note "peer=dma_map_benchmark" "${traced[@]}" \
	--out "$out/dmabench" >"$out/dmabench.log" 2>&1 ||
	{ echo "peer: dmabench micro failed:" >&2; tail "$out/dmabench.log" >&2; exit 1; }
rmmod dmabench
[ -z "${11-}" ] || run_peer -traced
echo "peer: done; the device's group is $(cat "$group/type") again"

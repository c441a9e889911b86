#!/usr/bin/env bash
# make vm-peer: the kernel's own dma_map_benchmark and dmabench side by side,
# in one boot of a kernel built with CONFIG_DMA_MAP_BENCHMARK (the lab's
# source-built kernels, src:SERIES and src:SERIES+debug, have it), on the
# same device (the spare PCI device,
# QEMU's edu, behind an emulated Intel IOMMU), path, size and direction,
# under QEMU -icount on one vCPU: both read instructions.
#
# The peer's test program is built in the lab root from the kernel tree's
# own tools/dma/dma_map_benchmark.c (with its uapi header).  It times
# dma_map_single and dma_unmap_single of one buffer in a loop for SECONDS
# with ktime_get(), each sample truncated to 100 ns (here: 100
# instructions), and prints their means in "us" (thousands of
# instructions) to one decimal.  dmabench micro --api single times the
# same calls (batch 1, one buffer) with the TSC.  Because the peer
# truncates every sample, its mean is low by half a unit on average: a
# row agrees when dmabench's mean is within one unit (100 instructions) of
# the middle of the peer's unit, 100 * avg + 50.
#
# With --trace, where they differ is said to the function: in the same
# boot, the tracer (lab/trace.py, through QEMU's gdbstub) steps dmabench's
# map and unmap after its point and the peer's 100th map and unmap in a
# second run of the peer, after dmabench's (dma_single_map_benchmark_do_map
# and _do_unmap: a dma_map_single or dma_unmap_single and the check of its
# address).  The run gets their traces and trace-diff.txt, the functions
# whose instructions differ (lab/peerdiff.py).  One path only; stepping
# takes about 15 minutes on the debug kernel, less on src:7.3.
#
# Writes a run directory OUT/peer-<date>-<release>/: peer.csv (one row per
# path and op), peer.txt (the same as text, printed too), meta.txt, the
# peer's raw output and the guest's console (raw/) and dmabench's own run
# (dmabench/).  Prints the run directory as its last line.  Exit 1 if a row disagrees.
#
# Usage: lab/vm-peer.sh [--kernel src:SERIES[+debug]|TREE] [--dma LIST]
#                       [--size BYTES] [--dir DIR] [--seconds S]
#                       [--samples N] [--out DIR] [--trace]
#   --kernel   a kernel tree with CONFIG_DMA_MAP_BENCHMARK=y (default
#              src:7.3, the lab's kernel; built if not cached, about 35
#              min on 2 cores: make vm-kernel SRC=7.3; src:7.3+debug is
#              the debug kernel, about 75 min)
#   --dma      iommu-strict,iommu-lazy,iommu-identity or a part (default all
#              three)
#   --size     bytes per mapping, a multiple of 4096 (the peer maps pages;
#              default 4096)
#   --dir      to_device, from_device or bidirectional (default to_device)
#   --seconds  the peer's run per path, in guest seconds (10^9
#              instructions; default 2)
#   --samples  dmabench's samples per path (default 10000)
#   --out      parent of the run directory (default results)
#   --trace    trace one call of each side, as said above (one --dma path)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lab/guard.sh
. "$repo/lab/guard.sh"
guard_self "$@"
kernel=src:7.3
dma=iommu-strict,iommu-lazy,iommu-identity
size=4096
dir=to_device
seconds=2
samples=10000
out=$repo/results
trace=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--dma) dma=$2; shift 2 ;;
	--size) size=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--samples) samples=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--trace) trace=1; shift ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "vm-peer: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
done
[ "$dma" = all ] && dma=iommu-strict,iommu-lazy,iommu-identity
for p in ${dma//,/ }; do
	case $p in
	iommu-strict|iommu-lazy|iommu-identity) ;;
	*) echo "vm-peer: --dma '$p': iommu-strict, iommu-lazy or iommu-identity" \
		"(the peer needs a PCI device in an IOMMU group)" >&2; exit 2 ;;
	esac
done
if [ "$trace" = 1 ] && [ "${dma//,/}" != "$dma" ]; then
	echo "vm-peer: --trace traces one path: give --dma one of them" >&2
	exit 2
fi
case $dir in
to_device|from_device|bidirectional) ;;
*) echo "vm-peer: --dir '$dir': to_device, from_device or bidirectional" >&2; exit 2 ;;
esac
for v in "$size" "$seconds" "$samples"; do
	case $v in
	''|*[!0-9]*|0) echo "vm-peer: '$v': not a positive number (--size, --seconds, --samples)" >&2; exit 2 ;;
	esac
done
if [ $((size % 4096)) != 0 ] || [ "$size" -gt $((1024 * 4096)) ]; then
	echo "vm-peer: --size $size: the peer maps 1 to 1024 whole pages of 4096" >&2
	exit 2
fi

tmp=$(mktemp)
# shellcheck source=lab/tracer.sh
. "$repo/lab/tracer.sh"
# shellcheck disable=SC2317 # called by lab/guard.sh on a signal
guard_cleanup() {
	tracer_stop
	rm -f "$tmp"
	[ -z "${stage-}" ] || rm -rf "${repo:?}/$stage"
	[ -z "${part-}" ] || rm -rf "$part"
}
trap 'tracer_stop; rm -f "$tmp"' EXIT
guard_run "$repo/lab/build.sh" "$kernel" >"$tmp"
build=$(cat "$tmp")
# shellcheck source=/dev/null
. "$repo/$build/kernel.env"
if [ -z "${TREE-}" ] || ! grep -qx 'CONFIG_DMA_MAP_BENCHMARK=y' "$TREE/.config"; then
	echo "vm-peer: $kernel has no CONFIG_DMA_MAP_BENCHMARK=y: use a kernel" \
		"built by the lab (src:7.3, make vm-kernel SRC=7.3)" >&2
	exit 1
fi
root=$("$repo/lab/mkroot.sh")
[ "$trace" = 0 ] || "$repo/lab/rootpkg.sh" "$root" gdb
stage=build/peer/$(date -u +%Y%m%d-%H%M%S)-$$
mkdir -p "$repo/$stage"
# The peer's program, from the tree's own source, built in the lab root:
# its uapi header beside the root's own (sanitised) linux/types.h.
mkdir -p "$repo/$stage/include/linux"
cp "$TREE/include/uapi/linux/map_benchmark.h" "$repo/$stage/include/linux/"
guard_run "$repo/lab/chroot.sh" "$root" --bind "$repo" /dmabench --bind "$TREE" /kernel \
	gcc -O2 -Wall -I"/dmabench/$stage/include" -o "/dmabench/$stage/dma_map_benchmark" \
	/kernel/tools/dma/dma_map_benchmark.c >&2

cpu=${DMABENCH_CPU:-max,vendor=GenuineIntel}
bdf=0000:00:10.0
qemu="-M q35 -cpu $cpu -device intel-iommu -device edu,addr=0x10 -icount shift=0,sleep=off -seed 1"
append="intel_iommu=on nokaslr cryptomgr.notests loglevel=4"
tdir=
if [ "$trace" = 1 ]; then
	tdir=$stage/trace
	mkdir -p "$repo/$tdir"
	# The peer's calls to trace: the 100th map and unmap of its second run.
	{
		echo "function,hit,api,path,size,dir,op"
		echo "dma_single_map_benchmark_do_map,100,peer,$dma,$size,$dir,map"
		echo "dma_single_map_benchmark_do_unmap,100,peer,$dma,$size,$dir,unmap"
	} >"$repo/$tdir/trace-funcs.csv"
	port=$(tracer_port)
	qemu+=" -gdb tcp:127.0.0.1:$port"
	# The guest's clock runs on while gdb holds it: no lockup detector
	# to report the minutes a traced call takes.
	append+=" nowatchdog"
	tracer_start "$root" "$tdir" "$port"
fi
cat >"$repo/$stage/peer.sh" <<SCRIPT
#!/bin/sh
exec /dmabench/$build/tests/peer.sh /dmabench/$build/bench-module/dmabench.ko \\
	/dmabench/$build/userspace/dmabench /dmabench/$stage/dma_map_benchmark \\
	$bdf /dmabench/$stage/guest $dma $size $dir $seconds $samples ${tdir:+/dmabench/$tdir}
SCRIPT
chmod +x "$repo/$stage/peer.sh"
echo "vm-peer: $RELEASE, $dma, $size bytes $dir, peer $seconds s, dmabench $samples samples" >&2
t0=$SECONDS
guard_run "$repo/lab/boot.sh" "$build" "$stage" 1 "$qemu" "$append" "$stage/peer.sh"
secs=$((SECONDS - t0))
if [ "$trace" = 1 ]; then
	tracer_wait
	if [ -e "$repo/$tdir/trace-failed" ] ||
		[ "$(grep -c "^[a-z_]*,$dma,$size,$dir,\(map\|unmap\)," \
			"$repo/$tdir/trace-points.csv" 2>/dev/null)" != 4 ]; then
		echo "vm-peer: the tracer did not trace both sides' map and" \
			"unmap; its log, $tdir.log:" >&2
		tail -n 20 "$repo/$tdir.log" >&2
		exit 1
	fi
fi

drun=$(tail -n 1 "$repo/$stage/guest/dmabench.log")
drun=$repo/$stage/guest/dmabench/$(basename "$drun")
if [ ! -s "$drun/summary.csv" ]; then
	echo "vm-peer: dmabench wrote no summary.csv; its log:" >&2
	tail "$repo/$stage/guest/dmabench.log" >&2
	exit 1
fi
# Written under a temporary name, renamed when complete: a stopped run
# leaves no half-written directory.
final=$out/peer-$(date -u +%Y%m%d-%H%M%S)-$RELEASE
part=$out/.tmp-$(basename "$final")-$$
run=$part
mkdir -p "$run/raw"
cp "$repo/$stage"/guest/peer-*.txt "$repo/$stage/guest/dmabench.log" "$run/raw/"
cp "$repo/$stage/peer.console" "$run/raw/console.log"
cp -r "$drun" "$run/dmabench"
{
	echo "kernel=$RELEASE"
	echo "kernel_tree=$TREE"
	echo "kernel_source=${SOURCE-}"
	echo "qemu=$qemu"
	echo "append=$append"
	echo "cpu_model=$cpu"
	echo "device=$bdf (QEMU edu)"
	echo "rev=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)"
	echo "peer=tools/dma/dma_map_benchmark.c of the tree, -t 1 -s $seconds -b 64 -g $((size / 4096)) -m 0"
	echo "dmabench=micro --api single --size $size --dir $dir --samples $samples --warmup 1000 --clock icount"
	echo "boot_seconds=$secs"
} >"$run/meta.txt"

# Side by side: dmabench's summary rows (api single, ops map and unmap) and
# the peer's means, in instructions.
for p in ${dma//,/ }; do
	awk -v p="$p" '
		/average map latency/ { split($0, a, /[:]/); m = a[2] + 0; split(a[3], b, " "); ms = b[1] }
		/average unmap latency/ { split($0, a, /[:]/); u = a[2] + 0; split(a[3], b, " "); us = b[1] }
		END {
			if (m == "" || u == "") exit 1
			printf "%s,map,%d,%d\n%s,unmap,%d,%d\n", p, m * 10 + 0.5, ms * 10 + 0.5, p, u * 10 + 0.5, us * 10 + 0.5
		}' "$repo/$stage/guest/peer-$p.txt" ||
		{ echo "vm-peer: no means in the peer's output for $p:" >&2; cat "$repo/$stage/guest/peer-$p.txt" >&2; exit 1; }
done >"$tmp"
awk -F, -v size="$size" -v dir="$dir" '
	FNR == NR { peer[$1 "," $2] = $3; sd[$1 "," $2] = $4; next }
	FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["api"] == "single" && $c["size"] == size && $c["dir"] == dir &&
	($c["op"] == "map" || $c["op"] == "unmap") && (($c["path"] "," $c["op"]) in peer) {
		k = $c["path"] "," $c["op"]
		mid = peer[k] * 100 + 50
		d = $c["mean"] - mid
		ok = (d <= 100 && d >= -100) ? "yes" : "no"
		printf "%s,%s,%s,%s,%s,%d,%.1f,%s,%s,%d,%d,%d,%.1f,%s\n", $c["path"], $c["op"], size, dir,
			$c["unit"], $c["n"], $c["mean"], $c["median"], $c["harness"],
			peer[k], sd[k], mid, d, ok
		seen[k] = 1
	}
	END { for (k in peer) if (!(k in seen)) printf "%s,missing,,,,,,,,,,,,no\n", k }
' "$tmp" "$drun/summary.csv" | sort >"$tmp.rows"
{
	echo "path,op,size,dir,unit,dmabench_n,dmabench_mean,dmabench_median,dmabench_harness,peer_avg_100,peer_stddev_100,peer_mid,diff,agree"
	cat "$tmp.rows"
} >"$run/peer.csv"
rm -f "$tmp.rows"
{
	echo "dma_map_benchmark (the kernel's) and dmabench micro --api single, side by side"
	echo "kernel $RELEASE, QEMU -icount shift=0 (1 ns = 1 instruction), -cpu $cpu, one vCPU"
	echo "device $bdf (edu) behind an emulated Intel IOMMU; $size bytes, $dir"
	echo "peer: $seconds s a path, every sample truncated to 100 instructions;" \
		"dmabench: $samples samples, TSC"
	echo
	printf '%-15s %-6s %14s %14s %12s %12s %9s %6s\n' path op "dmabench mean" \
		"dmabench med" "peer x100" "peer mid" "diff" agree
	awk -F, 'NR > 1 { printf "%-15s %-6s %14s %14s %12s %12s %9s %6s\n", $1, $2, $7, $8, $10 * 100, $12, $13, $14 }' "$run/peer.csv"
	echo
	echo "agree: |dmabench mean - (100 x peer + 50)| <= 100 instructions (the peer's"
	echo "resolution; its truncation makes it low by half a unit on average)"
} >"$run/peer.txt"
if [ "$trace" = 1 ]; then
	for f in trace.csv trace-points.csv trace.txt; do
		cp "$repo/$tdir/$f" "$run/$f"
	done
	# What the tracer said, without gdb's line at every stop.
	grep '^trace:' "$repo/$tdir.log" >"$run/raw/trace.log" || true
	"$repo/lab/peerdiff.py" "$run" >"$run/trace-diff.txt" ||
		{ echo "vm-peer: lab/peerdiff.py failed on $run" >&2; exit 1; }
	{ echo; cat "$run/trace-diff.txt"; } >>"$run/peer.txt"
	echo "trace=lab/trace.py: dmabench's map and unmap after its point, call 100 of each of the peer's second run" >>"$run/meta.txt"
fi
mv "$part" "$final"
part=
run=$final
rm -rf "${repo:?}/$stage"
cat "$run/peer.txt"
echo "$run"
if grep -q ',no$' "$run/peer.csv"; then
	echo "vm-peer: the two disagree on some rows (see peer.txt)" >&2
	exit 1
fi

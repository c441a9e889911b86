#!/usr/bin/env bash
# Exact per-function instruction traces of DMA calls in the VM lab: one run
# of the microbenchmark (ICOUNT) whose points of the traced APIs each end
# with one more map and unmap, single-stepped by gdb through QEMU's gdbstub
# and attributed to the kernel's and the module's functions (lab/trace.py).
# The run directory holds summary.csv and trace.csv, trace-points.csv and
# trace.txt of the same boots; trace.txt (the call trees) is printed.
#
# Usage: lab/vm-trace.sh [--kernel SERIES|TREE] [--dma LIST|all]
#                        [--api LIST] [--size BYTES] [--dir DIR]
#                        [--cpu MODEL] [--samples N] [--out DIR]
#
#   --kernel, --dma, --cpu, --out   as for lab/vm-bench.sh
#   --api LIST     APIs to trace (default page,phys,phys_page: on a kernel
#                  without dma_map_phys those points are unsupported rows
#                  and have no trace)
#   --size BYTES   the mapping size (default 4096)
#   --dir DIR      to_device (default), from_device or bidirectional
#   --samples N    timed operations per point (default 1000, warm-up 100)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
kernel=7.3
dma=all
apis=page,phys,phys_page
size=4096
dir=to_device
samples=1000
bench=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--dma) dma=$2; shift 2 ;;
	--api) apis=$2; shift 2 ;;
	--size) size=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	--samples) samples=$2; shift 2 ;;
	--cpu|--out) bench+=("$1" "$2"); shift 2 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "vm-trace: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
done
case ,$apis, in
*,none,*) echo "vm-trace: 'none' makes no DMA call: nothing to trace" >&2
	  exit 2 ;;
esac

run=$("$repo/lab/vm-bench.sh" --kernel "$kernel" --dma "$dma" --icount \
	--no-nvme --trace "$apis" --trace-at all "${bench[@]}" -- \
	--api "none,$apis" --size "$size" --dir "$dir" --threads 1 --batch 1 \
	--samples "$samples" --warmup $((samples / 10 > 0 ? samples / 10 : 1)))
echo "$run"
if [ ! -s "$run/trace.txt" ]; then
	echo "vm-trace: $run has no trace.txt" >&2
	exit 1
fi
echo
cat "$run/trace.txt"

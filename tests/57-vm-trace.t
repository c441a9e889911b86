#!/usr/bin/env bash
# Exact traces against ICOUNT: `make vm-trace` on both Debian kernels and
# every DMA path (page, and phys where the kernel has it).  The traces are
# whole (each function's self counts sum to the call's instructions; every
# instruction is in a known symbol; the traced wrapper is never on the call
# side), and each traced call agrees with the ICOUNT median of the same
# point and op, minus the harness, up to the timed loop's own caller side:
# the same gap on every path (tests/checktrace.py says why).
# DMABENCH_TRACE_SERIES (default "7.3 6.12") picks the kernels.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

all=direct,swiotlb,iommu-strict,iommu-lazy,iommu-identity
out=build/test-results-trace
rm -rf "$out"
mkdir -p "$out"

for series in ${DMABENCH_TRACE_SERIES:-7.3 6.12}; do
	apis=page,phys
	[ "$series" = 6.12 ] && apis=page
	t0=$(date +%s)
	if ! run_logged "vm-trace-$series" lab/vm-trace.sh --kernel "$series" \
		--dma all --api "$apis" --samples 500 --out "$out"; then
		check "vm-trace on $series writes a run" false
		continue
	fi
	run=$(grep -m 1 "^$repo/$out/\|^$out/" "$logs/vm-trace-$series.log")
	check "vm-trace on $series writes a run ($run, $(($(date +%s) - t0)) s)" \
		test -s "$run/trace.csv"
	grep -h 'calls traced' "$logs/vm-trace-$series.log" | diag
	relay_checks < <(python3 tests/checktrace.py "$run" --apis "$apis" \
		--paths "$all")
	check "vm-trace on $series prints the call trees" \
		grep -q "^page direct 4096 to_device map (tag" "$logs/vm-trace-$series.log"
done
finish

#!/usr/bin/env bash
# Exact traces against ICOUNT.  tests/50-vm-bench.t runs the quick matrix on
# both Debian kernels and every DMA path with the 4096-byte to_device points
# of page, phys and phys_page traced; here the traces of those runs are
# checked: whole (each function's self counts sum to the call's
# instructions; every instruction is in a known symbol; the traced wrapper
# is never on the call side), and each traced call agrees with the ICOUNT
# median of the same point and op, minus the harness, up to the timed
# loop's own caller side: the same gap on every path (tests/checktrace.py
# says why).  Then `make vm-trace` itself, on 7.3's dma-direct with QEMU's
# qemu64 CPU model: it prints the call trees, and the model changes counts.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

all=direct,swiotlb,iommu-strict,iommu-lazy,iommu-identity
default_73=

for series in 7.3 6.12; do
	apis=page,phys,phys_page
	[ "$series" = 6.12 ] && apis=page
	run=$(find build/test-results -maxdepth 1 -name "*-$series.*" | sort | head -n 1)
	if [ -z "$run" ] || [ ! -s "$run/trace.csv" ]; then
		check "a traced $series run from tests/50-vm-bench.t" false
		continue
	fi
	check "the $series run of tests/50-vm-bench.t holds traces ($run)" true
	relay_checks < <(python3 tests/checktrace.py "$run" --apis "$apis" \
		--paths "$all")
	[ "$series" = 7.3 ] && default_73=$run
done

out=build/test-results-trace
rm -rf "$out"
mkdir -p "$out"
if run_logged vm-trace-qemu64 lab/vm-trace.sh --kernel 7.3 --dma direct \
	--api page,phys --cpu qemu64 --samples 500 --out "$out"; then
	run=$(grep -m 1 "^$repo/$out/\|^$out/" "$logs/vm-trace-qemu64.log")
	check "vm-trace on 7.3 with -cpu qemu64 writes a run ($run)" \
		test -s "$run/trace.csv"
	check "vm-trace prints the call trees" \
		grep -q "^page direct 4096 to_device map (tag" "$logs/vm-trace-qemu64.log"
	relay_checks < <(python3 tests/checktrace.py "$run" --apis page,phys \
		--paths direct)
	check "meta.json records the CPU model qemu64" \
		grep -q '"cpu_model": *"qemu64"' "$run/meta.json"
	if [ -n "$default_73" ]; then
		# The model is a choice with consequences: on AuthenticAMD the
		# direct map asks amd_cc_platform_has() (lab-notes, README).
		check "qemu64 takes the AMD path the default model does not" \
			bash -c "grep -q '^page,direct,4096,to_device,map,amd_cc_platform_has,' '$run/trace.csv' &&
				! grep -q '^page,direct,4096,to_device,map,amd_cc_platform_has,' '$default_73/trace.csv'"
	fi
else
	check "vm-trace on 7.3 with -cpu qemu64" false
fi
finish

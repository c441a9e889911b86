#!/usr/bin/env bash
# The arm64 lab (lab/arm64/, make vm-bench ARCH=arm64) end to end, in
# instruction-count mode: Debian's arm64 7.3 and 6.12 kernels under
# qemu-system-aarch64 -M virt -cpu max, every arm64 path (non-coherent
# direct, direct-coherent, swiotlb, the three SMMUv3 domains) took effect,
# page and phys on 7.3, phys unsupported on 6.12, counter rows from the
# emulated PMU that agree with the clock, the NVMe workload on every path
# with kernel cycles and instructions per I/O from the PMU and the DMA share
# from cycles samples, two boots of 7.3 identical, the
# module unloaded cleanly (scripts/micro.sh fails the boot otherwise), its
# malformed requests refused, a second run refused beside a run, the PCI
# device unbound during a run (tests/vm/guest-checks.sh), the published
# arm64 runs (results/published/arm64) reproduced at this matrix's points,
# and meta.json's architecture keeps compare from mixing arm64 with x86.
#
# The matrix is cut to none, page, phys and phys_page at 64 B and 4 KiB, to_device,
# batches of 1 and 16, and 6.12 to the direct and IOMMU boots.  With the
# guest checks and four NVMe points a path the whole took 15 min on 2
# cores (2026-12-07); the NVMe points are two a path now.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

all=direct,direct-coherent,swiotlb,iommu-strict,iommu-lazy,iommu-identity
out=build/test-results-arm64
rm -rf "$out"
mkdir -p "$out"

# The NVMe workload's points: random 4 KiB reads at queue depth 32,
# interrupt-driven and polled; 1.5 s each, enough cycles samples (1000 at
# about 985 a second) for the DMA share on the polled point.  A polled
# second is 10^9 guest instructions: 2 s at depths 1 and 32 made the 7.3
# run 10.5 min, most of this file's 15.
disk=(--nvme-args "--rw randread --bs 4K --qd 32 --batch 1 --completion irq,poll --buffers normal --time 1.5 --ramp 0.2")

# vm_bench NAME SERIES DMA [vm-bench options]: one arm64 lab run; prints its
# run directory.
vm_bench() {
	local name=$1 series=$2 dma=$3
	shift 3
	run_logged "$name" lab/vm-bench.sh --arch arm64 --kernel "$series" \
		--dma "$dma" --icount --quick --out "$out" "$@" -- \
		--api none,page,phys,phys_page --size 64,4096 --dir to_device \
		--threads 1 --batch 1,16 >&2 || return 1
	tail -n 1 "$logs/$name.log"
}

assert() { relay_checks < <(python3 tests/checkrun.py "$@"); }
assert_arm64() { relay_checks < <(python3 tests/checkarm64.py "$@"); }

check "lab/vm-bench.sh refuses an unknown --arch" \
	bash -c '! lab/vm-bench.sh --arch sparc --kernel 7.3 2>/dev/null'
check "the arm64 lab refuses an unknown DMA configuration" \
	bash -c '! lab/vm-bench.sh --arch arm64 --dma nonsense 2>/dev/null'

# The module's refusals, a second run beside a run (EBUSY), the edu device
# unbound during a run, and the clean unload, in an arm64 guest of each
# kernel (tests/vm/guest-checks.sh, as 40-vm-checks on x86).
for series in 7.3 6.12; do
	if ! build=$(lab/arm64/build.sh "$series" 2>"$logs/arm64-build-$series.log"); then
		check "arm64 lab build for $series" false
		tail -n 30 "$logs/arm64-build-$series.log" | diag
		continue
	fi
	dir=build/test-checks-arm64/$series
	rm -rf "$dir"
	mkdir -p "$dir"
	cat >"$dir/checks.sh" <<SCRIPT
#!/bin/bash
/dmabench/tests/vm/guest-checks.sh /dmabench/$build/bench-module/dmabench.ko \\
	/dmabench/$build/tests/badparams 0000:00:10.0 \\
	/dmabench/$build/tests/busy >/out/tap 2>&1
SCRIPT
	chmod +x "$dir/checks.sh"
	run_logged "arm64-checks-$series" lab/arm64/boot.sh "$build" "$dir" \
		"-M virt -cpu max -smp 2 -seed 1 -device edu,addr=0x10,dma_mask=0xffffffffffffffff" \
		"cryptomgr.notests" "$dir/checks.sh" tests/vm/guest-checks.sh \
		tests/vm/tap.sh "$build/bench-module/dmabench.ko" \
		"$build/tests/badparams" "$build/tests/busy"
	if [ ! -s "$dir/tap" ]; then
		check "the checks ran in the arm64 $series guest" false
		continue
	fi
	relay_tap "arm64 $series" "$dir/tap"
done

first=
# The two kernels boot side by side (one vCPU each; under -icount their
# counts do not depend on what else runs; build/lab-arm64/<release> apart).
dma_612=direct,direct-coherent,iommu-strict,iommu-identity
vm_bench vm-arm64-6.12 6.12 "$dma_612" "${disk[@]}" >"$out/6.12.run" &
other=$!
for series in 7.3 6.12; do
	dma=$all
	phys=yes
	if [ "$series" = 6.12 ]; then
		dma=$dma_612
		phys=no
	fi
	if [ "$series" = 6.12 ]; then
		wait "$other" && run=$(cat "$out/6.12.run")
	else
		run=$(vm_bench "vm-arm64-$series" "$series" "$dma" "${disk[@]}")
	fi || {
		check "arm64 vm-bench on $series writes a run" false
		continue
	}
	check "arm64 vm-bench on $series writes a run ($run)" test -s "$run/summary.csv"
	assert paths "$run" --paths "$dma" --phys "$phys"
	assert_arm64 "$run"
	# The disk is one PCI device: direct-coherent is what it takes on
	# 'direct'.
	assert_arm64 workloads "$run" "$(tr , '\n' <<<"$dma" |
		grep -vx direct-coherent | paste -sd,)"
	check "$series: dmabench unloaded cleanly, no kernel warning while loaded" \
		bash -c "! grep -q 'did not unload\|logged the above' '$logs/vm-arm64-$series.log'"
	[ "$series" = 7.3 ] && first=$run
	# The published arm64 run of this kernel holds every point of this
	# cut matrix: the same instruction counts (make publish STEPS=arm64).
	pub=$(find results/published/arm64 -maxdepth 1 -name "*-$series.*" 2>/dev/null |
		sort | head -n 1)
	if [ -z "$pub" ]; then
		skip "$series: the published arm64 figures regenerate" \
			"results/published/arm64 has no $series run: make publish STEPS=arm64"
	elif [ "$(release "$pub")" != "$(release "$run")" ]; then
		skip "$series: the published arm64 figures regenerate" \
			"Debian now serves $(release "$run"), the reference has $(release "$pub"): make publish STEPS=arm64"
	else
		relay_checks < <(python3 tests/checkrun.py subset "$run" "$pub" |
			sed "s/^\(PASS\|FAIL\): /&$series against the published run: /")
	fi
done

if [ -n "$first" ] && second=$(vm_bench vm-arm64-7.3-again 7.3 "$all" --no-nvme); then
	assert same "$first" "$second"
	assert_arm64 same "$first" "$second"
else
	check "a second arm64 7.3 run for the determinism check" false
fi

# meta.json's arch: an arm64 run is not compared with an x86 one unasked.
x86=$(find results/published -mindepth 1 -maxdepth 1 -type d -name '*7.3*' | head -n 1)
# The dmabench that merged the runs, in the root it was built for.
host=$(find build/lab-arm64 -path '*/host/userspace/dmabench' | head -n 1)
compare() {
	lab/chroot.sh "$(lab/arm64/mkroot.sh)" --bind "$repo" /dmabench \
		"/dmabench/$host" compare "$@"
}
if [ -n "$first" ] && [ -n "${second:-}" ] && [ -n "$x86" ] && [ -n "$host" ]; then
	status=0
	compare "/dmabench/$first" "/dmabench/$second" \
		>"$logs/arm64-compare.txt" 2>&1 || status=$?
	check "compare of two arm64 runs works" test "$status" = 0
	status=0
	compare "/dmabench/$x86" "/dmabench/$first" >/dev/null \
		2>"$logs/arm64-compare.err" || status=$?
	check "compare refuses x86_64 against aarch64 without --cross" \
		test "$status" = 1
	check "and says why" grep -q 'ran on x86_64.*on aarch64' "$logs/arm64-compare.err"
	compare --cross "/dmabench/$x86" "/dmabench/$first" \
		>"$logs/arm64-compare-cross.txt" 2>/dev/null
	check "compare --cross compares them, under a warning" \
		grep -q '^WARNING: --cross' "$logs/arm64-compare-cross.txt"
else
	skip "compare refuses x86_64 against aarch64" "no arm64 run or no published x86 run"
fi
finish

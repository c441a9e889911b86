#!/usr/bin/env bash
# NVMe with io_uring in the lab, on Debian's 7.3: every DMA configuration
# runs the quick NVMe workloads (reads; interrupt and polled, ordinary and
# fixed buffers) with dmabench nvme and with fio on the emulated disk, which
# sits behind the emulated IOMMU on the IOMMU boot.  Each row reports IOPS,
# p50/p99 latency, CPU per I/O and the DMA share of kernel samples, on the
# path it was run for; fio agrees with dmabench, and dmabench is not slower.
# Then, in a guest with four more disks, writes to a mounted, signed or
# partitioned disk are refused and leave its data unchanged;
# --perf-record keeps perf.data and folded stacks with the results; and
# dmabench nvme and fio killed by SIGINT, SIGTERM and SIGKILL leave no fio,
# huge page or run directory behind.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

out=build/test-nvme
rm -rf "$out"
mkdir -p "$out"


# A token microbenchmark: these boots are for the workloads.
printf '%s\n' '--api page --size 4096 --dir to_device --threads 1' \
	'--batch 1 --samples 200 --warmup 20' >"$out/micro.conf"
if run_logged vm-nvme-7.3 lab/vm-bench.sh --kernel 7.3 --dma all \
	--config "$out/micro.conf" --out "$out" \
	--nvme-args "--quick --time 2 --ramp 0.5"; then
	run=$(tail -n 1 "$logs/vm-nvme-7.3.log")
	check "vm-bench with NVMe writes a run ($run)" test -s "$run/workload.csv"
	relay_checks < <(python3 tests/checkwl.py nvme "$run" --paths direct,swiotlb,iommu-strict,iommu-lazy,iommu-identity)
	check "the run's plots include the NVMe workloads" \
		run_logged plots-nvme scripts/plots.sh --check "$run"
	check "nvme.png drawn" test -s "$run/plots/nvme.png"
else
	check "vm-bench with NVMe on 7.3" false
fi

# The refusals, in a guest of their own with four blank disks; then, on
# the blank one, dmabench nvme and fio killed (tests/vm/workload-kill.sh)
# at random moments from a printed seed (KILL_SEED=N repeats them).
seed=${KILL_SEED:-$(( $(date +%s) % 100000 ))}
echo "# seed $seed (KILL_SEED=$seed repeats it)"
if build=$(lab/build.sh 7.3 2>"$logs/build-nvme.log"); then
	qemu="-M q35"
	for s in mounted0 signed0 parted0 blank0; do
		truncate -s 64M "$out/$s.img"
		qemu+=" -drive file=/dmabench/$out/$s.img,if=none,id=$s,format=raw"
		qemu+=" -device nvme,drive=$s,serial=$s"
	done
	cat >"$out/refusals.sh" <<SCRIPT
#!/bin/sh
/dmabench/$build/tests/nvme-refusals.sh /dmabench/$build/userspace/dmabench \\
	/dmabench/$out >/dmabench/$out/tap 2>&1
/dmabench/$build/tests/nvme-perf.sh /dmabench/$build/userspace/dmabench \\
	/dmabench/$out "\$(cat /dmabench/$out/blank-device)" \\
	>/dmabench/$out/tap-perf 2>&1
for w in nvme fio; do
	/dmabench/$build/tests/workload-kill.sh /dmabench/$build/userspace/dmabench \\
		/dmabench/$out $seed \$w "\$(cat /dmabench/$out/blank-device)" \\
		>/dmabench/$out/tap-kill-\$w 2>&1
done
SCRIPT
	chmod +x "$out/refusals.sh"
	run_logged vm-nvme-refusals lab/boot.sh "$build" "$out" 1 "$qemu" "" \
		"$out/refusals.sh"
	if [ -s "$out/tap" ]; then
		relay_tap refusals "$out/tap"
	else
		check "the refusal checks ran in the guest" false
	fi
	if [ -s "$out/tap-perf" ]; then
		relay_tap perf-record "$out/tap-perf"
	else
		check "the perf record checks ran in the guest" false
	fi
	for w in nvme fio; do
		if [ -s "$out/tap-kill-$w" ]; then
			relay_tap "$w killed" "$out/tap-kill-$w"
		else
			check "the checks of dmabench $w killed ran in the guest" false
		fi
	done
else
	check "lab build for 7.3" false
fi
finish

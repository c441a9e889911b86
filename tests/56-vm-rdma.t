#!/usr/bin/env bash
# RDMA in the lab, on Debian's 7.3 with soft-RoCE (rdma_rxe) on an emulated
# NIC: registration by size, on-demand paging (or the reason it is not
# offered), the loopback data path and NVMe over RDMA driven by io_uring all
# write sane rows into one run directory; then the NVMe-over-RDMA script is
# failed after each of its steps, killed half-way and run whole, and leaves
# nothing configured each time; and dmabench rdma killed by SIGINT, SIGTERM
# and SIGKILL leaves no RDMA resource, huge page or run directory behind.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

out=build/test-rdma
rm -rf "$out"
mkdir -p "$out"

printf '%s\n' '--api page --size 4096 --dir to_device --threads 1' \
	'--batch 1 --samples 200 --warmup 20' >"$out/micro.conf"
if run_logged vm-rdma-7.3 lab/vm-bench.sh --kernel 7.3 --dma direct \
	--config "$out/micro.conf" --out "$out" --no-nvme --rdma \
	--nvme-args "--quick --time 2 --ramp 0.5"; then
	run=$(tail -n 1 "$logs/vm-rdma-7.3.log")
	check "vm-bench with RDMA writes a run ($run)" test -s "$run/workload.csv"
	relay_checks < <(python3 tests/checkwl.py rdma "$run")
	check "the run's plots include registration" \
		run_logged plots-rdma scripts/plots.sh --check "$run"
	check "rdma.png drawn" test -s "$run/plots/rdma.png"
else
	check "vm-bench with RDMA on 7.3" false
fi

# dmabench rdma killed at random moments (tests/vm/workload-kill.sh), from
# a printed seed (KILL_SEED=N repeats them), after the teardown checks.
seed=${KILL_SEED:-$(( $(date +%s) % 100000 ))}
echo "# seed $seed (KILL_SEED=$seed repeats it)"
if build=$(lab/build.sh 7.3 2>"$logs/build-rdma.log"); then
	cat >"$out/teardown.sh" <<SCRIPT
#!/bin/sh
/dmabench/$build/tests/nvmeof-teardown.sh /dmabench/scripts/nvmeof-rdma.sh \\
	/dmabench/$build/userspace/dmabench /dmabench/$out >/dmabench/$out/tap 2>&1
/dmabench/$build/tests/workload-kill.sh /dmabench/$build/userspace/dmabench \\
	/dmabench/$out $seed rdma >/dmabench/$out/tap-kill 2>&1
SCRIPT
	chmod +x "$out/teardown.sh"
	run_logged vm-nvmeof-teardown lab/boot.sh "$build" "$out" 2 \
		"-M q35 -netdev user,id=net0 -device virtio-net-pci,netdev=net0" "" \
		"$out/teardown.sh"
	if [ -s "$out/tap" ]; then
		relay_tap teardown "$out/tap"
	else
		check "the teardown checks ran in the guest" false
	fi
	if [ -s "$out/tap-kill" ]; then
		relay_tap "rdma killed" "$out/tap-kill"
	else
		check "the checks of dmabench rdma killed ran in the guest" false
	fi
else
	check "lab build for 7.3" false
fi
finish

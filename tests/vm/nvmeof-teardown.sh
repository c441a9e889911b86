#!/usr/bin/env bash
# Inside the VM: scripts/nvmeof-rdma.sh leaves nothing behind, whether it
# fails after any one of its steps (DMABENCH_NVMEOF_FAIL_AT), is killed
# half-way (SIGTERM once the host has connected), or completes.  "Nothing"
# is: the loaded modules, nvmet's subsystems and ports, null_blk devices,
# NVMe controllers, RDMA devices and mounts, all as they were before.
# Prints TAP.
#
# Usage: nvmeof-teardown.sh SCRIPT DMABENCH OUTDIR
set -euo pipefail

script=$1 bin=$2 out=$3
# shellcheck source=tests/vm/tap.sh
. "$(dirname "$0")/tap.sh"

# shellcheck source=lab/guest-nic.sh
. "$(dirname "$0")/guest-nic.sh"
nic=$(guest_nic)
ip addr add 10.0.2.15/24 dev "$nic"

snapshot() {
	awk '{ print "module", $1 }' /proc/modules | sort
	for d in /sys/kernel/config/nvmet/subsystems /sys/kernel/config/nvmet/ports \
		/sys/kernel/config/nullb /sys/class/nvme /sys/class/infiniband \
		/sys/class/nvme-fabrics/ctl; do
		[ -d "$d" ] && find "$d" -mindepth 1 -maxdepth 1 -printf "$d %f\n" | sort
	done
	find /dev -maxdepth 1 -name 'nullb*' -printf 'dev %f\n' | sort
	awk '{ print "mount", $2, $3 }' /proc/mounts | sort
}
snapshot >"$out/before"

# shellcheck disable=SC2317  # called through check
same() {
	snapshot >"$out/after"
	if cmp -s "$out/before" "$out/after"; then
		return 0
	fi
	diff "$out/before" "$out/after" | sed 's/^/# /'
	return 1
}

nvme=(--out "$out/runs" --rw randread --bs 4k --qd 1 --batch 1
	--completion irq --buffers normal --time 1 --ramp 0 --no-sampling)

for step in configfs rxe modules backing subsystem namespace port link \
	connect device run; do
	status=0
	DMABENCH_NVMEOF_FAIL_AT=$step "$script" --rxe "$nic" --dmabench "$bin" \
		--null-size 64 -- "${nvme[@]}" >"$out/log-$step" 2>&1 || status=$?
	check "failing after step '$step': the script fails ($status)" \
		test "$status" != 0
	check "failing after step '$step': nothing is left behind" same
done

# Killed half-way: SIGTERM once the host is connected.
"$script" --rxe "$nic" --dmabench "$bin" --null-size 64 -- "${nvme[@]}" \
	--time 30 >"$out/log-kill" 2>&1 &
pid=$!
for _ in $(seq 600); do
	grep -q 'connect: done' "$out/log-kill" && break
	sleep 0.1
done
check "the killed run got as far as connecting" \
	grep -q 'connect: done' "$out/log-kill"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
check "SIGTERM half-way: it exits 143 ($status)" test "$status" = 143
check "SIGTERM half-way: nothing is left behind" same

# And a whole run.
status=0
"$script" --rxe "$nic" --dmabench "$bin" --null-size 64 -- "${nvme[@]}" \
	>"$out/log-whole" 2>&1 || status=$?
check "a whole run completes ($status)" test "$status" = 0
tail -n 5 "$out/log-whole" | sed 's/^/# /'
check "a whole run leaves nothing behind" same
tap_end

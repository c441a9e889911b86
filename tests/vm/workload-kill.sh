#!/usr/bin/env bash
# Inside the VM: a workload command (dmabench nvme, fio or rdma) stopped
# by SIGINT, SIGTERM and SIGKILL at a random moment of its sweep, with
# --hugepages making the huge page pool bigger for the run.  Afterwards
# nothing of it runs (no fio outlives it, even after SIGKILL), no run
# directory that looks complete is left, its RDMA resources are gone, and
# the pool is its old size: put back by dmabench itself after SIGINT and
# SIGTERM, by `dmabench repair` after SIGKILL, which says so.  SIGKILL goes
# first: the staging directory it leaves must be gone once the next run
# under the same --out has begun.  Prints TAP.
#
# Usage: workload-kill.sh DMABENCH OUTDIR SEED nvme|fio DEVICE
#        workload-kill.sh DMABENCH OUTDIR SEED rdma
#        (rdma: a soft-RoCE device is made on the first NIC, and removed)
set -euo pipefail

bin=$1 out=$2
RANDOM=$3
cmd=$4
dev=${5-}
# shellcheck source=tests/vm/tap.sh
. "$(dirname "$0")/tap.sh"

case $cmd in
nvme | fio)
	# nvme takes its device as an argument, fio as --dev.
	# Points longer than the test waits: a fio that outlived dmabench
	# would still run when the checks look.
	args=(--quick --time 20 --ramp 0.5 --no-sampling)
	if [ "$cmd" = nvme ]; then
		args+=(--buffers "normal,fixed-huge" "$dev")
	else
		args+=(--dev "$dev")
	fi
	;;
rdma)
	# shellcheck source=lab/guest-nic.sh
	. "$(dirname "$0")/guest-nic.sh"
	nic=$(guest_nic)
	modprobe rdma_rxe
	rdma link add rxe_kill type rxe netdev "$nic"
	trap 'rdma link delete rxe_kill || true' EXIT
	for _ in $(seq 50); do
		[ -e /sys/class/infiniband/rxe_kill/ports/1/state ] && break
		sleep 0.1
	done
	args=(--dev rxe_kill --quick)
	;;
*)
	echo "workload-kill: no such workload: $cmd" >&2
	exit 2
	;;
esac

pool=/proc/sys/vm/nr_hugepages
# What a run may leave: the pool, RDMA resources, fio.
snapshot() {
	echo "pool $(cat "$pool")"
	if [ "$cmd" = rdma ]; then
		rdma resource show 2>/dev/null | sed 's/^[0-9]*: //'
	fi
	pgrep -x fio | sed 's/^/fio /' || true
}
# shellcheck disable=SC2317  # called through check
same() {
	local end=$((SECONDS + 4))
	# The kernel frees a dead process's RDMA resources soon, not at
	# once; a fio told to stop takes a moment.  4 s at most (by the
	# clock: a round of the loop is slow in an emulated guest), far less
	# than what is left of a point's 20 s.
	while :; do
		snapshot >"$out/$cmd-after"
		cmp -s "$out/$cmd-before" "$out/$cmd-after" && return 0
		[ "$SECONDS" -lt "$end" ] || break
		sleep 0.1
	done
	diff "$out/$cmd-before" "$out/$cmd-after"
	return 1
}
snapshot >"$out/$cmd-before"
huge=$(($(cat "$pool") + 16))

runs=$out/$cmd-kill
mkdir -p "$runs"
killed=0
for round in KILL INT TERM; do
	log=$out/$cmd-kill-$round.log
	"$bin" "$cmd" "${args[@]}" --hugepages "$huge" --out "$runs" \
		>"$log" 2>&1 &
	pid=$!
	# Into the sweep (its first point begun), then 0.2 to 4 s more.
	for ((i = 0; i < 600; i++)); do
		grep -q '^\[ *1/' "$log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	delay=$((2 + RANDOM % 39))
	sleep "$((delay / 10)).$((delay % 10))"
	grown=$(cat "$pool")
	if ! kill -0 "$pid" 2>/dev/null; then
		st=0
		wait "$pid" || st=$?
		echo "# SIG$round: dmabench $cmd ended by itself ($st) before it; its log:"
		tail -n 5 "$log" | sed 's/^/# /'
		check "SIG$round: the run ended well by itself" test "$st" = 0
		find "$runs" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
		continue
	fi
	echo "# SIG$round $((delay / 10)).$((delay % 10)) s into the sweep, at: $(tr '\r' '\n' <"$log" | grep '^\[' | tail -n 1)"
	echo "# the pool then: $grown pages (before: $(head -n 1 "$out/$cmd-before")); fio processes: $(pgrep -cx fio || true)"
	kill "-$round" "$pid"
	st=0
	wait "$pid" || st=$?
	if [ "$round" = KILL ]; then
		killed=1
		check "SIGKILL: killed ($st)" test "$st" = 137
		rst=0
		"$bin" repair >"$out/repair.log" 2>&1 || rst=$?
		sed 's/^/# /' "$out/repair.log"
		check "SIGKILL: dmabench repair succeeds" test "$rst" = 0
		if [ "$grown" != "$(sed -n 's/^pool //p' "$out/$cmd-before")" ]; then
			check "SIGKILL: repair says it put the pool back" \
				grep -q '^huge page pool: .* back to' "$out/repair.log"
		fi
	else
		check "SIG$round: dmabench $cmd says it was interrupted, exits 130 ($st)" \
			bash -c "[ $st = 130 ] && grep -q 'interrupted' '$log'"
	fi
	# After SIGKILL, repair put the pool back before this looks.
	check "SIG$round: the pool, RDMA resources and fio as before" same
	check "SIG$round: no ledger left" \
		bash -c "! ls /run/dmabench/hugepages >/dev/null 2>&1"
	check "SIG$round: no run directory that looks complete" \
		bash -c "! find '$runs' -mindepth 1 -maxdepth 1 ! -name '.tmp-*' | grep -q ."
	if [ "$round" = INT ] && [ "$killed" = 1 ]; then
		check "the run after SIGKILL removed its staging directory, and said so" \
			bash -c "! find '$runs' -mindepth 1 -maxdepth 1 -name '.tmp-*' | grep -q . &&
				grep -q 'had begun' '$log'"
	fi
done
check "no staging directory left" \
	bash -c "! find '$runs' -mindepth 1 -maxdepth 1 | grep -q ."

bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|general protection' || true)
check "no warning, BUG or oops in the kernel log" test -z "$bad"
[ -z "$bad" ] || printf '%s\n' "$bad" | sed 's/^/# /'
tap_end

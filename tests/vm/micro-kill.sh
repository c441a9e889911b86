#!/usr/bin/env bash
# Inside the VM: `dmabench micro` on the IOMMU paths (it switches the spare
# PCI device's IOMMU group between types) stopped by SIGINT, SIGTERM and
# SIGKILL at random points.  After SIGINT and SIGTERM the device must be
# back with its driver and group type, driver_override cleared, no ledger
# left, the module free to unload and no part that looks complete; after
# SIGKILL, `dmabench repair` must put all of that back, module unloaded,
# and say what it fixed.  Prints TAP.
#
# Usage: micro-kill.sh MODULE.ko DMABENCH BDF OUTDIR SEED
set -euo pipefail

ko=$1
bin=$2
bdf=$3
out=$4
RANDOM=$5
# shellcheck source=tests/vm/tap.sh
. "$(dirname "$0")/tap.sh"

dev=/sys/bus/pci/devices/$bdf
state() {
	local drv=none
	[ -e "$dev/driver" ] && drv=$(basename "$(readlink "$dev/driver")")
	echo "driver=$drv override=$(cat "$dev/driver_override")" \
		"type=$(cat "$dev/iommu_group/type" 2>/dev/null || echo none)"
}
loaded() { [ -e /sys/module/dmabench ]; }

before=$(state)
echo "# $bdf before: $before"
check "the device is in an IOMMU group" test -e "$dev/iommu_group"
for round in INT TERM KILL INT KILL; do
	loaded || insmod "$ko"
	part=$out/part-$round-$RANDOM
	"$bin" micro --pci "$bdf" --path iommu-strict,iommu-lazy,iommu-identity \
		--api page --size 4096,65536 --samples 2000 --warmup 100 \
		--part "$part" >"$out/micro-$round.log" 2>&1 &
	pid=$!
	# 0.3 to 4 s: opening, switching the group, timing, restoring.
	delay=$(( 3 + RANDOM % 38 ))
	sleep "$(printf '%d.%d' $((delay / 10)) $((delay % 10)))"
	mid=$(state)
	kill "-$round" "$pid" 2>/dev/null || true
	st=0
	wait "$pid" || st=$?
	echo "# SIG$round after $((delay / 10)).$((delay % 10)) s: exit $st; device then: $mid"
	if [ "$round" = KILL ]; then
		rst=0
		"$bin" repair >"$out/repair.log" 2>&1 || rst=$?
		sed 's/^/# /' "$out/repair.log"
		check "SIGKILL: dmabench repair succeeds" test "$rst" = 0
		check "SIGKILL: repair says what it did" \
			grep -qE 'repaired|nothing to repair' "$out/repair.log"
		check "SIGKILL: module unloaded by repair" bash -c '! test -e /sys/module/dmabench'
	else
		check "SIG$round: dmabench exits by its own path (130, or it had finished: 0)" \
			bash -c "[ $st = 130 ] || [ $st = 0 ]"
		check "SIG$round: module free to unload" rmmod dmabench
	fi
	after=$(state)
	check "SIG$round: device back as it was ($after)" test "$after" = "$before"
	check "SIG$round: no ledger left" \
		bash -c "! ls /run/dmabench/pci-* >/dev/null 2>&1"
	if [ -e "$part/part.json" ]; then
		check "SIG$round: a part that says complete has its summary" \
			test -s "$part/summary.csv"
	else
		check "SIG$round: no part left that looks complete" \
			bash -c "! test -e '$part/summary.csv' || ! test -e '$part/part.json'"
	fi
	"$bin" repair >/dev/null 2>&1 || true
done
loaded && rmmod dmabench
check "the module is unloaded at the end" bash -c '! test -e /sys/module/dmabench'
bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|general protection' || true)
check "no warning, BUG or oops in the kernel log" test -z "$bad"
[ -z "$bad" ] || printf '%s\n' "$bad" | sed 's/^/# /'
tap_end

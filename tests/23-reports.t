#!/usr/bin/env bash
# make vm-stress passes only if the guest's log holds no kernel report: the
# patterns it searches with (tests/vm/reports.pattern) find a line of each
# kind of report a debug kernel prints (as the kernel formats them: KASAN,
# UBSAN, WARN, BUG, oops, lockdep, dma-debug, RCU stall, soft and hard
# lockup, hung task, atomic sleep, kmemleak), and none of the lines the
# module prints when all is well (refusals included).  Takes well under a
# second.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1
pat=tests/vm/reports.pattern

# shellcheck disable=SC2317 # called through check
found() { printf '%s\n' "$1" | grep -qE -f "$pat"; }
# shellcheck disable=SC2317 # called through check
missed() { ! found "$1"; }
while IFS= read -r line; do
	check "a report: $line" found "$line"
done <<'LINES'
[  12.345678] BUG: KASAN: slab-out-of-bounds in dmabench_run+0x1c/0x200 [dmabench]
[  12.345678] BUG: KASAN: use-after-free in dmabench_bufs_free+0x88/0x1a0 [dmabench]
[  12.345678] UBSAN: array-index-out-of-bounds in bench-module/dmabench_run.c:120:3
[  12.345678] WARNING: CPU: 1 PID: 321 at kernel/dma/debug.c:1076 check_unmap+0x6f2/0x9e0
[  12.345678] DMA-API: dmabench 0000:00:10.0: device driver tries to free DMA memory it has not allocated [device address=0x00000000fffff000] [size=4096 bytes]
[  12.345678] DMA-API: platform dmabench: device driver has pending DMA allocations while released from device [count=1]
[  12.345678] DMA-API: debugging out of memory - disabling
[  12.345678] WARNING: possible circular locking dependency detected
[  12.345678] WARNING: possible recursive locking detected
[  12.345678] WARNING: inconsistent lock state
[  12.345678] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
[  12.345678] INFO: task ioctlfuzz:412 blocked for more than 122 seconds.
[  12.345678] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [dmabench/0:99]
[  12.345678] NMI watchdog: Watchdog detected hard LOCKUP on cpu 1
[  12.345678] BUG: sleeping function called from invalid context at mm/slab.h:333
[  12.345678] BUG: scheduling while atomic: dmabench/0/99/0x00000002
[  12.345678] BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 33s!
[  12.345678] Oops: general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] SMP KASAN NOPTI
[  12.345678] BUG: kernel NULL pointer dereference, address: 0000000000000008
[  12.345678] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
[  12.345678] Call Trace:
LINES
while IFS= read -r line; do
	check "not a report: $line" missed "$line"
done <<'LINES'
[  12.345678] dmabench: loaded, features 0x7, tsc_khz 2096007
[  12.345678] dmabench 0000:00:10.0: dmabench: bound, IOMMU domain type 4
[  12.345678] dmabench: refused run (api 9 target 0 dir 0 bytes 64 offset 0 nents 1 attrs 0 samples 1 warmup 0 batch 1 working_set 1 threads 1 node -1 flags 0): unknown api
[  12.345678] dmabench: interface version 7 size 160, module expects 3 size 160: rebuild userspace/dmabench with this module
[  12.345678] dmabench: refused run: CPU 4095 of thread 3 is offline, unknown or taken by another thread
[  12.345678] dmabench: api 6: the kernel refused the first mapping (-95) on dmabench
[  12.345678] dmabench_refusals: 5120 callbacks suppressed
[  12.345678] dmabench-stress-219-23194 phase iommu-strict
LINES
finish

#!/usr/bin/env bash
# Inside the VM: load dmabench.ko, run the ioctl fuzzer (tests/vm/ioctlfuzz.c)
# on it, unload it, and look in the kernel log for what a debug kernel
# reports (WARN, BUG, oops, KASAN, lockdep, dma-debug, RCU stalls, hung
# tasks) and, where kmemleak is built in, for leaks.  Prints TAP.
#
# Usage: ioctl-stress.sh MODULE.ko IOCTLFUZZ CALLS SEED [SECONDS]
#   SECONDS: stop there even if CALLS are not made (a failed check)
set -euo pipefail

ko=$1
fuzz=$2
calls=$3
seed=$4
limit=${5:-0}
# shellcheck source=tests/vm/tap.sh
. "$(dirname "$0")/tap.sh"

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug || true
# The kernel log as it comes: a long run outgrows the ring buffer.
dmesg -w >/tmp/kmsg.log 2>&1 &
wpid=$!
marker="dmabench-stress-$$-$RANDOM"
sleep 1
echo "$marker start" >/dev/kmsg
check "the module loads" insmod "$ko"
st=0
"$fuzz" -n "$calls" -T "$limit" -p 3 -t 3 -s "$seed" 2>&1 |
	tee /tmp/fuzz.out | grep --line-buffered '^#' || true
st=$(grep -c '^ok 1 ' /tmp/fuzz.out || true)
st=$((1 - st))
check "the fuzzer made its $calls calls (exit $st)" test "$st" = 0
check "the module unloads after it" rmmod dmabench
echo "$marker end" >/dev/kmsg
sleep 2
kill "$wpid" 2>/dev/null || true
check "the kernel log of the run captured from start to end" \
	bash -c "grep -q '$marker start' /tmp/kmsg.log && grep -q '$marker end' /tmp/kmsg.log"
log=$(sed -n "/$marker start/,/$marker end/p" /tmp/kmsg.log)
echo "# kernel log lines in the run: $(printf '%s\n' "$log" | wc -l), of which refusals: $(printf '%s\n' "$log" | grep -c 'dmabench: refused\|dmabench: interface' || true), suppressed: $(printf '%s\n' "$log" | grep -o '[0-9]* callbacks suppressed' | awk '{s += $1} END {print s + 0}')"
reports=$(printf '%s\n' "$log" | grep -E \
	'WARNING:|BUG:|Oops|Call Trace|general protection|KASAN|UBSAN|possible circular locking|possible recursive locking|inconsistent lock state|DMA-API:|rcu.*stall|blocked for more than|soft lockup|hard LOCKUP|scheduling while atomic|sleeping function called from invalid context' || true)
echo "# kernel reports: $(printf '%s' "$reports" | grep -c . || true)"
check "no kernel report (WARN, BUG, KASAN, lockdep, dma-debug, stall, hung task)" test -z "$reports"
[ -z "$reports" ] || printf '%s\n' "$reports" | head -n 40 | sed 's/^/# /'
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(grep -c 'unreferenced object' /sys/kernel/debug/kmemleak || true)
	check "kmemleak: no unreferenced object ($leaks)" test "$leaks" = 0
else
	echo "# kmemleak: not in this kernel"
fi
tap_end

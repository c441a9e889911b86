#!/usr/bin/env bash
# make vm-stress: the ioctl fuzzer (tests/vm/ioctlfuzz.c) against dmabench.ko
# in a guest of KERNEL, in TSC mode with 2 vCPUs, then the guest's kernel log
# checked for reports (WARN, BUG, KASAN, lockdep, dma-debug, stalls, hung
# tasks; kmemleak where built in) and the module unloaded.  Prints TAP; its
# exit status is the guest's.
#
# Usage: lab/vm-stress.sh [--kernel SERIES|TREE] [--calls N] [--seed N]
#                         [--time S]   stop after S seconds (then it fails
#                                      unless N calls were made)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lab/guard.sh
. "$repo/lab/guard.sh"
guard_self "$@"
kernel=7.3
calls=1000000
limit=0
seed=$(( $(date +%s) % 1000000 ))
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--calls) calls=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--time) limit=$2; shift 2 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "vm-stress: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
done
case $calls$limit in
''|*[!0-9]*) echo "vm-stress: --calls '$calls': not a number" >&2; exit 2 ;;
esac

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
guard_run "$repo/lab/build.sh" "$kernel" >"$tmp"
build=$(cat "$tmp")
out=build/stress/$(date -u +%Y%m%d-%H%M%S)-$$
mkdir -p "$repo/$out"
cat >"$repo/$out/run.sh" <<SCRIPT
#!/bin/sh
/dmabench/$build/tests/ioctl-stress.sh /dmabench/$build/bench-module/dmabench.ko \\
	/dmabench/$build/tests/ioctlfuzz $calls $seed $limit >/dmabench/$out/tap 2>&1
SCRIPT
chmod +x "$repo/$out/run.sh"
echo "vm-stress: $calls ioctls on $kernel, seed $seed; output in $out" >&2
st=0
# loglevel=1: the serial console of a TCG guest is slow; the guest follows
# the whole log with dmesg -w all the same.
guard_run "$repo/lab/boot.sh" "$build" "$out" 2 "-M q35 -device edu,addr=0x10" \
	"loglevel=1" "$out/run.sh" || st=$?
cat "$repo/$out/tap" 2>/dev/null || echo "Bail out! the guest wrote no TAP"
if [ "$st" = 0 ] && grep -q '^not ok' "$repo/$out/tap"; then
	st=1
fi
exit "$st"

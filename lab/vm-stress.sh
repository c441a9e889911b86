#!/usr/bin/env bash
# make vm-stress: dmabench.ko stressed in guests of KERNEL, in TSC mode with
# 2 vCPUs, on every DMA path: one boot with an emulated Intel IOMMU for
# direct (the module's own device) and the three IOMMU domain types (the
# spare PCI device, QEMU's edu), one with swiotlb=force for swiotlb.  On
# each path the ioctl fuzzer (tests/vm/ioctlfuzz.c: processes, threads,
# signals, SIGKILL and the device file closed mid-run) runs while other
# processes try to unload the module, unbind and rebind the PCI device and
# switch its IOMMU group's type; before that the quick matrix (every API)
# runs on each boot's paths; last `dmabench micro` is killed while it
# has the group switched.  dma-debug's mappings of the module's devices are
# counted before and after each phase, kmemleak scans, the module must
# unload and the device and its group come back as they were; the guest's
# log must hold no report (WARN, BUG, KASAN, UBSAN, lockdep, dma-debug,
# RCU stall, lockup, hung task).  See tests/vm/ioctl-stress.sh.
#
# Prints TAP and the figures: calls made, faults injected by kind, reports
# found.  Exit 0 only if every check passed.  The guests' files (fuzzer
# output, kernel log, kmemleak report) stay in build/stress/<run>/.
#
# Usage: lab/vm-stress.sh [--kernel SERIES|src:SERIES+debug|TREE]
#                         [--calls N] [--seed N] [--time S] [--dma LIST]
#                         [--matrix N]
#   --kernel  as lab/vm-bench.sh; src:7.3+debug is the lab's debug kernel
#             (dma-debug, KASAN, kmemleak, lockdep: make vm-kernel SRC=7.3
#             CONFIG=debug).  Debian's kernels have none of those: there
#             the log is still searched, the counts say unavailable.
#   --calls   ioctls in all, split evenly over the paths (default 1000000)
#   --seed    the fuzzer's seed (default: from the clock; printed)
#   --time    a path's fuzzing stops after S seconds even if its calls are
#             not made, which fails the run (default: no limit)
#   --dma     direct,swiotlb,iommu-strict,iommu-lazy,iommu-identity or all
#             (default); the IOMMU boot adds the tool-kill phase
#   --matrix  samples a point of the quick matrix (dmabench micro --quick,
#             every API, size, direction, thread count and batch) run
#             first on each boot's paths (default 100; 0: no matrix)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lab/guard.sh
. "$repo/lab/guard.sh"
guard_self "$@"
kernel=7.3
calls=1000000
limit=0
seed=$(( $(date +%s) % 1000000 ))
dma=all
matrix=100
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--calls) calls=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--time) limit=$2; shift 2 ;;
	--dma) dma=$2; shift 2 ;;
	--matrix) matrix=$2; shift 2 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "vm-stress: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
done
for v in "$calls" "$limit" "$seed" "$matrix"; do
	case $v in
	''|*[!0-9]*) echo "vm-stress: '$v': not a number (--calls, --seed, --time, --matrix)" >&2; exit 2 ;;
	esac
done
[ "$dma" = all ] && dma=direct,swiotlb,iommu-strict,iommu-lazy,iommu-identity
iommu=''
swiotlb=''
nphases=0
for p in ${dma//,/ }; do
	case $p in
	direct|iommu-strict|iommu-lazy|iommu-identity) iommu+=${iommu:+,}$p ;;
	swiotlb) swiotlb=swiotlb ;;
	*) echo "vm-stress: unknown DMA path '$p'; use direct, swiotlb," \
		"iommu-strict, iommu-lazy, iommu-identity or all" >&2; exit 2 ;;
	esac
	nphases=$((nphases + 1))
done
per=$(( (calls + nphases - 1) / nphases ))

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
t0=$SECONDS
guard_run "$repo/lab/build.sh" "$kernel" >"$tmp"
build=$(cat "$tmp")
# shellcheck source=/dev/null
. "$repo/$build/kernel.env"
out=build/stress/$(date -u +%Y%m%d-%H%M%S)-$$
mkdir -p "$repo/$out"
echo "vm-stress: $calls ioctls on $RELEASE ($kernel), seed $seed, paths $dma;" \
	"output in $out" >&2
cpu=${DMABENCH_CPU:-max,vendor=GenuineIntel}
bdf=0000:00:10.0
st=0
boot() {
	local name=$1 phases=$2 qemu=$3 append=$4 n b=0 t=$SECONDS
	n=$(( per * $(tr ',' '\n' <<<"$phases" | grep -vc tool-kill) ))
	mkdir -p "$repo/$out/$name"
	cat >"$repo/$out/$name.sh" <<SCRIPT
#!/bin/sh
exec /dmabench/$build/tests/ioctl-stress.sh /dmabench/$build/bench-module/dmabench.ko \\
	/dmabench/$build/tests/ioctlfuzz /dmabench/$build/userspace/dmabench $bdf \\
	$n $seed $limit $phases /dmabench/$out/$name $matrix >/dmabench/$out/$name/tap 2>&1
SCRIPT
	chmod +x "$repo/$out/$name.sh"
	echo "vm-stress: boot '$name': $phases" >&2
	# loglevel=1: the serial console of a TCG guest is slow; the guest
	# follows the whole log with dmesg -w all the same.
	guard_run "$repo/lab/boot.sh" "$build" "$out" 2 \
		"-M q35 -cpu $cpu $qemu -device edu,addr=0x10" \
		"loglevel=1 $append" "$out/$name.sh" || b=$?
	echo "# boot $name ($phases): exit $b, $((SECONDS - t)) s"
	[ -s "$repo/$out/$name/tap" ] ||
		echo "Bail out! boot $name: the guest wrote no TAP" >"$repo/$out/$name/tap"
	[ "$b" = 0 ] || st=1
}
[ -n "$iommu" ] && boot iommu "$iommu,tool-kill" "-device intel-iommu" "intel_iommu=on"
[ -n "$swiotlb" ] && boot swiotlb swiotlb "" "swiotlb=force"

# One TAP stream of every boot's checks, then the figures added up.
for f in "$repo/$out"/*/tap; do
	name=$(basename "$(dirname "$f")")
	sed -e '/^1\.\.[0-9]*$/d' -e "s/^\(not \)\{0,1\}ok [0-9]* - /&$name: /" "$f"
done | awk '/^(not )?ok [0-9]+ - / { sub(/ok [0-9]+ - /, "ok " ++n " - ") } { print } END { print "1.." n }' >"$repo/$out/tap"
grep -v '^1\.\.' "$repo/$out/tap"
cat "$repo/$out"/*/tap | awk -v secs=$((SECONDS - t0)) '
	/^# figures: ioctls made / { calls += $NF }
	/^# figures: fault / { k = $0; sub(/^# figures: fault /, "", k); sub(/: [0-9]+$/, "", k); f[k] += $NF }
	/^# figures: kernel reports / { rep += $NF }
	/^# figures: kmemleak unreferenced objects / { leak += $5; kl = 1 }
	/^# figures: kmemleak unavailable/ { kl = kl ? kl : 0; nokl = 1 }
	END {
		printf "# vm-stress: %d ioctls made in %d s (build and boots included)\n", calls, secs
		for (k in f) printf "# vm-stress: fault %s: %d\n", k, f[k] | "sort"
		close("sort")
		printf "# vm-stress: kernel reports %d\n", rep
		if (kl) printf "# vm-stress: kmemleak unreferenced objects %d\n", leak
		else printf "# vm-stress: kmemleak unavailable (not in this kernel)\n"
	}'
tail -n 1 "$repo/$out/tap"
if grep -q '^not ok\|^Bail out' "$repo/$out/tap"; then
	st=1
fi
exit "$st"

#!/usr/bin/env bash
# The kernel's own dma_map_benchmark and dmabench side by side: make vm-peer's
# lab/vm-peer.sh in one -icount boot of the lab's kernel (src:7.3, built
# with CONFIG_DMA_MAP_BENCHMARK and no debugging: no dma-debug, lockdep or
# KASAN), iommu-strict, 4096 bytes to the device, the peer for 1 guest
# second, dmabench 2000 samples: a run directory with peer.csv, peer.txt and
# meta.txt, a map and an unmap row, and that they agree to within the
# peer's resolution (100 instructions).  Without a cached src:7.3 tree it
# skips, saying how to build one (make vm-kernel SRC=7.3): it never builds
# a kernel.  Takes about 2 minutes where the tree is cached.
# (On the debug kernel they do not agree, for reasons of that kernel's own:
# README, "The kernel's own benchmark as a peer"; results/peer/.)
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

cached=$(lab/kbuild.sh --key 7.3 2>/dev/null | cut -d' ' -f2)
if [ -z "$cached" ] || [ ! -e "$cached/.complete" ]; then
	skip "dma_map_benchmark and dmabench side by side" \
		"no cached src:7.3 tree (${cached:-no key}): make vm-kernel SRC=7.3 (about 35 min on 2 cores)"
	finish
fi
if [ "$(id -u)" != 0 ]; then
	skip "dma_map_benchmark and dmabench side by side" "needs root (the lab's chroot)"
	finish
fi

out=build/test-results-peer
rm -rf "$out"
mkdir -p "$out"
t0=$SECONDS
st=0
lab/vm-peer.sh --kernel src:7.3 --dma iommu-strict --seconds 1 \
	--samples 2000 --out "$out" >"$logs/vm-peer.log" 2>&1 || st=$?
echo "# lab/vm-peer.sh: exit $st after $((SECONDS - t0)) s"
# The run directory is its own line of the output (a disagreement is said
# after it).
run=$(grep -x "$out/peer-[^ ]*" "$logs/vm-peer.log" | tail -n 1)
check "lab/vm-peer.sh made a run directory ($run)" test -d "$run"
if [ ! -d "$run" ]; then
	tail -n 30 "$logs/vm-peer.log" | diag
	finish
fi
diag <"$run/peer.txt"
check "it has peer.csv, peer.txt and meta.txt" \
	test -s "$run/peer.csv" -a -s "$run/peer.txt" -a -s "$run/meta.txt"
check "meta.txt names the lab's kernel" grep -q '^kernel=.*-lab$' "$run/meta.txt"
rows=$(awk -F, 'NR > 1 && $1 == "iommu-strict" && ($2 == "map" || $2 == "unmap") && $5 == "instructions" && $6 == 2000' "$run/peer.csv" | wc -l)
check "a map and an unmap row in instructions, 2000 samples each ($rows)" test "$rows" = 2
check "every row has the peer's figure" \
	bash -c "awk -F, 'NR > 1 && \$10 !~ /^[0-9]+\$/ { bad = 1 } END { exit bad }' '$run/peer.csv'"
check "every row agrees to within the peer's resolution" \
	bash -c "! grep -q ',no\$' '$run/peer.csv'"
check "lab/vm-peer.sh exits 0 (it exits 1 on a disagreement)" test "$st" = 0
finish

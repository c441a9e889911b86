#!/usr/bin/env bash
# Regenerate results/published/: Debian's 6.12 kernel (before dma_map_phys)
# against its 7.3 kernel (after), every DMA path, instruction-count mode,
# the quick matrix, with the comparison, plots and report.  The previous
# reference is replaced; git shows what changed.
#
# Usage: lab/publish.sh          (or: make publish)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/results/published
mkdir -p "$repo/build"
tmp=$(mktemp -d "$repo/build/publish.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$repo/lab/vm-compare.sh" 6.12 7.3 --dma all --icount --quick --out "$tmp" >&2
find "$out" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
runs=()
for run in "$tmp"/*/; do
	run=${run%/}
	mv "$run" "$out/"
	runs+=("$(basename "$run")")
done

rev=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
{
	cat <<HEAD
# Published reference results

Debian's packaged 6.12 kernel, which has no \`dma_map_phys()\`, against its
7.3 kernel, where \`dma_map_page_attrs()\` is a wrapper around it: every DMA
path (direct, swiotlb, iommu-strict, iommu-lazy, iommu-identity), in the VM
lab's instruction-count mode (QEMU TCG, \`-icount shift=0,sleep=off\`), with
the quick matrix. Every figure is a count of guest instructions, not a time.

Produced by \`make publish\` (\`lab/publish.sh\`), which runs

    lab/vm-compare.sh 6.12 7.3 --dma all --icount --quick

at suite revision \`$rev\`, on $(date -u +%Y-%m-%d). The runs:

HEAD
	for run in "${runs[@]}"; do
		echo "- \`$run/\`: $(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["boots"][0]["kernel"]["version"])' "$out/$run/meta.json")"
	done
	cat <<TAIL

The second run holds the comparison (\`compare-*.txt\`, \`.csv\`, \`.md\`),
the plots (\`plots/\`) and the report (\`report.md\`).

\`make test\` runs the same matrix on the same kernels and checks that the
regenerated figures match these (tests/70-published.t): identical medians
at every direct and identity point, and at 95 % of all points; the rest,
on paths whose state the guest shares between points (the swiotlb pool,
the IOMMU's page-table pages), within 1 %. Newer Debian kernels of either
series give other figures; the test says when the kernels differ.
TAIL
} >"$out/README.md"
echo "publish: $out" >&2

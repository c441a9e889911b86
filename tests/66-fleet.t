#!/usr/bin/env bash
# dmabench compare across a fleet: runs of several machines per side are
# grouped by machine (host and CPU model in meta.json) and compared
# machine by machine, one line per machine and path.  Built from the
# published 6.12 and 7.3 runs, copied as two machines (the second with
# another CPU model).
# A few seconds.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

dmabench=$repo/userspace/dmabench
pub=$repo/results/published
a=$(find "$pub" -maxdepth 1 -name '*-6.12.*' | head -n 1)
b=$(find "$pub" -maxdepth 1 -name '*-7.3.*' | head -n 1)
if [ -z "$a" ] || [ -z "$b" ] || ! run_logged fleet-build make -s -C userspace; then
	check "published runs and a build of userspace" false
	finish
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for m in m1 m2; do
	cp -r "$a" "$work/${m}A"
	cp -r "$b" "$work/${m}B"
done
sed -i 's/"model": "[^"]*"/"model": "Board Two CPU"/' "$work/m2A/meta.json" \
	"$work/m2B/meta.json"
"$dmabench" compare "$work/m1A,$work/m2A" "$work/m1B,$work/m2B" \
	>"$work/out" 2>"$work/err"
check "compare of two machines per side succeeds" test $? = 0
diag <"$work/err"
check "it names both machines" \
	bash -c "grep -q '^1: .*QEMU' '$work/out' && grep -q '^2: .*Board Two CPU' '$work/out'"
check "one line per machine and path (2 x 5)" \
	test "$(grep -cE '^[12] +(direct|swiotlb|iommu-strict|iommu-lazy|iommu-identity) ' "$work/out")" = 10
check "every line fits 79 columns" bash -c "! grep -q '.\{80\}' '$work/out'"
check "6.12 -> 7.3 on direct is marked slower on machine 1" \
	grep -qE '^1 +direct +[0-9]+ +[0-9.]+ +[0-9.]+ +\+[0-9.]+%\*' "$work/out"
check "the two copies agree (same figures, same lines)" \
	cmp -s <(grep -E '^1 ' "$work/out" | cut -c4-) <(grep -E '^2 ' "$work/out" | cut -c4-)
"$dmabench" compare --format csv "$work/m1A,$work/m2A" "$work/m1B,$work/m2B" \
	>"$work/csv" 2>/dev/null
check "csv: a header and 10 rows" test "$(wc -l <"$work/csv")" = 11
# A machine with runs of two kernels on one side is refused.
"$dmabench" compare "$work/m1A,$work/m1B,$work/m2A" "$work/m1B,$work/m2B" \
	>/dev/null 2>"$work/err2"
check "two kernels on one machine and side are refused" \
	bash -c "[ $? != 0 ] && grep -q 'not repetitions' '$work/err2'"
# A on one machine, B on another: one pair of sides, not a fleet of two
# machines with a side each.
"$dmabench" compare "$work/m1A" "$work/m2B" >"$work/pair" 2>/dev/null
check "A on one machine and B on another: compared as one pair, not a fleet" \
	bash -c "! grep -q '^dmabench compare: 2 machines' '$work/pair' && grep -q 'direct' '$work/pair'"
# --summary: one line per api and path.
"$dmabench" compare --summary --op pair "$work/m1A" "$work/m1B" >"$work/sum" 2>/dev/null
check "--summary: a line per api and path, page on direct among them" \
	grep -qE '^  page on direct +[0-9.]+ +[0-9.]+ +[+-][0-9.]+%' "$work/sum"
check "--summary: no line per point" \
	bash -c "[ \$(grep -cE '^  (none|page|phys|single|resource|sg|iova) on ' '$work/sum') -le 35 ]"
"$dmabench" compare --summary --op pair --within "$work/m1B" --a page --b phys \
	>"$work/within" 2>/dev/null
check "--summary --within: phys against page per path" \
	test "$(grep -cE '^  (direct|swiotlb|iommu-strict|iommu-lazy|iommu-identity) ' "$work/within")" = 5
# One machine: the ordinary report, unchanged.
"$dmabench" compare --op pair "$work/m1A" "$work/m1B" >"$work/one" 2>/dev/null
check "one machine per side keeps the point-by-point report" \
	grep -q '^dmabench compare: B against A' "$work/one"
finish

#!/usr/bin/env bash
# make publish in pieces, without the lab: the plan of every step
# (--dry-run), and the steps that need no VM (within, verdict, install)
# on the traced runs of tests/unit/data/trace/, staged as the VM steps
# would have left them.
# The helper functions are called through check:
# shellcheck disable=SC2317
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data=tests/unit/data/trace
da=$data/20261204-101500-6.12.117+deb13-amd64-d6a001
db=$data/20261204-102000-7.3.4+deb13-amd64-d73002
sa=$data/20261204-103000-6.12.117-dmabench-5a6003
sb=$data/20261204-104000-7.3.4-dmabench-5b7004
cpu=$data/20261204-105000-7.3.4+deb13-amd64-c73005

# What build/publish holds (a real make publish may have left runs there).
snap() { find build/publish -printf '%p %T@\n' 2>/dev/null | sort | md5sum; }
before=$(snap)
lab/publish.sh --dry-run >"$tmp/plan" 2>&1
check "--dry-run plans seven steps with an estimate each" \
	test "$(grep -c '^publish: step [1-7]/7 .*(about [0-9]* of the [0-9]* min left)' "$tmp/plan")" = 7
check "--dry-run names the commands" \
	grep -q 'would run: .*vm-compare.sh 6.12 7.3 --dma all --icount --quick' "$tmp/plan"
check "--dry-run: the arm64 step compares Debian's arm64 kernels" \
	grep -q 'would run: .*vm-compare.sh 6.12 7.3 --arch arm64 --dma all --icount --quick' "$tmp/plan"
check "--dry-run runs nothing" test "$(snap)" = "$before"
refuses_bogus() { ! lab/publish.sh --steps bogus --dry-run 2>/dev/null; }
check "an unknown step is refused" refuses_bogus

# The VM steps' output, staged: runs under WORK/<step>/, listed in
# WORK/<step>.runs, oldest first.
work=$tmp/work
for s in debian src cpu; do mkdir -p "$work/$s"; done
cp -r "$da" "$db" "$work/debian/"
cp -r "$sa" "$sb" "$work/src/"
cp -r "$cpu" "$work/cpu/"
for s in debian src cpu; do
	find "$work/$s" -mindepth 1 -maxdepth 1 -type d | sort >"$work/$s.runs"
done
b=$work/debian/$(basename "$db")
dest=$tmp/published
# What the arm64 step installed: install leaves it.
mkdir -p "$dest/arm64/run" "$dest/old"
lab/publish.sh --steps within,verdict,install --work "$work" --dest "$dest" \
	>"$tmp/log" 2>&1
check "steps within, verdict, install on staged runs" test $? = 0 ||
	diag <"$tmp/log"
check "within: page against phys, text leads with its summary" \
	grep -q '^Summary: median' "$b/compare-within-page-phys.txt"
check "within: page against phys_page too" \
	test -s "$b/compare-within-page-phys_page.csv"
check "within: the attribution as csv" \
	grep -q '^page,phys,direct,4096,to_device,map,dma_map_page_attrs,vanished,20,0,-20,' \
	"$b/compare-within-page-phys-attribution.csv"
check "verdict: VERDICT.md installed" test -s "$dest/VERDICT.md"
check "verdict: every attribution sums (W + Sd + So + C lines)" \
	test "$(grep -c '^    W + Sd + So + C = .*, checked$' "$dest/VERDICT.md")" = 6
check "verdict: the CPU-model run is in it" grep -q '^CPU model:' "$dest/VERDICT.md"
no_long_line() { ! grep -q '.\{80\}' "$1"; }
check "verdict: lines under 80 columns" no_long_line "$dest/VERDICT.md"
check "install: the Debian runs at the top, as tests/70-published.t finds them" \
	test -d "$dest/$(basename "$da")" -a -d "$dest/$(basename "$db")"
check "install: the arm64 step's folder stays, the rest is replaced" \
	test -d "$dest/arm64/run" -a ! -e "$dest/old"
check "install: same-config/ and cpu-model/" \
	test -d "$dest/same-config/$(basename "$sb")" -a -d "$dest/cpu-model/$(basename "$cpu")"
lists() { # file run...
	local f=$1 r
	shift
	for r in "$@"; do grep -qF "$(basename "$r")" "$f" || return 1; done
}
check "install: README.md lists every run" \
	lists "$dest/README.md" "$da" "$db" "$sa" "$sb" "$cpu"
rm "$work/src.runs"
refused_without_src() {
	! lab/publish.sh --steps verdict --work "$work" --dest "$dest" \
		>"$tmp/log" 2>&1 && grep -q "run step src first" "$tmp/log"
}
check "verdict without the src step's runs: refused, said why" \
	refused_without_src
finish

#!/usr/bin/env bash
# Regenerate results/published/, in steps that can each be run alone:
#
#   debian   Debian's packaged 6.12 kernel (before dma_map_phys) against its
#            7.3 kernel, every DMA path, instruction-count mode, the quick
#            matrix's points at 200 samples each, with traces:
#            lab/vm-compare.sh 6.12 7.3 (comparison,
#            attribution, plots, report in the 7.3 run)
#   src      the same-config source builds, src:6.12 against src:7.3,
#            traced, at one point (4096 bytes to_device) on every path
#   within   page against phys (and phys_page) within Debian's 7.3 run,
#            with the attribution: dmabench compare --within
#   cpu      Debian's 7.3 on another CPU model (--cpu, qemu64 unless
#            PUBLISH_CPU says otherwise), traced at the same point
#   verdict  VERDICT.md from the four traced kernels and the CPU-model run
#   install  replace results/published/ with the runs, VERDICT.md and the
#            README.md written here (arm64/ stays); git shows what changed
#   arm64    Debian's arm64 6.12 against 7.3 (lab/arm64/), every arm64
#            path, instruction-count mode, the quick matrix, the NVMe
#            workload (lab/vm-compare.sh 6.12 7.3 --arch arm64), and page
#            against phys and phys_page within 7.3; no traces (the arm64
#            lab has none).  It replaces results/published/arm64/ alone,
#            sharing no run with the steps above, and rewrites README.md
#
# Usage: lab/publish.sh [--steps LIST] [--work DIR] [--dest DIR] [--dry-run]
#   --steps LIST  the steps to run, in the order above (default: all)
#   --work DIR    where the runs are made (default build/publish); each
#                 step records its runs in DIR/<step>.runs, which later
#                 steps read, so a step can be run again alone
#   --dest DIR    what install replaces (default results/published)
#   --dry-run     print each step's commands and time, run nothing
#
# Options that arrive with other branches are checked for, not assumed:
# lab/vm-bench.sh --trace (traces) and --cpu (the CPU model), and
# KERNEL=src:SERIES (same-config builds).  A step that needs one that is
# missing says so and stops.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
all=(debian src within cpu verdict install arm64)
steps=("${all[@]}")
work=$repo/build/publish
dest=$repo/results/published
dry=0
cpu_model=${PUBLISH_CPU:-qemu64}
while [ $# -gt 0 ]; do
	case $1 in
	--steps) IFS=, read -r -a steps <<<"$2"; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--dest) dest=$2; shift 2 ;;
	--dry-run) dry=1; shift ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "publish: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
done
for s in "${steps[@]}"; do
	case " ${all[*]} " in
	*" $s "*) ;;
	*) echo "publish: unknown step '$s'; steps: ${all[*]}" >&2; exit 2 ;;
	esac
done

# Minutes each step takes on an idle 2-core machine (the lab's timings:
# a quick matrix of 200 samples a point on every path of one kernel ~10
# min, traced; a one-point traced boot ~2 min; a kernel built from source
# 33 min (lab/kbuild.sh), unless cached: then src is ~10).
declare -A minutes=([debian]=20 [src]=45 [within]=1 [cpu]=6 [verdict]=1
	[install]=1 [arm64]=30)
declare -A what=(
	[debian]="Debian 6.12 against 7.3, every path, quick matrix at 200 samples, traced"
	[src]="same-config builds src:6.12 against src:7.3, traced at 4K to_device"
	[within]="page against phys (and phys_page) within Debian 7.3"
	[cpu]="Debian 7.3 on CPU model $cpu_model, traced at 4K to_device"
	[verdict]="VERDICT.md from DA, DB, SA, SB and the CPU-model run"
	[install]="replace $dest"
	[arm64]="Debian arm64 6.12 against 7.3, every arm64 path, quick matrix, NVMe; $dest/arm64")

dmabench=$repo/userspace/dmabench
point=(-- --size 4096 --dir to_device)

run() {
	if [ "$dry" = 1 ]; then
		printf '  would run:'
		printf ' %q' "$@"
		echo
	else
		"$@"
	fi
}

# What lab/vm-bench.sh offers, from its --help.
bench_has() {
	"$repo/lab/vm-bench.sh" --help | grep -q -- "$1"
}

# KERNEL=src:SERIES: lab/build.sh (or vm-bench's help) knows it.
src_ok() {
	bench_has src: || grep -q 'src:' "$repo/lab/build.sh"
}

need() { # what feature-test
	if ! "${@:2}"; then
		echo "publish: this step needs $1, which this tree does not have yet" >&2
		[ "$dry" = 1 ] || exit 1
	fi
}

# The run directories a step recorded, one a line.
runs_of() {
	if [ "$dry" = 1 ] && [ ! -s "$work/$1.runs" ]; then
		echo "<$1-run-A>"
		echo "<$1-run-B>"
		return
	fi
	if [ ! -s "$work/$1.runs" ]; then
		echo "publish: no $work/$1.runs: run step $1 first" >&2
		exit 1
	fi
	cat "$work/$1.runs"
}

# Record the run directories made under $work/$1 (oldest first).
record() {
	[ "$dry" = 1 ] && return
	find "$work/$1" -mindepth 1 -maxdepth 1 -type d | sort >"$work/$1.runs"
	if [ ! -s "$work/$1.runs" ]; then
		echo "publish: step $1 made no run under $work/$1" >&2
		exit 1
	fi
}

step_debian() {
	need "lab/vm-bench.sh --trace (branch trace)" bench_has --trace
	run rm -rf "$work/debian"
	# 200 samples a point: instruction counts repeat, so the medians are
	# those of the quick matrix's 1000, at a fifth of the time (a swiotlb
	# boot's 64 KiB bounces took over an hour under load with 1000); the
	# percentiles that need more are left empty, saying why.  The same
	# matrix as tests/50-vm-bench.t, which tests/70-published.t compares.
	run "$repo/lab/vm-compare.sh" 6.12 7.3 --dma all --icount --quick --no-nvme \
		--out "$work/debian" -- --samples 200 --warmup 20 >&2
	record debian
}

step_src() {
	need "KERNEL=src:SERIES (branch kbuild)" src_ok
	need "lab/vm-bench.sh --trace (branch trace)" bench_has --trace
	run rm -rf "$work/src"
	run "$repo/lab/vm-compare.sh" src:6.12 src:7.3 --dma all --icount \
		--no-nvme --out "$work/src" "${point[@]}" >&2
	record src
}

# Page against phys and phys_page within one run: the comparison, and
# the attribution where the run was traced.
within() {
	local db=$1 b f
	for b in phys phys_page; do
		if [ "$dry" = 0 ] && ! grep -q "^$b," "$db/summary.csv"; then
			echo "publish: $db has no $b rows: no page against $b" >&2
			continue
		fi
		for f in text csv md; do
			run_to "$db/compare-within-page-$b.${f/text/txt}" \
				"$dmabench" compare --within "$db" --a page \
				--b "$b" --format "$f"
		done
		if [ "$dry" = 1 ] || [ -s "$db/trace.csv" ]; then
			for f in text csv md; do
				run_to "$db/compare-within-page-$b-attribution.${f/text/txt}" \
					"$dmabench" compare --attribution --within \
					"$db" --a page --b "$b" --format "$f"
			done
		fi
	done
}

step_within() {
	within "$(runs_of debian | sed -n 2p)"
}

run_to() { # file command...
	local out=$1
	shift
	if [ "$dry" = 1 ]; then
		run "$@"
		echo "    > $out"
	else
		"$@" >"$out"
	fi
}

step_cpu() {
	need "lab/vm-bench.sh --cpu (the CPU model)" bench_has --cpu
	need "lab/vm-bench.sh --trace (branch trace)" bench_has --trace
	run rm -rf "$work/cpu"
	run mkdir -p "$work/cpu"
	run "$repo/lab/vm-bench.sh" --kernel 7.3 --dma all --icount --no-nvme \
		--cpu "$cpu_model" --trace page,phys,phys_page --out "$work/cpu" \
		"${point[@]}" >&2
	record cpu
}

# The arm64 lab: both kernels side by side (-icount), compared, plotted and
# reported in the 7.3 run; page against phys within it; then
# results/published/arm64/ replaced by the two runs, and README.md.
step_arm64() {
	local r
	run rm -rf "$work/arm64"
	run "$repo/lab/vm-compare.sh" 6.12 7.3 --arch arm64 --dma all --icount \
		--quick --out "$work/arm64" >&2
	record arm64
	within "$(runs_of arm64 | sed -n 2p)"
	if [ "$dry" = 1 ]; then
		echo "  would replace $dest/arm64 with the runs of $work/arm64.runs" \
			"and rewrite $dest/README.md"
		return
	fi
	rm -rf "$dest/arm64"
	mkdir -p "$dest/arm64"
	while read -r r; do cp -r "$r" "$dest/arm64/"; done < <(runs_of arm64)
	readme >"$dest/README.md.tmp"
	mv "$dest/README.md.tmp" "$dest/README.md"
}

step_verdict() {
	local da db sa sb cpu=()
	da=$(runs_of debian | sed -n 1p)
	db=$(runs_of debian | sed -n 2p)
	sa=$(runs_of src | sed -n 1p)
	sb=$(runs_of src | sed -n 2p)
	if [ "$dry" = 1 ] || [ -s "$work/cpu.runs" ]; then
		cpu=(--cpu "$(runs_of cpu | sed -n 1p)")
	else
		echo "publish: no CPU-model run (step cpu): VERDICT.md without it" >&2
	fi
	run "$dmabench" verdict --da "$da" --db "$db" --sa "$sa" --sb "$sb" \
		"${cpu[@]}" --out "$work/VERDICT.md"
}

# meta.json's kernel version of a run.
kversion() {
	python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["boots"][0]["kernel"].get("version", "?"))' "$1/meta.json"
}

readme() {
	local rev run
	# The runs' own revisions (meta.json), and this file's: install
	# itself changes results/published, which does not make it dirty.
	rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
	git -C "$repo" diff --quiet HEAD -- . ":!results/published" 2>/dev/null ||
		rev=$rev-dirty
	runrevs=$(python3 -c 'import json, sys
print(", ".join(sorted({json.load(open(f))["suite"]["rev"] for f in sys.argv[1:]})))' \
		"$dest"/*/meta.json "$dest"/*/*/meta.json 2>/dev/null || echo unknown)
	cat <<HEAD
# Published reference results

Produced by \`make publish\` (\`lab/publish.sh\`): the runs at suite
revision \`$runrevs\` (each run's meta.json says which), this file
at \`$rev\`, on $(date -u +%Y-%m-%d). Every figure is a count of guest
instructions in the VM lab (QEMU TCG, \`-icount shift=0,sleep=off\`), not a
time.

Start with \`VERDICT.md\`: per DMA path the instructions of one traced map
and unmap call of \`page\`, \`phys\` and \`phys_page\` on four kernels, and
where page's change from Debian 6.12 to Debian 7.3 comes from: the
page->phys wrapper (the series itself), the rest of the \`dma_map_phys()\`
dispatch, other named code changes, and the difference between Debian's
configuration and a shared one. Every figure there names its run.

## Debian 6.12 against Debian 7.3 (this folder)

Debian's packaged 6.12 kernel, which has no \`dma_map_phys()\`, against its
7.3 kernel, where \`dma_map_page_attrs()\` is a wrapper around it: every DMA
path (direct, swiotlb, iommu-strict, iommu-lazy, iommu-identity), the
quick matrix's points at 200 samples each (enough for the medians, which
repeat exactly; p99 and beyond are left empty, saying so), each kernel also
traced (\`trace.csv\`, \`trace.txt\`):

    lab/vm-compare.sh 6.12 7.3 --dma all --icount --quick --no-nvme \\
        -- --samples 200 --warmup 20

HEAD
	for run in "$dest"/*/; do
		run=${run%/}
		[ -f "$run/meta.json" ] || continue
		echo "- \`$(basename "$run")/\`: $(kversion "$run")"
	done
	cat <<'MID'

The 7.3 run holds the comparison (`compare-*.txt`, `.csv`, `.md`; the
text begins with a summary, a line per api and path), the attribution of
the traced calls by function (`compare-*-attribution.*`), page against
phys and phys_page within 7.3 (`compare-within-page-*`), the plots
(`plots/`) and the report (`report.md`).

## Same-config builds: src:6.12 against src:7.3 (`same-config/`)

Debian's `linux-source` trees of both series, built with one shared
configuration, so that they differ only in code, traced at one point
(4096 bytes to_device) on every path:

    lab/vm-compare.sh src:6.12 src:7.3 --dma all --icount --no-nvme \
        -- --size 4096 --dir to_device

MID
	for run in "$dest"/same-config/*/; do
		run=${run%/}
		[ -f "$run/meta.json" ] || continue
		echo "- \`same-config/$(basename "$run")/\`: $(kversion "$run")"
	done
	cat <<MID2

## Another CPU model (\`cpu-model/\`)

Debian's 7.3 kernel with QEMU's \`-cpu $cpu_model\`, traced at the same
point, against the default model of the 7.3 run above: VERDICT.md says,
per path, whether the model changes the counts.

MID2
	for run in "$dest"/cpu-model/*/; do
		run=${run%/}
		[ -f "$run/meta.json" ] || continue
		echo "- \`cpu-model/$(basename "$run")/\`: $(kversion "$run")"
	done
	if [ -d "$dest/arm64" ]; then
		cat <<'ARM'

## arm64: Debian 6.12 against Debian 7.3 (`arm64/`)

Debian's arm64 kernels under `qemu-system-aarch64 -M virt -cpu max`
(`lab/arm64/`), every arm64 path: `direct` on a device that is not
cache-coherent (every map cleans the cache), `direct-coherent`, `swiotlb`,
and the three SMMUv3 domains; the quick matrix at 1000 samples a point, in
instructions (`CNTVCT_EL0` under `-icount`), with the emulated PMU's
counter rows and the NVMe workload (`dmabench nvme`: kernel cycles and
instructions per I/O, the DMA share from cycles samples). No traces: the
arm64 lab has none yet.

    lab/vm-compare.sh 6.12 7.3 --arch arm64 --dma all --icount --quick

The 7.3 run holds the comparison, page against phys and phys_page
(`compare-within-page-*`), the plots and the report.

ARM
		for run in "$dest"/arm64/*/; do
			run=${run%/}
			[ -f "$run/meta.json" ] || continue
			echo "- \`arm64/$(basename "$run")/\`: $(kversion "$run")"
		done
	fi
	cat <<'TAIL'

`make test` runs the quick matrix on the same Debian kernels and checks
that the regenerated figures match these (tests/70-published.t):
identical medians at every direct and identity point, and at 95 % of all
points; of the rest, on paths whose state carries between points (the
swiotlb pool, the IOMMU's page tables, IOVA caches and flush queue), at
most 1 % more than 2 % apart (a few points are bimodal: README.md,
ICOUNT=1). Newer Debian kernels of either series give other figures; the test
says when the kernels differ. It also checks the traced totals against the
microbenchmark's ICOUNT medians, and that the attribution sums exactly.
TAIL
}

step_install() {
	local r
	if [ "$dry" = 1 ]; then
		echo "  would replace $dest with the runs of $work/{debian,src,cpu}.runs,"
		echo "  $work/VERDICT.md and a new README.md"
		return
	fi
	[ -s "$work/VERDICT.md" ] || { echo "publish: no $work/VERDICT.md: run step verdict first" >&2; exit 1; }
	runs_of debian >/dev/null
	runs_of src >/dev/null
	mkdir -p "$dest"
	find "$dest" -mindepth 1 -maxdepth 1 ! -name arm64 -exec rm -rf {} +
	mkdir -p "$dest/same-config" "$dest/cpu-model"
	while read -r r; do cp -r "$r" "$dest/"; done < <(runs_of debian)
	while read -r r; do cp -r "$r" "$dest/same-config/"; done < <(runs_of src)
	if [ -s "$work/cpu.runs" ]; then
		while read -r r; do cp -r "$r" "$dest/cpu-model/"; done <"$work/cpu.runs"
	fi
	cp "$work/VERDICT.md" "$dest/VERDICT.md"
	readme >"$dest/README.md.tmp"
	mv "$dest/README.md.tmp" "$dest/README.md"
}

total=0
for s in "${steps[@]}"; do
	total=$((total + minutes[$s]))
done
# Minutes and seconds since $1 (seconds since the epoch).
since() {
	local d=$(($(date +%s) - $1))
	printf '%d min %02d s' $((d / 60)) $((d % 60))
}

if [ "$dry" = 1 ]; then
	echo "publish: dry run: the commands of each step, nothing run" >&2
else
	mkdir -p "$work"
	make -s -C "$repo/userspace" >&2
fi
start=$(date +%s)
left=$total
n=0
for s in "${steps[@]}"; do
	n=$((n + 1))
	echo "publish: step $n/${#steps[@]} $s: ${what[$s]} (about ${minutes[$s]} of the $left min left)" >&2
	t0=$(date +%s)
	"step_$s"
	left=$((left - minutes[$s]))
	echo "publish: step $s done in $(since "$t0"), $(since "$start") in all" >&2
done
if [ "$dry" = 0 ] && [[ " ${steps[*]} " == *" install "* ]]; then
	echo "publish: $dest" >&2
fi

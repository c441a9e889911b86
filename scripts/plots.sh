#!/usr/bin/env bash
# Draw the plots of a dmabench run directory into RUN/plots/ (PNG and SVG).
set -euo pipefail

usage() {
	cat <<'EOF'
usage: scripts/plots.sh [--check] RUN [BASE]

Draw PNG and SVG images of the dmabench run directory RUN into RUN/plots/
with gnuplot (the scripts are plots/*.gp, the data is prepared by
plots/prep.py with python3):

  pagephys   page vs phys (and single, resource, iova) per DMA path:
             median of op pair, to_device, 1 thread, at the size closest
             to 4 KiB, with the 95% interval of the median when the run
             has one
  size       cost against size per path, log-log, page and phys
  threads    rate against threads per path (only when the run has more
             than one thread count)
  ratio      with BASE: RUN's kernel against BASE's, B/A of the medians
             per path and api (B = RUN, A = BASE), intervals from
             'dmabench compare' when it can compare the two runs
  overview   one page: pagephys above size, to link to
  nvme       with workload rows of dmabench nvme: IOPS (fio's beside),
             busy CPU per I/O and DMA share of kernel samples, per point
             and path (plots/prep_workload.py)
  rdma       with rows of dmabench rdma: registration cost per page
             against size

Options:
  --check    draw, then verify that every expected file exists and is not
             empty, that each PNG starts with the PNG signature and that
             each SVG parses as XML; exit 1 naming what failed
  -h, --help this text

Needs gnuplot with the pngcairo and svg terminals:
  apt-get install -y gnuplot-nox
EOF
}

check=0
args=()
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help)
		usage
		exit 0
		;;
	--check) check=1 ;;
	--)
		shift
		args+=("$@")
		break
		;;
	-*)
		echo "plots: unknown option '$1' (see --help)" >&2
		exit 2
		;;
	*) args+=("$1") ;;
	esac
	shift
done
if [ ${#args[@]} -lt 1 ] || [ ${#args[@]} -gt 2 ]; then
	usage >&2
	exit 2
fi
run=${args[0]%/}
base=${args[1]:-}
base=${base%/}

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gpdir=$top/plots
dmabench=$top/userspace/dmabench

if ! command -v gnuplot >/dev/null 2>&1; then
	echo "plots: gnuplot is not installed; install it with:" >&2
	echo "  apt-get install -y gnuplot-nox" >&2
	exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "plots: python3 is needed to prepare the data" >&2
	exit 1
fi
for d in "$run" ${base:+"$base"}; do
	if [ ! -f "$d/summary.csv" ] || [ ! -f "$d/meta.json" ]; then
		echo "plots: $d is not a run directory (no summary.csv or meta.json)" >&2
		exit 1
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Kernel against kernel: the intervals come from dmabench compare when it
# is built and agrees to compare the runs; else prep.py divides medians.
cmp_csv=""
if [ -n "$base" ]; then
	if [ -x "$dmabench" ]; then
		if "$dmabench" compare "$base" "$run" --format csv --op pair \
			>"$tmp/compare.csv" 2>"$tmp/compare.err"; then
			cmp_csv=$tmp/compare.csv
		else
			echo "plots: dmabench compare failed; the ratio plot divides the summary medians instead:" >&2
			grep -v 'warning:' "$tmp/compare.err" | head -n 5 >&2 || true
		fi
	else
		echo "plots: $dmabench not built (make -C userspace); the ratio plot divides the summary medians, without intervals" >&2
	fi
fi

python3 "$gpdir/prep.py" "$tmp" "$run" ${base:+"$base"} ${cmp_csv:+"$cmp_csv"}
python3 "$gpdir/prep_workload.py" "$tmp" "$run"
[ -e "$tmp/wl_vars.gp" ] || : >"$tmp/wl_vars.gp"

out=$run/plots
mkdir -p "$out"
mapfile -t kinds <"$tmp/kinds"

font="DejaVu Sans,11"
for kind in "${kinds[@]}"; do
	case "$kind" in
	overview) size="1300,1500" ;;
	nvme) size="1300,1300" ;;
	*) size="1200,720" ;;
	esac
	for fmt in png svg; do
		if [ "$fmt" = png ]; then
			term="set terminal pngcairo size $size font '$font' noenhanced"
		else
			term="set terminal svg size $size font '$font' noenhanced background rgb 'white'"
		fi
		if ! gnuplot -e "$term; set output '$out/$kind.$fmt.tmp'; gpdir = '$gpdir'" \
			"$tmp/vars.gp" "$tmp/wl_vars.gp" "$gpdir/$kind.gp" \
			2>"$tmp/gnuplot.err"; then
			cat "$tmp/gnuplot.err" >&2
			echo "plots: gnuplot failed on $kind.$fmt" >&2
			exit 1
		fi
		# gnuplot warns on stderr for things worth fixing: show them.
		if [ -s "$tmp/gnuplot.err" ]; then
			sed "s/^/plots: $kind.$fmt: /" "$tmp/gnuplot.err" >&2
		fi
		mv "$out/$kind.$fmt.tmp" "$out/$kind.$fmt"
	done
done
printf '%s\n' "${kinds[@]}" >"$out/kinds"
echo "plots: wrote ${kinds[*]} (png, svg) into $out"

if [ "$check" = 1 ]; then
	failed=0
	expect=()
	if [ -n "$(sed 1d "$run/summary.csv")" ]; then
		expect=(pagephys size overview ${base:+ratio})
	fi
	[ -s "$run/workload.csv" ] && grep -q '^dmabench,nvme-.*,ok,' "$run/workload.csv" &&
		expect+=(nvme)
	for kind in "${expect[@]}" "${kinds[@]}"; do
		for fmt in png svg; do
			f=$out/$kind.$fmt
			if [ ! -s "$f" ]; then
				echo "plots: check: $f is missing or empty" >&2
				failed=1
			fi
		done
	done
	if ! python3 - "$out" <<'EOF'; then
import os
import sys
import xml.etree.ElementTree as ET

out = sys.argv[1]
bad = 0
for name in sorted(os.listdir(out)):
    path = os.path.join(out, name)
    if name.endswith(".png"):
        with open(path, "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                print("plots: check: %s lacks the PNG signature" % path,
                      file=sys.stderr)
                bad = 1
    elif name.endswith(".svg"):
        try:
            ET.parse(path)
        except (ET.ParseError, OSError) as e:
            print("plots: check: %s is not XML: %s" % (path, e),
                  file=sys.stderr)
            bad = 1
sys.exit(bad)
EOF
		failed=1
	fi
	if [ "$failed" != 0 ]; then
		echo "plots: check FAILED for $run" >&2
		exit 1
	fi
	echo "plots: check passed: $out"
fi

#!/usr/bin/env bash
# Run the same matrix on two kernels in the VM lab and compare them: the
# table (text for a mail, CSV, Markdown; the NVMe and RDMA workloads after
# the microbenchmark, and as a CSV of their own), the plots and the report,
# in the second kernel's run directory.  With --icount both kernels are
# traced too (lab/vm-bench.sh --trace with those of page, phys and
# phys_page that the matrix measures), and the attribution of the traced
# calls, per op, is written beside the comparison
# (compare-<A>-attribution.txt, .csv, .md).  With
# --icount the two kernels run side by side (their counts do not depend on
# the host's load); without, one after the other.
#
# Usage: lab/vm-compare.sh A B [--no-trace] [vm-bench options...]
#   A, B        Debian series (6.12, 7.3, ...), src:SERIES or kernel build
#               trees, as for lab/vm-bench.sh --kernel; A is the base
#   --no-trace  no traces, no attribution
#   options as for lab/vm-bench.sh (--arch, --dma, --icount, --quick,
#   --config, --out, -- dmabench micro options); --arch arm64 compares
#   Debian's arm64 kernels (lab/arm64/), without traces
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# Stopped or killed (even make by SIGKILL), it stops both kernels' runs
# (lab/guard.sh).
# shellcheck source=lab/guard.sh
. "$repo/lab/guard.sh"
# shellcheck source=lab/words.sh
. "$repo/lab/words.sh"
guard_self "$@"
if [ $# -lt 2 ] || [ "$1" = --help ] || [ "$1" = -h ]; then
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	[ $# -ge 2 ] || exit 2
	exit 0
fi
a=$1
b=$2
shift 2
trace=1
icount=0
arch=x86_64
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--no-trace) trace=0 ;;
	--icount) icount=1; args+=("$1") ;;
	--arch) arch=${2-}; args+=("$1" "${2-}"); shift ;;
	--) args+=("$@"); break ;;
	*) args+=("$1") ;;
	esac
	shift
done

# Traces come from lab/vm-bench.sh --trace (branch trace), which counts
# instructions and so needs --icount.  Where either is missing, say so
# and compare without them.
bench=()
if [ "$trace" = 1 ]; then
	if [ "$arch" = arm64 ] || [ "$arch" = aarch64 ]; then
		echo "vm-compare: the arm64 lab has no traces yet (lab/trace.py" \
			"steps x86 guests): no attribution" >&2
	elif ! "$repo/lab/vm-bench.sh" --help | grep -q -- '--trace'; then
		echo "vm-compare: lab/vm-bench.sh has no --trace yet: no traces," \
			"no attribution" >&2
	elif [ "$icount" = 0 ]; then
		echo "vm-compare: no traces without --icount (ICOUNT=1): no" \
			"attribution" >&2
	else
		# The matrix's APIs: the last --api of the configuration file
		# and of the dmabench options (all of them where none is given).
		apis=page,phys,phys_page
		words=()
		for ((i = 0; i < ${#args[@]}; i++)); do
			if [ "${args[i]}" = --config ] && [ -r "${args[i + 1]-}" ]; then
				mapfile -t -O "${#words[@]}" words < <(config_words "${args[i + 1]}")
			fi
		done
		words+=("${args[@]}")
		for ((i = 0; i < ${#words[@]}; i++)); do
			case ${words[i]} in
			--api) apis=${words[i + 1]-} ;;
			--api=*) apis=${words[i]#--api=} ;;
			esac
		done
		traced=()
		for api in page phys phys_page; do
			case ,$apis, in *",$api,"*) traced+=("$api") ;; esac
		done
		if [ ${#traced[@]} = 0 ]; then
			echo "vm-compare: the matrix measures none of page, phys" \
				"and phys_page: no traces, no attribution" >&2
		else
			bench+=(--trace "$(IFS=,; echo "${traced[*]}")")
		fi
	fi
fi
bench+=("${args[@]}")

make -s -C "$repo/userspace"
if [ "$icount" = 1 ]; then
	# Instruction counts do not depend on what else the host runs: the
	# two kernels boot side by side, one vCPU each, in about half the
	# time.  A's progress goes to a log (its end is shown if it fails);
	# it gets SIGTERM if we die (lab/guard.sh's parent-death signal).
	# B runs under guard_run, A beside it; stopped, we stop both and
	# wait for them (guard_cleanup).
	mkdir -p "$repo/build"
	log_a=$repo/build/vm-compare-A-$$.log
	out_a=$(mktemp)
	out_b=$(mktemp)
	trap 'rm -f "$out_a" "$out_b"; [ -z "${pid_a-}" ] || kill "$pid_a" 2>/dev/null || true' EXIT
	# shellcheck disable=SC2317 # called by lab/guard.sh on a signal
	guard_cleanup() {
		[ -n "${pid_a-}" ] || return 0
		kill "$pid_a" 2>/dev/null || true
		wait "$pid_a" 2>/dev/null || true
	}
	echo "vm-compare: kernel A ($a) beside kernel B ($b); A's progress:" \
		"$log_a" >&2
	"$repo/lab/vm-bench.sh" --kernel "$a" "${bench[@]}" >"$out_a" 2>"$log_a" &
	pid_a=$!
	echo "vm-compare: kernel B ($b)" >&2
	guard_run "$repo/lab/vm-bench.sh" --kernel "$b" "${bench[@]}" >"$out_b"
	run_b=$(tail -n 1 "$out_b")
	echo "vm-compare: kernel B done; waiting for kernel A ($a)" >&2
	st=0
	wait "$pid_a" || st=$?
	pid_a=
	if [ "$st" != 0 ]; then
		echo "vm-compare: kernel A ($a) failed ($st); the end of $log_a:" >&2
		tail -n 30 "$log_a" >&2
		exit 1
	fi
	run_a=$(tail -n 1 "$out_a")
	rm -f "$log_a"
else
	# Times: one kernel at a time, so that neither slows the other.
	out=$(mktemp)
	trap 'rm -f "$out"' EXIT
	echo "vm-compare: kernel A ($a)" >&2
	guard_run "$repo/lab/vm-bench.sh" --kernel "$a" "${bench[@]}" >"$out"
	run_a=$(tail -n 1 "$out")
	echo "vm-compare: kernel B ($b)" >&2
	guard_run "$repo/lab/vm-bench.sh" --kernel "$b" "${bench[@]}" >"$out"
	run_b=$(tail -n 1 "$out")
fi

dmabench=$repo/userspace/dmabench
for format in csv md; do
	"$dmabench" compare --op pair --format "$format" "$run_a" "$run_b" \
		>"$run_b/compare-$(basename "$run_a").$format"
done
if [ -s "$run_a/workload.csv" ] && [ -s "$run_b/workload.csv" ]; then
	"$dmabench" compare --workloads --format csv "$run_a" "$run_b" \
		>"$run_b/compare-$(basename "$run_a")-workloads.csv"
fi
if [ -s "$run_a/trace.csv" ] && [ -s "$run_b/trace.csv" ]; then
	for format in text csv md; do
		"$dmabench" compare --attribution --format "$format" "$run_a" \
			"$run_b" >"$run_b/compare-$(basename "$run_a")-attribution.${format/text/txt}"
	done
fi
"$dmabench" compare --op pair "$run_a" "$run_b" |
	tee "$run_b/compare-$(basename "$run_a").txt"
"$repo/scripts/plots.sh" "$run_b" "$run_a" >&2
"$repo/scripts/report.sh" "$run_b" "$run_a" >&2
echo "vm-compare: A $run_a" >&2
echo "vm-compare: B $run_b (comparison, plots/ and report.md)" >&2
echo "$run_b"

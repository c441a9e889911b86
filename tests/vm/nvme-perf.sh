#!/usr/bin/env bash
# Inside the VM: dmabench nvme --perf-record keeps perf.data and folded
# call stacks beside the results, and names them in the row.  Prints TAP.
#
# Usage: nvme-perf.sh DMABENCH OUTDIR DEVICE
set -euo pipefail

bin=$1 out=$2 dev=$3
# shellcheck source=tests/vm/tap.sh
. "$(dirname "$0")/tap.sh"

check "a point with --perf-record runs" \
	"$bin" nvme --out "$out/perf" --rw randread --bs 4k --qd 1 --batch 1 \
	--completion irq --buffers normal --time 1 --ramp 0.2 --perf-record "$dev"
run=$(find "$out/perf" -mindepth 1 -maxdepth 1 -type d | head -n 1)
check "perf.data kept under workload/" test -s "$run/workload/nvme-1.perf.data"
check "folded stacks kept under workload/" test -s "$run/workload/nvme-1.folded"
check "the row names the folded stacks as its profile" \
	grep -q ',workload/nvme-1.folded$' "$run/workload.csv"
check "the stacks hold the I/O path (io_uring)" \
	grep -q 'io_uring' "$run/workload/nvme-1.folded"
tap_end

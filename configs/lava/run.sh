#!/usr/bin/env bash
# The run step of configs/lava/dmabench.yaml: make bench, then every figure
# of its run as a LAVA test case.  make bench failing is one failed case,
# dmabench-bench, with the end of its output in the job's log.
#
# Environment (the definition's params): QUICK, PCI, NVME, CONFIG.
set -euo pipefail
cd "$(dirname "$0")/../.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! make bench QUICK="${QUICK:-1}" PCI="${PCI:-}" NVME="${NVME:-}" \
	CONFIG="${CONFIG:-}" 2>&1 | tee "$log"; then
	lava-test-case dmabench-bench --result fail
	exit 1
fi
run=$(tail -n 1 "$log")
if [ ! -f "$run/summary.csv" ]; then
	echo "dmabench: make bench named no run directory (last line: '$run')" >&2
	lava-test-case dmabench-bench --result fail
	exit 1
fi
lava-test-case dmabench-bench --result pass
echo "dmabench: reporting $run"
make -s userspace
userspace/dmabench export --format lava "$run" >"$log"
# Each line is one lava-test-case call; names and units hold no spaces.
while read -r cmd name rest; do
	[ "$cmd" = lava-test-case ] || continue
	read -r -a args <<<"$rest"
	lava-test-case "$name" "${args[@]}"
done <"$log"

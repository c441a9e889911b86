#!/usr/bin/env bash
# The lab's runs (from 50-vm-bench.t) turned into plots, a comparison and a
# report: every image is drawn and valid, the report names both kernels.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

make -s -C userspace >/dev/null || { echo "Bail out! userspace/dmabench does not build"; exit 1; }
out=build/test-results
new=$(find "$out" -maxdepth 1 -name '*-7.3.*' | sort | head -n 1)
old=$(find "$out" -maxdepth 1 -name '*-6.12.*' | sort | head -n 1)
if [ -z "$new" ] || [ -z "$old" ]; then
	echo "Bail out! no 6.12 and 7.3 runs in $out: run tests/50-vm-bench.t first"
	exit 1
fi

check "plots of the 7.3 run against 6.12 are drawn and valid" \
	run_logged plots scripts/plots.sh --check "$new" "$old"
check "the page against phys comparison runs" \
	run_logged compare-within userspace/dmabench compare --within "$new" \
	--a page --b phys --op pair
check "the 6.12 against 7.3 comparison runs" \
	run_logged compare-kernels userspace/dmabench compare "$old" "$new" \
	--op pair
check "every line of the mail-ready table is ASCII and under 80 columns" \
	bash -c "! LC_ALL=C grep -n '[^ -~]' '$logs/compare-kernels.log' &&
		! awk 'length > 79' '$logs/compare-kernels.log' | grep -q ."
check "the report is written" run_logged report scripts/report.sh "$new" "$old"
check "the report names both kernels" \
	bash -c "grep -q 6.12 '$new/report.md' && grep -q 7.3 '$new/report.md'"
finish

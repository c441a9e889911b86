#!/usr/bin/env bash
# results/published/ is reproducible: the runs of 50-vm-bench.t (the same
# matrix on the same kernels) give the same instruction counts.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

for series in 6.12 7.3; do
	pub=$(find results/published -maxdepth 1 -name "*-$series.*" | sort | head -n 1)
	new=$(find build/test-results -maxdepth 1 -name "*-$series.*" | sort | head -n 1)
	if [ -z "$pub" ]; then
		check "a published $series run" false
		continue
	fi
	if [ -z "$new" ]; then
		check "a fresh $series run from tests/50-vm-bench.t" false
		continue
	fi
	if [ "$(release "$pub")" != "$(release "$new")" ]; then
		skip "$series regenerates the published figures" \
			"Debian now serves $(release "$new"), the reference has $(release "$pub"): make publish"
		continue
	fi
	if [ "$(cpu_model "$pub")" != "$(cpu_model "$new")" ]; then
		skip "$series regenerates the published figures" \
			"the reference ran on -cpu $(cpu_model "$pub"), the lab now runs $(cpu_model "$new"): make publish"
		continue
	fi
	while IFS= read -r line; do
		case $line in
		"PASS: "*) check "$series: ${line#PASS: }" true ;;
		"FAIL: "*) check "$series: ${line#FAIL: }" false ;;
		"#"*) echo "$line" ;;
		esac
	done < <(python3 tests/checkrun.py same "$pub" "$new")
done
finish

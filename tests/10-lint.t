#!/usr/bin/env bash
# Static checks: shell scripts pass shellcheck; the module and userspace are
# written so that reviewers need not run them to trust them.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

mapfile -t scripts < <(git ls-files '*.sh' '*.t' 2>/dev/null; ls lab/*.sh scripts/*.sh tests/*.t tests/vm/*.sh bench-module/*.sh 2>/dev/null)
mapfile -t scripts < <(printf '%s\n' "${scripts[@]}" | sort -u)
for s in "${scripts[@]}"; do
	check "shellcheck $s" shellcheck -x "$s"
	check "$s uses set -euo pipefail" grep -q 'set -euo pipefail\|set -uo pipefail' "$s"
done

check "no version checks in the module (features come from compile tests)" \
	bash -c '! grep -n "LINUX_VERSION_CODE\|KERNEL_VERSION" bench-module/*.c bench-module/*.h'
finish

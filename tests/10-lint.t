#!/usr/bin/env bash
# Static checks: shell scripts pass shellcheck; the module and userspace are
# written so that reviewers need not run them to trust them.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

# Every shell script: tracked files whose first line names a shell.
mapfile -t scripts < <(git ls-files -co --exclude-standard |
	while read -r f; do
		[ -f "$f" ] && head -n 1 "$f" | grep -qE '^#!.*/(env )?(ba)?sh' && echo "$f"
	done)
for s in "${scripts[@]}"; do
	check "shellcheck $s" shellcheck -x "$s"
	case $s in
	*.t) ;;	# test scripts count failures themselves: set -uo pipefail
	*) check "$s uses set -euo pipefail" grep -q 'set -euo pipefail' "$s" ;;
	esac
done

check "no version checks in the module (features come from compile tests)" \
	bash -c '! grep -n "LINUX_VERSION_CODE\|KERNEL_VERSION" bench-module/*.c bench-module/*.h'
finish

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

# The architecture of userspace/ (scripts/depcheck.py): no call or include
# cycle between files, command files are leaves, each folder uses only the
# folders its README.md allows.  The self-test proves each rule can fail.
check "depcheck catches a cycle, a call into a command file, a folder breach" \
	run_logged depcheck-self-test python3 scripts/depcheck.py --self-test
if run_logged depcheck-build make -s -C userspace dmabench; then
	check "userspace: no cycles, command files are leaves, folder rules kept" \
		run_logged depcheck python3 scripts/depcheck.py userspace
else
	check "userspace builds for depcheck" false
fi
finish

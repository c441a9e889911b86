#!/usr/bin/env bash
# Unit tests of the userspace code (statistics, parsing, CSV and JSON
# writing, merging of parts), built with -Wall -Wextra -Werror.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
make -s -C userspace clean >/dev/null
exec make -s -C userspace test

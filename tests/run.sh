#!/usr/bin/env bash
# make test: every test script under tests/, through prove (TAP).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v prove >/dev/null || {
	echo "test: prove not found: apt-get install perl" >&2
	exit 1
}
exec prove --verbose --timer "$@" tests/*.t

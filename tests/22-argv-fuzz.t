#!/usr/bin/env bash
# Bad options: every command's argument parser fed random argv (a bounded
# number, from a printed seed: FUZZ_SEED=N repeats a run, FUZZ_CASES=N sizes
# it). No run may end by a signal or hang; a bad option exits 2 naming it.
# Runs without the module and changes nothing: as nobody, in a scratch
# directory. Where this machine cannot build dmabench (no liburing-dev, ...)
# it is built and run in the lab root, still on this machine's kernel.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

seed=${FUZZ_SEED:-$(( $(date +%s) % 1000000 ))}
cases=${FUZZ_CASES:-60}
build=build/argv-fuzz
rm -rf "$build"
mkdir -p "$build"
cp -r bench-module userspace configs "$build/"
make -s -C "$build/userspace" clean >/dev/null 2>&1

if make -s -C "$build/userspace" dmabench >"$logs/argv-fuzz-build.log" 2>&1; then
	echo "# built on this machine"
	python3 tests/argvfuzz.py "$build/userspace/dmabench" \
		--seed "$seed" --cases "$cases" >"$logs/argv-fuzz.log" 2>&1
	rc=$?
else
	echo "# this machine cannot build dmabench ($(tail -n 1 "$logs/argv-fuzz-build.log")): building it in the lab root"
	root=$(lab/mkroot.sh) || { echo "Bail out! no lab root"; exit 1; }
	make -s -C "$build/userspace" clean >/dev/null 2>&1
	lab/chroot.sh "$root" --bind "$repo" /dmabench bash -euo pipefail -c "
		make -s -C /dmabench/$build/userspace dmabench
		python3 /dmabench/tests/argvfuzz.py /dmabench/$build/userspace/dmabench \
			--seed $seed --cases $cases" >"$logs/argv-fuzz.log" 2>&1
	rc=$?
fi
relay_checks <"$logs/argv-fuzz.log"
check "the fuzzer ran to its end (exit $rc; $logs/argv-fuzz.log)" test "$rc" = 0
if [ "$rc" != 0 ]; then
	tail -n 20 "$logs/argv-fuzz.log" | diag
fi
finish

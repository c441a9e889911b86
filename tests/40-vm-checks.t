#!/usr/bin/env bash
# In a VM, on both Debian kernels: malformed requests are refused with an
# error and a line in dmesg, a second run during a run gets EBUSY at once
# and the info ioctl answers (tests/vm/busy.c), a PCI device binds, unbinding
# it during a run stops the run with ENODEV, it binds again and unbinds, the
# module unloads cleanly, and the kernel logs no warning meanwhile.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

for series in 6.12 7.3; do
	if ! build=$(lab/build.sh "$series" 2>"$logs/build-$series.log"); then
		check "lab build for $series" false
		tail -n 30 "$logs/build-$series.log" | diag
		continue
	fi
	out=build/test-checks/$series
	rm -rf "$out"
	mkdir -p "$out"
	cat >"$out/run.sh" <<SCRIPT
#!/bin/sh
/dmabench/$build/tests/guest-checks.sh /dmabench/$build/bench-module/dmabench.ko \\
	/dmabench/$build/tests/badparams 0000:00:10.0 >/dmabench/$out/tap 2>&1
SCRIPT
	chmod +x "$out/run.sh"
	run_logged "vm-checks-$series" lab/boot.sh "$build" "$out" 1 \
		"-M q35 -device edu,addr=0x10" "" "$out/run.sh"
	if [ ! -s "$out/tap" ]; then
		check "the checks ran in the $series guest" false
		continue
	fi
	# The guest's TAP, one point each here, named after the kernel.
	relay_tap "$series" "$out/tap"
done
finish

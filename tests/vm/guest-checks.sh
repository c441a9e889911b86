#!/usr/bin/env bash
# Inside the VM: the module's refusals and its clean unload.  Prints TAP.
#
# Usage: guest-checks.sh MODULE.ko BADPARAMS PCI_BDF
set -euo pipefail

ko=$1
badparams=$2
bdf=$3
dev=/sys/bus/pci/devices/$bdf
n=0
failed=0
check() {
	n=$((n + 1))
	if "$@" >/dev/null 2>&1; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		failed=1
	fi
}

echo "dmabench-checks start" >/dev/kmsg
desc="module loads"; check insmod "$ko"
desc="/dev/dmabench is root-only"; check test "$(stat -c %a /dev/dmabench)" = 600

# The malformed requests, as TAP of their own, indented as a subtest.
"$badparams" >/tmp/badparams.tap && bad=0 || bad=1
sed 's/^/    /' /tmp/badparams.tap
desc="malformed requests refused"; check test "$bad" = 0

echo dmabench >"$dev/driver_override"
echo "$bdf" >/sys/bus/pci/drivers/dmabench/bind || true
desc="a PCI device binds through driver_override"
check test "$(basename "$(readlink "$dev/driver")")" = dmabench
echo "$bdf" >/sys/bus/pci/drivers/dmabench/unbind
echo >"$dev/driver_override"
desc="the PCI device unbinds"; check test ! -e "$dev/driver"

desc="module unloads"; check rmmod dmabench
desc="nothing of it is left"; check test ! -e /dev/dmabench
echo "dmabench-checks end" >/dev/kmsg
log=$(dmesg | sed -n '/dmabench-checks start/,/dmabench-checks end/p')
desc="each refusal logged one line"
check test "$(echo "$log" | grep -c 'dmabench: refused run')" -ge 28
desc="no warning, oops or BUG while loaded"
check test -z "$(echo "$log" | grep -E 'WARNING:|BUG:|Oops|Call Trace')"
echo "1..$n"
exit "$failed"

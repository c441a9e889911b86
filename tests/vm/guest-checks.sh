#!/usr/bin/env bash
# Inside the VM: the module's refusals, what happens beside a run (a second
# run refused with EBUSY, info answering, PCI unbind stopping the run) and
# its clean unload.  Prints TAP.
#
# Usage: guest-checks.sh MODULE.ko BADPARAMS PCI_BDF [BUSY]
#   BUSY: tests/vm/busy.c built (default: beside BADPARAMS)
set -euo pipefail

ko=$1
badparams=$2
bdf=$3
busy=${4:-$(dirname "$badparams")/busy}
dev=/sys/bus/pci/devices/$bdf
# shellcheck source=tests/vm/tap.sh
. "$(dirname "$0")/tap.sh"

echo "dmabench-checks start" >/dev/kmsg
check "module loads" insmod "$ko"
check "/dev/dmabench is root-only" test "$(stat -c %a /dev/dmabench)" = 600

# The malformed requests, as TAP of their own, indented as a subtest.
"$badparams" >/tmp/badparams.tap && bad=0 || bad=1
sed 's/^/    /' /tmp/badparams.tap
check "malformed requests refused" test "$bad" = 0

echo dmabench >"$dev/driver_override"
echo "$bdf" >/sys/bus/pci/drivers/dmabench/bind || true
check "a PCI device binds through driver_override" test "$(basename "$(readlink "$dev/driver")")" = dmabench

# Beside a run; it unbinds the device during a run.  Its own TAP, with
# the times it measured, goes on as comments.
"$busy" "$bdf" >/tmp/busy.tap && st=0 || st=1
sed 's/^/# busy: /' /tmp/busy.tap
check "beside a run: EBUSY at once, info answers, unbind stops the run" test "$st" = 0
[ ! -e "$dev/driver" ] || echo "$bdf" >/sys/bus/pci/drivers/dmabench/unbind
echo "$bdf" >/sys/bus/pci/drivers/dmabench/bind || true
check "the device binds again after its removal during a run" \
	test "$(basename "$(readlink "$dev/driver")")" = dmabench
echo "$bdf" >/sys/bus/pci/drivers/dmabench/unbind
echo >"$dev/driver_override"
check "the PCI device unbinds" test ! -e "$dev/driver"

check "module unloads" rmmod dmabench
check "nothing of it is left" test ! -e /dev/dmabench
echo "dmabench-checks end" >/dev/kmsg
log=$(dmesg | sed -n '/dmabench-checks start/,/dmabench-checks end/p')
check "each refusal logged one line" test "$(echo "$log" | grep -c 'dmabench: refused run')" -ge 28
check "no warning, oops or BUG while loaded" test -z "$(echo "$log" | grep -E 'WARNING:|BUG:|Oops|Call Trace')"
tap_end

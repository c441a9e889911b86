#!/usr/bin/env bash
# The module builds, warning-free, against both Debian kernels that bracket
# dma_map_phys(), and its compile tests find exactly the features each has.
# checkpatch.pl (from Debian's linux-source) finds nothing in it.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

root=$(lab/mkroot.sh 2>"$logs/mkroot.log") || {
	echo "Bail out! the lab root could not be built: $logs/mkroot.log"
	exit 1
}

build_for() {
	local series=$1 release dir
	release=$(lab/kernel.sh "$root" "$series" 2>>"$logs/kernel.log") || return 1
	dir=build/test-module/$release
	rm -rf "$dir"
	mkdir -p "$dir"
	cp -r bench-module/. "$dir/"
	lab/chroot.sh "$root" --bind "$repo" /dmabench \
		make -C "/dmabench/$dir" KDIR="/usr/src/linux-headers-$release" \
		>"$logs/module-$series.log" 2>&1 || return 1
	echo "$dir"
}

for series in 6.12 7.3; do
	if ! dir=$(build_for "$series"); then
		check "dmabench.ko builds against Debian $series" false
		tail -n 30 "$logs/module-$series.log" | diag
		continue
	fi
	check "dmabench.ko builds against Debian $series" test -s "$dir/dmabench.ko"
	check "no compiler warnings against $series" \
		bash -c "! grep -i 'warning:' '$logs/module-$series.log'"
	case $series in
	6.12) want_phys=no; want_iova=no ;;
	*) want_phys=yes; want_iova=yes ;;
	esac
	has() { grep -q "^#define DMABENCH_HAVE_$1 1" "$dir/conftest.h" && echo yes || echo no; }
	check "compile test finds dma_map_phys on $series: $want_phys" \
		test "$(has PHYS)" = "$want_phys"
	check "compile test finds the two-step IOVA API on $series: $want_iova" \
		test "$(has IOVA)" = "$want_iova"
done

if lab/checkpatch.sh bench-module/*.c bench-module/*.h bench-module/conftest/*.c \
	>"$logs/checkpatch.log" 2>&1; then
	check "checkpatch.pl --strict finds nothing in bench-module" true
else
	check "checkpatch.pl --strict finds nothing in bench-module" false
	diag <"$logs/checkpatch.log"
fi
finish

#!/usr/bin/env bash
# Build, in the arm64 lab root, what an arm64 VM boot needs: dmabench.ko for
# Debian's arm64 kernel of SERIES (cross-compiled), userspace/dmabench and
# the guest checks' programs (tests/vm/badparams.c, busy.c) for arm64, and a
# native userspace/dmabench (under host/) that merges the boots' parts on
# this machine.  Prints the build directory (relative to the
# repository), which also holds kernel.env: RELEASE, KIMAGE (the kernel image
# as a path in the root) and KDIR.
#
# Usage: lab/arm64/build.sh SERIES
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
series=$1
if [ -d "$series" ]; then
	echo "build-arm64: kernel build trees are not supported for arm64 yet;" \
		"give a Debian series such as 7.3 or 6.12" >&2
	exit 2
fi
root=$("$here/mkroot.sh")
release=$("$here/kernel.sh" "$root" "$series")
kdir=/usr/src/linux-headers-$release
# 7.x packages the image in linux-binary-*, 6.12 in /boot.
kimage=
for f in "/usr/lib/modules/$release/vmlinuz" "/boot/vmlinuz-$release"; do
	if [ -e "$root$f" ]; then
		kimage=$f
		break
	fi
done
if [ -z "$kimage" ]; then
	echo "build-arm64: no kernel image for $release in $root" >&2
	exit 1
fi

build=build/lab-arm64/$release
rm -rf "${repo:?}/$build"
mkdir -p "$repo/$build/host" "$repo/$build/tests"
cp -r "$repo/bench-module" "$repo/userspace" "$repo/configs" "$repo/$build/"
cp -r "$repo/userspace" "$repo/bench-module" "$repo/$build/host/"
cp "$repo/tests/vm/badparams.c" "$repo/tests/vm/busy.c" "$repo/$build/tests/"
cat >"$repo/$build/kernel.env" <<ENV
RELEASE=$release
KIMAGE=$kimage
KDIR=$kdir
TREE=
ENV

echo "lab: building dmabench.ko and dmabench for arm64 $release" >&2
"$repo/lab/chroot.sh" "$root" --bind "$repo" /dmabench \
	env -u MAKEFLAGS -u ARCH -u CROSS_COMPILE bash -euo pipefail -c "
	b=/dmabench/$build
	ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
		make -s -C \$b/bench-module KDIR=$kdir
	# The copies may hold objects of an earlier build for this machine.
	make -s -C \$b/userspace clean
	make -s -C \$b/host/userspace clean
	make -s -C \$b/userspace CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar
	aarch64-linux-gnu-gcc -O2 -Wall -Wextra -Werror -I\$b/bench-module \
		-o \$b/tests/badparams \$b/tests/badparams.c
	aarch64-linux-gnu-gcc -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
		-I\$b/bench-module -o \$b/tests/busy \$b/tests/busy.c -lpthread
	make -s -C \$b/host/userspace
" >&2
echo "$build"

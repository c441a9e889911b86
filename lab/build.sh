#!/usr/bin/env bash
# Build, in the lab root, everything a VM boot of KERNEL needs: dmabench.ko
# for that kernel, userspace/dmabench and the VM test programs for the root's
# userland.  Prints the build directory (relative to the repository), which
# also holds kernel.env: RELEASE, KIMAGE, KDIR and TREE as seen in the root.
#
# Usage: lab/build.sh SERIES|TREE
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
kernel=$1
root=$("$repo/lab/mkroot.sh")
binds=(--bind "$repo" /dmabench)

if [ -d "$kernel" ]; then
	tree=$(cd "$kernel" && pwd)
	if [ ! -e "$tree/arch/x86/boot/bzImage" ]; then
		echo "build: $tree has no arch/x86/boot/bzImage: build the kernel first" >&2
		exit 1
	fi
	binds+=(--bind "$tree" /kernel)
	release=$(cat "$tree/include/config/kernel.release")
	kimage=/kernel/arch/x86/boot/bzImage
	kdir=/kernel
else
	tree=
	release=$("$repo/lab/kernel.sh" "$root" "$kernel")
	kimage=/boot/vmlinuz-$release
	kdir=/usr/src/linux-headers-$release
fi

build=build/lab/$release
rm -rf "${repo:?}/$build"
mkdir -p "$repo/$build/tests"
# configs/ beside userspace/: dmabench fio finds its jobs in ../configs/fio.
cp -r "$repo/bench-module" "$repo/userspace" "$repo/configs" "$repo/$build/"
cp "$repo"/tests/vm/* "$repo/$build/tests/"
cat >"$repo/$build/kernel.env" <<ENV
RELEASE=$release
KIMAGE=$kimage
KDIR=$kdir
TREE=$tree
ENV

echo "lab: building dmabench.ko for $release" >&2
"$repo/lab/chroot.sh" "$root" "${binds[@]}" bash -euo pipefail -c "
	make -s -C /dmabench/$build/bench-module KDIR=$kdir
	make -s -C /dmabench/$build/userspace clean
	make -s -C /dmabench/$build/userspace
	cc -O2 -Wall -Wextra -Werror -I/dmabench/$build/bench-module \
		-o /dmabench/$build/tests/badparams /dmabench/$build/tests/badparams.c
	cc -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -I/dmabench/$build/bench-module \
		-o /dmabench/$build/tests/ioctlfuzz /dmabench/$build/tests/ioctlfuzz.c -lpthread
" >&2
echo "$build"

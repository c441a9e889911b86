#!/usr/bin/env bash
# Build, in the lab root, everything a VM boot of KERNEL needs: dmabench.ko
# for that kernel, userspace/dmabench and the VM test programs for the root's
# userland.  Prints the build directory (relative to the repository), which
# also holds kernel.env: RELEASE, KIMAGE, KDIR and TREE as seen in the root,
# and for a kernel tree KCONFIG (its .config in the guest) and SOURCE (the
# Debian source package of a src: build, "" for a user's tree).
#
# Usage: lab/build.sh SERIES|src:SERIES[+FRAGMENT...]|TREE
#   SERIES    Debian's packaged kernel (lab/kernel.sh)
#   src:7.3   Debian's linux-source-7.3 built with configs/kernel/lab.config
#             (lab/kbuild.sh, cached); src:7.3+debug adds
#             configs/kernel/debug.config, and so on, + separated
#   TREE      a kernel build tree (its bzImage; the module is built against it)
# The directory is build/lab/<release>, rebuilt each time;
# DMABENCH_BUILD_TAG=T makes it build/lab/<release>-T, so that two boots of
# one kernel can build and run side by side.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
kernel=$1
source=
case $kernel in
src:*)
	spec=${kernel#src:}
	IFS=+ read -r -a words <<<"$spec"
	kernel=$("$repo/lab/kbuild.sh" "${words[@]}")
	# shellcheck source=/dev/null
	source=$(. "$kernel/dmabench/build.env" && echo "$PACKAGE $VERSION")
	;;
esac
root=$("$repo/lab/mkroot.sh")
binds=(--bind "$repo" /dmabench)
kconfig=

if [ -d "$kernel" ]; then
	tree=$(cd "$kernel" && pwd)
	if [ ! -e "$tree/arch/x86/boot/bzImage" ]; then
		echo "build: $tree has no arch/x86/boot/bzImage: build the kernel first" >&2
		exit 1
	fi
	binds+=(--bind "$tree" /kernel)
	for f in .config include/config/kernel.release Module.symvers; do
		if [ ! -e "$tree/$f" ]; then
			echo "build: $tree has no $f: not a complete build tree" >&2
			exit 1
		fi
	done
	release=$(cat "$tree/include/config/kernel.release")
	kimage=/kernel/arch/x86/boot/bzImage
	kdir=/kernel
	kconfig=/kernel/.config
	# virtme-ng makes a tree's modules directory (.virtme_mods) on its first
	# boot: made here, once, under a lock, so that boots sharing the tree
	# do not race to make it.
	if [ -e "$tree/modules.order" ]; then
		(
			flock 9
			dep=$tree/.virtme_mods/lib/modules/0.0.0/modules.dep
			if [ ! -e "$dep" ] || [ "$tree/modules.order" -nt "$dep" ]; then
				echo "lab: virtme-prep-kdir-mods in $tree" >&2
				"$repo/lab/chroot.sh" "$root" --bind "$tree" /kernel \
					sh -c 'cd /kernel && virtme-prep-kdir-mods' >&2
			fi
		) 9>"$tree/.dmabench-lock"
	fi
else
	tree=
	release=$("$repo/lab/kernel.sh" "$root" "$kernel")
	kimage=/boot/vmlinuz-$release
	kdir=/usr/src/linux-headers-$release
fi

build=build/lab/$release${DMABENCH_BUILD_TAG:+-$DMABENCH_BUILD_TAG}
rm -rf "${repo:?}/$build"
mkdir -p "$repo/$build/tests"
# configs/ beside userspace/: dmabench fio finds its jobs in ../configs/fio.
cp -r "$repo/bench-module" "$repo/userspace" "$repo/configs" "$repo/$build/"
cp "$repo"/tests/vm/* "$repo/lab/guest-nic.sh" "$repo/$build/tests/"
cat >"$repo/$build/kernel.env" <<ENV
RELEASE=$release
KIMAGE=$kimage
KDIR=$kdir
TREE=$tree
KCONFIG=$kconfig
SOURCE="$source"
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
	cc -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -I/dmabench/$build/bench-module \
		-o /dmabench/$build/tests/busy /dmabench/$build/tests/busy.c -lpthread
" >&2
echo "$build"

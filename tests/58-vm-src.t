#!/usr/bin/env bash
# Kernels that differ only in code: Debian's linux-source-7.3 built by
# lab/kbuild.sh with the lab's one configuration (configs/kernel/lab.config),
# booted by KERNEL=src:7.3 and again as KERNEL=<its tree>.  Each run's
# meta.json names the tree's release, the sha256 of its .config and its
# compiler, and the configured DMA paths took effect.  First, without
# building anything: the cache key follows the fragments.
#
# The build takes 15 to 60 minutes on 2 cores the first time (cached after
# that, in $DMABENCH_CACHE/kernel); each run about a minute.  Where the tree
# is not cached yet the boots are skipped, saying how to build it, so that
# make test on a fresh machine stays within CI's time: DMABENCH_TEST_KBUILD=1
# builds it here instead (make vm-kernel SRC=7.3 builds it alone).
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

out=build/test-results-src
rm -rf "$out"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- the cache key, nothing built ---------------------------------------
key() { lab/kbuild.sh --key "$@" 2>>"$logs/kbuild-key.log" | cut -d' ' -f1; }
k_lab=$(key 7.3)
check "a cache key for src:7.3 ($k_lab)" test -n "$k_lab"
check "the same key twice" test "$(key 7.3)" = "$k_lab"
k_debug=$(key 7.3 debug)
check "another with debug.config merged ($k_debug)" \
	test -n "$k_debug" -a "$k_debug" != "$k_lab"
cp configs/kernel/debug.config "$tmp/debug.config"
echo 'CONFIG_DEBUG_PAGEALLOC=y' >>"$tmp/debug.config"
k_more=$(key 7.3 "$tmp/debug.config")
check "another when the fragment gains an option ($k_more)" \
	test -n "$k_more" -a "$k_more" != "$k_debug" -a "$k_more" != "$k_lab"
k_612=$(key 6.12)
check "another for 6.12 ($k_612)" test -n "$k_612" -a "$k_612" != "$k_lab"
check "an unknown fragment is refused" \
	bash -c '! lab/kbuild.sh --key 7.3 no-such-fragment 2>/dev/null'
if lab/kbuild.sh --key 1.2 >/dev/null 2>"$tmp/old.err"; then
	check "a series Debian does not serve is refused" false
else
	check "a series Debian does not serve is refused, naming those served" \
		grep -q 'serves no linux-source-1.2.*series served: .*7\.3' "$tmp/old.err"
fi

# --- the build (or the cached tree) -------------------------------------
cached=$(lab/kbuild.sh --key 7.3 2>/dev/null | cut -d' ' -f2)
if [ ! -d "$cached" ] && [ "${DMABENCH_TEST_KBUILD:-0}" != 1 ]; then
	skip "src:7.3 and its tree booted" \
		"no cached src:7.3 tree ($cached): make vm-kernel SRC=7.3 (15+ min), or DMABENCH_TEST_KBUILD=1"
	finish
fi
if ! run_logged kbuild-7.3 lab/kbuild.sh 7.3; then
	check "lab/kbuild.sh 7.3 builds a tree" false
	finish
fi
tree=$(tail -n 1 "$logs/kbuild-7.3.log")
check "lab/kbuild.sh 7.3 prints its tree ($tree)" test -d "$tree"
check "the tree's key is the one --key said" \
	test "$(basename "$tree")" = "src-7.3-$k_lab"
for f in .config vmlinux System.map arch/x86/boot/bzImage Module.symvers; do
	check "the tree has $f" test -s "$tree/$f"
done
# shellcheck source=/dev/null
. "$tree/dmabench/build.env"
check "build.env: the .config hash is the file's" \
	test "$(sha256sum <"$tree/.config" | cut -d' ' -f1)" = "$CONFIG_SHA256"
check "the guest can read its configuration (IKCONFIG_PROC)" \
	grep -qx 'CONFIG_IKCONFIG_PROC=y' "$tree/.config"
echo "# $PACKAGE $VERSION, release $RELEASE, built in ${BUILD_SECONDS}s" \
	"with $JOBS jobs by $COMPILER"

# --- booted: src:7.3, then the same tree by its path --------------------
# vm_bench NAME KERNEL: a small instruction-count run; prints its directory.
vm_bench() {
	run_logged "$1" lab/vm-bench.sh --kernel "$2" --dma direct,iommu-strict \
		--icount --quick --no-nvme --out "$out" \
		-- --api none,page,phys,phys_page --size 4096 >&2 || return 1
	tail -n 1 "$logs/$1.log"
}
assert() { relay_checks < <(python3 tests/checkrun.py "$@"); }

for kernel in src:7.3 "$tree"; do
	name=vm-src-$(basename "$kernel" | tr ':' '-')
	if ! run=$(vm_bench "$name" "$kernel"); then
		check "vm-bench --kernel $kernel writes a run" false
		continue
	fi
	check "vm-bench --kernel $kernel writes a run ($run)" \
		test -s "$run/summary.csv"
	notes=(--note "kernel_tree=$tree")
	[ "$kernel" = src:7.3 ] &&
		notes+=(--note "kernel_source=$PACKAGE $VERSION")
	assert kernel "$run" --release "$RELEASE" \
		--config-sha256 "$CONFIG_SHA256" --compiler "$COMPILER" "${notes[@]}"
	assert paths "$run" --paths direct,iommu-strict --phys yes
	assert consoles "$run"
done
finish

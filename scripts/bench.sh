#!/usr/bin/env bash
# make bench: measure the running kernel if this machine can load modules;
# otherwise say why, in one line, and run the VM lab on Debian's kernels.
#
# Environment: PCI=<BDF> a spare PCI device for the IOMMU paths (host runs);
# QUICK=1 the quick matrix; CONFIG=configs/<name>.conf the matrix's options;
# KERNELS="6.12 7.3" the VM lab's kernels.
# In the lab: by default the quick matrix on every DMA path of both kernels
# without workloads (about 15 minutes on 2 cores), compared, plotted and
# reported by lab/vm-compare.sh; FULL=1 the full matrix with the NVMe and
# RDMA workloads.  It prints an estimate first, the guests' progress (their
# consoles go into the runs), and last the comparison's summary and the run
# directories; the last line is B's run directory.
# NVME=/dev/nvme0n1 adds the NVMe workloads on that namespace (dmabench nvme
# and fio, reads only; NVME_ARGS="..." their options, default --quick; writes
# only with NVME_ARGS containing --allow-write).  RDMA=<ibdev> chooses the
# RDMA device; RDMA workloads run when one is present (RDMA=none: never).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# Stopped or killed (even make by SIGKILL), it stops the runs it started
# (lab/guard.sh).
# shellcheck source=lab/guard.sh
. "$repo/lab/guard.sh"
# shellcheck source=lab/words.sh
. "$repo/lab/words.sh"
guard_self "$@"
cd "$repo"
quick=()
case ${QUICK:-0} in 1|y|yes) quick=(--quick) ;; esac
words=()
config=()
if [ -n "${CONFIG:-}" ]; then
	[ -r "$CONFIG" ] || { echo "bench: cannot read CONFIG=$CONFIG" >&2; exit 2; }
	mapfile -t words < <(config_words "$CONFIG")
	config=(--config "$CONFIG")
fi

release=$(uname -r)
why=
if [ "$(id -u)" != 0 ]; then
	echo "bench: loading a module (or building the VM lab) needs root: sudo make bench" >&2
	exit 1
elif [ ! -e /proc/modules ]; then
	why="this kernel ($release) has no loadable module support"
elif [ -e /.dockerenv ] || [ -e /run/.containerenv ]; then
	why="this is a container; its kernel is not ours to load modules into"
elif [ -r /sys/kernel/security/lockdown ] &&
	! grep -q '\[none\]' /sys/kernel/security/lockdown; then
	why="the kernel is locked down ($(cat /sys/kernel/security/lockdown))"
elif [ ! -d "/lib/modules/$release/build" ]; then
	why="no build tree for $release: install linux-headers-$release"
fi

read -r -a nvme_args <<<"${NVME_ARGS:---quick}"
rdma_dev=${RDMA:-}
if [ -z "$rdma_dev" ] && [ -d /sys/class/infiniband ]; then
	rdma_dev=$(find /sys/class/infiniband -mindepth 1 -maxdepth 1 -printf '%f\n' |
		sort | head -n 1)
fi

if [ -z "$why" ]; then
	make -s -C bench-module
	make -s -C userspace
	pci=()
	[ -n "${PCI:-}" ] && pci=(--pci "$PCI")
	rev=$(git describe --always --dirty 2>/dev/null || echo unknown)
	export DMABENCH_REV=$rev
	scripts/micro.sh bench-module/dmabench.ko userspace/dmabench \
		--rev "$rev" "${pci[@]}" "${words[@]}" "${quick[@]}" |
		tee build/bench-micro.out
	run=$(tail -n 1 build/bench-micro.out)
	[ -d "$run" ] || { echo "bench: the microbenchmark wrote no run" >&2; exit 1; }
	if [ -n "${NVME:-}" ]; then
		userspace/dmabench nvme --into "$run" "${nvme_args[@]}" "$NVME" >/dev/null
		userspace/dmabench fio --into "$run" "${nvme_args[@]}" "$NVME" >/dev/null
	else
		echo "bench: no NVMe workloads: name a namespace to read, e.g. NVME=/dev/nvme0n1" >&2
	fi
	if [ -n "$rdma_dev" ] && [ "$rdma_dev" != none ]; then
		userspace/dmabench rdma --into "$run" --dev "$rdma_dev" "${quick[@]}" >/dev/null
	else
		echo "bench: no RDMA workloads: ${RDMA:+RDMA=none}${RDMA:-no RDMA device in /sys/class/infiniband}" >&2
	fi
	echo "$run"
	exit 0
fi

cat >&2 <<MSG
bench: cannot measure this machine: $why.
bench: running the VM lab instead.
bench: *** EMULATED MACHINE: QEMU TCG with -icount, so every figure is an
bench: *** instruction count of an emulated CPU, not a time on this one. ***
MSG
if [ -n "${NVME:-}" ]; then
	echo "bench: NVME=$NVME is a device of this machine, which the lab cannot reach; the lab measures its emulated NVMe disk" >&2
fi

# A configuration as lab/vm-bench.sh records it with a boot's cost: its
# name and a hash of its options (not of its comments).
matrix_key() {
	local opt
	if [ -n "$1" ]; then
		mapfile -t opt < <(config_words "$1")
		echo "$(basename "$1")-$(printf '%s ' "${opt[@]}" | sha256sum | cut -c1-8)"
	else
		echo none
	fi
}

# The matrix: by default one that answers within about 15 minutes on 2
# cores (the quick matrix on every DMA path, no workloads); FULL=1 the full
# matrix with the NVMe workloads on every boot and RDMA on the first.
read -r -a kernels <<<"${KERNELS:-6.12 7.3}"
case ${FULL:-0} in 1|y|yes) full=1 ;; *) full=0 ;; esac
if [ "$full" = 1 ]; then
	opts=(--dma all --icount "${config[@]}" "${quick[@]}"
		--nvme-args "${NVME_ARGS:---quick}" --rdma ${CPU:+--cpu "$CPU"})
	matrix="the full matrix, NVMe and RDMA workloads"
	q=quick=0 w="nvme=1" r=1
	if [ ${#quick[@]} -gt 0 ]; then
		matrix="the quick matrix, NVMe and RDMA workloads"
		q=quick=1
	fi
	q="matrix=$(matrix_key "${CONFIG:-}"),$q"
else
	[ ${#config[@]} -gt 0 ] || config=(--config configs/bench-lab.conf)
	opts=(--dma all --icount --no-nvme "${config[@]}" ${CPU:+--cpu "$CPU"})
	matrix="configs/bench-lab.conf's matrix on every DMA path, no workloads (FULL=1: all)"
	[ -n "${CONFIG:-}" ] && matrix="$CONFIG's matrix on every DMA path, no workloads"
	q="matrix=$(matrix_key "${config[1]}"),quick=0" w="nvme=0" r=0
fi

# The estimate: the boots this run makes, each at what the same boot cost
# the last time on this machine (lab/vm-bench.sh records it), or, never
# measured here, at what it cost where this was written (2 cores, shared).
times=${DMABENCH_CACHE:-/var/cache/dmabench}/boot-times
est=0 unmeasured=0 longest=0
for kernel in "${kernels[@]}"; do
	before=$est
	# lab/build.sh builds the module and the tool for the kernel each time
	t=$(awk -v k="$kernel." '$2 == "build" && index($8, k) == 1 { t = $7 } END { print t }' \
		"$times" 2>/dev/null)
	if [ -z "$t" ]; then
		unmeasured=1
		t=120	# 98 s to 3 minutes where this was written
	fi
	est=$((est + t))
	first=$r
	for b in direct swiotlb iommu; do
		t=$(awk -v b="$b" -v q="$q" -v w="$w" -v r="rdma=$first" \
			'$2 == b && $3 == q && $4 == w && $5 == r { t = $7 } END { print t }' \
			"$times" 2>/dev/null)
		if [ -z "$t" ]; then
			unmeasured=1
			# Not measured here yet.  Where this was written (2 cores
			# shared with other work, 2026-12-04) bench-lab.conf's boots
			# took 122 to 211 s (direct, swiotlb) and 236 s (iommu); the
			# full matrix with the workloads took about 35 minutes for
			# all six boots (issue 14).
			if [ "$full" = 1 ]; then
				case $b in iommu) t=900 ;; *) t=360 ;; esac
			else
				case $b in iommu) t=240 ;; *) t=170 ;; esac
			fi
		fi
		est=$((est + t))
		first=0
	done
	[ $((est - before)) -gt "$longest" ] && longest=$((est - before))
done
# Two kernels boot side by side (lab/vm-compare.sh, under -icount): the
# longer one's boots, not the sum.
[ ${#kernels[@]} = 2 ] && est=$longest
setup=
# The root is keyed by what it holds (lab/mkroot.sh), not by a file's age.
lab/mkroot.sh --path >/dev/null ||
	setup=", plus building the lab root once (a few minutes)"
echo "bench: kernels ${kernels[*]}: $matrix" >&2
side=
[ ${#kernels[@]} = 2 ] && side=", the two kernels side by side"
echo "bench: estimate: about $(((est + 59) / 60)) minutes for $((3 * ${#kernels[@]})) boots${side}${setup}$([ "$unmeasured" = 1 ] && echo ' (boot costs not yet measured on this machine)')" >&2
start=$SECONDS

if [ ${#kernels[@]} != 2 ]; then
	runs=()
	out=$(mktemp)
	trap 'rm -f "$out"' EXIT
	for kernel in "${kernels[@]}"; do
		guard_run lab/vm-bench.sh --kernel "$kernel" "${opts[@]}" >"$out"
		runs+=("$(tail -n 1 "$out")")
	done
	echo "bench: $(((SECONDS - start) / 60)) minutes; run directories:" >&2
	printf '%s\n' "${runs[@]}"
	exit 0
fi

# Two kernels: run, compare, plot and report (lab/vm-compare.sh), the
# comparison's full text into B's run directory, its summary here, last.
log=build/bench-compare.out
mkdir -p build
guard_run lab/vm-compare.sh "${kernels[0]}" "${kernels[1]}" "${opts[@]}" >"$log"
run_b=$(tail -n 1 "$log")
cmp_txt=$(find "$run_b" -maxdepth 1 -name 'compare-*.txt' ! -name '*-workloads.txt' \
	! -name '*-attribution.txt' | head -n 1)
name_a=$(basename "$cmp_txt" .txt)
run_a=$(dirname "$run_b")/${name_a#compare-}
dmabench=userspace/dmabench
echo
echo "== ${kernels[1]} against ${kernels[0]}, per api and path (instruction counts, emulated) =="
"$dmabench" compare --summary --op pair "$run_a" "$run_b"
echo
echo "== phys against page on ${kernels[1]} =="
"$dmabench" compare --summary --op pair --within "$run_b" --a page --b phys 2>&1 ||
	echo "(no page/phys pair on ${kernels[1]}: dma_map_phys is 6.18 and later)"
echo
echo "bench: done in $(((SECONDS - start) / 60)) minutes"
echo "bench: A (${kernels[0]}): $run_a"
echo "bench: B (${kernels[1]}): $run_b"
echo "bench: in B: $(basename "$cmp_txt") (every point), plots/, report.md"
echo "$run_b"

#!/usr/bin/env bash
# Run the microbenchmark on a kernel booted under QEMU (TCG), once per DMA
# configuration, and merge the boots into one run directory under results/.
#
# Usage: lab/vm-bench.sh [--kernel SERIES|TREE] [--dma LIST|all] [--icount]
#                        [--quick] [--out DIR] [-- dmabench micro options]
#
#   --kernel 7.3      Debian's newest packaged 7.3 kernel (default); any
#                     series Debian serves works, 6.12 among them
#   --kernel src:7.3  Debian's linux-source-7.3 built with the lab's shared
#                     configuration (lab/kbuild.sh, make vm-kernel; cached);
#                     src:7.3+debug adds configs/kernel/debug.config
#   --kernel ~/linux  a kernel build tree: its arch/x86/boot/bzImage, built
#                     with the drivers the lab needs (see README.md)
#   --dma LIST        direct,swiotlb,iommu-strict,iommu-lazy,iommu-identity
#                     or all (default)
#   --icount          QEMU -icount shift=0,sleep=off: one guest nanosecond per
#                     instruction, so figures are instruction counts
#   --quick           the quick matrix
#   --config FILE     dmabench micro options from FILE (see configs/)
#   --no-nvme         skip the NVMe workloads; by default each boot has an
#                     emulated NVMe disk (behind the emulated IOMMU on the
#                     IOMMU boot) and runs dmabench nvme and fio on it for
#                     every DMA path of the boot, after the microbenchmark
#   --nvme-args ARGS  options of dmabench nvme and fio (default: --quick)
#   --rdma            also the RDMA workloads, on soft-RoCE (rdma_rxe) over
#                     an emulated NIC, in the first boot: dmabench rdma and
#                     NVMe over RDMA (scripts/nvmeof-rdma.sh)
#   --cpu MODEL       QEMU's CPU model (-cpu; default $DMABENCH_CPU, else
#                     max,vendor=GenuineIntel: see README.md), recorded as
#                     cpu_model in meta.json
#   --trace APIS      exact traces (see make vm-trace): the points of APIS
#                     (one thread, batch 1) end with one traced map and
#                     unmap, which gdb, attached to QEMU's gdbstub, single-
#                     steps (lab/trace.py); trace.csv, trace-points.csv and
#                     trace.txt go into the run.  Needs --icount.
#   --trace-at SIZE,DIR  which of those points are traced (default
#                     4096,to_device; "all": every size and direction).
#                     Stepping is slow: a quick matrix traced everywhere
#                     takes hours, one point a few minutes.
#   --arch arm64      Debian's arm64 kernel under qemu-system-aarch64, with
#                     the paths arm64 has: lab/arm64/vm-bench.sh --help
#                     (--arch x86_64, the default, is this script)
set -euo pipefail

# arm64 is a lab of its own; everything else is x86_64's.
for a in "$@"; do
	[ "$a" = -- ] && break
	if [ "$a" = --arch ]; then
		prev=--arch
	elif [ "${prev:-}" = --arch ]; then
		case $a in
		arm64|aarch64) exec "$(dirname "$0")/arm64/vm-bench.sh" "$@" ;;
		x86_64|x86|amd64) ;;
		*) echo "vm-bench: unknown --arch '$a'; use x86_64 or arm64" >&2; exit 2 ;;
		esac
		prev=
	fi
done

repo=$(cd "$(dirname "$0")/.." && pwd)
# Stopped or killed, it stops its guest, build or merge (lab/guard.sh).
# shellcheck source=lab/guard.sh
. "$repo/lab/guard.sh"
# shellcheck source=lab/words.sh
. "$repo/lab/words.sh"
guard_self "$@"
kernel=7.3
dma=all
icount=0
quick=0
out=$repo/results
config=
nvme=1
nvme_args=--quick
rdma=0
cpu=${DMABENCH_CPU:-max,vendor=GenuineIntel}
trace=
trace_at=4096,to_device
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--dma) dma=$2; shift 2 ;;
	--icount) icount=1; shift ;;
	--quick) quick=1; shift ;;
	--config) config=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--no-nvme) nvme=0; shift ;;
	--nvme-args) nvme_args=$2; shift 2 ;;
	--rdma) rdma=1; shift ;;
	--cpu) cpu=$2; shift 2 ;;
	--trace) trace=$2; shift 2 ;;
	--trace-at) trace_at=$2; shift 2 ;;
	--arch) shift 2 ;;
	--) shift; break ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "vm-bench: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
done

[ "$dma" = all ] && dma=direct,swiotlb,iommu-strict,iommu-lazy,iommu-identity
want() { case ",$dma," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
for p in ${dma//,/ }; do
	case $p in
	direct|swiotlb|iommu-strict|iommu-lazy|iommu-identity) ;;
	*) echo "vm-bench: unknown DMA configuration '$p'; use direct," \
		"swiotlb, iommu-strict, iommu-lazy, iommu-identity or all" >&2
	   exit 2 ;;
	esac
done

if [ -n "$trace" ] && [ "$icount" != 1 ]; then
	echo "vm-bench: --trace needs --icount: the traced calls are compared" \
		"with instruction counts, on the only vCPU" >&2
	exit 2
fi
root=$("$repo/lab/mkroot.sh")
[ -z "$trace" ] || "$repo/lab/rootpkg.sh" "$root" gdb

tmp=$(mktemp)
# shellcheck disable=SC2317 # called by lab/guard.sh on a signal
guard_cleanup() {
	! declare -F tracer_stop >/dev/null || tracer_stop
	rm -f "$tmp"
	[ -z "${stage-}" ] || rm -rf "${repo:?}/$stage"
}
t_build=$SECONDS
guard_run "$repo/lab/build.sh" "$kernel" >"$tmp"
build=$(cat "$tmp")
# shellcheck source=/dev/null
. "$repo/$build/kernel.env"
release=${RELEASE:?}
# Where a tree's kernel came from: the Debian source package of a src: build.
tree_notes=()
[ -n "${TREE-}" ] && tree_notes+=(--note "kernel_tree=$TREE")
[ -n "${SOURCE-}" ] && tree_notes+=(--note "kernel_source=$SOURCE")
# What each step costs here, for make bench's estimate (scripts/bench.sh).
times=${DMABENCH_CACHE:-/var/cache/dmabench}/boot-times
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) build - - - - $((SECONDS - t_build))" \
	"$release" >>"$times" 2>/dev/null || true

rev=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
stage=build/stage/$(date -u +%Y%m%d-%H%M%S)-$$
mkdir -p "$repo/$stage"

# The spare PCI device for the mappings: QEMU's edu device, which no driver
# claims, at a fixed address.  It never performs DMA: dmabench only maps.
cpus=2
qemu_base="-M q35 -cpu $cpu -device edu,addr=0x10"
args=
clock=(--clock tsc)
if [ "$icount" = 1 ]; then
	# One vCPU: under -icount every vCPU's instructions advance one clock.
	# No KASLR: the same kernel lays itself out the same way on every boot.
	# QEMU's RNG seeded, and no crypto self-tests (millions of instructions
	# after boot, whenever an algorithm registers), as on arm64 (lab notes:
	# together they made two boots identical there).
	cpus=1
	qemu_base+=" -icount shift=0,sleep=off -seed 1"
	args="nokaslr cryptomgr.notests "
	clock=(--clock icount)
fi
# A tree's kernel has nvme built in (lab.config): its poll queue, which
# lab/guest-workloads.sh asks of the module, comes from the command line.
[ -n "${TREE-}" ] && args+="nvme.poll_queues=1 "
micro=(--pci 0000:00:10.0 "${clock[@]}" --emulated --rev "$rev"
	--note "cpu_model=$cpu")
[ "$quick" = 1 ] && micro+=(--quick)
if [ -n "$config" ]; then
	[ -r "$config" ] || { echo "vm-bench: cannot read $config" >&2; exit 2; }
	mapfile -t words < <(config_words "$config")
	micro+=("${words[@]}")
fi

# The disk the NVMe workloads read: sparse, so it costs no space; QEMU reads
# its holes as zeros.
if [ "$nvme" = 1 ]; then
	truncate -s 1G "$repo/$stage/nvme.img"
	qemu_base+=" -drive file=/dmabench/$stage/nvme.img,if=none,id=nvm,format=raw"
	qemu_base+=" -device nvme,drive=nvm,serial=dmabench0,addr=0x11"
fi
read -r -a nvme_words <<<"$nvme_args"
bin=/dmabench/$build/userspace/dmabench

# The tracer of a traced boot: stopped on every way out.
# shellcheck source=lab/tracer.sh
. "$repo/lab/tracer.sh"
# On a signal lab/guard.sh stops the boot and calls guard_cleanup (above).
trap 'tracer_stop; rm -f "$tmp"' EXIT
# After the boot: the tracer ends once the guest is gone; its files go into
# the boot's part.
finish_tracer() {
	local tdir=$1 part=$2 f
	tracer_wait
	if [ -e "$repo/$tdir/trace-failed" ] ||
		[ "$(wc -l <"$repo/$tdir/trace-points.csv" 2>/dev/null || echo 0)" -lt 2 ]; then
		echo "vm-bench: the tracer failed or traced nothing; its log," \
			"$tdir.log:" >&2
		tail -n 20 "$repo/$tdir.log" >&2
		exit 1
	fi
	grep -h 'calls traced' "$repo/$tdir.log" | tail -n 1 >&2
	for f in trace.csv trace-points.csv trace.txt; do
		cp "$repo/$tdir/$f" "$repo/$part/$f"
	done
}

parts=()
first=1
boot() {
	local name=$1 paths=$2 qemu=$3 append=$4
	local part=$stage/$name script=$repo/$stage/$name.sh
	local tdir=$stage/$name-trace traced=()
	shift 4

	if [ -n "$trace" ]; then
		port=$(tracer_port)
		qemu+=" -gdb tcp:127.0.0.1:$port"
		traced=(--trace "$trace" --trace-dir "/dmabench/$tdir")
		[ "$trace_at" = all ] || traced+=(--trace-size "${trace_at%%,*}"
			--trace-dirs "${trace_at#*,}")
		tracer_start "$root" "$tdir" "$port"
	fi

	if [ "$rdma" = 1 ] && [ "$first" = 1 ]; then
		qemu+=" -netdev user,id=net0 -device virtio-net-pci,netdev=net0,addr=0x12"
	fi

	echo "vm-bench: boot '$name' ($paths) on $release" >&2
	{
		echo '#!/bin/sh'
		# A tree's kernel may lack /proc/config.gz: its .config then.
		[ -n "${KCONFIG-}" ] && printf 'export DMABENCH_KCONFIG=%q\n' "$KCONFIG"
		printf '%q ' "/dmabench/scripts/micro.sh" \
			"/dmabench/$build/bench-module/dmabench.ko" \
			"/dmabench/$build/userspace/dmabench" \
			--part "/dmabench/$part" --path "$paths" "${micro[@]}" \
			--note "qemu=$qemu" --note "append=$append" \
			--note "kernel_package=$release" "${traced[@]}" "${tree_notes[@]}" "$@"
		echo ' || exit 1'
		if [ "$nvme" = 1 ]; then
			printf '%q ' /dmabench/lab/guest-workloads.sh "$bin" \
				"/dmabench/$part" "$paths" dmabench0 \
				"${nvme_words[@]}"
			echo ' || exit 1'
		fi
		if [ "$rdma" = 1 ] && [ "$first" = 1 ]; then
			printf '%q ' /dmabench/lab/guest-rdma.sh "$bin" \
				"/dmabench/$part" "${nvme_words[@]}"
			echo ' || exit 1'
		fi
	} >"$script"
	chmod +x "$script"
	local t0=$SECONDS with_rdma=0
	[ "$rdma" = 1 ] && [ "$first" = 1 ] && with_rdma=1
	if ! guard_run "$repo/lab/boot.sh" "$build" "$stage" "$cpus" "$qemu" "$append" \
		"$stage/$name.sh" || [ ! -s "$repo/$part/summary.csv" ]; then
		echo "vm-bench: boot '$name' failed; see the output above" >&2
		exit 1
	fi
	[ -z "$trace" ] || finish_tracer "$tdir" "$part"
	# The guest's console goes with the part into the run (collect).
	mv "$repo/$stage/$name.console" "$repo/$part/console.log"
	if { [ "$nvme" = 1 ] || [ "$rdma" = 1 ]; } &&
		[ ! -s "$repo/$part/workload.csv" ]; then
		echo "vm-bench: boot '$name' wrote no workload.csv" >&2
		exit 1
	fi
	local matrix=none
	[ -n "$config" ] &&
		matrix=$(basename "$config")-$(printf '%s ' "${words[@]}" |
			sha256sum | cut -c1-8)
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $name" \
		"matrix=$matrix,quick=$quick nvme=$nvme" \
		"rdma=$with_rdma icount=$icount $((SECONDS - t0)) $release" \
		>>"$times" 2>/dev/null || true
	parts+=("/dmabench/$part")
	first=0
}

want direct && boot direct direct "$qemu_base" "${args}" "$@"
want swiotlb && boot swiotlb swiotlb "$qemu_base" "${args}swiotlb=force" "$@"
iommu=()
for p in iommu-strict iommu-lazy iommu-identity; do
	want "$p" && iommu+=("$p")
done
if [ ${#iommu[@]} -gt 0 ]; then
	list=$(IFS=,; echo "${iommu[*]}")
	boot iommu "$list" "$qemu_base -device intel-iommu" \
		"${args}intel_iommu=on" "$@"
fi

mkdir -p "$out"
guard_run "$repo/lab/chroot.sh" "$root" --bind "$repo" /dmabench \
	--bind "$(cd "$out" && pwd)" /results \
	"/dmabench/$build/userspace/dmabench" collect --out /results \
	"${parts[@]}" >"$tmp"
# Everything of the stage is in the run now; a failed boot keeps it, for
# its console.
rm -rf "${repo:?}/$stage"
tail -n 1 "$tmp" | sed "s|^/results|$out|"

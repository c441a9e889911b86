#!/usr/bin/env bash
# The VM lab on arm64: Debian's arm64 kernel under qemu-system-aarch64 (TCG,
# -M virt -cpu max), once per DMA configuration, merged into one run
# directory under results/.  lab/vm-bench.sh --arch arm64 comes here.
#
# Usage: lab/arm64/vm-bench.sh [--kernel SERIES] [--dma LIST|all] [--icount]
#                              [--quick] [--config FILE] [--out DIR]
#                              [--no-nvme] [--nvme-args ARGS]
#                              [-- dmabench micro options]
#
#   --kernel 7.3      Debian's newest packaged arm64 kernel of the series
#                     (default 7.3; 6.12 works too)
#   --dma LIST        direct,direct-coherent,swiotlb,iommu-strict,iommu-lazy,
#                     iommu-identity or all (default)
#   --icount          -icount shift=0,sleep=off: CNTVCT_EL0 (1 GHz on QEMU
#                     10) then advances one tick per instruction, so figures
#                     are instruction counts; one vCPU
#   --quick           the quick matrix
#   --no-nvme         skip the NVMe workload; by default each boot has an
#                     emulated NVMe disk (behind the SMMUv3 on the IOMMU
#                     boot) and runs dmabench nvme on it for each of the
#                     boot's paths but direct-coherent (the disk is one
#                     device: on 'direct' it is coherent, as the virt
#                     machine's PCI is), after the microbenchmark.  No fio
#                     in the arm64 guest.
#   --nvme-args ARGS  options of dmabench nvme (default: --quick)
#
# The boots: 'direct' (-M virt, no IOMMU) times direct on the module's own
# platform device, which is not cache-coherent (every map and unmap does
# cache maintenance), and direct-coherent on QEMU's edu PCI device, which is;
# 'swiotlb' the same machine with swiotlb=force (on the edu device, as on
# x86); 'iommu' (-M virt,iommu=smmuv3) the edu device behind the emulated
# SMMUv3, its group switched to DMA, DMA-FQ and identity.  Every boot has
# -seed 1 and cryptomgr.notests, so ICOUNT boots repeat exactly.  No RDMA
# workloads on arm64 yet (--rdma says so).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=lab/words.sh
. "$repo/lab/words.sh"
kernel=7.3
dma=all
icount=0
quick=0
nvme=1
nvme_args=--quick
out=$repo/results
config=
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
	--rdma)
		echo "vm-bench-arm64: no RDMA workloads on arm64 yet" >&2
		exit 2 ;;
	--arch) [ "$2" = arm64 ] || { echo "vm-bench-arm64: --arch $2?" >&2; exit 2; }
		shift 2 ;;
	--) shift; break ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "vm-bench-arm64: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
done

[ "$dma" = all ] &&
	dma=direct,direct-coherent,swiotlb,iommu-strict,iommu-lazy,iommu-identity
want() { case ",$dma," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
for p in ${dma//,/ }; do
	case $p in
	direct|direct-coherent|swiotlb|iommu-strict|iommu-lazy|iommu-identity) ;;
	*) echo "vm-bench-arm64: unknown DMA configuration '$p'; use direct," \
		"direct-coherent, swiotlb, iommu-strict, iommu-lazy," \
		"iommu-identity or all" >&2
	   exit 2 ;;
	esac
done

build=$("$here/build.sh" "$kernel")
# shellcheck source=/dev/null
. "$repo/$build/kernel.env"
release=${RELEASE:?}

rev=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
stage=build/stage-arm64/$(date -u +%Y%m%d-%H%M%S)-$$
mkdir -p "$repo/$stage"

# QEMU's edu device at a fixed address, with a 64-bit DMA mask (its default
# is 28 bits, below the virt machine's RAM at 1 GiB).  It never does DMA.
bdf=0000:00:10.0
machine="-cpu max -seed 1 -device edu,addr=0x10,dma_mask=0xffffffffffffffff"
args="cryptomgr.notests "
clock=(--clock tsc)
if [ "$icount" = 1 ]; then
	machine+=" -smp 1 -icount shift=0,sleep=off"
	args+="nokaslr "
	clock=(--clock icount)
else
	machine+=" -smp 2"
fi
micro=(--pci "$bdf" "${clock[@]}" --emulated --rev "$rev")
[ "$quick" = 1 ] && micro+=(--quick)
if [ -n "$config" ]; then
	[ -r "$config" ] || { echo "vm-bench-arm64: cannot read $config" >&2; exit 2; }
	mapfile -t words < <(config_words "$config")
	micro+=("${words[@]}")
fi
ko=/dmabench/$build/bench-module/dmabench.ko
bin=/dmabench/$build/userspace/dmabench

# The disk the NVMe workload reads: sparse, so it costs no space; QEMU reads
# its holes as zeros.
if [ "$nvme" = 1 ]; then
	truncate -s 1G "$repo/$stage/nvme.img"
	machine+=" -drive file=/dmabench/$stage/nvme.img,if=none,id=nvm,format=raw"
	machine+=" -device nvme,drive=nvm,serial=dmabench0,addr=0x11"
fi
read -r -a nvme_words <<<"$nvme_args"

parts=()
boot() {
	local name=$1 paths=$2 qemu=$3 append=$4
	local part=$stage/$name script=$stage/$name.sh disk=
	shift 4

	# The disk's paths: the boot's but direct-coherent, which for a PCI
	# device on this machine is what 'direct' is.
	[ "$nvme" = 1 ] &&
		disk=$(tr , '\n' <<<"$paths" | grep -vx direct-coherent | paste -sd,)

	echo "vm-bench-arm64: boot '$name' ($paths) on $release" >&2
	{
		echo '#!/bin/bash'
		echo 'set -u'
		# 6.12 gives a PCI device its IOMMU group only when a driver
		# first binds it: bind the edu device once, then let it go.
		printf 'ko=%q bdf=%q\n' "$ko" "$bdf"
		cat <<'GUEST'
dev=/sys/bus/pci/devices/$bdf
if [ ! -e "$dev/iommu_group" ] && [ -n "$(ls /sys/class/iommu 2>/dev/null)" ]; then
	insmod "$ko" && echo dmabench >"$dev/driver_override" &&
		echo "$bdf" >/sys/bus/pci/drivers_probe &&
		echo "$bdf" >/sys/bus/pci/drivers/dmabench/unbind
	echo >"$dev/driver_override"
	rmmod dmabench
	echo "guest: $bdf is in IOMMU group $(basename "$(readlink "$dev/iommu_group")")"
fi
GUEST
		# Cache maintenance: does a map of the own device call
		# arch_sync_dma_for_device()?  Counted by a kprobe in a short
		# run before the measured one (which runs without the probe).
		if [ "$name" = direct ]; then
			printf 'bin=%q\n' "$bin"
			printf 'clock=(%s)\n' "${clock[*]}"
			cat <<'GUEST'
sync=unavailable
t=/sys/kernel/tracing
e=$t/events/kprobes/dmabench_sync/enable
if echo 'p:dmabench_sync arch_sync_dma_for_device' >>$t/kprobe_events &&
	echo 1 >$e; then
	/dmabench/scripts/micro.sh "$ko" "$bin" --part /tmp/kprobe --path direct \
		--api page --size 4096 --dir to_device --samples 1000 --warmup 0 \
		--threads 1 --batch 1 --no-counters "${clock[@]}" >/tmp/kprobe.log 2>&1 ||
		{ tail -n 5 /tmp/kprobe.log; sync=failed; }
	[ "$sync" = failed ] ||
		sync=$(awk '$1 == "dmabench_sync" { print $2 }' $t/kprobe_profile)
	echo 0 >$e
	echo '-:dmabench_sync' >>$t/kprobe_events
fi
echo "guest: arch_sync_dma_for_device calls in a run of 1000 timed 4 KiB maps (with its probe maps): $sync"
GUEST
		fi
		printf '%q ' /dmabench/scripts/micro.sh "$ko" "$bin" \
			--part "/out/$name" --path "$paths" "${micro[@]}" \
			--note "qemu=qemu-system-aarch64 $qemu" \
			--note "append=$append" --note "kernel_package=$release" \
			"$@"
		# Left to the guest's shell to expand: the kprobe's count.
		# shellcheck disable=SC2016 # expanded by the guest's shell
		[ "$name" = direct ] &&
			printf '%s' '--note "sync_for_device_calls_1000_maps=$sync"'
		echo ' || exit 1'
		if [ -n "$disk" ]; then
			printf '%q ' /dmabench/lab/guest-workloads.sh --no-fio \
				"$bin" "/out/$name" "$disk" dmabench0 \
				"${nvme_words[@]}"
			echo ' || exit 1'
		fi
	} >"$repo/$script"
	chmod +x "$repo/$script"
	if ! "$here/boot.sh" "$build" "$stage" "$qemu" "$append" "$script" \
		"scripts/micro.sh" "lab/guest-workloads.sh" \
		"$build/bench-module/dmabench.ko" "$build/userspace/dmabench" ||
		[ ! -s "$repo/$part/summary.csv" ]; then
		echo "vm-bench-arm64: boot '$name' failed; see the output above" >&2
		exit 1
	fi
	if [ -n "$disk" ] && [ ! -s "$repo/$part/workload.csv" ]; then
		echo "vm-bench-arm64: boot '$name' wrote no workload.csv" >&2
		exit 1
	fi
	parts+=("/dmabench/$part")
}

plain=()
for p in direct direct-coherent; do
	want "$p" && plain+=("$p")
done
if [ ${#plain[@]} -gt 0 ]; then
	boot direct "$(IFS=,; echo "${plain[*]}")" "-M virt $machine" "$args" "$@"
fi
# The bounce pool: arm64 sizes it 1 MiB per GiB of RAM when no RAM is out of
# the devices' reach (2 MiB here, too small for 16 mappings of 64 KiB in
# flight) unless the command line sizes it.  x86's 64 MiB cannot be asked
# for: the kernel takes its default size (32768 slots) as no size given,
# and rounds any other up to a power of two.  So 128 MiB (65536 slots); a
# map's search for free slots starts where the last one ended either way.
want swiotlb && boot swiotlb swiotlb "-M virt $machine" \
	"${args}swiotlb=65536,force" "$@"
iommu=()
for p in iommu-strict iommu-lazy iommu-identity; do
	want "$p" && iommu+=("$p")
done
if [ ${#iommu[@]} -gt 0 ]; then
	boot iommu "$(IFS=,; echo "${iommu[*]}")" "-M virt,iommu=smmuv3 $machine" \
		"$args" "$@"
fi

mkdir -p "$out"
"$repo/lab/chroot.sh" "$("$here/mkroot.sh")" --bind "$repo" /dmabench \
	--bind "$(cd "$out" && pwd)" /results \
	"/dmabench/$build/host/userspace/dmabench" collect --out /results \
	"${parts[@]}" | tail -n 1 | sed "s|^/results|$out|"

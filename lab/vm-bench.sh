#!/usr/bin/env bash
# Run the microbenchmark on a kernel booted under QEMU (TCG), once per DMA
# configuration, and merge the boots into one run directory under results/.
#
# Usage: lab/vm-bench.sh [--kernel SERIES|TREE] [--dma LIST|all] [--icount]
#                        [--quick] [--out DIR] [-- dmabench micro options]
#
#   --kernel 7.3      Debian's newest packaged 7.3 kernel (default); any
#                     series Debian serves works, 6.12 among them
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
kernel=7.3
dma=all
icount=0
quick=0
out=$repo/results
config=
nvme=1
nvme_args=--quick
rdma=0
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

build=$("$repo/lab/build.sh" "$kernel")
# shellcheck source=/dev/null
. "$repo/$build/kernel.env"
release=${RELEASE:?}

rev=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
stage=build/stage/$(date -u +%Y%m%d-%H%M%S)-$$
mkdir -p "$repo/$stage"

# The spare PCI device for the mappings: QEMU's edu device, which no driver
# claims, at a fixed address.  It never performs DMA: dmabench only maps.
cpus=2
qemu_base="-M q35 -device edu,addr=0x10"
args=
clock=(--clock tsc)
if [ "$icount" = 1 ]; then
	# One vCPU: under -icount every vCPU's instructions advance one clock.
	# No KASLR: the same kernel lays itself out the same way on every boot.
	cpus=1
	qemu_base+=" -icount shift=0,sleep=off"
	args="nokaslr "
	clock=(--clock icount)
fi
micro=(--pci 0000:00:10.0 "${clock[@]}" --emulated --rev "$rev")
[ "$quick" = 1 ] && micro+=(--quick)
if [ -n "$config" ]; then
	[ -r "$config" ] || { echo "vm-bench: cannot read $config" >&2; exit 2; }
	mapfile -t words < <(sed 's/#.*//' "$config" | tr -s ' \t' '\n' | grep -v '^$')
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

parts=()
first=1
boot() {
	local name=$1 paths=$2 qemu=$3 append=$4
	local part=$stage/$name script=$repo/$stage/$name.sh
	shift 4

	if [ "$rdma" = 1 ] && [ "$first" = 1 ]; then
		qemu+=" -netdev user,id=net0 -device virtio-net-pci,netdev=net0,addr=0x12"
	fi

	echo "vm-bench: boot '$name' ($paths) on $release" >&2
	{
		echo '#!/bin/sh'
		printf '%q ' "/dmabench/scripts/micro.sh" \
			"/dmabench/$build/bench-module/dmabench.ko" \
			"/dmabench/$build/userspace/dmabench" \
			--part "/dmabench/$part" --path "$paths" "${micro[@]}" \
			--note "qemu=$qemu" --note "append=$append" \
			--note "kernel_package=$release" "$@"
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
	if ! "$repo/lab/boot.sh" "$build" "$stage" "$cpus" "$qemu" "$append" \
		"$stage/$name.sh" || [ ! -s "$repo/$part/summary.csv" ]; then
		echo "vm-bench: boot '$name' failed; see the output above" >&2
		exit 1
	fi
	if { [ "$nvme" = 1 ] || [ "$rdma" = 1 ]; } &&
		[ ! -s "$repo/$part/workload.csv" ]; then
		echo "vm-bench: boot '$name' wrote no workload.csv" >&2
		exit 1
	fi
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
"$repo/lab/chroot.sh" "$("$repo/lab/mkroot.sh")" --bind "$repo" /dmabench \
	--bind "$(cd "$out" && pwd)" /results \
	"/dmabench/$build/userspace/dmabench" collect --out /results \
	"${parts[@]}" | tail -n 1 | sed "s|^/results|$out|"

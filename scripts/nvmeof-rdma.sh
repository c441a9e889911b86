#!/usr/bin/env bash
# NVMe over Fabrics on RDMA, looped back on one machine: an nvmet target
# (a null_blk or file-backed namespace) listening on an RDMA device, the
# nvme-rdma host connected to it, `dmabench nvme` run against the fabric
# namespace, and everything torn down again.
#
# Usage:
#   scripts/nvmeof-rdma.sh [options] [-- dmabench-nvme-options...]
#   scripts/nvmeof-rdma.sh --teardown-only NQN
#
# Options:
#   --addr IP         the IPv4 address the target listens on and the host
#                     connects to; it must belong to a network device with
#                     an RDMA device on it (default: the first IPv4 address
#                     of --rxe's NETDEV, else of the first RDMA device's
#                     network device)
#   --rxe NETDEV      first create a soft-RoCE device (rdma_rxe) on NETDEV,
#                     unless it has one already.  NETDEV must be up and have
#                     an IPv4 address (ip addr add 10.0.0.1/24 dev NETDEV).
#                     Soft RDMA maps memory with virtual addresses, not the
#                     DMA API: a run over it says nothing of an RDMA NIC's
#                     DMA share.
#   --null-size MB    size of the null_blk namespace (default 1024)
#   --file PATH SIZE  a file-backed namespace instead: PATH, created of SIZE
#                     (truncate(1) sizes: 1G, 512M) if it does not exist,
#                     and removed at the end if it was created here
#   --nqn NQN         the subsystem's NQN (default
#                     nqn.2014-08.org.dmabench:nvmeof-rdma)
#   --trsvcid PORT    the RDMA CM port (default 4420)
#   --dmabench PATH   the dmabench binary (default: userspace/dmabench of
#                     this tree, else dmabench in $PATH)
#   --teardown-only NQN
#                     remove what an earlier run with this NQN left behind
#                     (killed with SIGKILL, say), as its state file says;
#                     without one, only what names NQN: the host's
#                     connections to it, its port links, its namespace and
#                     the subsystem
#   -h, --help        this text
#
# The options after -- go to `dmabench nvme`, which gets the fabric
# namespace's block device as its DEVICE; give it --out PARENT or --into
# DIR.  Example (needs root):
#
#   scripts/nvmeof-rdma.sh --rxe eth0 -- --quick --out results
#
# Steps, each printed as it runs: configfs (mount it if it is not), rxe,
# modules (null_blk, nvmet, nvmet-rdma, nvme-rdma and what they pull in),
# backing (the null_blk device or the file), subsystem (attr_allow_any_host),
# namespace (device_path, enable), port (addr_trtype rdma, addr_adrfam
# ipv4, addr_traddr, addr_trsvcid), link (the subsystem into the port: the
# target listens), connect (nvme connect -t rdma, or /dev/nvme-fabrics
# without nvme-cli), device (the namespace's block device, found by the
# subsystem NQN), run.  Teardown runs in the opposite order from a trap on
# EXIT, INT and TERM, and is idempotent: it undoes only what this script
# did (a module loaded before is left loaded, a subsystem that existed makes
# the script stop before touching it), and a failure or a kill at any step
# leaves no target, port, subsystem, namespace, connection, device or module
# behind.  What has been done is recorded, before it is done, in
# /run/dmabench-nvmeof/<NQN>.state, which --teardown-only reads.
#
# Exit status: that of dmabench nvme; 1 if a step failed; 2 for bad usage;
# 130 or 143 if interrupted.
#
# Test hook: DMABENCH_NVMEOF_FAIL_AT=STEP makes the script fail right after
# STEP (one of the steps above), so that a test can check the teardown
# from every step.
set -euo pipefail

readonly STEPS="configfs rxe modules backing subsystem namespace port link connect device run"
readonly CONFIGFS=/sys/kernel/config
readonly NVMET=$CONFIGFS/nvmet
readonly NULLB=$CONFIGFS/nullb
readonly STATE_DIR=/run/dmabench-nvmeof
readonly NULLB_NAME=nullb_dmabench

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Options.
addr=
rxe_netdev=
null_size=1024
file_path=
file_size=
nqn=nqn.2014-08.org.dmabench:nvmeof-rdma
trsvcid=4420
dmabench=
teardown_only=
run_args=()
backing=
device=

# What this run did: the state file holds the same, for --teardown-only.
st_configfs_mounted=
st_rxe_name=
st_modules=
st_nullb_dir=
st_file=
st_subsys=
st_namespace=
st_port=
st_link=
st_connected=

state_file=
torn_down=

say() {
	echo "nvmeof-rdma: $*" >&2
}

die() {
	say "error: $*"
	exit 1
}

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

# Record the state (before each thing is done, so that a kill leaves a
# trace).
save_state() {
	local v

	[ -n "$state_file" ] || return 0
	{
		for v in st_configfs_mounted st_rxe_name st_modules st_nullb_dir \
			st_file st_subsys st_namespace st_port \
			st_link st_connected; do
			printf '%s=%q\n' "$v" "${!v}"
		done
	} >"$state_file.new"
	mv -f "$state_file.new" "$state_file"
}

# The test hook, and the step's line.
step_done() {
	say "$1: done"
	if [ "${DMABENCH_NVMEOF_FAIL_AT:-}" = "$1" ]; then
		die "failing after step $1 (DMABENCH_NVMEOF_FAIL_AT)"
	fi
}

loaded_modules() {
	awk '{ print $1 }' /proc/modules 2>/dev/null | sort
}

module_loaded() {
	[ -d "/sys/module/${1//-/_}" ]
}

# Load modules; remember the ones this made appear (dependencies too, and
# also when modprobe fails half-way), so that teardown unloads exactly
# those.
load_modules() {
	local before m new ok

	before=$(loaded_modules)
	for m in "$@"; do
		# Recorded before loading, in case a kill lands in modprobe.
		module_loaded "$m" || st_modules="$st_modules ${m//-/_}"
	done
	save_state
	for m in "$@"; do
		ok=1
		if [ "$m" = null_blk ]; then
			# No devices of its own: ours is made through configfs.
			say "modules: modprobe null_blk nr_devices=0"
			modprobe null_blk nr_devices=0 || ok=
		else
			say "modules: modprobe $m"
			modprobe "$m" || ok=
		fi
		new=$(comm -13 <(echo "$before") <(loaded_modules) | tr '\n' ' ')
		# What was recorded and is loaded now, and what appeared.
		st_modules=$(for x in $st_modules $new; do
				module_loaded "$x" && echo "$x"
			done | sort -u | tr '\n' ' ')
		save_state
		[ -n "$ok" ] || die "modprobe $m failed (is it built for this kernel? see dmesg)"
	done
}

# rmmod what this run loaded, as its users go: several passes, since a
# module cannot go before the modules that use it, and a target's queues
# take a moment to go after the host has disconnected.
unload_modules() {
	local m left progress idle=0

	while [ -n "$st_modules" ] && [ "$idle" -lt 20 ]; do
		left=
		progress=
		for m in $st_modules; do
			module_loaded "$m" || continue
			if rmmod "$m" 2>/dev/null; then
				say "teardown: rmmod $m"
				progress=1
			else
				left="$left $m"
			fi
		done
		st_modules=${left# }
		save_state
		if [ -z "$progress" ] && [ -n "$st_modules" ]; then
			idle=$((idle + 1))
			sleep 0.5
		fi
	done
	if [ -n "$st_modules" ]; then
		say "teardown: could not unload $st_modules (still in use? lsmod)"
		return 1
	fi
}

# The controllers of the host connected to subsystem $1.
controllers_of() {
	local c

	for c in /sys/class/nvme/nvme*; do
		[ -e "$c/subsysnqn" ] || continue
		[ "$(cat "$c/subsysnqn" 2>/dev/null)" = "$1" ] || continue
		basename "$c"
	done
}

disconnect() {
	local c

	for c in $(controllers_of "$nqn"); do
		say "teardown: disconnect $c"
		echo 1 >"/sys/class/nvme/$c/delete_controller" 2>/dev/null || true
	done
	for _ in $(seq 50); do
		[ -z "$(controllers_of "$nqn")" ] && return 0
		sleep 0.2
	done
	say "teardown: controllers of $nqn still there: $(controllers_of "$nqn")"
	return 1
}

# Undo what was done, newest first; every step is skipped if already
# undone, so teardown may run again.  Returns 1 if anything stayed.
teardown() {
	local ok=0 ns=$NVMET/subsystems/$nqn

	[ -n "$torn_down" ] && return 0
	set +e
	if [ -n "$st_connected" ] || [ -n "$(controllers_of "$nqn")" ]; then
		disconnect || ok=1
		st_connected=
		save_state
	fi
	if [ -n "$st_link" ] && [ -L "$st_link" ]; then
		say "teardown: unlink ${st_link#"$CONFIGFS"/}"
		rm -f "$st_link" || ok=1
	fi
	st_link=
	if [ -n "$st_port" ] && [ -d "$NVMET/ports/$st_port" ]; then
		say "teardown: rmdir port $st_port"
		rmdir "$NVMET/ports/$st_port" || ok=1
	fi
	st_port=
	if [ -n "$st_namespace" ] && [ -d "$st_namespace" ]; then
		say "teardown: disable and rmdir namespace ${st_namespace##*/}"
		{ echo 0 >"$st_namespace/enable"; } 2>/dev/null
		rmdir "$st_namespace" || ok=1
	fi
	st_namespace=
	if [ -n "$st_subsys" ] && [ -d "$ns" ]; then
		say "teardown: rmdir subsystem $nqn"
		rmdir "$ns" || ok=1
	fi
	st_subsys=
	save_state
	if [ -n "$st_nullb_dir" ] && [ -d "$st_nullb_dir" ]; then
		say "teardown: power off and rmdir ${st_nullb_dir#"$CONFIGFS"/}"
		{ echo 0 >"$st_nullb_dir/power"; } 2>/dev/null
		rmdir "$st_nullb_dir" || ok=1
	fi
	st_nullb_dir=
	if [ -n "$st_file" ] && [ -e "$st_file" ]; then
		say "teardown: rm $st_file"
		rm -f "$st_file" || ok=1
	fi
	st_file=
	save_state
	if [ -n "$st_rxe_name" ] && [ -e "/sys/class/infiniband/$st_rxe_name" ]; then
		say "teardown: rdma link delete $st_rxe_name"
		rdma link delete "$st_rxe_name" || ok=1
	fi
	st_rxe_name=
	save_state
	if [ -n "$st_modules" ]; then
		unload_modules || ok=1
	fi
	if [ -n "$st_configfs_mounted" ] && mountpoint -q "$CONFIGFS"; then
		say "teardown: umount $CONFIGFS"
		umount "$CONFIGFS" || ok=1
	fi
	st_configfs_mounted=
	if [ "$ok" = 0 ]; then
		[ -n "$state_file" ] && rm -f "$state_file" "$state_file.new"
		rmdir "$STATE_DIR" 2>/dev/null
		say "teardown: nothing left behind"
	else
		say "teardown: something stayed (see above); $state_file keeps what; run $0 --teardown-only $nqn"
	fi
	torn_down=1
	set -e
	return "$ok"
}

# shellcheck disable=SC2317  # run by the EXIT trap
on_exit() {
	local status=$?

	# Teardown is not to be cut short: its waits are bounded.
	trap - EXIT
	trap '' INT TERM
	teardown || { [ "$status" != 0 ] || status=1; }
	exit "$status"
}

# The IPv4 address of a network device.
netdev_ipv4() {
	ip -4 -o addr show dev "$1" 2>/dev/null | awk '{ split($4, a, "/"); print a[1]; exit }'
}

# The network device of the first RDMA device that has one.
rdma_netdev() {
	local d n

	for d in /sys/class/infiniband/*; do
		[ -e "$d" ] || continue
		n=$(cat "$d/parent" 2>/dev/null || cat "$d/ports/1/gid_attrs/ndevs/0" 2>/dev/null || true)
		if [ -n "$n" ]; then
			echo "$n"
			return 0
		fi
	done
	return 1
}

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--addr) addr=${2:?--addr needs an IPv4 address}; shift 2 ;;
		--rxe) rxe_netdev=${2:?--rxe needs a network device}; shift 2 ;;
		--null-size) null_size=${2:?--null-size needs MB}; shift 2 ;;
		--file)
			[ $# -ge 3 ] || { say "--file needs PATH and SIZE"; exit 2; }
			file_path=$2
			file_size=$3
			shift 3
			;;
		--nqn) nqn=${2:?--nqn needs an NQN}; shift 2 ;;
		--trsvcid) trsvcid=${2:?--trsvcid needs a port}; shift 2 ;;
		--dmabench) dmabench=${2:?--dmabench needs a path}; shift 2 ;;
		--teardown-only) teardown_only=${2:?--teardown-only needs an NQN}; shift 2 ;;
		-h | --help) usage; exit 0 ;;
		--) shift; run_args=("$@"); break ;;
		*) say "unknown option '$1' (see $0 --help)"; exit 2 ;;
		esac
	done
	case $null_size in
	'' | *[!0-9]*) say "--null-size '$null_size': want megabytes"; exit 2 ;;
	esac
	case $trsvcid in
	'' | *[!0-9]*) say "--trsvcid '$trsvcid': want a port number"; exit 2 ;;
	esac
	if [ -n "$addr" ] && ! [[ $addr =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
		say "--addr '$addr': want an IPv4 address"
		exit 2
	fi
	if [ -n "${DMABENCH_NVMEOF_FAIL_AT:-}" ] &&
	   ! [[ " $STEPS " == *" $DMABENCH_NVMEOF_FAIL_AT "* ]]; then
		say "DMABENCH_NVMEOF_FAIL_AT=$DMABENCH_NVMEOF_FAIL_AT: not a step; the steps: $STEPS"
		exit 2
	fi
	if [ -n "$teardown_only" ]; then
		nqn=$teardown_only
	fi
	case $nqn in
	*/* | '' | .*) say "--nqn '$nqn': not a usable NQN"; exit 2 ;;
	esac
}

# Steps.

step_configfs() {
	if ! mountpoint -q "$CONFIGFS"; then
		st_configfs_mounted=1
		save_state
		say "configfs: mount -t configfs none $CONFIGFS"
		mount -t configfs none "$CONFIGFS" || die "cannot mount configfs"
	fi
	step_done configfs
}

step_rxe() {
	local d

	if [ -n "$rxe_netdev" ]; then
		[ -e "/sys/class/net/$rxe_netdev" ] || die "--rxe $rxe_netdev: no such network device"
		[ -n "$(netdev_ipv4 "$rxe_netdev")" ] ||
			die "--rxe $rxe_netdev: it has no IPv4 address; give it one first (ip addr add 10.0.0.1/24 dev $rxe_netdev)"
		command -v rdma >/dev/null || die "rdma (iproute2) is missing"
		module_loaded rdma_rxe || load_modules rdma_rxe
		for d in /sys/class/infiniband/*; do
			if [ "$(cat "$d/parent" 2>/dev/null)" = "$rxe_netdev" ]; then
				say "rxe: ${d##*/} is already on $rxe_netdev: using it"
				step_done rxe
				return 0
			fi
		done
		st_rxe_name=rxe_dmabench
		save_state
		say "rxe: rdma link add $st_rxe_name type rxe netdev $rxe_netdev"
		rdma link add "$st_rxe_name" type rxe netdev "$rxe_netdev" ||
			die "rdma link add failed (see dmesg)"
		[ -n "$addr" ] || addr=$(netdev_ipv4 "$rxe_netdev")
	fi
	step_done rxe
}

step_modules() {
	local mods=(nvmet nvmet-rdma nvme-rdma)

	[ -n "$file_path" ] || mods=(null_blk "${mods[@]}")
	load_modules "${mods[@]}"
	[ -d "$NVMET" ] || die "$NVMET is missing after loading nvmet"
	step_done modules
}

# The block device of the null_blk device made as $1: named after its
# configfs directory (recent kernels), else nullb<index>.
nullb_dev() {
	local index

	if [ -b "/dev/$NULLB_NAME" ]; then
		echo "/dev/$NULLB_NAME"
		return 0
	fi
	index=$(cat "$1/index" 2>/dev/null) || return 1
	[ -b "/dev/nullb$index" ] || return 1
	echo "/dev/nullb$index"
}

step_backing() {
	local dir=$NULLB/$NULLB_NAME

	if [ -n "$file_path" ]; then
		if [ ! -e "$file_path" ]; then
			st_file=$file_path
			save_state
			say "backing: truncate -s $file_size $file_path"
			truncate -s "$file_size" "$file_path" || die "cannot create $file_path"
		fi
		[ -f "$file_path" ] || die "--file $file_path: not a regular file"
		backing=$file_path
		step_done backing
		return 0
	fi
	[ -d "$NULLB" ] || die "$NULLB is missing: null_blk without configfs support?"
	[ -e "$dir" ] && die "$dir exists: an earlier run's? ($0 --teardown-only $nqn)"
	st_nullb_dir=$dir
	save_state
	say "backing: null_blk $NULLB_NAME, $null_size MB, through $NULLB"
	mkdir "$dir" || die "cannot make $dir"
	{ echo "$null_size" >"$dir/size" && echo 0 >"$dir/memory_backed" &&
	  echo 1 >"$dir/power"; } || die "null_blk refused its settings (see dmesg)"
	for _ in $(seq 50); do
		backing=$(nullb_dev "$dir") && break
		sleep 0.1
	done
	[ -n "$backing" ] || die "the block device of $dir did not appear"
	say "backing: $backing"
	step_done backing
}

step_subsystem() {
	local dir=$NVMET/subsystems/$nqn

	[ -e "$dir" ] && die "subsystem $nqn exists already: another run's? ($0 --teardown-only $nqn, or --nqn another)"
	st_subsys=1
	save_state
	say "subsystem: $nqn, any host allowed"
	mkdir "$dir" || die "cannot make $dir"
	echo 1 >"$dir/attr_allow_any_host" || die "cannot allow any host on $nqn"
	step_done subsystem
}

step_namespace() {
	local dir=$NVMET/subsystems/$nqn/namespaces/1

	st_namespace=$dir
	save_state
	say "namespace: 1 on $backing"
	mkdir "$dir" || die "cannot make $dir"
	echo "$backing" >"$dir/device_path" || die "nvmet refused device_path $backing"
	echo 1 >"$dir/enable" || die "cannot enable namespace 1 on $backing (see dmesg)"
	step_done namespace
}

step_port() {
	local id=1

	while [ -e "$NVMET/ports/$id" ]; do
		id=$((id + 1))
	done
	if [ -z "$addr" ]; then
		local n
		n=$(rdma_netdev) || die "no RDMA device with a network device: give --rxe NETDEV or --addr IP"
		addr=$(netdev_ipv4 "$n")
		[ -n "$addr" ] || die "$n (the RDMA device's network device) has no IPv4 address: give it one, or --addr IP"
	fi
	st_port=$id
	save_state
	say "port: $id, rdma ipv4 $addr:$trsvcid"
	mkdir "$NVMET/ports/$id" || die "cannot make port $id"
	{ echo ipv4 >"$NVMET/ports/$id/addr_adrfam" &&
	  echo rdma >"$NVMET/ports/$id/addr_trtype" &&
	  echo "$addr" >"$NVMET/ports/$id/addr_traddr" &&
	  echo "$trsvcid" >"$NVMET/ports/$id/addr_trsvcid"; } ||
		die "port $id refused its address (nvmet-rdma missing? see dmesg)"
	step_done port
}

step_link() {
	local link=$NVMET/ports/$st_port/subsystems/$nqn

	st_link=$link
	save_state
	say "link: subsystem $nqn into port $st_port (the target listens)"
	ln -s "$NVMET/subsystems/$nqn" "$link" ||
		die "the target cannot listen on $addr:$trsvcid over RDMA (is $addr on an RDMA device's network device? see dmesg)"
	step_done link
}

step_connect() {
	# One poll queue, so that dmabench nvme can measure polled I/O too.
	local opts="transport=rdma,traddr=$addr,trsvcid=$trsvcid,nqn=$nqn,nr_poll_queues=1" reply fd

	st_connected=1
	save_state
	if command -v nvme >/dev/null; then
		say "connect: nvme connect -t rdma -a $addr -s $trsvcid -n $nqn --nr-poll-queues=1"
		nvme connect -t rdma -a "$addr" -s "$trsvcid" -n "$nqn" \
			--nr-poll-queues=1 >&2 ||
			die "nvme connect failed (see dmesg)"
	else
		say "connect: $opts > /dev/nvme-fabrics (no nvme-cli)"
		exec {fd}<>/dev/nvme-fabrics || die "cannot open /dev/nvme-fabrics"
		if ! printf '%s' "$opts" >&"$fd"; then
			exec {fd}>&-
			die "the host refused the connection (see dmesg)"
		fi
		read -r reply <&"$fd" || true
		exec {fd}>&-
		say "connect: $reply"
	fi
	step_done connect
}

# The namespace's block device: the one whose controller (or, with native
# multipath, subsystem) has our NQN.  Hidden per-path devices (nvmeXcYnZ)
# are skipped.
fabric_device() {
	local b name

	for b in /sys/block/nvme*n*; do
		[ -e "$b" ] || continue
		name=${b##*/}
		[[ $name =~ ^nvme[0-9]+c[0-9]+n[0-9]+$ ]] && continue
		[ "$(cat "$b/device/subsysnqn" 2>/dev/null)" = "$nqn" ] || continue
		echo "/dev/$name"
		return 0
	done
	return 1
}

step_device() {
	for _ in $(seq 100); do
		device=$(fabric_device) && break
		sleep 0.1
	done
	if [ -z "$device" ] || [ ! -b "$device" ]; then
		die "no block device of $nqn appeared (controllers: $(controllers_of "$nqn" | tr '\n' ' '))"
	fi
	say "device: $device (controllers: $(controllers_of "$nqn" | tr '\n' ' '))"
	step_done device
}

find_dmabench() {
	if [ -n "$dmabench" ]; then
		[ -x "$dmabench" ] || die "--dmabench $dmabench: not an executable"
	elif [ -x "$here/../userspace/dmabench" ]; then
		dmabench=$here/../userspace/dmabench
	elif command -v dmabench >/dev/null; then
		dmabench=$(command -v dmabench)
	else
		die "no dmabench binary: make userspace, or give --dmabench PATH"
	fi
}

main() {
	local status=0

	parse_args "$@"
	[ "$(id -u)" = 0 ] || die "needs root (modules, configfs, nvme connect)"
	mkdir -p "$STATE_DIR"
	state_file=$STATE_DIR/$nqn.state
	if [ -n "$teardown_only" ]; then
		say "teardown-only: $nqn"
		if [ -f "$state_file" ]; then
			# shellcheck source=/dev/null
			. "$state_file"
		else
			say "teardown-only: no $state_file: removing only what names $nqn"
			st_subsys=1
			[ -d "$NVMET/subsystems/$nqn/namespaces/1" ] &&
				st_namespace=$NVMET/subsystems/$nqn/namespaces/1
			for l in "$NVMET"/ports/*/subsystems/"$nqn"; do
				[ -L "$l" ] && st_link=$l && break
			done
		fi
		teardown
		exit $?
	fi
	[ -e "$state_file" ] &&
		die "$state_file exists: an earlier run left something ($0 --teardown-only $nqn)"
	find_dmabench
	save_state
	trap on_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	step_configfs
	step_rxe
	step_modules
	step_backing
	step_subsystem
	step_namespace
	step_port
	step_link
	step_connect
	step_device
	say "run: $dmabench nvme ${run_args[*]} $device"
	"$dmabench" nvme "${run_args[@]}" "$device" || status=$?
	step_done run
	exit "$status"
}

main "$@"

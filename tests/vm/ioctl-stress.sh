#!/usr/bin/env bash
# Inside the VM: load dmabench.ko, bind the spare PCI device to it, and for
# each PHASE (a DMA path) run the ioctl fuzzer (tests/vm/ioctlfuzz.c) while
# other processes inject faults: module unload attempts, unbinding and
# rebinding the PCI device, IOMMU group type switches.  dma-debug's
# mappings of the module's devices are counted before and after each phase
# (they must be equal: nothing left mapped).  Then the module is unloaded,
# the device given back as it was, and with PHASE tool-kill `dmabench
# micro` is killed while it has the device's group switched
# (tests/vm/micro-kill.sh).  At the end the kernel log of the whole run is
# searched for reports (WARN, BUG, oops, KASAN, UBSAN, lockdep, dma-debug,
# RCU stalls, soft/hard lockups, hung tasks) and kmemleak, where built in,
# scans for leaks.  Prints TAP, figures as comments; exit 0 only if all
# passed.
#
# Usage: ioctl-stress.sh MODULE.ko IOCTLFUZZ DMABENCH BDF CALLS SEED SECONDS \
#                        PHASES OUTDIR [MATRIX]
#   CALLS    ioctls for the fuzz phases together (split evenly)
#   SECONDS  a fuzz phase stops there even if its calls are not made (a
#            failed check); 0: no limit
#   PHASES   comma-separated: direct, swiotlb, iommu-strict, iommu-lazy,
#            iommu-identity (fuzz phases), tool-kill
#   MATRIX   first, `dmabench micro --quick` (every API, size, direction,
#            thread count and batch) on the fuzz phases' paths with MATRIX
#            samples a point; 0 (default): not
set -euo pipefail

ko=$1
fuzz=$2
bin=$3
bdf=$4
calls=$5
seed=$6
limit=$7
phases=$8
out=$9
matrix=${10:-0}
here=$(dirname "$0")
# shellcheck source=tests/vm/tap.sh
. "$here/tap.sh"
mkdir -p "$out"

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug || true
dev=/sys/bus/pci/devices/$bdf
drv=/sys/bus/pci/drivers/dmabench
dump=/sys/kernel/debug/dma-api/dump
group=
[ -e "$dev/iommu_group" ] && group=/sys/kernel/iommu_groups/$(basename "$(readlink "$dev/iommu_group")")

state() {
	local d=none
	[ -e "$dev/driver" ] && d=$(basename "$(readlink "$dev/driver")")
	echo "driver=$d override=$(cat "$dev/driver_override")" \
		"type=$(cat "$group/type" 2>/dev/null || echo none)"
}
# dma-debug's live mappings of the module's devices (its platform device is
# "dmabench"), or "unavailable".
mapped() {
	if [ -r "$dump" ]; then
		awk -v b="$bdf" '$2 == "dmabench" || $2 == b { n++ } END { print n + 0 }' "$dump"
	else
		echo unavailable
	fi
}
fuzz_phase() {
	case $1 in
	direct|swiotlb|iommu-strict|iommu-lazy|iommu-identity) return 0 ;;
	*) return 1 ;;
	esac
}
for p in ${phases//,/ }; do
	fuzz_phase "$p" || [ "$p" = tool-kill ] ||
		{ echo "Bail out! unknown phase '$p'"; exit 1; }
done

# The kernel log as it comes: a long run outgrows the ring buffer.
dmesg -w >/tmp/kmsg.log 2>&1 &
wpid=$!
marker="dmabench-stress-$$-$RANDOM"
sleep 1
echo "$marker start" >/dev/kmsg
# kmemleak: what was allocated before the run is not looked at.
[ -w /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak

before=$(state)
echo "# $bdf before: $before; IOMMU group: ${group:-none}"
if [ -r "$dump" ]; then
	echo "# dma-debug: on, $(cat /sys/kernel/debug/dma-api/nr_total_entries) entries, errors so far $(cat /sys/kernel/debug/dma-api/error_count)"
else
	echo "# dma-debug: unavailable (no $dump: a kernel without CONFIG_DMA_API_DEBUG)"
fi

nfuzz=0
for p in ${phases//,/ }; do
	fuzz_phase "$p" && nfuzz=$((nfuzz + 1))
done
per=$(( nfuzz ? (calls + nfuzz - 1) / nfuzz : 0 ))

# Counters of the fault injectors, one file each: "name count" lines.
count() { echo "$2" >>"$out/inj-$1"; }

# Module unload attempts while the fuzzer holds the device open.
unloader() {
	while :; do
		sleep 0.$((2 + RANDOM % 6))
		if rmmod dmabench 2>/dev/null; then
			count unload "module unloaded while in use"
			if insmod "$ko"; then
				echo "$bdf" >"$drv/bind" 2>/dev/null || true
			fi
		else
			count unload "module unload refused (in use)"
		fi
	done
}

# The spare device: unbound and rebound, its group's type switched; the
# phase's type is put back after every switch that was accepted.
pcifaults() {
	local want=$1 t r
	local types=(DMA DMA-FQ identity auto bogus)
	while :; do
		sleep 0.$((1 + RANDOM % 3))
		r=$((RANDOM % 3))
		[ -n "$group" ] || r=0
		case $r in
		0)
			if echo "$bdf" >"$drv/unbind" 2>/dev/null; then
				count pci "unbind"
				sleep 0.0$((RANDOM % 10))
				if echo "$bdf" >"$drv/bind" 2>/dev/null; then
					count pci "rebind"
				else
					count pci "rebind failed"
				fi
			else
				count pci "unbind failed"
			fi
			;;
		1)	# while bound: the kernel may refuse
			t=${types[RANDOM % ${#types[@]}]}
			if echo "$t" >"$group/type" 2>/dev/null; then
				count type "switch while bound accepted ($t)"
				restore_type "$want" || count type "type not restored"
			else
				count type "switch while bound refused"
			fi
			;;
		2)	# while unbound
			t=${types[RANDOM % ${#types[@]}]}
			echo "$bdf" >"$drv/unbind" 2>/dev/null || true
			if echo "$t" >"$group/type" 2>/dev/null; then
				count type "switch while unbound accepted"
			else
				count type "switch while unbound refused"
			fi
			echo "$want" >"$group/type" 2>/dev/null || true
			echo "$bdf" >"$drv/bind" 2>/dev/null || true
			;;
		esac
	done
}
# The group's type set to $1, the device unbound meanwhile and bound to
# dmabench again if the module is loaded.
restore_type() {
	[ -n "$group" ] || return 0
	[ "$(cat "$group/type")" = "$1" ] && return 0
	if [ -e "$dev/driver" ]; then
		echo "$bdf" >"$dev/driver/unbind" 2>/dev/null || true
	fi
	echo "$1" >"$group/type" 2>/dev/null || true
	if [ -e "$drv" ] && [ ! -e "$dev/driver" ]; then
		echo "$bdf" >"$drv/bind" 2>/dev/null || true
	fi
	[ "$(cat "$group/type")" = "$1" ]
}
# shellcheck disable=SC2317 # called through check
bind_dmabench() {
	if [ -e "$dev/driver" ]; then
		[ "$(basename "$(readlink "$dev/driver")")" = dmabench ] && return 0
		echo "$bdf" >"$dev/driver/unbind"
	fi
	echo dmabench >"$dev/driver_override"
	echo "$bdf" >"$drv/bind"
}

total=0
declare -A faults=()
fpaths=
for p in ${phases//,/ }; do
	fuzz_phase "$p" && fpaths+=${fpaths:+,}$p
done
if [ "$matrix" != 0 ] && [ -n "$fpaths" ]; then
	echo "$marker phase matrix" >/dev/kmsg
	t=$SECONDS
	insmod "$ko"
	m0=$(mapped)
	st=0
	"$bin" micro --quick --pci "$bdf" --path "$fpaths" --samples "$matrix" \
		--warmup 10 --no-counters --out "$out/matrix" >"$out/matrix.log" 2>&1 || st=$?
	m1=$(mapped)
	sum=$(tail -n 1 "$out/matrix.log")/summary.csv
	if [ -s "$sum" ]; then
		echo "# matrix: $(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			{ n[$c["status"]]++; a[$c["api"]] = 1; p[$c["path"]] = 1 }
			END { for (s in n) printf "%s %d, ", s, n[s]; printf "APIs"; for (x in a) printf " %s", x;
				printf "; paths"; for (x in p) printf " %s", x }' "$sum")"
	fi
	check "matrix: dmabench micro --quick, $matrix samples, every API on $fpaths (exit $st)" \
		test "$st" = 0 -a -s "$sum"
	[ "$st" = 0 ] || tail -n 5 "$out/matrix.log" | sed 's/^/# matrix: /'
	echo "# matrix: $((SECONDS - t)) s; dma-debug mappings of $bdf and the module's device: before $m0, after $m1"
	[ "$m0" = unavailable ] ||
		check "matrix: no mapping left in dma-debug (before $m0, after $m1)" test "$m1" = "$m0"
	check "matrix: the module unloads after it" rmmod dmabench
	check "matrix: $bdf given back as it was ($(state))" test "$(state)" = "$before"
fi
if [ "$nfuzz" -gt 0 ]; then
	check "the module loads" insmod "$ko"
	check "the spare device $bdf binds to it" bind_dmabench
fi
for p in ${phases//,/ }; do
	fuzz_phase "$p" || continue
	type=
	case $p in
	iommu-strict) type=DMA ;;
	iommu-lazy) type=DMA-FQ ;;
	iommu-identity) type=identity ;;
	esac
	if [ -n "$type" ]; then
		if [ -z "$group" ]; then
			check "$p: $bdf is in an IOMMU group (boot with an IOMMU)" false
			continue
		fi
		check "$p: the group's type set to $type" restore_type "$type"
	else
		type=$(cat "$group/type" 2>/dev/null || echo none)
	fi
	# Runs go to the PCI device on the IOMMU paths; elsewhere to the
	# module's own device, and to the PCI device too when it has no IOMMU
	# (then both take the same path).
	on=own
	case $p in
	iommu-*) on=pci ;;
	*) [ -n "$group" ] || on=both ;;
	esac
	echo "$marker phase $p" >/dev/kmsg
	t=$SECONDS
	m0=$(mapped)
	rm -f "$out"/inj-*
	exec 7<>/dev/dmabench	# unload attempts meet an open device
	unloader &
	upid=$!
	pcifaults "$type" &
	ppid=$!
	# Ahead of the fuzzer's nine busy threads, or they would seldom act.
	renice -n -10 -p "$upid" "$ppid" >/dev/null 2>&1 || true
	st=0
	"$fuzz" -n "$per" -T "$limit" -p 3 -t 3 -d "$on" -s "$((seed + total))" \
		>"$out/fuzz-$p.out" 2>&1 || st=$?
	kill "$upid" "$ppid" 2>/dev/null || true
	wait "$upid" "$ppid" 2>/dev/null || true
	exec 7>&-
	sed -n 's/^# /# '"$p"': /p' "$out/fuzz-$p.out"
	made=$(sed -n 's/^\(not \)\{0,1\}ok 1 - \([0-9]*\) ioctls made.*/\2/p' "$out/fuzz-$p.out")
	total=$((total + ${made:-0}))
	check "$p: the fuzzer made its $per calls (exit $st)" test "$st" = 0
	while read -r c line; do
		faults["$line"]=$(( ${faults["$line"]:-0} + c ))
	done < <(awk '$2 == "faults:" { c = $NF; $1 = $2 = $NF = ""; gsub(/^ +| +$/, ""); print c, $0 }' "$out/fuzz-$p.out")
	for f in "$out"/inj-*; do
		[ -e "$f" ] || continue
		sort "$f" | uniq -c | while read -r c line; do
			echo "# $p: injected: $line: $c"
		done
		while read -r c line; do
			faults["$line"]=$(( ${faults["$line"]:-0} + c ))
		done < <(sort "$f" | uniq -c)
	done
	check "$p: $bdf bound to dmabench again" bind_dmabench
	[ -n "$group" ] && check "$p: the group's type is $type again" restore_type "$type"
	# Runs on their way out (SIGKILLed processes) unmap before the
	# ioctl returns; give the last ones a moment.
	sleep 1
	m1=$(mapped)
	echo "# $p: $((SECONDS - t)) s; dma-debug mappings of $bdf and the module's device: before $m0, after $m1"
	if [ "$m0" != unavailable ]; then
		check "$p: no mapping left in dma-debug (before $m0, after $m1)" test "$m1" = "$m0"
	fi
	echo "$marker phase $p end" >/dev/kmsg
done
if [ "$nfuzz" -gt 0 ]; then
	check "the module unloads after the fuzzing" rmmod dmabench
	echo > "$dev/driver_override"
	if [ -n "$group" ]; then
		restore_type "${before##*type=}" || true
	fi
	check "$bdf given back as it was ($(state))" test "$(state)" = "$before"
fi

case ,$phases, in
*,tool-kill,*)
	echo "$marker phase tool-kill" >/dev/kmsg
	t=$SECONDS
	m0=$(mapped)
	st=0
	mkdir -p "$out/tool-kill"
	bash "$here/micro-kill.sh" "$ko" "$bin" "$bdf" "$out/tool-kill" "$seed" \
		>"$out/tool-kill.tap" 2>&1 || st=$?
	sed 's/^/# tool-kill: /' "$out/tool-kill.tap"
	kills=$(grep -c '^# SIG' "$out/tool-kill.tap" || true)
	faults["dmabench micro stopped with its group switched (SIGINT, SIGTERM, SIGKILL)"]=$kills
	check "tool-kill: dmabench micro killed $kills times with its group switched, device and module given back (exit $st)" \
		test "$st" = 0
	m1=$(mapped)
	echo "# tool-kill: $((SECONDS - t)) s; dma-debug mappings: before $m0, after $m1"
	[ "$m0" = unavailable ] ||
		check "tool-kill: no mapping left in dma-debug (before $m0, after $m1)" test "$m1" = "$m0"
	;;
esac

echo "$marker end" >/dev/kmsg
sleep 2
kill "$wpid" 2>/dev/null || true
check "the kernel log of the run captured from start to end" \
	bash -c "grep -q '$marker start' /tmp/kmsg.log && grep -q '$marker end' /tmp/kmsg.log"
log=$(sed -n "/$marker start/,/$marker end/p" /tmp/kmsg.log)
cp /tmp/kmsg.log "$out/kmsg.log"
# What a kernel report looks like: tests/vm/reports.pattern (its own test:
# tests/23-reports.t).
reports=$(printf '%s\n' "$log" | grep -E -f "$here/reports.pattern" || true)
nrep=$(printf '%s' "$reports" | grep -c . || true)

echo "# figures: ioctls made $total"
for k in "${!faults[@]}"; do
	printf '# figures: fault %s: %s\n' "$k" "${faults[$k]}"
done | sort
echo "# figures: kernel log lines $(printf '%s\n' "$log" | wc -l), refusals logged $(printf '%s\n' "$log" | grep -c 'refused\|interface version' || true), suppressed $(printf '%s\n' "$log" | grep -o '[0-9]* callbacks suppressed' | awk '{s += $1} END {print s + 0}')"
echo "# figures: kernel reports $nrep"
check "no kernel report (WARN, BUG, KASAN, UBSAN, lockdep, dma-debug, stall, lockup, hung task)" test -z "$reports"
[ -z "$reports" ] || printf '%s\n' "$reports" | head -n 40 | sed 's/^/# /'
if [ -w /sys/kernel/debug/kmemleak ]; then
	# Two scans: an object is reported once it stayed unreferenced for
	# a whole scan period.
	echo scan >/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >"$out/kmemleak.txt"
	leaks=$(grep -c 'unreferenced object' "$out/kmemleak.txt" || true)
	mine=$(awk '/unreferenced object/ { if (m) n++; m = 0 } /dmabench/ { m = 1 } END { if (m) n++; print n + 0 }' "$out/kmemleak.txt")
	echo "# figures: kmemleak unreferenced objects $leaks ($mine with dmabench in their backtrace)"
	check "kmemleak: no unreferenced object ($leaks)" test "$leaks" = 0
	[ "$leaks" = 0 ] || head -n 40 "$out/kmemleak.txt" | sed 's/^/# /'
else
	echo "# figures: kmemleak unavailable (not in this kernel)"
fi
tap_end

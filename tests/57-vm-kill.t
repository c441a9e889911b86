#!/usr/bin/env bash
# Killed is not half-done: `make vm-bench` stopped by SIGINT (as Ctrl-C
# sends it: to the whole foreground process group), SIGTERM (to make
# alone, as kill(1) or a CI runner sends it) and SIGKILL (to make alone)
# at a random point (build, boot, microbenchmark), from a printed seed
# (KILL_SEED=N repeats it). Afterwards: no QEMU, virtme-ng, chroot, build
# or other process of the run left, no bind mount of the lab root in our
# mount namespace, no new run directory under results/ that is not
# complete, no staging directory left. About 1 to 2 minutes per kill.
# Then `make bench` (two kernels side by side) is stopped the same way, by
# one of the three signals, while its guests run.
# Then, in one guest with an IOMMU, `dmabench micro` killed while it has the
# spare device's group switched (tests/vm/micro-kill.sh): the device, its
# group and the module given back, by dmabench itself or `dmabench repair`.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

if [ "$(id -u)" != 0 ]; then
	skip "make vm-bench stopped at random points" "needs root (the lab's chroot)"
	finish
fi
kernel=${KILL_KERNEL:-7.3}
seed=${KILL_SEED:-$(( $(date +%s) % 100000 ))}
echo "# seed $seed (KILL_SEED=$seed repeats it), kernel $kernel"
RANDOM=$seed
root=$(lab/mkroot.sh) || { echo "Bail out! no lab root"; exit 1; }
# The kernel and the build first, so that no kill lands in the shared
# root's package installation.
build=$(lab/build.sh "$kernel" 2>"$logs/kill-build.log") ||
	{ echo "Bail out! lab/build.sh $kernel failed"; exit 1; }

# The processes of the run: everything that inherited its token.
procs() {
	local e pid
	for e in /proc/[0-9]*/environ; do
		pid=${e#/proc/}
		pid=${pid%/environ}
		[ "$pid" = $$ ] && continue
		if { tr '\0' '\n' <"$e"; } 2>/dev/null | grep -qx "DMABENCH_KILLTEST=$1"; then
			printf '%s:%s ' "$pid" "$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | cut -c1-60)"
		fi
	done
}

names() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort; }
stages_before=$(names build/stage)
runs_before=$(names results)
# Each signal lands in another phase, in an order from the seed: the build
# in the lab root, the guest booting, or dmabench micro running in it.
phases=(build boot guest)
first=$((RANDOM % 3))
n=0
# Then make bench (two kernels side by side, lab/vm-compare.sh) by a
# signal from the seed, while its guests run.
# KILL_HOST=0: only the guest part below.
bsigs=(INT TERM KILL)
rounds=(vm-bench:INT vm-bench:TERM vm-bench:KILL "bench:${bsigs[$((RANDOM % 3))]}")
[ "${KILL_HOST:-1}" = 0 ] && rounds=()
for round in "${rounds[@]}"; do
	target=${round%%:*}
	sig=${round#*:}
	token=kill-$target-$sig-$seed-$$
	phase=${phases[$(( (first + n) % 3 ))]}
	n=$((n + 1))
	make_args=(vm-bench KERNEL="$kernel" DMA=direct QUICK=1 NVME=0)
	if [ "$target" = bench ]; then
		phase=guest
		make_args=(bench QUICK=1)
	fi
	case $phase in
	build) marker='^lab: building' extra=$((RANDOM % 20)) ;;
	boot) marker="^vm-bench: boot" extra=$((RANDOM % 10)) ;;
	guest) marker="^vm-bench: boot" extra=$((30 + RANDOM % 40)) ;;
	esac
	log=$logs/kill-$target-$sig.log
	# A session of its own, SIGINT not ignored (as in a terminal), so
	# that SIGINT can go to the whole group as Ctrl-C sends it.
	# shellcheck disable=SC2016 # perl's
	DMABENCH_KILLTEST=$token setsid perl -e \
		'$SIG{INT} = $SIG{QUIT} = "DEFAULT"; exec @ARGV' \
		make "${make_args[@]}" >"$log" 2>&1 &
	make=$!
	# Up to 5 minutes for the phase to begin, then its extra seconds.
	for ((i = 0; i < 3000; i++)); do
		kill -0 "$make" 2>/dev/null || break
		grep -q "$marker" "$log" && break
		sleep 0.1
	done
	for ((i = 0; i < extra * 10; i++)); do
		kill -0 "$make" 2>/dev/null || break
		sleep 0.1
	done
	delay="$extra s into the $phase"
	seen=$(procs "$token")
	if ! kill -0 "$make" 2>/dev/null; then
		wait "$make"
		echo "# $target SIG$sig: make $target ended by itself ($?) before $delay"
		tail -n 5 "$log" | diag
		continue
	fi
	echo "# $target SIG$sig $delay, at: $(grep -E '^(lab|vm-bench|boot):' "$log" | tail -n 1)"
	echo "# running then: $(echo "$seen" | grep -oE '[0-9]+:[^ ]+' | sed 's/^[0-9]*://' | sort | uniq -c | tr -s ' \n' ' ')"
	if [ "$sig" = INT ]; then
		kill -INT -- "-$make"
	else
		kill "-$sig" "$make"
	fi
	wait "$make"
	st=$?
	echo "# make exited with $st"
	left=
	for ((i = 0; i < 300; i++)); do
		left=$(procs "$token")
		[ -z "$left" ] && break
		sleep 0.1
	done
	check "$target SIG$sig: nothing of the run left running 30 s later" test -z "$left"
	[ -z "$left" ] || echo "# left: $left"
	# Stop what a failure left, so that the next kill starts clean.
	for p in $left; do kill -KILL "${p%%:*}" 2>/dev/null; done
	check "$target SIG$sig: no bind mount of the lab root here" \
		bash -c "! grep -q ' ${root//\//\\/}/' /proc/self/mountinfo"
	new=$(comm -13 <(echo "$runs_before") <(names results) | grep -v '^\.tmp-' || true)
	bad=
	for r in $new; do
		[ -s "results/$r/meta.json" ] && [ -e "results/$r/summary.csv" ] || bad+=" $r"
	done
	check "$target SIG$sig: no incomplete run directory under results/" test -z "$bad"
	[ -z "$bad" ] || echo "# incomplete:$bad"
	leftstage=$(comm -13 <(echo "$stages_before") <(names build/stage))
	check "$target SIG$sig: its staging directory removed" test -z "$leftstage"
	for s in $leftstage; do rm -rf "build/stage/$s"; done
	grep -E 'stopped by SIG|stopping' "$log" | head -n 4 | diag
done

# dmabench micro killed in a guest, its device and module given back.
# Built again: a kill in the build phase may have left the build half done.
build=$(lab/build.sh "$kernel" 2>"$logs/kill-build.log") ||
	{ echo "Bail out! lab/build.sh $kernel failed"; exit 1; }
out=build/test-kill
rm -rf "$out"
mkdir -p "$out"
cat >"$out/run.sh" <<SCRIPT
#!/bin/sh
/dmabench/$build/tests/micro-kill.sh /dmabench/$build/bench-module/dmabench.ko \\
	/dmabench/$build/userspace/dmabench 0000:00:10.0 /dmabench/$out $seed \\
	>/dmabench/$out/tap 2>&1
SCRIPT
chmod +x "$out/run.sh"
run_logged vm-micro-kill lab/boot.sh "$build" "$out" 1 \
	"-M q35 -device intel-iommu -device edu,addr=0x10" "intel_iommu=on" \
	"$out/run.sh"
if [ -s "$out/tap" ]; then
	relay_tap "micro killed in the guest" "$out/tap"
else
	check "the micro kill checks ran in the guest" false
fi
finish

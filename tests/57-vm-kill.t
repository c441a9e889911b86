#!/usr/bin/env bash
# Killed is not half-done: `make vm-bench` stopped by SIGINT (as Ctrl-C
# sends it: to the whole foreground process group), SIGTERM (to make
# alone, as kill(1) or a CI runner sends it) and SIGKILL (to make alone)
# at a random point (build, boot, microbenchmark), from a printed seed
# (KILL_SEED=N repeats it). Afterwards: no QEMU, virtme-ng, chroot, build
# or other process of the run left, no bind mount of the lab root in our
# mount namespace, no new run directory under results/ that is not
# complete, no staging directory left. About 1 to 2 minutes per kill.
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
run_logged kill-build lab/build.sh "$kernel" >/dev/null ||
	{ echo "Bail out! lab/build.sh $kernel failed"; exit 1; }

# The processes of the run: everything that inherited its token.
procs() {
	local e pid
	for e in /proc/[0-9]*/environ; do
		pid=${e#/proc/}
		pid=${pid%/environ}
		[ "$pid" = $$ ] && continue
		if tr '\0' '\n' <"$e" 2>/dev/null | grep -qx "DMABENCH_KILLTEST=$1"; then
			printf '%s:%s ' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-60)"
		fi
	done
}

names() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort; }
stages_before=$(names build/stage)
runs_before=$(names results)
for sig in INT TERM KILL; do
	token=kill-$sig-$seed-$$
	delay=$(( 5 + RANDOM % 100 ))
	log=$logs/kill-$sig.log
	# A session of its own, SIGINT not ignored (as in a terminal), so
	# that SIGINT can go to the whole group as Ctrl-C sends it.
	# shellcheck disable=SC2016 # perl's
	DMABENCH_KILLTEST=$token setsid perl -e \
		'$SIG{INT} = $SIG{QUIT} = "DEFAULT"; exec @ARGV' \
		make vm-bench KERNEL="$kernel" DMA=direct QUICK=1 NVME=0 \
		>"$log" 2>&1 &
	make=$!
	for ((i = 0; i < delay * 10; i++)); do
		kill -0 "$make" 2>/dev/null || break
		sleep 0.1
	done
	seen=$(procs "$token")
	if ! kill -0 "$make" 2>/dev/null; then
		wait "$make"
		echo "# SIG$sig: make vm-bench ended by itself ($?) before ${delay} s"
		tail -n 5 "$log" | diag
		continue
	fi
	echo "# SIG$sig after ${delay} s, at: $(grep -E '^(lab|vm-bench|boot):' "$log" | tail -n 1)"
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
	check "SIG$sig: nothing of the run left running 30 s later" test -z "$left"
	[ -z "$left" ] || echo "# left: $left"
	# Stop what a failure left, so that the next kill starts clean.
	for p in $left; do kill -KILL "${p%%:*}" 2>/dev/null; done
	check "SIG$sig: no bind mount of the lab root here" \
		bash -c "! grep -q ' ${root//\//\\/}/' /proc/self/mountinfo"
	new=$(comm -13 <(echo "$runs_before") <(names results) | grep -v '^\.tmp-' || true)
	bad=
	for r in $new; do
		[ -s "results/$r/meta.json" ] && [ -e "results/$r/summary.csv" ] || bad+=" $r"
	done
	check "SIG$sig: no incomplete run directory under results/" test -z "$bad"
	[ -z "$bad" ] || echo "# incomplete:$bad"
	leftstage=$(comm -13 <(echo "$stages_before") <(names build/stage))
	check "SIG$sig: its staging directory removed" test -z "$leftstage"
	for s in $leftstage; do rm -rf "build/stage/$s"; done
	grep -E 'stopped by SIG|stopping' "$log" | head -n 4 | diag
done
finish

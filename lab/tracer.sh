# shellcheck shell=bash
# The tracer beside a boot: lab/trace.py under gdb in the lab root, started
# before the guest boots (the guest's QEMU gets -gdb tcp:127.0.0.1:PORT),
# ending when the guest powers off.  Sourced by lab/vm-bench.sh and
# lab/vm-peer.sh, which need gdb in the root (lab/rootpkg.sh ROOT gdb) and
# call tracer_stop on every way out.
#
#   tracer_port                a free TCP port on 127.0.0.1, printed
#   tracer_start ROOT TDIR PORT  the tracer for TDIR (under the repository,
#                              the guest's --trace-dir), its log TDIR.log
#   tracer_wait                after the boot: wait up to 60 s for it to
#                              end, then stop it
#   tracer_stop                stop it now, if it runs

tracer_pid=

tracer_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

tracer_start() {
	local root=$1 tdir=$2 port=$3
	# shellcheck disable=SC2154 # repo: the repository, the sourcer's
	"$repo/lab/chroot.sh" "$root" --bind "$repo" /dmabench \
		env DMABENCH_TRACE_DIR="/dmabench/$tdir" \
		DMABENCH_TRACE_PORT="$port" \
		gdb -batch -nx -x /dmabench/lab/trace.py \
		</dev/null >"$repo/$tdir.log" 2>&1 &
	tracer_pid=$!
}

tracer_stop() {
	[ -z "$tracer_pid" ] || kill "$tracer_pid" 2>/dev/null || true
	tracer_pid=
}

tracer_wait() {
	local i
	for i in $(seq 60); do
		kill -0 "$tracer_pid" 2>/dev/null || break
		sleep 1
		[ "$i" = 60 ] && echo "$(basename "$0"): the tracer did not end" >&2
	done
	tracer_stop
}

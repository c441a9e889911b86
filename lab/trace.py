# SPDX-License-Identifier: GPL-2.0
"""Exact per-function instruction traces of dmabench's traced calls.

Runs inside gdb (gdb -batch -nx -x lab/trace.py), started by lab/vm-bench.sh
--trace before the guest boots, with the environment:

  DMABENCH_TRACE_PORT  QEMU's gdbstub (-gdb tcp:127.0.0.1:PORT)
  DMABENCH_TRACE_DIR   the directory dmabench micro --trace-dir writes
                       (kallsyms, trace-ready, trace-plan.csv); the traces
                       are written here too: trace.csv, trace-points.csv,
                       trace.txt, and trace.log (what the tracer did)

It waits for DIR/trace-ready, reads DIR/kallsyms (the guest's, nokaslr, with
the module's symbols), connects, breaks on every dmabench_traced_* function
and writes DIR/trace-go.  At each hit it reads the tag (rdi) and the return
address (*(u64 *)rsp), then single-steps until the wrapper has returned,
recording every instruction.  QEMU's gdbstub masks interrupts and timers
while it single-steps (its default sstep flags), and the module makes the
call with interrupts off on the only vCPU (-icount), so every instruction
stepped belongs to the traced call.  Where no instruction between two
stops can branch the tracer lets the guest run to the second under a
breakpoint rather than step each; it does so only while interrupts are
off, since an interrupt taken then would go uncounted.

Instructions at the wrapper's own depth (its prologue, argument set-up, the
dma_mapping_error() check, its epilogue and return thunk) are the caller
side; those inside the calls it makes are the call.  Frames are followed by
the stack pointer: a call pushes one whose entry SP is the SP after the
call; a jump into another function at the same SP (a tail call, a thunk)
pushes one too; a frame ends when SP rises above its entry SP.

If DIR/trace-funcs.csv exists (columns function,hit,api,path,size,dir,op)
each of its functions is traced too, once, at its hit-th call, its key
given by the row: the kernel's own dma_map_benchmark has no tag to read
(lab/vm-peer.sh --trace).  The guest takes its interrupts as usual up to
that call; QEMU masks them while the call is stepped.  No straight run
ends after an instruction that may turn interrupts on (popf, sti): those
are stepped, so that an interrupt pending then stays pending until the
call has returned.  If a step lands in an x86 IDT entry stub all the same,
the tracer stops with an error rather than count an interrupt as the call.

The tracer ends when the guest powers off (gdb loses the connection).
"""

import bisect
import csv
import os
import sys
import time

import gdb  # pylint: disable=import-error

TRACE_HEADER = "api,path,size,dir,op,function,calls,self,total"
FUNCS_HEADER = "function,hit,api,path,size,dir,op"
POINTS_HEADER = "api,path,size,dir,op,tag,instructions,caller,functions"
WRAPPER = "dmabench_traced_"
# Where a function's own return goes when the kernel uses return thunks.
RETURN_THUNKS = ("return_thunk", "untrain_ret", "safe_ret")
# A runaway: no traced call of dmabench takes this many instructions.
MAX_STEPS = 2000000
# Instruction prefixes gdb prints as words of their own.
PREFIXES = ("cs", "ds", "es", "ss", "notrack", "bnd", "data16", "lock")
# Mnemonics (besides call, j*, rep*) that change the control flow.
FLOW = ("ret", "lret", "iret", "loop", "int", "sys", "ud", "hlt", "xbegin",
        "xabort", "enter", "leave", "vmcall", "(bad)")
# Instructions that may turn interrupts on: a straight run must not pass
# them (an interrupt taken in a run would be counted as the call).
IRQ_ON = ("popf", "popfq", "popfw", "sti")
# x86 IDT entry stubs, where a step that took an interrupt would land.
IDT_ENTRY = ("asm_exc_", "asm_sysvec_", "asm_common_interrupt",
             "asm_spurious_interrupt", "irq_entries_start",
             "spurious_entries_start")
# The longest straight run decoded at once.
MAX_BLOCK = 64
WIDTH = 79
# The interrupt flag of eflags.
IF = 1 << 9


def log(msg):
    sys.stderr.write("trace: %s\n" % msg)
    sys.stderr.flush()


class Symbols:
    """Text symbols of kallsyms, sorted by address."""

    def __init__(self, path):
        syms = {}
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) < 3 or parts[1] not in "tTwW":
                    continue
                addr = int(parts[0], 16)
                if addr == 0:
                    continue
                syms.setdefault(addr, parts[2])
        self.addrs = sorted(syms)
        self.names = [syms[a] for a in self.addrs]

    def lookup(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.names[i] if i >= 0 else None

    def address(self, name):
        for a, n in zip(self.addrs, self.names):
            if n == name:
                return a
        return None

    def wrappers(self):
        return [(a, n) for a, n in zip(self.addrs, self.names)
                if n.startswith(WRAPPER)]


class Node:
    """A call-tree node: one function reached through one path of calls."""

    def __init__(self, name):
        self.name = name
        self.calls = 0
        self.self = 0
        self.total = 0
        self.children = {}

    def child(self, name):
        if name not in self.children:
            self.children[name] = Node(name)
        return self.children[name]


def reg(name):
    return int(gdb.selected_frame().read_register(name)) & (2**64 - 1)


class Stepper:
    """Single-steps one traced call and attributes its instructions."""

    def __init__(self, syms):
        self.syms = syms
        self.insn = {}
        self.blocks = {}
        self.arch = gdb.selected_inferior().architecture()
        self.inferior = gdb.selected_inferior()
        self.steps = 0
        self.trips = 0
        self.seconds = 0.0

    def decode(self, pc):
        """The instruction at pc: (kind, length), kind 'call', 'jump',
        'rep', 'flow' (any other change of control flow) or ''."""
        if pc not in self.insn:
            d = self.arch.disassemble(pc)[0]
            asm = d["asm"].split()
            op = asm[0] if asm else ""
            while op in PREFIXES and len(asm) > 1:
                asm = asm[1:]
                op = asm[0]
            if op.startswith("call"):
                kind = "call"
            elif op.startswith("j"):
                kind = "jump"
            elif op.startswith("rep"):
                # rep movs/stos: as many iterations as rcx says, whatever
                # the data (repe/repne cmps and scas stop on data: stepped).
                kind = "rep" if op == "rep" and len(asm) > 1 and \
                    asm[1][:4] in ("movs", "stos") else "flow"
            elif op.startswith(FLOW) or op in IRQ_ON or op == "(bad)":
                kind = "flow"
            else:
                kind = ""
            self.insn[pc] = (kind, d["length"])
        return self.insn[pc]

    def kind(self, pc):
        return self.decode(pc)

    def straight(self, pc):
        """The instructions from pc on up to the next one that may change
        the control flow (excluded): what runs with no branch between."""
        if pc not in self.blocks:
            run = []
            a = pc
            while len(run) < MAX_BLOCK and self.decode(a)[0] == "":
                run.append(a)
                a += self.decode(a)[1]
            self.blocks[pc] = (run, a)
        return self.blocks[pc]

    def run_to(self, end):
        """Continue to end under a temporary breakpoint."""
        bp = gdb.Breakpoint("*0x%x" % end, internal=True, temporary=True)
        gdb.execute("continue", to_string=True)
        if bp.is_valid():
            bp.delete()
        if reg("pc") != end:
            raise RuntimeError("stopped at 0x%x, not 0x%x" % (reg("pc"), end))

    def run_rep(self, pc):
        """Run a rep movs/stos to its end; the steps it takes.  Under
        -icount QEMU executes one iteration per step and one more step that
        finds rcx zero (it disables its rep optimisation then), and counts
        each step as an instruction: rcx + 1 steps, which is what stepping
        it would count (seen: 4097 steps for a 4 KiB rep movsb), without a
        round trip each."""
        n = reg("rcx")
        if n < 2:
            gdb.execute("stepi", to_string=True)
            return 1
        self.run_to(pc + self.decode(pc)[1])
        if reg("rcx") != 0:
            raise RuntimeError("rep at 0x%x did not run to its end" % pc)
        return n + 1

    def trace(self, wrapper):
        """Step from the wrapper's entry to its return; the counts."""
        pc, sp = reg("pc"), reg("sp")
        ret = int.from_bytes(bytes(self.inferior.read_memory(sp, 8)),
                             "little")
        entry_sp = sp
        frames = []          # [function, entry SP, tree node]
        root = Node(wrapper)
        self_n, calls, total = {}, {}, {}
        caller = 0
        returning = False
        t0 = time.time()
        steps = 0
        while True:
            # Frames whose SP has been popped past have returned.
            while frames and sp > frames[-1][1]:
                frames.pop()
            if pc == ret and sp > entry_sp:
                break
            if steps >= MAX_STEPS:
                raise RuntimeError("%s: over %d steps without returning"
                                   % (wrapper, MAX_STEPS))
            fn = self.syms.lookup(pc) or "0x%x" % pc
            if fn.startswith(IDT_ENTRY):
                raise RuntimeError("%s: an interrupt or exception was "
                                   "taken while stepped (%s)" % (wrapper, fn))
            kind = self.kind(pc)[0]
            run, end = self.straight(pc)
            if reg("eflags") & IF:
                # Interrupts on (the peer's calls): what runs between two
                # stops may take an interrupt, whose instructions would
                # not be counted, so step every one; the stub masks them
                # while it steps.
                run = run[:1]
                if kind == "rep":
                    kind = "flow"
            if len(run) >= 2:
                # No branch in between: run there, count what it decodes
                # to, each instruction in its own symbol.
                self.run_to(end)
                counted = [(self.syms.lookup(a) or "0x%x" % a, 1)
                           for a in run]
            elif kind == "rep":
                counted = [(fn, self.run_rep(pc))]
            else:
                gdb.execute("stepi", to_string=True)
                counted = [(fn, 1)]
            self.trips += 1
            for cfn, k in counted:
                steps += k
                if not frames:
                    caller += k
                    continue
                frames[-1][2].self += k
                seen = set()
                for f in frames:
                    f[2].total += k
                    if f[0] not in seen:
                        seen.add(f[0])
                        total[f[0]] = total.get(f[0], 0) + k
                if cfn not in seen:
                    total[cfn] = total.get(cfn, 0) + k
                self_n[cfn] = self_n.get(cfn, 0) + k
            if len(run) >= 2:
                # Only the run's last instruction could start a frame (it
                # cannot: none of them branches); go on from its end.
                pc, sp = reg("pc"), reg("sp")
                continue
            npc, nsp = reg("pc"), reg("sp")
            nfn = self.syms.lookup(npc) or "0x%x" % npc
            enter = False
            if returning:
                pass
            elif kind == "call" and nsp < sp:
                enter = True
            elif kind == "jump" and nsp == sp and nfn != fn and \
                    not (npc == ret and nsp > entry_sp):
                if not frames and any(t in nfn for t in RETURN_THUNKS):
                    # The wrapper's own return, through a thunk.
                    returning = True
                else:
                    enter = True
            if enter:
                parent = frames[-1][2] if frames else root
                node = parent.child(nfn)
                node.calls += 1
                frames.append([nfn, nsp, node])
                calls[nfn] = calls.get(nfn, 0) + 1
            pc, sp = npc, nsp
        self.steps += steps
        self.seconds += time.time() - t0
        return {"self": self_n, "calls": calls, "total": total,
                "caller": caller, "tree": root}


def write_tree(out, node, depth):
    for child in sorted(node.children.values(), key=lambda n: -n.total):
        name = "  " * depth + child.name
        room = WIDTH - 22
        if len(name) > room:
            name = name[:room - 1] + "~"
        out.write("%7d %6d %5d  %s\n" % (child.total, child.self,
                                         child.calls, name))
        write_tree(out, child, depth + 1)


class Tracer:
    def __init__(self, tdir, port):
        self.dir = tdir
        self.port = port
        self.done = set()
        self.traced = 0

    def path(self, name):
        return os.path.join(self.dir, name)

    def wait_ready(self):
        log("waiting for %s" % self.path("trace-ready"))
        while not os.path.exists(self.path("trace-ready")):
            time.sleep(0.2)

    def plan(self, tag):
        with open(self.path("trace-plan.csv")) as f:
            for row in csv.DictReader(f):
                if row["tag"] == str(tag):
                    return row
        return None

    def start(self):
        self.wait_ready()
        self.syms = Symbols(self.path("kallsyms"))
        wrappers = self.syms.wrappers()
        if not wrappers:
            raise RuntimeError("no %s* symbol in %s: is dmabench.ko loaded "
                               "and new enough?" % (WRAPPER,
                                                    self.path("kallsyms")))
        for name, header in (("trace.csv", TRACE_HEADER),
                             ("trace-points.csv", POINTS_HEADER)):
            with open(self.path(name), "w") as f:
                f.write(header + "\n")
        open(self.path("trace.txt"), "w").close()
        gdb.execute("set pagination off")
        gdb.execute("set confirm off")
        # Not 17 breakpoint packets each way at every stop.
        gdb.execute("set breakpoint always-inserted on")
        gdb.execute("set architecture i386:x86-64", to_string=True)
        gdb.execute("target remote 127.0.0.1:%d" % self.port, to_string=True)
        self.addrs = {}
        for addr, name in wrappers:
            gdb.execute("break *0x%x" % addr, to_string=True)
            self.addrs[addr] = name
        log("attached; %d breakpoints on %s*" % (len(wrappers), WRAPPER))
        self.funcs = {}
        for row in self.read_funcs():
            addr = self.syms.address(row["function"])
            if addr is None:
                raise RuntimeError("%s (trace-funcs.csv) is not in kallsyms"
                                   % row["function"])
            bp = gdb.Breakpoint("*0x%x" % addr, internal=True)
            # gdb resumes the guest itself on the hits it ignores.
            bp.ignore_count = int(row["hit"]) - 1
            self.funcs[addr] = (row, bp)
            log("breakpoint on %s, traced at its call %s"
                % (row["function"], row["hit"]))
        with open(self.path("trace-go"), "w") as f:
            f.write("go\n")
        self.stepper = Stepper(self.syms)

    def read_funcs(self):
        """The rows of trace-funcs.csv, or none without one."""
        try:
            f = open(self.path("trace-funcs.csv"))
        except FileNotFoundError:
            return []
        with f:
            if f.readline().strip() != FUNCS_HEADER:
                raise RuntimeError("trace-funcs.csv: not the header %s"
                                   % FUNCS_HEADER)
            rows = list(csv.DictReader(f, FUNCS_HEADER.split(",")))
        for row in rows:
            if not row["hit"].isdigit() or int(row["hit"]) < 1:
                raise RuntimeError("trace-funcs.csv: hit '%s' of %s is not "
                                   "a positive number"
                                   % (row["hit"], row["function"]))
        return rows

    def hit(self):
        pc = reg("pc")
        if pc in self.funcs:
            row, bp = self.funcs.pop(pc)
            bp.delete()
            key = [row["api"], row["path"], row["size"], row["dir"],
                   row["op"]]
            self.record(row["function"], key, "", "call %s" % row["hit"])
            return
        wrapper = self.addrs.get(pc)
        if not wrapper:
            log("stopped at 0x%x, not a traced function: continuing" % pc)
            return
        tag = reg("rdi") & 0xffffffff
        op = "map" if wrapper.startswith(WRAPPER + "map_") else "unmap"
        point = self.plan(tag)
        if point is None:
            raise RuntimeError("tag %d is not in trace-plan.csv" % tag)
        if (tag, op) in self.done:
            raise RuntimeError("tag %d %s traced twice" % (tag, op))
        self.done.add((tag, op))
        key = [point["api"], point["path"], point["size"], point["dir"], op]
        self.record(wrapper, key, tag, "tag %d" % tag)

    def record(self, wrapper, key, tag, which):
        """Trace the call whose entry the guest stopped at; write it, its
        tag (empty for a function of trace-funcs.csv) in trace-points.csv,
        which in trace.txt."""
        self.traced += 1
        t0 = time.time()
        r = self.stepper.trace(wrapper)
        n = sum(r["self"].values())
        with open(self.path("trace.csv"), "a") as f:
            w = csv.writer(f, lineterminator="\n")
            for fn in sorted(r["total"], key=lambda k: (-r["total"][k], k)):
                w.writerow(key + [fn, r["calls"].get(fn, 0),
                                  r["self"].get(fn, 0), r["total"][fn]])
        with open(self.path("trace-points.csv"), "a") as f:
            csv.writer(f, lineterminator="\n").writerow(
                key + [tag, n, r["caller"], len(r["self"])])
        with open(self.path("trace.txt"), "a") as f:
            # Under 80 columns, for a mail: the longest point and
            # wrapper names do not fit on one line together.
            f.write("%s %s %s %s %s (%s)\n" % (tuple(key) + (which,)))
            f.write("  traced through %s\n" % wrapper)
            f.write("  %d instructions in the call, %d in the caller; "
                    "%d functions\n" % (n, r["caller"], len(r["self"])))
            f.write("%7s %6s %5s  %s\n" % ("total", "self", "calls",
                                            "function"))
            write_tree(f, r["tree"], 0)
            f.write("\n")
        dt = time.time() - t0
        log("%s %s %s: %d + %d caller instructions, %.1f s (%.0f "
            "instructions/s)" % (which, " ".join(key[:4]), key[4], n,
                                 r["caller"], dt,
                                 (n + r["caller"]) / dt if dt else 0))

    def run(self):
        self.start()
        while True:
            try:
                gdb.execute("continue", to_string=True)
            except gdb.error as e:
                log("the guest went away (%s): done" % str(e).strip())
                break
            try:
                pc = reg("pc")
            except gdb.error:
                log("the guest went away: done")
                break
            del pc
            self.hit()
        s = self.stepper
        log("%d calls traced: %d instructions in %.0f s (%.0f instructions/s)"
            ", %d stops of the guest (%.0f steps/s)"
            % (self.traced, s.steps, s.seconds,
               s.steps / s.seconds if s.seconds else 0, s.trips,
               s.trips / s.seconds if s.seconds else 0))


def main():
    tdir = os.environ["DMABENCH_TRACE_DIR"]
    port = int(os.environ["DMABENCH_TRACE_PORT"])
    try:
        Tracer(tdir, port).run()
    except (RuntimeError, gdb.error, OSError) as e:
        # Say so, and let the guest finish without traces: the lab fails
        # the run on trace-failed.
        log("failed: %s" % e)
        with open(os.path.join(tdir, "trace-failed"), "w") as f:
            f.write("%s\n" % e)
        with open(os.path.join(tdir, "trace-go"), "w") as f:
            f.write("failed\n")
        try:
            gdb.execute("delete", to_string=True)
            gdb.execute("detach", to_string=True)
        except gdb.error:
            pass


main()

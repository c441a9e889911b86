#!/usr/bin/env python3
"""Fuzz every dmabench command's argument parser with random argv.

Usage: argvfuzz.py DMABENCH [--seed N] [--cases N]

For each command (info, micro, collect, compare, nvme, fio, rdma, repair, and
dmabench itself with no or an unknown command) it runs
  - N argvs drawn at random from the command's options (read from its
    --help), values that are wrong in every way we could think of (empty,
    huge, negative, NaN, lists with holes, non-UTF-8 bytes, 5000 bytes,
    format strings) and junk, and
  - N/2 argvs with exactly one error put in among valid flags: an unknown
    long or short option, an option missing its value at the end, a
    numeric or list option with an empty or impossible value.
Checks, printed as PASS:/FAIL: lines (tests/lib.sh relay_checks):
  - no run ends by a signal or runs past its time limit;
  - exit status 0, 1 or 2 only; 1 and 2 say something on stderr;
  - exit 2 names an argument given, or an option of the command;
  - every argv with one error put in exits 2 naming that option.
The programs run as nobody when we are root, in a scratch directory, with
no device or PCI address that exists: nothing on the machine can change.
The seed is printed; --seed repeats a run exactly.
"""
import os
import pwd
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

COMMANDS = ["info", "micro", "collect", "compare", "nvme", "fio", "rdma",
            "repair", "verdict", "export"]
# What a command's usage error names when an argument, not an option, is
# missing: its positional arguments, as its --help calls them.
POSITIONAL = {"(none)": ["command"], "collect": ["part director"],
              "compare": ["RUN"], "nvme": ["DEVICE"], "fio": ["DEVICE"]}
TIMEOUT = 20

# Placeholders in --help whose value must be a number or a list: an empty
# or absurd value for them is a usage error.
STRICT = {"N", "R", "S", "P", "PCT", "SECONDS", "BYTES", "LIST", "FMT",
          "API", "BDF"}


def options_of(exe, cmd):
    """{"--name": placeholder or None} from `dmabench CMD --help`."""
    out = subprocess.run([exe, cmd, "--help"], capture_output=True,
                         timeout=TIMEOUT).stdout.decode("utf-8", "replace")
    opts = {}
    for line in out.splitlines():
        # "  --name VALUE  text", "  --name  text", "--a API, --b API"
        for m in re.finditer(r"(?:^\s+|,\s+)(--[a-z][a-z0-9-]*)"
                             r"(?:[ =]([^\s,]+))?(?=  |,|$)", line):
            name, ph = m.group(1), m.group(2)
            if name in ("--help",):
                continue
            if ph and "=" in ph:        # --note KEY=VALUE
                ph = ph.split("=")[0]
            opts.setdefault(name, ph)
    return opts


def values(rng, scratch):
    """Values wrong in many ways, and a few right ones."""
    pool = [
        "", "0", "1", "-1", "2", "7", "4K", "1M", "4G", "64T", "1e999",
        "nan", "inf", "-inf", "-0", "0x10", "010", " 5", "5 ", "+3",
        "18446744073709551616", "18446744073709551615", "4294967296",
        "2147483648", "-2147483649", "99999999999999999999999", "1.5",
        "1,2,3", ",", ",,", "1,", ",1", "a,b", "1,,2", "1-3", "3-1", "0-",
        "-", "--", "=", "==", "page,phys", "all", "auto", "none", "direct",
        "swiotlb", "iommu-strict", "iommu-lazy", "iommu-identity",
        "fabric-", "randread", "seqwrite", "irq", "poll", "fixed", "huge",
        "fixed-huge", "reg", "odp", "write", "send", "csv", "md", "text",
        "map,unmap", "to_device", "tsc", "icount", "0000:ff:1f.7",
        "zz:zz.z", "0000:00:00.0.0", "KEY=VALUE", "=x", "x=",
        "%s%s%s%n%n", "%99999999d", "' ; echo x", "a\nb", "\t",
        "x" * 5000, "9" * 300, "é", b"\xff\xfe".decode("utf-8",
                                                        "surrogateescape"),
        "/nonexistent/dmabench-fuzz", scratch, scratch + "/file",
        scratch + "/run", "/", ".", "..", "/dev/null", "/proc/self/mem",
    ]
    return pool[rng.randrange(len(pool))]


def junk(rng, scratch):
    pool = ["-", "--", "-x", "-hh", "-?", "-:", "---", "--=", "--=x",
            "--no-", "--q", "--s", "--p", "-Q", "-ho", "-oh", "-o",
            "-o" + scratch, "--help=x", "--frobnicate", "--QUICK",
            "positional", scratch + "/run", "/nonexistent/run"]
    return pool[rng.randrange(len(pool))]


def random_argv(rng, opts, scratch):
    names = sorted(opts)
    argv = []
    for _ in range(rng.randrange(0, 9)):
        r = rng.random()
        if names and r < 0.55:
            name = rng.choice(names)
            if opts[name] is None and rng.random() < 0.85:
                argv.append(name)
            elif rng.random() < 0.5:
                argv.append(name + "=" + values(rng, scratch))
            else:
                argv += [name, values(rng, scratch)]
        elif r < 0.8:
            argv.append(values(rng, scratch))
        else:
            argv.append(junk(rng, scratch))
    return argv


def injected_argv(rng, opts, scratch):
    """Valid flags and one error: (argv, the token its message must name)."""
    flags = [n for n, ph in opts.items() if ph is None and n not in
             ("--list", "--help")]
    argv = [n for n in flags if rng.random() < 0.3]
    rng.shuffle(argv)
    valued = sorted(n for n, ph in opts.items() if ph)
    strict = sorted(n for n, ph in opts.items() if ph in STRICT)
    kinds = ["unknown", "short"]
    if valued:
        kinds.append("novalue")
    if strict:
        kinds += ["empty", "absurd"]
    kind = rng.choice(kinds)
    if kind == "unknown":
        bad = "--zz-%x" % rng.randrange(1 << 20)
        argv.insert(rng.randrange(len(argv) + 1), bad)
        return argv, bad
    if kind == "short":
        bad = "-" + rng.choice("ABCDEFGJKQXYZ")
        argv.insert(rng.randrange(len(argv) + 1), bad)
        return argv, bad
    if kind == "novalue":
        bad = rng.choice(valued)
        return argv + [bad], bad
    bad = rng.choice(strict)
    absurd = ["1e999", "-1x", "99999999999999999999999", ",,", "nan", "%n%n",
              "x" * 300]
    # "nan" is a well-formed name: compare --api takes any api name a run
    # may hold, so for a list of names it is not an error.
    if opts[bad] in ("API", "LIST"):
        absurd.remove("nan")
    val = "" if kind == "empty" else rng.choice(absurd)
    tok = bad + "=" + val if rng.random() < 0.5 else None
    pos = rng.randrange(len(argv) + 1)
    argv[pos:pos] = [tok] if tok else [bad, val]
    return argv, bad


def demote():
    """Run as nobody if we are root (a preexec_fn)."""
    if os.getuid() == 0:
        try:
            pw = pwd.getpwnam("nobody")
        except KeyError:
            return
        os.setgroups([])
        os.setgid(pw.pw_gid)
        os.setuid(pw.pw_uid)


def run(exe, argv, cwd):
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": cwd,
           "DMABENCH_FUZZ": "1"}
    t0 = time.monotonic()
    try:
        p = subprocess.run([exe] + argv, capture_output=True, cwd=cwd,
                           env=env, timeout=TIMEOUT, preexec_fn=demote,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, b"", time.monotonic() - t0
    return p.returncode, p.stderr, time.monotonic() - t0


def mentions(err, tokens):
    """Does err name one of tokens: itself quoted, or its option part, or
    one letter of a cluster of short options (-xyz names -y)?"""
    for t in tokens:
        b = os.fsencode(t)
        if b"'" + b + b"'" in err:
            return True
        for part in (b, b.split(b"=")[0]):
            if len(part) >= 2 and part in err:
                return True
        if len(b) > 1 and b[:1] == b"-" and b[1:2] != b"-":
            if any(b"'-" + bytes([c]) + b"'" in err for c in b[1:]):
                return True
    return False


def show(argv):
    return " ".join(repr(a) if (not a or " " in a or "\n" in a or
                                len(a) > 40) else a
                    for a in argv)[:300]


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    exe = os.path.abspath(args[0])
    seed = int(time.time()) & 0xffffff
    cases = 100
    i = 1
    while i < len(args):
        if args[i] == "--seed":
            seed = int(args[i + 1])
        elif args[i] == "--cases":
            cases = int(args[i + 1])
        else:
            print("unknown option %s" % args[i], file=sys.stderr)
            return 2
        i += 2
    print("# seed %d, %d random and %d single-error argvs per command "
          "(--seed %d repeats it)" % (seed, cases, cases // 2, seed))
    scratch = tempfile.mkdtemp(prefix="dmabench-argv-")
    os.chmod(scratch, 0o777)
    open(scratch + "/file", "w").close()
    os.makedirs(scratch + "/run")
    total_t = time.monotonic()
    try:
        for cmd in ["(none)"] + COMMANDS:
            rng = random.Random("%d-%s" % (seed, cmd))
            fuzz_one(exe, cmd, rng, cases, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("# %.0f s in all" % (time.monotonic() - total_t))
    return 0


def fuzz_one(exe, cmd, rng, cases, scratch):
    if cmd == "(none)":
        opts = {n: None for n in ("--help", "-h")}
        prefix = []
    else:
        opts = options_of(exe, cmd)
        if cmd == "fio":       # nvme's options, and its own
            nv = options_of(exe, "nvme")
            opts = {**nv, **{k: v for k, v in opts.items()
                             if k not in nv or v}}
        prefix = [cmd]
    crash, hang, status, silent, unnamed, slow = [], [], [], [], [], 0.0
    for _ in range(cases):
        argv = random_argv(rng, opts, scratch)
        if cmd == "(none)" and rng.random() < 0.5:
            argv.insert(0, rng.choice(["bogus", "", "help", "-x", "micr",
                                       "help bogus", "INFO"]))
        rc, err, took = run(exe, prefix + argv, scratch)
        slow = max(slow, took)
        if rc is None:
            hang.append(argv)
        elif rc < 0:
            crash.append((argv, -rc))
        elif rc not in (0, 1, 2):
            status.append((argv, rc))
        elif rc in (1, 2) and not err.strip():
            silent.append((argv, rc))
        elif rc == 2 and not mentions(err, argv + list(opts) +
                                      POSITIONAL.get(cmd, [])):
            unnamed.append((argv, err))
    wrong = []
    for _ in range(cases // 2 if prefix else 0):
        argv, bad = injected_argv(rng, opts, scratch)
        rc, err, took = run(exe, prefix + argv, scratch)
        slow = max(slow, took)
        if rc is None:
            hang.append(argv)
        elif rc < 0:
            crash.append((argv, -rc))
        elif rc != 2 or not mentions(err, [bad]):
            wrong.append((argv, bad, rc, err))
    name = "dmabench" + ("" if not prefix else " " + cmd)
    for a, sig in crash[:5]:
        print("# %s %s: killed by signal %d" % (name, show(a), sig))
    for a in hang[:5]:
        print("# %s %s: still running after %d s" % (name, show(a), TIMEOUT))
    for a, rc in status[:5]:
        print("# %s %s: exit %d" % (name, show(a), rc))
    for a, rc in silent[:5]:
        print("# %s %s: exit %d and nothing on stderr" % (name, show(a), rc))
    for a, err in unnamed[:5]:
        print("# %s %s: exit 2, names no option: %s" % (
            name, show(a), err.decode("utf-8", "replace").strip()[:200]))
    for a, bad, rc, err in wrong[:5]:
        print("# %s %s: exit %s, should be 2 naming %s: %s" % (
            name, show(a), rc, bad,
            err.decode("utf-8", "replace").strip()[:200]))
    n = cases + (cases // 2 if prefix else 0)
    out(not crash, "%s: %d argvs, none killed by a signal" % (name, n))
    out(not hang, "%s: none runs past %d s (slowest %.1f s)" %
        (name, TIMEOUT, slow))
    out(not status and not silent,
        "%s: exit 0, 1 or 2 only, and 1 or 2 say why" % name)
    out(not unnamed, "%s: every exit 2 names an option or argument" % name)
    if prefix:
        out(not wrong, "%s: %d argvs with one bad option: exit 2 naming it"
            % (name, cases // 2))


def out(ok, what):
    print("%s: %s" % ("PASS" if ok else "FAIL", what))
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())

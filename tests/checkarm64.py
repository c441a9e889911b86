#!/usr/bin/env python3
"""Assertions on a run of the arm64 VM lab (lab/arm64/vm-bench.sh --icount).

  checkarm64.py RUN
      meta.json says aarch64, the loop read CNTVCT_EL0 at 1 GHz, direct ran
      on a device that is not cache-coherent and its maps called
      arch_sync_dma_for_device() (a kprobe's count), direct-coherent on one
      that is, the IOMMU paths on the SMMUv3 in the domain each names;
      counter rows exist with non-zero means, the counters the PMU lacks are
      said unavailable with the reason, cycles equal instructions (-icount),
      and the instructions counter agrees with the timed instruction counts.

  checkarm64.py same RUN_A RUN_B
      two boots' counter rows: the same rows, means within a few
      instructions (timing medians: checkrun.py same).

  checkarm64.py workloads RUN PATHS
      dmabench nvme on the emulated disk, on every path of PATHS (comma
      list): every row ok, kernel cycles and instructions per I/O from the
      PMU, the DMA share from cycles sampling; on polled points (the vCPU
      never idles) cycles equal instructions, as -icount makes them, and
      kernel instructions per I/O are never above the busy time per I/O of
      /proc/stat, which under -icount counts all instructions, user ones
      too.

Prints "PASS: ..." or "FAIL: ..." lines and "# ..." notes; exits 1 if any
assertion failed.
"""
import csv
import json
import os
import sys

failed = False
# What the counters see and the clock does not, per operation (see check()):
# the loop code around one call, and, on the paths with more going on
# (swiotlb, the SMMUv3's command queue, flush-queue timers), work that lands
# at the windows' edges.  Seen on 7.3: up to 32 instructions on direct, up to
# 3.6 % of the call on swiotlb and the IOMMU paths.
MAX_LOOP = 40
MAX_REL = 0.04
# Under -icount QEMU's cycle counter follows the instruction count: equal
# but for the odd instruction where it is read (a few in 10^5 seen).  The
# module reads the counters one after the other, interrupts on
# (perf_event_read_value() may sleep), so an interrupt between two reads
# lands in one of them only: seen once in 96 points on 7.3 (CI,
# 2026-12-07: cycles 3868.6 against instructions 3879.5 a pair,
# iommu-strict, 64 bytes, batches of 16, +0.28 %; the other boot equal).
# In the full quick matrix (2026-12-07) 7 of 1206 points, 6 of them within
# 0.28 %, one 2.3 % apart: iova, iommu-lazy, 2 MiB (3713 cycles against
# 3631 instructions a pair), where the flush queue's timer can be what
# lands between the reads.  So one point in CYCLES_PER may differ, by at
# most CYCLES_FAR.
CYCLES_TOL = 0.0005
CYCLES_PER = 50
CYCLES_FAR = 0.05
# Counter means of two boots (same()): seen on 7.3 within 0.84 % (33 of
# 3868 instructions a pair, iommu-strict, batches of 16: an interrupt more
# or less in a window's means), the medians identical.
SAME_ABS = 5
SAME_REL = 0.01
# The flush queue of iommu-lazy (a timer every 10 ms of guest time, which
# flushes the IOTLB and frees the queued IOVAs) and the SMMUv3's command
# queue land at window edges now and then, in one boot and not the other.
# In the full quick matrix (1206 counter points, 2026-12-07) one point of
# each check went past the bounds above: sg, iommu-lazy, 512 bytes,
# from_device, its counter 638 instructions over the clock's net figure
# (allowed 601), and its mean 386 instructions (2.6 %) apart in two boots.
# So one point in OUTLIER_PER may lie outside, within OUTLIER_REL of the
# call; each is printed.
OUTLIER_PER = 50
OUTLIER_REL = 0.10
COUNTERS = ("cycles", "instructions", "branch-misses", "cache-misses")


def say(ok, what):
    global failed
    failed |= not ok
    print(("PASS: " if ok else "FAIL: ") + what)


def check(run):
    with open(os.path.join(run, "meta.json")) as f:
        meta = json.load(f)
    with open(os.path.join(run, "summary.csv"), newline="") as f:
        table = list(csv.DictReader(f))
    say(meta.get("arch") == "aarch64",
        f"meta.json: arch aarch64 (got {meta.get('arch')})")
    boots = meta["boots"]
    clocks = {(b["module"]["clock"], b["module"]["tsc_khz"]) for b in boots}
    say(clocks == {("cntvct", 1000000)},
        f"every boot timed with CNTVCT_EL0 at 1 GHz (got {sorted(clocks)})")

    paths = {p["path"]: (p, b) for b in boots for p in b["paths"]}
    if "direct" in paths:
        p, b = paths["direct"]
        say(p["target"] == "own" and p["coherent"] is False,
            "direct: the module's own device, not cache-coherent")
        sync = b["notes"].get("sync_for_device_calls_1000_maps", "")
        say(sync.isdigit() and int(sync) >= 1000,
            f"direct: a run of 1000 timed 4 KiB maps called arch_sync_dma_for_device "
            f"{sync} times (cache maintenance)")
    if "direct-coherent" in paths:
        p, _ = paths["direct-coherent"]
        say(p["target"] == "pci" and p["coherent"] is True
            and p["domain"] == "none",
            "direct-coherent: the edu PCI device, coherent, no IOMMU domain")
    for name, dom in (("iommu-strict", "DMA"), ("iommu-lazy", "DMA-FQ"),
                      ("iommu-identity", "identity")):
        if name in paths:
            p, b = paths[name]
            say(p["domain"] == dom and "iommu=smmuv3" in b["notes"]["qemu"],
                f"{name}: SMMUv3, {dom} domain (got {p['domain']})")

    unit = meta["unit"]
    # Counter rows fill mean and harness only (their instructions rows share
    # the timing rows' unit under -icount); timing rows have a median.
    counters = [r for r in table if r["unit"] in COUNTERS and not r["median"]
                and r["status"] == "ok"]
    units = sorted({r["unit"] for r in counters})
    say({"cycles", "instructions"} <= set(units),
        f"counter rows: {', '.join(units) or 'none'}")
    say(counters and all(float(r["mean"]) > 0 for r in counters),
        f"all {len(counters)} counter rows non-zero")
    for b in boots:
        pmu = b.get("pmu", {})
        why = pmu.get("reasons", {})
        if why:
            print(f"# {b['kernel']['release']}: counters unavailable: "
                  + "; ".join(f"{k}: {v}" for k, v in sorted(why.items())))

    # The instructions counter against the clock.  Under -icount both count
    # instructions, but not the same stretch: the clock t0..t2 of each
    # operation, the counters whole interrupts-off windows, i.e. also the
    # loop's own code around the calls and the counter reads, spread over
    # the window's operations.  So the counter is never below the clock,
    # and net of the harness (api none) it exceeds the clock's net figure
    # by the API's share of that loop code only: at most MAX_LOOP
    # instructions where a window holds many operations (up to 4 KiB);
    # where a window holds a few (large, slow mappings) the counter reads
    # weigh on each operation and only the order is checked.  The excess
    # must lie within MAX_LOOP instructions plus MAX_REL of the call.
    timing = {}
    for r in table:
        if r["unit"] == unit and r["op"] == "pair" and r["status"] == "ok" \
                and r["median"]:
            timing[key(r)] = float(r["mean"])
    cyc = {key(r): r["mean"] for r in counters if r["unit"] == "cycles"}
    n, bad, below, lo, hi, outliers = 0, [], [], None, None, []
    rows, apart = 0, []
    for r in counters:
        if r["unit"] != "instructions":
            continue
        k = key(r)
        c, i = float(cyc.get(k) or "nan"), float(r["mean"])
        rows += 1
        if not abs(c - i) <= CYCLES_TOL * i:
            apart.append((k, "cycles", c, i))
            if not abs(c - i) <= CYCLES_FAR * i:
                bad.append((k, "cycles", c, i))
        none = ("none",) + k[1:]
        if k not in timing or none not in timing:
            continue
        n += 1
        if float(r["mean"]) < timing[k]:
            below.append(k)
        if r["api"] == "none" or int(r["size"]) > 4096:
            continue
        extra = (float(r["mean"]) - float(r["harness"])) - \
            (timing[k] - timing[none])
        lo = extra if lo is None else min(lo, extra)
        hi = extra if hi is None else max(hi, extra)
        call = timing[k] - timing[none]
        allowed = MAX_LOOP + MAX_REL * call
        if not 0 <= extra <= allowed:
            outliers.append((k, "net", extra, allowed))
            if not 0 <= extra <= MAX_LOOP + OUTLIER_REL * call:
                bad.append((k, "net", extra, allowed))
    for b in (apart + outliers)[:5]:
        print(f"# disagree: {' '.join(b[0])}: {b[1]} {b[2]} vs {b[3]}")
    say(n > 0 and not below,
        f"the instructions counter is at or above the clock at all {n} "
        f"points")
    say(rows > 0 and len(apart) <= rows // CYCLES_PER,
        f"cycles equal instructions (to {CYCLES_TOL:.2%}) at all but "
        f"{len(apart)} of {rows} counter points (allowed one in "
        f"{CYCLES_PER}, within {CYCLES_FAR:.0%}: an interrupt between "
        f"two counter reads)")
    say(n > 0 and lo is not None and not bad
        and len(outliers) <= max(1, n // OUTLIER_PER),
        f"no counter point has cycles and instructions {CYCLES_FAR:.0%} "
        f"apart, and up to 4 KiB "
        f"the counter, net of the harness, exceeds the clock's net figure "
        f"by {lo:.1f} to {hi:.1f} instructions (allowed 0 to {MAX_LOOP} "
        f"+ {MAX_REL:.0%} of the call; {len(outliers)} of {n} points "
        f"beyond, allowed one in {OUTLIER_PER} within {OUTLIER_REL:.0%})"
        if lo is not None else "no counter point to compare with the clock")


def same(run_a, run_b):
    """The counter rows of two boots: the same rows, means close.

    Timing medians repeat to the instruction (checkrun.py same); counter
    means cover whole windows, whose edges catch the odd interrupt (the 9p
    share answers in host time), so they may move by a few instructions.
    """
    def means(run):
        with open(os.path.join(run, "summary.csv"), newline="") as f:
            return {key(r) + (r["unit"],): float(r["mean"])
                    for r in csv.DictReader(f)
                    if r["unit"] in COUNTERS and not r["median"]
                    and r["status"] == "ok"}
    a, b = means(run_a), means(run_b)
    say(a and set(a) == set(b),
        f"both boots have the same {len(a)} counter rows")
    common = set(a) & set(b)
    out = [k for k in common
           if abs(a[k] - b[k]) > SAME_ABS + SAME_REL * a[k]]
    far = [k for k in out if abs(a[k] - b[k]) > SAME_ABS + OUTLIER_REL * a[k]]
    for k in sorted(out)[:5]:
        print(f"# apart: {' '.join(k)}: {a[k]} vs {b[k]}")
    worst = max((abs(a[k] - b[k]) for k in common), default=0)
    say(common and not far and len(out) <= max(1, len(common) // OUTLIER_PER),
        f"counter means of two boots within {SAME_ABS} instructions + "
        f"{SAME_REL:.1%} but at {len(out)} of {len(common)} rows (allowed "
        f"one in {OUTLIER_PER}, within {OUTLIER_REL:.0%}; worst "
        f"{worst:.2f}; identical at {sum(a[k] == b[k] for k in common)})")


def workloads(run, paths):
    with open(os.path.join(run, "workload.csv"), newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["tool"] == "dmabench"
                and r["workload"].startswith("nvme-")]

    def num(v):
        try:
            return float(v)
        except ValueError:
            return None

    for p in paths:
        here = [r for r in rows if r["path"] == p]
        ok = [r for r in here if r["status"] == "ok"]
        for r in here:
            if r["status"] != "ok":
                print(f"# {p} qd{r['qd']} {r['completion']}: {r['status']}: "
                      f"{r['note']}")
        say(ok and len(ok) == len(here),
            f"{p}: dmabench nvme points all ok ({len(ok)} of {len(here)})")
        pmu = [r for r in ok if (num(r["kcycles_per_op"]) or 0) > 0
               and (num(r["kinstr_per_op"]) or 0) > 0]
        say(ok and len(pmu) == len(ok),
            f"{p}: kernel cycles and instructions per I/O from the PMU in "
            f"{len(pmu)} of {len(ok)} rows")
        say(ok and all(r["share_source"] == "cycles" for r in ok),
            f"{p}: the DMA share sampled by cycles "
            f"(got {sorted({r['share_source'] for r in ok})})")
        poll = [r for r in pmu if r["completion"] == "poll"]
        for r in pmu:
            print(f"# {p} qd{r['qd']} {r['completion']}: {float(r['rate']):.0f}"
                  f" IOPS, per I/O: {float(r['kinstr_per_op']):.0f} kernel "
                  f"instructions, {float(r['kcycles_per_op']):.0f} kernel "
                  f"cycles, busy {r['cpu_ns_per_op'] or '-'} ns; DMA share "
                  f"{r['dma_share'] or '-'} of {r['kernel_samples']} samples")
        equal = [r for r in poll if abs(num(r["kcycles_per_op"]) -
                 num(r["kinstr_per_op"])) <= CYCLES_TOL *
                 num(r["kinstr_per_op"])]
        say(poll and len(equal) == len(poll),
            f"{p}: polled, kernel cycles equal kernel instructions per I/O "
            f"(to {CYCLES_TOL:.2%}) at {len(equal)} of {len(poll)} points")
        # Busy time is sampled by the tick: exact only where the vCPU
        # never idles (with interrupt completion a 2 s point came out 6 %
        # under the PMU's kernel instructions, iommu-identity qd32).
        busy = [r for r in poll if num(r["cpu_ns_per_op"])]
        above = [r for r in busy if num(r["kinstr_per_op"]) >
                 num(r["cpu_ns_per_op"]) * 1.01]
        say(busy and not above,
            f"{p}: polled, kernel instructions per I/O at or below busy "
            f"instructions per I/O (/proc/stat, 1 % ticks) at all "
            f"{len(busy)} points")
        say(any(num(r["dma_share"]) is not None for r in poll),
            f"{p}: a DMA share from cycles samples on a polled point")


def key(r):
    return (r["api"], r["path"], r["size"], r["dir"], r.get("threads", "1"),
            r.get("pattern", ""), r.get("batch", "1"), r["boot"])


def main(argv):
    if len(argv) == 3 and argv[0] == "same":
        same(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "workloads":
        workloads(argv[1], argv[2].split(","))
    elif len(argv) == 1:
        check(argv[0])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

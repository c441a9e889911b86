#!/usr/bin/env python3
"""Assertions on a run of the arm64 VM lab (lab/arm64/vm-bench.sh --icount).

  checkarm64.py RUN
      meta.json says aarch64, the loop read CNTVCT_EL0 at 1 GHz, direct ran
      on a device that is not cache-coherent and its maps called
      arch_sync_dma_for_device() (a kprobe's count), direct-coherent on one
      that is, the IOMMU paths on the SMMUv3 in the domain each names;
      counter rows exist with non-zero means, the counters the PMU lacks are
      said unavailable with the reason, and the instructions counter agrees
      with the timed instruction counts net of the harness.

Prints "PASS: ..." or "FAIL: ..." lines and "# ..." notes; exits 1 if any
assertion failed.
"""
import csv
import json
import os
import sys

failed = False
# Counter and clock count the same instructions, but not quite the same
# stretch: the counters cover whole interrupts-off windows (the loop's
# bookkeeping, the counter reads), the clock only t0..t2.  Net of the
# harness (api none) both are the DMA calls'; they must agree this closely.
AGREE = 0.02
AGREE_ABS = 8


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
        sync = b["notes"].get("sync_for_device_calls_per_1000_maps", "")
        say(sync.isdigit() and int(sync) >= 1000,
            f"direct: 1000 maps of 4 KiB called arch_sync_dma_for_device "
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
    counters = [r for r in table if r["unit"] != unit]
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

    # The instructions counter against the clock, net of the harness.
    timing = {}
    for r in table:
        if r["unit"] == unit and r["op"] == "pair" and r["status"] == "ok":
            timing[key(r)] = float(r["mean"])
    worst, n, bad = 0.0, 0, []
    for r in table:
        if r["unit"] != "instructions" or r["api"] == "none":
            continue
        k = key(r)
        none = (("none",) + k[1:])
        if k not in timing or none not in timing or not r["harness"]:
            continue
        c_net = float(r["mean"]) - float(r["harness"])
        t_net = timing[k] - timing[none]
        diff = abs(c_net - t_net)
        n += 1
        if diff > max(AGREE * t_net, AGREE_ABS):
            bad.append((k, c_net, t_net))
        if t_net > 0:
            worst = max(worst, diff / t_net)
    for k, c, t in bad[:5]:
        print(f"# disagree: {' '.join(k)}: counter {c:.1f}, clock {t:.1f}")
    say(n > 0 and not bad,
        f"instructions counter agrees with the clock at {n - len(bad)} of {n}"
        f" points, net of the harness (worst {worst:.2%}; allowed"
        f" {AGREE:.0%} or {AGREE_ABS} instructions)")


def key(r):
    return (r["api"], r["path"], r["size"], r["dir"], r.get("threads", "1"),
            r.get("pattern", ""), r.get("batch", "1"), r["boot"])


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    check(argv[0])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

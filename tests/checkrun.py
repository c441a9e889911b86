#!/usr/bin/env python3
"""Assertions on a dmabench run directory, for the test scripts.

  checkrun.py paths RUN --paths direct,swiotlb,... --phys yes|no
      each path was measured, page (and phys where the kernel has it) are
      ok rows in instructions, phys is 'unsupported' where it has not, and
      the path each mapping took (observed) is the one configured.
  checkrun.py same RUN_A RUN_B
      every point measured in both runs has the same median in both.

Prints one line per assertion, "PASS: ..." or "FAIL: ...", for the caller to
turn into TAP; exits 1 if any failed.
"""
import csv
import json
import os
import sys

# What an untimed mapping must show on each configured path.
EXPECTED = {
    "direct": "direct",
    "swiotlb": "bounced",
    "iommu-strict": "iova",
    "iommu-lazy": "iova",
    "iommu-identity": "direct",
}
failed = False


def say(ok, what):
    global failed
    failed |= not ok
    print(("PASS: " if ok else "FAIL: ") + what)


def rows(run):
    with open(os.path.join(run, "summary.csv"), newline="") as f:
        return list(csv.DictReader(f))


def paths(run, want_paths, phys):
    table = rows(run)
    with open(os.path.join(run, "meta.json")) as f:
        meta = json.load(f)
    say(meta.get("unit") == "instructions",
        f"{run}: unit is instructions (got {meta.get('unit')})")
    for path in want_paths:
        here = [r for r in table if r["path"] == path]
        say(len(here) > 0, f"{path}: measured")
        for api in ("page", "phys"):
            sel = [r for r in here if r["api"] == api]
            if api == "phys" and phys == "no":
                bad = [r for r in sel if r["status"] != "unsupported"]
                say(sel and not bad and all("dma_map_phys" in r["note"]
                                            for r in sel),
                    f"{path}: phys reported unsupported, with the reason")
                continue
            ok = [r for r in sel if r["status"] == "ok"]
            say(ok and len(ok) == len(sel) and
                all(r["unit"] == "instructions" and int(r["n"]) > 0
                    and float(r["median"]) > 0 for r in ok),
                f"{path}: {api} measured at every point ({len(ok)} rows)")
            wrong = sorted({r["observed"] for r in ok} - {EXPECTED[path]})
            say(ok and not wrong,
                f"{path}: {api} mappings took the {EXPECTED[path]} path"
                + (f" (also saw {', '.join(wrong)})" if wrong else ""))


def same(run_a, run_b):
    def medians(run):
        return {(r["api"], r["path"], r["size"], r["dir"], r["op"]): r["median"]
                for r in rows(run) if r["status"] == "ok"}
    a, b = medians(run_a), medians(run_b)
    common = sorted(set(a) & set(b))
    say(len(common) > 0 and len(common) == len(a) == len(b),
        f"both runs measured the same {len(common)} points")
    diff = [k for k in common if a[k] != b[k]]
    for k in diff[:10]:
        print(f"# differs: {' '.join(k)}: {a[k]} vs {b[k]}")
    say(not diff, f"identical medians at {len(common) - len(diff)} of "
        f"{len(common)} points across two boots")


def main(argv):
    if len(argv) >= 2 and argv[0] == "paths":
        opts = dict(zip(argv[2::2], argv[3::2]))
        paths(argv[1], opts["--paths"].split(","), opts.get("--phys", "yes"))
    elif len(argv) == 3 and argv[0] == "same":
        same(argv[1], argv[2])
    else:
        sys.exit(__doc__)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

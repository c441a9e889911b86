#!/usr/bin/env python3
"""Check a KCIDB v4 document against the schema's required fields and
types (kcidb-io's v4.5 schema: checkouts, builds, tests), written out here
rather than imported: required properties, no other properties than the
schema's, no nulls, string patterns for ids, origins and test paths, the
status enum, the test number object; and that every test names a build,
and every build a checkout, of the same document.

Usage: checkkcidb.py FILE   prints PASS:/FAIL: lines; exit 1 on a failure.
"""
import json
import re
import sys

ORIGIN = re.compile(r"^[a-z0-9_]+$")
ORIGIN_ID = re.compile(r"^[a-z0-9_]+:.*$")
PATH = re.compile(r"^[.a-zA-Z0-9_-]*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
STATUS = {"FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP"}
RESOURCE_LIST = "resources"

# property: type (str, bool, num, obj, list, resources) and pattern
CHECKOUT = {
    "required": ["id", "origin"],
    "props": {
        "id": ("str", ORIGIN_ID), "origin": ("str", ORIGIN),
        "tree_name": ("str", None), "git_repository_url": ("str", None),
        "git_commit_hash": ("str", None), "git_commit_name": ("str", None),
        "git_repository_branch": ("str", None),
        "patchset_files": (RESOURCE_LIST, None),
        "patchset_hash": ("str", None), "message_id": ("str", None),
        "comment": ("str", None), "start_time": ("str", DATE),
        "contacts": ("list", None), "log_url": ("str", None),
        "log_excerpt": ("str", None), "valid": ("bool", None),
        "misc": ("obj", None),
    },
}
BUILD = {
    "required": ["checkout_id", "id", "origin"],
    "props": {
        "checkout_id": ("str", ORIGIN_ID), "id": ("str", ORIGIN_ID),
        "origin": ("str", ORIGIN), "comment": ("str", None),
        "start_time": ("str", DATE), "duration": ("num", None),
        "architecture": ("str", re.compile(r"^[a-z0-9_]*$")),
        "command": ("str", None), "compiler": ("str", None),
        "input_files": (RESOURCE_LIST, None),
        "output_files": (RESOURCE_LIST, None),
        "config_name": ("str", None), "config_url": ("str", None),
        "log_url": ("str", None), "log_excerpt": ("str", None),
        "valid": ("bool", None), "misc": ("obj", None),
    },
}
TEST = {
    "required": ["build_id", "id", "origin"],
    "props": {
        "build_id": ("str", ORIGIN_ID), "id": ("str", ORIGIN_ID),
        "origin": ("str", ORIGIN), "environment": ("obj", None),
        "path": ("str", PATH), "comment": ("str", None),
        "log_url": ("str", None), "log_excerpt": ("str", None),
        "status": ("str", None), "number": ("obj", None),
        "waived": ("bool", None), "start_time": ("str", DATE),
        "duration": ("num", None), "output_files": (RESOURCE_LIST, None),
        "misc": ("obj", None),
    },
}


def typed(v, kind):
    if kind == "str":
        return isinstance(v, str)
    if kind == "bool":
        return isinstance(v, bool)
    if kind == "num":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if kind == "obj":
        return isinstance(v, dict)
    if kind == "list":
        return isinstance(v, list)
    if kind == RESOURCE_LIST:
        return isinstance(v, list) and all(
            isinstance(r, dict) and set(r) == {"name", "url"} for r in v)
    return False


def nulls(v, where, errs):
    if v is None:
        errs.append(f"{where}: null (the schema allows none)")
    elif isinstance(v, dict):
        for k, x in v.items():
            nulls(x, f"{where}.{k}", errs)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            nulls(x, f"{where}[{i}]", errs)


def check_obj(o, schema, where, errs):
    if not isinstance(o, dict):
        errs.append(f"{where}: not an object")
        return
    for r in schema["required"]:
        if r not in o:
            errs.append(f"{where}: required '{r}' missing")
    for k, v in o.items():
        if k.startswith("_"):
            continue
        if k not in schema["props"]:
            errs.append(f"{where}: '{k}' is not a property of the schema")
            continue
        kind, pat = schema["props"][k]
        if not typed(v, kind):
            errs.append(f"{where}.{k}: not of type {kind}")
        elif pat and not pat.match(v):
            errs.append(f"{where}.{k}: '{v}' does not match {pat.pattern}")


def check_test(t, where, errs):
    check_obj(t, TEST, where, errs)
    if not isinstance(t, dict):
        return
    if "status" in t and t["status"] not in STATUS:
        errs.append(f"{where}.status: '{t['status']}' not one of {sorted(STATUS)}")
    n = t.get("number")
    if isinstance(n, dict):
        if "value" not in n:
            errs.append(f"{where}.number: required 'value' missing")
        for k, v in n.items():
            if k == "value" and not typed(v, "num"):
                errs.append(f"{where}.number.value: not a number")
            elif k == "unit" and not isinstance(v, str):
                errs.append(f"{where}.number.unit: not a string")
            elif k == "prefix" and v not in ("metric", "binary"):
                errs.append(f"{where}.number.prefix: '{v}'")
            elif k not in ("value", "unit", "prefix"):
                errs.append(f"{where}.number: '{k}' is not a property")
    env = t.get("environment")
    if isinstance(env, dict):
        for k in env:
            if k not in ("compatible", "comment", "misc"):
                errs.append(f"{where}.environment: '{k}' is not a property")


def main():
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    errs = []
    nulls(doc, "$", errs)
    for k in doc:
        if k not in ("version", "checkouts", "builds", "tests", "issues",
                     "incidents"):
            errs.append(f"$: '{k}' is not a property of the schema")
    v = doc.get("version")
    if not isinstance(v, dict) or not typed(v.get("major"), "num") \
            or v.get("major") != 4 or not isinstance(v.get("major"), int):
        errs.append("$.version: required, with major 4 (an integer)")
    elif "minor" in v and not (isinstance(v["minor"], int)
                               and 0 <= v["minor"] <= 5):
        errs.append("$.version.minor: an integer from 0 to 5")
    for key, schema in (("checkouts", CHECKOUT), ("builds", BUILD)):
        for i, o in enumerate(doc.get(key, [])):
            check_obj(o, schema, f"$.{key}[{i}]", errs)
    for i, t in enumerate(doc.get("tests", [])):
        check_test(t, f"$.tests[{i}]", errs)
    checkouts = {c.get("id") for c in doc.get("checkouts", [])}
    builds = {b.get("id") for b in doc.get("builds", [])}
    for i, b in enumerate(doc.get("builds", [])):
        if b.get("checkout_id") not in checkouts:
            errs.append(f"$.builds[{i}]: checkout '{b.get('checkout_id')}' not in the document")
    for i, t in enumerate(doc.get("tests", [])):
        if t.get("build_id") not in builds:
            errs.append(f"$.tests[{i}]: build '{t.get('build_id')}' not in the document")
    ids = [t.get("id") for t in doc.get("tests", [])]
    if len(ids) != len(set(ids)):
        errs.append("$.tests: ids are not unique")
    for e in errs[:20]:
        print(f"# {e}")
    ok = not errs
    print(("PASS: " if ok else "FAIL: ") +
          f"KCIDB v4 document: {len(doc.get('checkouts', []))} checkouts, "
          f"{len(doc.get('builds', []))} builds, {len(doc.get('tests', []))} tests"
          + ("" if ok else f", {len(errs)} errors"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

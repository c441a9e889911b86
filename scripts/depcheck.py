#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the architecture of userspace/ on its built objects.

usage: scripts/depcheck.py [--graph] [USERSPACE_DIR]
       scripts/depcheck.py --self-test

USERSPACE_DIR (default: userspace/ beside this script's folder) must have
been built (make -C userspace): the call graph is read from the symbol
tables of its objects with nm, the include graph from the #include "..."
lines of its sources.  A node is a file's stem: x.c and x.h are one
module (the header is the interface of its .c); a header without a .c
(nvme.h, compare.h) is a node of its own.

It fails (exit 1, each problem on a line) when
  - a call or include cycle joins two or more modules (calls alone,
    includes alone, or both together);
  - anything but main.c calls into a command file (cmd_*.c): commands
    are leaves;
  - a folder uses a folder its README.md does not allow ("May use:");
  - a folder of the Makefile's DIRS has no README.md with "May use:", or
    a source file lies outside those folders (main.c excepted).
--graph prints the module graph (who uses whom, and how) and the folder
graph instead of only the problems.  --self-test runs the checks on
made-up graphs that break each rule, and fails if one goes unnoticed.
"""
import collections
import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
MAY_USE = re.compile(r'^May use:\s*(.*)$', re.M)
GLOBAL_DEF = set('TDBRCGSVW')


def stem(path):
    """core/util.c -> core/util."""
    return os.path.splitext(path)[0]


def folder(node):
    return node.split('/')[0] if '/' in node else ''


def read_dirs(top):
    """The folders of the Makefile's DIRS, in order."""
    text = open(os.path.join(top, 'Makefile')).read()
    m = re.search(r'^DIRS\s*:=\s*((?:.*\\\n)*.*)$', text, re.M)
    if not m:
        return None
    return m.group(1).replace('\\\n', ' ').split()


def read_rules(top, dirs, problems):
    """folder -> set of folders it may use, from each README.md."""
    rules = {}
    for d in dirs:
        path = os.path.join(top, d, 'README.md')
        try:
            m = MAY_USE.search(open(path).read())
        except OSError:
            m = None
        if not m:
            problems.append('%s/: no README.md with a "May use:" line' % d)
            rules[d] = set()
            continue
        words = re.findall(r'[a-z0-9_]+', m.group(1).split('(')[0])
        rules[d] = {w for w in words if w in dirs}
    return rules


def sources(top, dirs):
    """Every .c and .h under top, as paths relative to it."""
    out = []
    for root, subdirs, files in os.walk(top):
        subdirs.sort()
        for f in sorted(files):
            if f.endswith(('.c', '.h')):
                out.append(os.path.relpath(os.path.join(root, f), top))
    return out


def include_edges(top, files):
    """(from node, to node) for every #include "x.h" found in top."""
    by_name = {}
    for f in files:
        if f.endswith('.h'):
            by_name.setdefault(os.path.basename(f), []).append(f)
    edges = set()
    for f in files:
        for name in INCLUDE.findall(open(os.path.join(top, f)).read()):
            hits = by_name.get(os.path.basename(name), [])
            for h in hits:	# a name in two folders: both count
                if stem(h) != stem(f):
                    edges.add((stem(f), stem(h), 'includes ' + name))
    return edges


def nm_symbols(top, objs):
    """defs: symbol -> node; uses: node -> undefined symbols."""
    defs, uses = {}, collections.defaultdict(set)
    for o in objs:
        out = subprocess.run(['nm', os.path.join(top, o)], check=True,
                             capture_output=True, text=True).stdout
        node = stem(o)
        uses[node]	# a node with no calls is still a node
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in GLOBAL_DEF:
                defs[p[2]] = node
            elif len(p) == 2 and p[0] == 'U':
                uses[node].add(p[1])
    return defs, uses


def call_edges(defs, uses):
    edges = set()
    for node, syms in uses.items():
        for s in syms:
            if s in defs and defs[s] != node:
                edges.add((node, defs[s], 'calls ' + s))
    return edges


def cycles(nodes, edges):
    """Strongly connected components of more than one node (Tarjan)."""
    graph = collections.defaultdict(set)
    for a, b, _ in edges:
        graph[a].add(b)
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        work = [(v, iter(sorted(graph[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
                continue
            if nxt not in index:
                index[nxt] = low[nxt] = counter[0]
                counter[0] += 1
                stack.append(nxt)
                on.add(nxt)
                work.append((nxt, iter(sorted(graph[nxt]))))
            elif nxt in on:
                low[node] = min(low[node], index[nxt])

    for v in sorted(nodes | set(graph)):
        if v not in index:
            visit(v)
    return sorted(out)


def check(nodes, calls, includes, dirs, rules, problems):
    """The rules on a graph; problems gets one line per breach."""
    for name, edges in (('call', calls), ('include', includes),
                        ('call and include', calls | includes)):
        for comp in cycles(nodes, edges):
            inner = sorted('%s %s %s' % (a, how, b) for a, b, how in edges
                           if a in comp and b in comp)
            problems.append('%s cycle between %s: %s' %
                            (name, ', '.join(comp), '; '.join(inner)))
    for a, b, how in sorted(calls):
        if os.path.basename(b).startswith('cmd_') and a != 'main':
            problems.append('%s %s in %s.c: a command file is a leaf, '
                            'only main.c calls it' % (a, how, b))
    for a, b, how in sorted(calls | includes):
        fa, fb = folder(a), folder(b)
        if fa == fb or fa == '' or fb == '':
            if fb == '' and fa != '':
                problems.append('%s %s: %s is outside the folders' %
                                (a, how, b))
            continue
        if fa not in rules or fb not in rules:
            continue
        if fb not in rules[fa]:
            problems.append('%s %s (%s): %s/README.md does not allow '
                            'using %s/' % (a, how, b, fa, fb))


def run(top, show):
    problems = []
    dirs = read_dirs(top)
    if not dirs:
        print('depcheck: no DIRS := in %s/Makefile' % top)
        return 1
    rules = read_rules(top, dirs, problems)
    files = sources(top, dirs)
    for f in files:
        if folder(f) not in dirs and f != 'main.c':
            problems.append('%s: not in a folder of DIRS' % f)
    objs = [stem(f) + '.o' for f in files if f.endswith('.c')]
    missing = [o for o in objs if not os.path.exists(os.path.join(top, o))]
    if missing:
        print('depcheck: not built (make -C %s): %s' %
              (top, ' '.join(missing[:5])))
        return 1
    defs, uses = nm_symbols(top, objs)
    calls = call_edges(defs, uses)
    includes = include_edges(top, files)
    nodes = {stem(f) for f in files}
    check(nodes, calls, includes, dirs, rules, problems)
    if show:
        by = collections.defaultdict(set)
        for a, b, _ in calls | includes:
            by[a].add(b)
        for a in sorted(nodes):
            print('%s: %s' % (a, ' '.join(sorted(by[a]))))
        used = collections.defaultdict(set)
        for a, b, _ in calls | includes:
            if folder(a) and folder(b) and folder(a) != folder(b):
                used[folder(a)].add(folder(b))
        print()
        for d in dirs:
            print('%s/ uses %s (may use %s)' %
                  (d, ' '.join(sorted(used[d])) or '-',
                   ' '.join(sorted(rules[d])) or '-'))
    for p in problems:
        print('depcheck: ' + p)
    print('depcheck: %d modules, %d call edges, %d include edges, %d '
          'folders: %s' % (len(nodes), len(calls), len(includes), len(dirs),
                           'ok' if not problems else
                           '%d problems' % len(problems)))
    return 1 if problems else 0


def self_test():
    """Each rule broken once on a made-up graph; each must be caught."""
    dirs = ['core', 'nvme', 'fio']
    rules = {'core': set(), 'nvme': {'core'}, 'fio': {'core', 'nvme'}}
    nodes = {'main', 'core/util', 'nvme/cmd_nvme', 'nvme/dev',
             'fio/cmd_fio'}
    good = {('main', 'nvme/cmd_nvme', 'calls cmd_nvme'),
            ('main', 'fio/cmd_fio', 'calls cmd_fio'),
            ('nvme/cmd_nvme', 'nvme/dev', 'calls dev_probe'),
            ('fio/cmd_fio', 'nvme/dev', 'calls dev_probe'),
            ('nvme/dev', 'core/util', 'calls fmt_buf')}
    cases = [
        ('a clean graph', set(), set(), None),
        ('a call into a command file',
         {('fio/cmd_fio', 'nvme/cmd_nvme', 'calls nvme_prepare')}, set(),
         'a command file is a leaf'),
        ('a call cycle', {('core/util', 'nvme/dev', 'calls x')}, set(),
         'call cycle'),
        ('an include cycle', set(),
         {('nvme/dev', 'core/util', 'includes util.h'),
          ('core/util', 'nvme/dev', 'includes dev.h')}, 'include cycle'),
        ('a cycle of a call and an include',
         {('nvme/dev', 'nvme/out', 'calls y')},
         {('nvme/out', 'nvme/dev', 'includes dev.h')},
         'call and include cycle'),
        ('a folder rule broken', {('nvme/dev', 'fio/cmd_fio', 'calls z')},
         set(), 'does not allow using fio/'),
    ]
    failed = 0
    for name, calls, includes, want in cases:
        problems = []
        check(nodes | {'nvme/out'}, good | calls, includes, dirs, rules,
              problems)
        ok = (not problems) if want is None else \
            any(want in p for p in problems)
        failed += not ok
        print('%s - depcheck finds %s%s' %
              ('ok' if ok else 'not ok', name,
               '' if ok else ': ' + repr(problems)))
    return 1 if failed else 0


def main(argv):
    if '--self-test' in argv:
        return self_test()
    if '-h' in argv or '--help' in argv:
        print(__doc__.strip())
        return 0
    show = '--graph' in argv
    rest = [a for a in argv if a != '--graph']
    top = rest[0] if rest else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'userspace')
    return run(os.path.normpath(top), show)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

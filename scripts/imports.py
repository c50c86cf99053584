#!/usr/bin/env python3
"""The import graph of app/src, folder by folder, and what breaks its floors.

    python3 scripts/imports.py            # the graph, the floors, any import that goes up
    python3 scripts/imports.py --dot      # the graph for Graphviz
    python3 scripts/imports.py --check    # exit 1 on a cycle, an import that goes up, or SQL
                                          # outside a repository

A node is a top-level module of the app crate (`auth`, `audit`, `couple`, ...) or a feature or
composition folder (`features/homework`, `compositions/case_page`). An edge A -> B means some
file in A names `crate::B...` (in a `use` or inline). Edges inside one node are not drawn.

Floors, bottom to top (CONVENTIONS.md): imports only go down or stay on their floor, and a
floor's nodes never import each other in a circle.

A source file over 400 lines says why in its first line ("... (over 400 lines: <why>)").

An island takes no props but its children: leptos sends an island's props to the browser as
JSON, and a JSON reader in the browser's WASM (serde_json's, with the float formatting its
errors bring) was a third of what every phone downloads. An island reads what it needs from
the page (a form's fields, `data-` attributes); see `app/src/wire.rs`.

SQL lives in repositories only: a `repo.rs` file or a file under a `repo/` folder, plus
`db/` (the connection layer and the practice's settings) and the seeders (`seed/`, `demo/`, `features/program/seed.rs`).
"""

import os
import re
import sys
from collections import defaultdict

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "app", "src")

# The floor of each node; a node not named here is reported.
FLOORS = [
    ("foundation", ["error", "db", "time", "state", "crypto", "ids", "valid", "wire"]),
    ("couple core", ["couple"]),
    ("auth, audit and the outbox", ["auth", "audit", "outbox"]),
    ("shared widgets", ["components"]),
    ("features", ["features/*"]),
    ("compositions", ["compositions/*", "demo", "seed"]),
    ("the app (routes)", ["lib"]),
]


def node_of(path):
    """The node a file (relative to app/src) belongs to."""
    parts = path.split(os.sep)
    if parts[0] in ("features", "compositions") and len(parts) > 1:
        return parts[0] + "/" + parts[1].removesuffix(".rs")
    return parts[0].removesuffix(".rs")


def target_of(segments):
    """The node a `crate::a::b::...` path names."""
    if not segments:
        return None
    if segments[0] in ("features", "compositions"):
        return segments[0] + "/" + segments[1] if len(segments) > 1 else None
    return segments[0]


PATH = re.compile(r"\bcrate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)")
GROUP = re.compile(r"\bcrate::\{([^;]*?)\}", re.S)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//")[0] if "//" in line and '"' not in line.split("//")[0] else line
                     for line in text.splitlines())


def edges():
    found = defaultdict(lambda: defaultdict(set))
    for rel, text in sources():
        src = node_of(rel)
        text = strip_comments(text)
        names = [m.group(1).split("::") for m in PATH.finditer(text)]
        # `use crate::{a::x, b::{y, z}}`: each first segment of the group.
        for g in GROUP.finditer(text):
            depth, item = 0, ""
            for ch in g.group(1) + ",":
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                if ch == "," and depth == 0:
                    names.append([s for s in item.strip().split("::") if s])
                    item = ""
                else:
                    item += ch
        for segs in names:
            dst = target_of([s.strip("{} ") for s in segs])
            if dst and dst != src:
                found[src][dst].add(rel)
    return found


SQL = re.compile(r"\bsqlx::query|\bquery(?:_as|_scalar)?(?:::<[^>]*>)?\(")
SQL_ALLOWED = (
    os.path.join("db", "mod.rs"),
    os.path.join("db", "settings.rs"),
    os.path.join("features", "program", "seed.rs"),
)


def sources():
    """Each Rust file of app/src: its path relative to app/src, and its text."""
    for dirpath, _, files in os.walk(ROOT):
        for name in sorted(files):
            if name.endswith(".rs"):
                full = os.path.join(dirpath, name)
                yield os.path.relpath(full, ROOT), open(full, encoding="utf-8").read()


def sql_outside_repositories():
    """Files outside the repositories and seeders that run SQL."""
    found = []
    for rel, text in sources():
        parts = rel.split(os.sep)
        if (rel in SQL_ALLOWED or "repo" in parts or parts[-1] == "repo.rs"
                or parts[0] in ("seed", "demo")):
            continue
        if SQL.search(strip_comments(text)):
            found.append(rel)
    return sorted(found)


LONG = 400


def long_files():
    """Source files over LONG lines whose first line does not say why."""
    found = []
    for rel, text in sources():
        lines = text.splitlines()
        if len(lines) > LONG and "over 400 lines:" not in (lines[0] if lines else ""):
            found.append((rel, len(lines)))
    return sorted(found)


ISLAND = re.compile(r"#\[island\]\s*(?:pub(?:\([^)]*\))?\s+)?fn\s+(\w+)\s*\(([^)]*)\)", re.S)


def islands_with_props():
    """Islands that take a prop other than their children."""
    found = []
    for rel, text in sources():
        for m in ISLAND.finditer(strip_comments(text)):
            props = [a.split(":")[0].strip() for a in m.group(2).split(",") if a.strip()]
            if any(p != "children" for p in props):
                found.append((rel, m.group(1)))
    return sorted(found)


def floor_of(node):
    for i, (_, members) in enumerate(FLOORS):
        for m in members:
            if m == node or (m.endswith("/*") and node.startswith(m[:-1])):
                return i
    return None


def cycles(graph):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def main():
    graph = edges()
    nodes = sorted(set(graph) | {d for s in graph.values() for d in s})
    if "--dot" in sys.argv:
        print("digraph imports {")
        for s in sorted(graph):
            for d in sorted(graph[s]):
                print(f'  "{s}" -> "{d}";')
        print("}")
        return 0
    problems = []
    for s in sorted(graph):
        print(f"{s} -> {', '.join(sorted(graph[s]))}")
    for n in nodes:
        if floor_of(n) is None:
            problems.append(f"{n} is on no floor (scripts/imports.py FLOORS)")
    for s in sorted(graph):
        for d in sorted(graph[s]):
            fs, fd = floor_of(s), floor_of(d)
            if fs is not None and fd is not None and fd > fs:
                files = ", ".join(sorted(graph[s][d]))
                problems.append(f"up a floor: {s} ({FLOORS[fs][0]}) -> {d} ({FLOORS[fd][0]}) in {files}")
    for comp in cycles(graph):
        problems.append(f"circle of {len(comp)}: {' <-> '.join(comp)}")
    for rel in sql_outside_repositories():
        problems.append(f"SQL outside a repository: app/src/{rel}")
    for rel, n in long_files():
        problems.append(f"{n} lines with no reason on its first line: app/src/{rel}")
    for rel, name in islands_with_props():
        problems.append(f"island {name} takes props (sent as JSON; the browser reads none): app/src/{rel}")
    print()
    print(f"{len(nodes)} nodes, {sum(len(d) for d in graph.values())} edges")
    for p in problems:
        print(p)
    if not problems:
        print("no circle, nothing imports up a floor, no SQL outside a repository, no unexplained long file, no island with props")
    return 1 if problems and "--check" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())

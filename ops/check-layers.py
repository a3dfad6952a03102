#!/usr/bin/env python3
"""Enforces the layering of autoriza (issue 14, point 2).

The order of the layers is written once, in ops/layers.conf. This check reads
every #include of every *.h / *.cc / *.cpp file of the repository and fails
(exit 1) on:

  * an include that points up the order, or sideways between two folders of
    the same rank (peers may not include each other);
  * an include of tests/ from outside tests/ (tests/ may include anything);
  * a quoted include that is not a path from the repository root
    ("state.h" instead of "engine/core/state.h"), and an angle include that
    names a project file (<engine/core/state.h>);
  * a source file that is in no layer (outside tests/);
  * an include cycle among files;
  * a function longer than MAX_FUNCTION_LINES lines outside tests/, unless it
    is listed under [long-functions] in ops/layers.conf (and an entry there
    that no longer matches a long function, so the list cannot rot).

A file belongs to the layer folder that is the longest prefix of its path:
engine/core/state.h is in engine/core, engine/engine.h is in engine.

Length of a function: the number of lines from the line that holds the
function's name (where Universal Ctags places the definition) to the line of
its closing brace, both included; blank and comment lines count. Lambdas are
part of the function that encloses them. The function definitions and their
end lines come from Universal Ctags (Debian package universal-ctags).

Exit status: 0 clean, 1 problems found, 2 usage or setup error.
Standard library only (python3 >= 3.9).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict

MAX_FUNCTION_LINES = 70
SOURCE_SUFFIXES = (".h", ".cc", ".cpp")
SKIP_DIRS = {"build", ".git", "node_modules"}
TESTS = "tests"  # may include anything; nothing may include it
CONF_NAME = "ops/layers.conf"

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]*)([>"])')
GENERATED_SCHEMA_RE = re.compile(r"^schemas/([A-Za-z0-9_]+)_generated\.h$")


class SetupError(Exception):
    """A problem with the command line, the configuration or the tools."""


# --------------------------------------------------------------------------
# Configuration


class Config:
    def __init__(self):
        self.ranks = {}  # folder -> rank (0 = lowest)
        self.folders_by_rank = []  # rank -> [folder, ...]
        self.generated = {}  # path -> conf line
        self.exceptions = []  # (path, function, conf line)


def parse_config(path):
    if not os.path.isfile(path):
        raise SetupError(f"{path}: not found (it holds the order of the layers)")
    conf = Config()
    section = "layers"
    seen_exceptions = set()
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            where = f"{CONF_NAME}:{lineno}"
            m = re.fullmatch(r"\[([a-z-]+)\]", line)
            if m:
                section = m.group(1)
                if section not in ("layers", "generated", "long-functions"):
                    raise SetupError(f"{where}: unknown section [{section}]")
                continue
            if section == "layers":
                folders = line.split()
                for folder in folders:
                    if not is_clean_relative(folder):
                        raise SetupError(f"{where}: '{folder}' is not a folder path from the repository root")
                    if folder == TESTS or folder.startswith(TESTS + "/"):
                        raise SetupError(f"{where}: {TESTS}/ is not a layer (it may include anything)")
                    if folder in conf.ranks:
                        raise SetupError(f"{where}: {folder} is listed twice")
                    conf.ranks[folder] = len(conf.folders_by_rank)
                conf.folders_by_rank.append(folders)
            elif section == "generated":
                if len(line.split()) != 1 or not is_clean_relative(line):
                    raise SetupError(f"{where}: expected one header path from the repository root")
                conf.generated[line] = lineno
            else:  # long-functions
                m = re.fullmatch(r"([^\s:]+):(\S+)", line)
                if not m:
                    raise SetupError(f"{where}: expected 'path:function  # reason'")
                if "#" not in raw:
                    raise SetupError(f"{where}: give the reason for the exception after a '#'")
                key = (m.group(1), m.group(2))
                if key in seen_exceptions:
                    raise SetupError(f"{where}: {m.group(1)}:{m.group(2)} is listed twice")
                seen_exceptions.add(key)
                conf.exceptions.append((m.group(1), m.group(2), lineno))
    if not conf.ranks:
        raise SetupError(f"{path}: lists no layers")
    return conf


def is_clean_relative(path):
    """True for a normalized relative path such as engine/core/state.h."""
    if not path or path.startswith("/") or "\\" in path or path.endswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def folder_of(conf, path):
    """The layer folder of a path (longest matching prefix), TESTS, or None."""
    if path == TESTS or path.startswith(TESTS + "/"):
        return TESTS
    best = None
    for folder in conf.ranks:
        if path.startswith(folder + "/") and (best is None or len(folder) > len(best)):
            best = folder
    return best


# --------------------------------------------------------------------------
# Files


def list_sources(repo):
    """Source files of the repository, as sorted paths relative to it.

    In a git work tree: tracked files plus untracked ones that are not
    ignored (a file being added counts). Elsewhere: a walk of the tree.
    Either way build/, .git/ and node_modules/ are skipped.
    """
    paths = None
    if os.path.exists(os.path.join(repo, ".git")) and shutil.which("git"):
        try:
            out = subprocess.run(
                ["git", "-C", repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                check=True, capture_output=True).stdout
            paths = [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]
        except (subprocess.CalledProcessError, OSError):
            paths = None
    if paths is None:
        paths = []
        for root, dirs, files in os.walk(repo):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            rel_root = os.path.relpath(root, repo)
            for name in files:
                paths.append(name if rel_root == "." else f"{rel_root}/{name}")
    result = set()
    for p in paths:
        if not p.endswith(SOURCE_SUFFIXES):
            continue
        if any(part in SKIP_DIRS for part in p.split("/")[:-1]):
            continue
        if os.path.isfile(os.path.join(repo, p)):  # skips files deleted in the work tree
            result.add(p)
    return sorted(result)


def read_includes(repo, path):
    """[(line, '<' or '"', name)] of the #include directives of a file.

    Directives inside /* */ comments are skipped; a directive whose name is a
    macro (#include SOME_HEADER) is skipped too.
    """
    includes = []
    in_comment = False
    with open(os.path.join(repo, path), encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            if in_comment:
                end = line.find("*/")
                if end < 0:
                    continue
                line = " " * (end + 2) + line[end + 2:]
                in_comment = False
            m = INCLUDE_RE.match(line)
            if m and (m.group(1) == '"') == (m.group(3) == '"'):
                includes.append((lineno, m.group(1), m.group(2)))
                line = line[m.end():]
            # does a block comment stay open at the end of this line?
            code = re.sub(r'"(\\.|[^"\\])*"', '""', line.split("//", 1)[0])
            while True:
                start = code.find("/*")
                if start < 0:
                    break
                end = code.find("*/", start + 2)
                if end < 0:
                    in_comment = True
                    break
                code = code[end + 2:]
    return includes


# --------------------------------------------------------------------------
# Include checks


class Problems:
    def __init__(self):
        self.items = []  # (file, line, message)

    def add(self, file, line, message):
        self.items.append((file, line, message))

    def __len__(self):
        return len(self.items)

    def print(self, out):
        for file, line, message in sorted(self.items, key=lambda p: (p[0], p[1], p[2])):
            loc = f"{file}:{line}:" if line else f"{file}:"
            print(f"{loc} {message}", file=out)


def check_includes(repo, conf, sources, problems):
    """Checks every include; returns (number of includes read, graph)."""
    source_set = set(sources)
    by_basename = defaultdict(list)
    for p in sources:
        by_basename[os.path.basename(p)].append(p)
    top_folders = {f.split("/")[0] for f in conf.ranks} | {TESTS}
    graph = defaultdict(list)  # file -> [(line, target)]
    count = 0

    for path in sources:
        folder = folder_of(conf, path)
        if folder is None:
            problems.add(path, 0, f"{path} is in no layer of {CONF_NAME} (move it, or add its folder there)")
        for lineno, kind, name in read_includes(repo, path):
            count += 1
            if kind == "<":
                if "/" in name and (name.split("/")[0] in top_folders
                                    or os.path.isfile(os.path.join(repo, name))):
                    problems.add(path, lineno, f"<{name}> names a project file: write #include \"{name}\"")
                continue
            target = resolve(repo, conf, name, source_set)
            if target is None:
                hint = ""
                candidates = by_basename.get(os.path.basename(name), [])
                if "/" in name and name.split("/")[0] not in top_folders:
                    hint = f" (a system header? write #include <{name}>)"
                elif candidates:
                    hint = " (did you mean " + " or ".join(f'"{c}"' for c in candidates[:3]) + "?)"
                problems.add(path, lineno, f'"{name}" is not a path from the repository root{hint}')
                continue
            graph[path].append((lineno, target))
            if folder is None or folder == TESTS:
                continue  # reported above / tests may include anything
            target_folder = folder_of(conf, target)
            if target_folder == TESTS:
                problems.add(path, lineno, f"{folder} may not include {target} "
                             f"(nothing outside {TESTS}/ may include {TESTS}/)")
            elif target_folder is None:
                problems.add(path, lineno, f"{folder} may not include {target} "
                             f"({target} is in no layer of {CONF_NAME})")
            elif target_folder != folder:
                mine, theirs = conf.ranks[folder], conf.ranks[target_folder]
                if theirs > mine:
                    problems.add(path, lineno, f"{folder} may not include {target} "
                                 f"({target_folder} is above it in {CONF_NAME})")
                elif theirs == mine:
                    problems.add(path, lineno, f"{folder} may not include {target} "
                                 f"({target_folder} is beside it in {CONF_NAME})")
    return count, graph


def resolve(repo, conf, name, source_set):
    """The repository path a quoted include names, or None."""
    if not is_clean_relative(name):
        return None
    if name in source_set:
        return name
    if name.split("/")[0] in SKIP_DIRS:
        return None
    if os.path.isfile(os.path.join(repo, name)):
        return name
    m = GENERATED_SCHEMA_RE.match(name)
    if m and os.path.isfile(os.path.join(repo, "schemas", m.group(1) + ".fbs")):
        return name
    if name in conf.generated:
        return name
    return None


def check_cycles(graph, problems):
    """Reports one cycle per strongly connected group of files."""
    nodes = sorted(set(graph) | {t for edges in graph.values() for _, t in edges})
    succ = {n: sorted({t for _, t in graph.get(n, [])}) for n in nodes}
    # Tarjan's algorithm, iterative.
    index, low, on_stack, stack, sccs = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            for j in range(i, len(succ[node])):
                nxt = succ[node][j]
                if nxt not in index:
                    work.append((node, j + 1))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recurse:
                continue
            if low[node] == index[node]:
                scc = []
                while True:
                    n = stack.pop()
                    on_stack.discard(n)
                    scc.append(n)
                    if n == node:
                        break
                sccs.append(sorted(scc))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])

    for scc in sccs:
        start = scc[0]
        members = set(scc)
        if len(scc) == 1 and start not in succ[start]:
            continue
        path = shortest_cycle(start, graph, members)
        steps = ", ".join(f"{a}:{line} includes {b}" for a, line, b in path)
        extra = ""
        if len(scc) > len(path):
            extra = f" (all {len(scc)} files of this cycle group: {', '.join(scc)})"
        problems.add(path[0][0], path[0][1], f"include cycle: {steps}{extra}")


def shortest_cycle(start, graph, members):
    """[(file, line, included file)] of a shortest cycle through start."""
    prev = {}
    frontier = [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for line, target in sorted(graph.get(node, []), key=lambda e: (e[1], e[0])):
                if target not in members:
                    continue
                if target == start:
                    steps = [(node, line, start)]
                    while node != start:
                        pnode, pline = prev[node]
                        steps.append((pnode, pline, node))
                        node = pnode
                    return list(reversed(steps))
                if target not in prev:
                    prev[target] = (node, line)
                    nxt_frontier.append(target)
        frontier = nxt_frontier
    raise AssertionError("no cycle through " + start)


# --------------------------------------------------------------------------
# Function length


def ctags_command():
    ctags = os.environ.get("CTAGS", "ctags")
    exe = shutil.which(ctags)
    advice = ("the function-length check needs Universal Ctags: install it "
              "(Debian: apt-get install universal-ctags), or pass --no-functions")
    if not exe:
        raise SetupError(f"'{ctags}' not found; {advice}")
    try:
        version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout
    except OSError as e:
        raise SetupError(f"cannot run {exe}: {e}; {advice}")
    if "Universal Ctags" not in version:
        raise SetupError(f"{exe} is not Universal Ctags; {advice}")
    return exe


def long_functions(repo, sources):
    """[(path, line, name, length)] of functions over the limit outside tests/."""
    files = [p for p in sources if not (p == TESTS or p.startswith(TESTS + "/"))]
    if not files:
        return []
    cmd = [ctags_command(), "--options=NONE", "--language-force=C++", "--output-format=json",
           "--fields=+neK", "--kinds-C++=fn", "--sort=no", "-f", "-", "-L", "-"]
    proc = subprocess.run(cmd, cwd=repo, input="\n".join(files) + "\n",
                          capture_output=True, text=True, errors="replace")
    if proc.returncode != 0:
        raise SetupError(f"ctags failed ({proc.returncode}): {proc.stderr.strip()}")

    namespaces = set()
    functions = defaultdict(list)  # path -> [(line, end, scope, scope kind, name)]
    for raw in proc.stdout.splitlines():
        if not raw.startswith("{"):
            continue
        tag = json.loads(raw)
        if tag.get("_type") != "tag":
            continue
        name, scope = tag["name"], tag.get("scope")
        if tag.get("kind") == "namespace":
            namespaces.add(f"{scope}::{name}" if scope else name)
        elif tag.get("kind") == "function":
            if "end" not in tag:
                print(f"check-layers: warning: {tag['path']}:{tag['line']}: ctags found no end of "
                      f"function {name}; its length is not checked", file=sys.stderr)
                continue
            functions[tag["path"]].append(
                (tag["line"], tag["end"], scope, tag.get("scopeKind"), name))

    result = []
    for path, funcs in functions.items():
        named = [f for f in funcs if not is_lambda(f[4])]
        for line, end, scope, scope_kind, name in funcs:
            length = end - line + 1
            if length <= MAX_FUNCTION_LINES:
                continue
            if is_lambda(name):
                # Part of the function around it; only a lambda outside any
                # function (a namespace-scope variable) is measured alone.
                if any(a <= line and end <= b for a, b, *_ in named):
                    continue
                display = "lambda"
                outer = display_name(scope, namespaces)
                if outer:
                    display += " in " + outer
            else:
                display = display_name(f"{scope}::{name}" if scope else name, namespaces)
            result.append((path, line, display, length))
    return sorted(result)


def is_lambda(name):
    return name.startswith("__anon")


def display_name(qualified, namespaces):
    """Class::method for a ctags scope, without namespaces and anonymous parts."""
    if not qualified:
        return ""
    parts = qualified.split("::")
    kept = []
    for i, part in enumerate(parts):
        prefix = "::".join(parts[: i + 1])
        if part.startswith("__anon") or prefix in namespaces:
            continue
        kept.append(part)
    return "::".join(kept) or parts[-1]


def exception_matches(entry_function, display):
    return display == entry_function or display.endswith("::" + entry_function)


def check_functions(repo, conf, sources, problems):
    longs = long_functions(repo, sources)
    used = set()
    for path, line, name, length in longs:
        allowed = False
        for i, (epath, efunc, _) in enumerate(conf.exceptions):
            if epath == path and exception_matches(efunc, name):
                used.add(i)
                allowed = True
        if not allowed:
            problems.add(path, line, f"function {name} is {length} lines long (limit {MAX_FUNCTION_LINES}): "
                         f"split it, or list '{path}:{name}  # reason' under [long-functions] in {CONF_NAME}")
    for i, (epath, efunc, lineno) in enumerate(conf.exceptions):
        if i not in used:
            problems.add(CONF_NAME, lineno, f"exception {epath}:{efunc} matches no function over "
                         f"{MAX_FUNCTION_LINES} lines: remove it")
    return longs


# --------------------------------------------------------------------------


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(
        description=f"Checks the includes against the order of {CONF_NAME}, include cycles, "
                    f"and functions over {MAX_FUNCTION_LINES} lines outside {TESTS}/.")
    parser.add_argument("--repo", default=os.path.dirname(here),
                        help="repository root (default: the one holding this script)")
    parser.add_argument("--no-functions", action="store_true", help="skip the function-length check")
    parser.add_argument("--list-long", action="store_true",
                        help=f"only list every function over {MAX_FUNCTION_LINES} lines outside {TESTS}/, "
                             "longest first, and exit 0")
    args = parser.parse_args(argv)

    repo = os.path.abspath(args.repo)
    try:
        conf = parse_config(os.path.join(repo, CONF_NAME))
        sources = list_sources(repo)
        if args.list_long:
            longs = long_functions(repo, sources)
            excepted = {(p, f) for p, f, _ in conf.exceptions}
            for path, line, name, length in sorted(longs, key=lambda f: (-f[3], f[0], f[1])):
                mark = ""
                if any(p == path and exception_matches(f, name) for p, f in excepted):
                    mark = f"  [listed in {CONF_NAME}]"
                print(f"{path}:{line}: {name} ({length} lines){mark}")
            print(f"layers: {len(longs)} functions over {MAX_FUNCTION_LINES} lines outside {TESTS}/")
            return 0
        problems = Problems()
        count, graph = check_includes(repo, conf, sources, problems)
        check_cycles(graph, problems)
        if not args.no_functions:
            check_functions(repo, conf, sources, problems)
    except SetupError as e:
        print(f"check-layers: {e}", file=sys.stderr)
        return 2
    problems.print(sys.stdout)
    print(f"layers: {len(sources)} files, {count} includes checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)

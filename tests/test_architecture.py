"""The package's layers, read from its own imports: no cycle, and every import points down the flow.

files -> model -> graph -> queries -> results -> exports/visuals: each folder of ``controlmap/`` is one
layer, and a module may import only the layers named for its own in ``ALLOWED`` (the package
docstrings say the same in words). Imports under ``if TYPE_CHECKING:`` and inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "controlmap"

#: the core: types, vocabulary, one error tree, package resources; imports nothing but the core
CORE = {"enums", "errors", "scope", "labels", "model", "results", "vocab", "rdfterms", "municipality", "normalize",
        "textwidth", "resources", "columns"}
ALLOWED: dict[str, set[str]] = {
    "core": {"core"},
    "io": {"core"},
    "graph": {"core"},
    "store": {"core"},
    "queries": {"core", "graph"},
    "cycle": {"core", "graph", "queries"},
    "export": {"core", "graph", "queries", "cycle", "io"},
    "workflows": {"core", "io", "graph", "queries", "cycle", "export", "store"},
    "cli": {"core", "workflows", "export"},
    "__main__": {"cli"},  # python -m controlmap: the console script, nothing more
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> str:
    """The layer of a dotted module name: a sub-package name, ``core``, or ``root`` for the facade."""
    parts = module.split(".")
    if len(parts) == 1:
        return "root"
    return "core" if parts[1] in CORE else parts[1]


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(path: Path, known: set[str]) -> list[tuple[str, int, bool]]:
    """(imported controlmap module, line, only for type checking) for every import in one file."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = _type_checking_lines(tree)
    found: list[tuple[str, int, bool]] = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # "from . import a, b" and "from .pkg import mod" name modules; "from .mod import f" names the module
            targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in known else stem for a in node.names]
        for target in targets:
            if target.split(".")[0] == "controlmap":
                while target not in known and "." in target:
                    target = target.rsplit(".", 1)[0]
                found.append((target, node.lineno, node.lineno in typing_only))
    return found


def _graph() -> tuple[nx.DiGraph, list[str]]:
    files = sorted(PACKAGE.rglob("*.py"))
    known = {module_name(f) for f in files}
    g = nx.DiGraph()
    wrong: list[str] = []
    for f in files:
        src = module_name(f)
        g.add_node(src)
        for target, line, typing_only in imports_of(f, known):
            if target == src:
                continue
            if not typing_only:
                g.add_edge(src, target, line=line)
            a, b = layer(src), layer(target)
            if a == "root" or a == b:
                continue
            if b == "root" or b not in ALLOWED.get(a, set()):
                wrong.append(f"{f.relative_to(PACKAGE.parent)}:{line}: {src} ({a}) imports {target} ({b})")
    return g, wrong


#: imports against the flow that the restructuring has not yet removed; each entry is work left, never a new one
KNOWN: set[tuple[str, str]] = set()


def _pair(line: str) -> tuple[str, str]:
    return line.split(": ")[1].split(" (")[0], line.split(" imports ")[1].split(" (")[0]


def test_every_import_points_down_the_flow():
    _, wrong = _graph()
    new = [w for w in wrong if _pair(w) not in KNOWN]
    assert new == [], "imports against the flow:\n" + "\n".join(new)
    fixed = KNOWN - {_pair(w) for w in wrong}
    assert not fixed, f"no longer imported, remove from KNOWN: {sorted(fixed)}"


def test_no_import_cycle():
    g, _ = _graph()
    cycles = [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1]
    assert cycles == []


def test_every_package_says_what_it_may_import():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        if init.parent.name == "resources":
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "may import" in doc, f"{init.relative_to(PACKAGE.parent)}: the docstring says what it may import"


@pytest.mark.parametrize(("source", "target", "expected"), [
    ("controlmap.io.loader", "controlmap.graph.rdf", False),       # io reads files; it does not build graphs
    ("controlmap.export.render", "controlmap.queries.candidates", True),
    ("controlmap.queries.coverage", "controlmap.export.render", False),
    ("controlmap.results", "controlmap.export.render", False),
    ("controlmap.cli.main", "controlmap.workflows.kg", True),
    ("controlmap.workflows.kg", "controlmap.cli.main", False),
])
def test_the_rule_itself(source, target, expected):
    a, b = layer(source), layer(target)
    assert (b in ALLOWED[a]) is expected

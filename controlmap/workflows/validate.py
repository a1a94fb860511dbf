"""File-level use cases that the CLI and notebooks call: load, validate, export.

``validate_paths`` keeps the SHACL findings (the slow part when pyshacl has to run) in a user cache,
``$XDG_CACHE_HOME/controlmap`` or ``~/.cache/controlmap``, under a key that hashes everything they are a
function of: the loaded catalog in full (``repr``: every field, origins included, so every file:row named),
every file of the installed controlmap package (the code turning the catalog into RDF, the shapes) and the
pyshacl version (its ``__init__.py``). Before pyshacl runs, the direct checks of
:mod:`controlmap.queries.shape_checks` are asked: when they show the graph conforms, pyshacl is not run and
the rdflib graph is not built (the findings, none, are kept all the same). A cache file whose stored key
differs from the key asked for, or that cannot be read, is ignored; ``cache=False`` (``validate --no-cache``)
neither reads nor writes it. Our own checks always run.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, ExportError, Problem
from ..model import Catalog
from .kg import KnowledgeGraph

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["cache_dir", "export_rdf", "is_data_root", "shacl_findings", "shacl_key", "validate_paths"]


def is_data_root(path: Path) -> bool:
    """True for a directory laid out like ``data/`` (``<framework>/<edition>/framework.yaml``)."""
    return path.is_dir() and any(path.glob("*/*/framework.yaml"))


def validate_paths(paths: list[str | Path], cache: bool = True) -> tuple[KnowledgeGraph | None, list[Problem]]:
    """Load and check files: a data directory replaces the shipped data, other files are added to it;
    a file that lies inside the data being checked (``data/mappings/x.sssom.tsv``) is checked as part of it."""
    from ..io.loader import default_data_dir, load_data_dir, load_files
    from ..queries.validation import own_checks

    roots = [Path(p) for p in paths if is_data_root(Path(p))]
    try:
        bases = roots or [default_data_dir()]
        # a file inside a data directory being checked is checked with it, not loaded a second time
        others: list[str | Path] = [Path(p) for p in paths if not is_data_root(Path(p))
                  and not any(Path(p).resolve().is_relative_to(b.resolve()) for b in bases)]
        base = Catalog().merge(*(load_data_dir(r) for r in roots)) if roots else load_data_dir()
        catalog = load_files(others, base) if others else base
    except DataError as err:
        return None, list(err.problems)
    kg = KnowledgeGraph(catalog)
    return kg, own_checks(catalog) + shacl_findings(kg, cache) + _scope_problems(bases, catalog)


def cache_dir() -> Path:
    """Where validation results are kept: ``$XDG_CACHE_HOME/controlmap``, else ``~/.cache/controlmap``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "controlmap"


def shacl_key(catalog: Catalog) -> str:
    """The hash SHACL findings of ``catalog`` are kept under (see the module docstring)."""
    import hashlib
    from importlib.util import find_spec

    digest = hashlib.sha256()
    # pyshacl's __init__.py holds its __version__; found without importing pyshacl or scanning distributions
    spec = find_spec("pyshacl")
    try:
        digest.update(b"pyshacl\0" + Path(spec.origin).read_bytes() if spec and spec.origin else b"pyshacl ?\0")
    except OSError:
        digest.update(b"pyshacl ?\0")
    package = Path(__file__).resolve().parents[1]  # the installed controlmap package
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            data = path.read_bytes()
            digest.update(f"{path.relative_to(package).as_posix()}\0{len(data)}\0".encode())
            digest.update(data)
    digest.update(repr(catalog).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def shacl_findings(kg: KnowledgeGraph, cache: bool = True) -> list[Problem]:
    """SHACL findings from the cache when it holds this key, else from pyshacl (then kept)."""
    import json

    from ..queries.validation import catalog_shacl_problems

    def rdf() -> Graph:
        return kg.rdf

    if not cache:
        return catalog_shacl_problems(kg.catalog, rdf)
    key = shacl_key(kg.catalog)
    path = cache_dir() / f"shacl-{key[:32]}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored["key"] == key:
            return [Problem(str(f), r, c, str(m)) for f, r, c, m in stored["problems"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no cache, or one that cannot be trusted: validate
    problems = catalog_shacl_problems(kg.catalog, rdf)
    _keep(path, key, problems)
    return problems


def _keep(path: Path, key: str, problems: list[Problem]) -> None:
    """Write the findings atomically; a cache that cannot be written only costs the next run its time."""
    import json

    from ..export.files import write_text

    text = json.dumps({"key": key, "problems": [[p.file, p.row, p.column, p.message] for p in problems]},
                      ensure_ascii=False)
    with contextlib.suppress(OSError, ExportError):
        write_text(path, text)


def _scope_problems(bases: list[Path], catalog: object) -> list[Problem]:
    """Every problem of the scope files (``scope/*.yaml``) of the data directories, read against ``catalog``."""
    from ..io.scope import read_scope

    problems: list[Problem] = []
    for base in bases:
        for path in sorted((base / "scope").glob("*.yaml")):
            try:
                read_scope(path, catalog)  # type: ignore[arg-type]
            except DataError as err:
                problems.extend(err.problems)
    return problems


def export_rdf(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write the graph to ``path`` as Turtle, N-Triples or JSON-LD (from the suffix)."""
    from ..export.rdf import write_rdf

    return write_rdf(kg.rdf, path)




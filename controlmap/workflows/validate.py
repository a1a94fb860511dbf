"""File-level use cases that the CLI and notebooks call: load, validate, export."""

from __future__ import annotations

from pathlib import Path

from ..errors import DataError, Problem
from .kg import KnowledgeGraph

__all__ = ["export_rdf", "is_data_root", "validate_paths"]


def is_data_root(path: Path) -> bool:
    """True for a directory laid out like ``data/`` (``<framework>/<edition>/framework.yaml``)."""
    return path.is_dir() and any(path.glob("*/*/framework.yaml"))


def validate_paths(paths: list[str | Path]) -> tuple[KnowledgeGraph | None, list[Problem]]:
    """Load and check files: a data directory replaces the shipped data, other files are added to it;
    a file that lies inside the data being checked (``data/mappings/x.sssom.tsv``) is checked as part of it."""
    from ..io.loader import default_data_dir, load_data_dir, load_files
    from ..model import Catalog
    from ..queries.validation import validate_catalog

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
    return kg, validate_catalog(catalog, kg.rdf) + _scope_problems(bases, catalog)


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




"""File-level use cases that the CLI and notebooks call: load, validate, export."""

from __future__ import annotations

from pathlib import Path

from .errors import DataError, Problem
from .kg import KnowledgeGraph, load

__all__ = ["export_rdf", "is_data_root", "validate_paths"]


def is_data_root(path: Path) -> bool:
    """True for a directory laid out like ``data/`` (``<framework>/<edition>/framework.yaml``)."""
    return path.is_dir() and any(path.glob("*/*/framework.yaml"))


def validate_paths(paths: list[str | Path]) -> tuple[KnowledgeGraph | None, list[Problem]]:
    """Load and check files: a data directory replaces the shipped data, other files are added to it."""
    from .io.loader import load_data_dir, load_files
    from .model import Catalog
    from .validation import validate_catalog

    roots = [Path(p) for p in paths if is_data_root(Path(p))]
    others = [Path(p) for p in paths if not is_data_root(Path(p))]
    try:
        base = Catalog().merge(*(load_data_dir(r) for r in roots)) if roots else load_data_dir()
        catalog = load_files(others, base) if others else base
    except DataError as err:
        return None, list(err.problems)
    kg = KnowledgeGraph(catalog)
    return kg, validate_catalog(catalog, kg.rdf)


def export_rdf(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write the graph to ``path`` as Turtle, N-Triples or JSON-LD (from the suffix)."""
    from .io.rdf import write_rdf

    return write_rdf(kg.rdf, path)




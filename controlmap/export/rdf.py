"""Write an rdflib Graph to a file in the format its suffix names (Turtle, N-Triples, JSON-LD, RDF/XML)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..io.rdf import rdf_format
from .files import write_bytes

__all__ = ["write_rdf"]


def write_rdf(graph: Graph, path: str | Path) -> Path:
    """Serialise ``graph`` to ``path`` in the format its suffix names, atomically (see :mod:`.files`)."""
    p = Path(path)
    fmt = rdf_format(p)
    return write_bytes(p, graph.serialize(format=fmt, encoding="utf-8"))

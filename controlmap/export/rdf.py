"""Write an rdflib Graph to a file in the format its suffix names (Turtle, N-Triples, JSON-LD, RDF/XML)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..io.rdf import rdf_format

__all__ = ["write_rdf"]


def write_rdf(graph: Graph, path: str | Path) -> Path:
    """Serialise ``graph`` to ``path`` in the format its suffix names."""
    p = Path(path)
    fmt = rdf_format(p)
    p.parent.mkdir(parents=True, exist_ok=True)
    graph.serialize(destination=str(p), format=fmt, encoding="utf-8")
    return p

"""The vocabulary, SHACL shapes and SPARQL queries shipped inside the package."""

from __future__ import annotations

from importlib import resources

from rdflib import Graph

__all__ = ["query_text", "shapes_graph", "vocabulary_graph"]


def _text(*parts: str) -> str:
    return resources.files("controlmap").joinpath("/".join(parts)).read_text(encoding="utf-8")


def shapes_graph() -> Graph:
    """The SHACL shapes our exported graphs conform to."""
    return Graph().parse(data=_text("resources", "shapes.ttl"), format="turtle")


def vocabulary_graph() -> Graph:
    """The cm: vocabulary with labels and comments (the terms of :data:`controlmap.vocab.CM`).

    >>> from rdflib import RDFS
    >>> from controlmap.vocab import CM
    >>> vocabulary_graph().value(CM.Mapping, RDFS.label) is not None
    True
    """
    return Graph().parse(data=_text("resources", "vocab.ttl"), format="turtle")


def query_text(name: str) -> str:
    """The text of a shipped SPARQL query (``controlmap/queries/sparql/NAME.rq``).

    >>> "# @parameters" in query_text("gaps")
    True
    """
    return _text("queries", "sparql", f"{name}.rq")

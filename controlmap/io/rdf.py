"""Read and write RDF files; the format comes from the suffix and parse errors name the line."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph

from ..errors import DataError, ExportError, Problem
from .encoding import decode

__all__ = ["RDF_FORMATS", "read_rdf", "rdf_format", "write_rdf"]

RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".xml": "xml"}
_LINE = re.compile(r"line (\d+)", re.IGNORECASE)


def rdf_format(path: str | Path) -> str:
    """The rdflib format name for a file suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in RDF_FORMATS:
        raise ExportError(f"{path}: unknown RDF suffix {suffix!r}; use one of {', '.join(RDF_FORMATS)}")
    return RDF_FORMATS[suffix]


def read_rdf(path: str | Path) -> Graph:
    """Parse an RDF file; malformed input raises DataError with the line the parser stopped at."""
    p = Path(path)
    try:
        fmt = rdf_format(p)
    except ExportError as err:
        raise DataError([Problem(str(p), None, None, str(err))]) from err
    text = decode(p.read_bytes(), str(p))
    g = Graph()
    try:
        g.parse(data=text, format=fmt)
    except Exception as err:  # rdflib raises parser-specific exception types
        message = " ".join(str(err).split())
        match = _LINE.search(message)
        row = int(match.group(1)) if match else None
        raise DataError([Problem(str(p), row, None, f"malformed {fmt}: {message[:300]}")]) from err
    return g


def write_rdf(graph: Graph, path: str | Path) -> Path:
    """Serialise ``graph`` to ``path`` in the format its suffix names."""
    p = Path(path)
    fmt = rdf_format(p)
    p.parent.mkdir(parents=True, exist_ok=True)
    graph.serialize(destination=str(p), format=fmt, encoding="utf-8")
    return p

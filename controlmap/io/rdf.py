"""Read and write RDF files; the format comes from the suffix and parse errors name the line."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph

from ..errors import DataError, ExportError, Problem
from .encoding import decode

__all__ = ["RDF_FORMATS", "read_rdf", "rdf_format", "write_rdf"]

RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".xml": "xml"}
_LINE = re.compile(r"line (\d+)(?:,? column (\d+))?", re.IGNORECASE)


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
        row, column = _position(err, text, message)
        raise DataError([Problem(str(p), row, column, f"malformed {fmt}: {message[:300]}")]) from err
    return g


def _position(err: Exception, text: str, message: str) -> tuple[int | None, str | None]:
    """Line and column where a parser stopped, as far as its exception tells."""
    offset = getattr(err, "_i", None)  # rdflib's Turtle/N3 BadSyntax keeps the offset in the text
    if isinstance(offset, int) and 0 <= offset <= len(text):
        line_start = text.rfind("\n", 0, offset) + 1
        return text.count("\n", 0, offset) + 1, str(offset - line_start + 1)
    match = _LINE.search(message)  # JSON-LD: "line 2 column 17"
    if match is None:
        return None, None
    return int(match.group(1)), match.group(2)


def write_rdf(graph: Graph, path: str | Path) -> Path:
    """Serialise ``graph`` to ``path`` in the format its suffix names."""
    p = Path(path)
    fmt = rdf_format(p)
    p.parent.mkdir(parents=True, exist_ok=True)
    graph.serialize(destination=str(p), format=fmt, encoding="utf-8")
    return p

"""Run the shipped SPARQL queries (``queries/sparql/*.rq``) with their parameters filled in safely.

Each shipped query binds its parameters in one ``VALUES`` row marked ``# @parameters``, so the file
runs as it is in any SPARQL 1.1 store. :func:`prepare` replaces that row: IRIs are checked against
the IRIREF grammar of SPARQL and integers must be integers, so a value can never change the query.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from ..errors import QueryParameterError, SetupError, UsageError
from ..resources import query_text

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rdflib import Graph
    from rdflib.query import ResultRow

__all__ = ["prepare", "run_direct_coverage", "run_gaps"]

_ROW = re.compile(r"VALUES\s*\(([^)]*)\)\s*\{\s*\([^)]*\)\s*\}(?=[ \t]*#\s*@parameters\b)")
# SPARQL 1.1 IRIREF minus relative IRIs: a scheme, then no space, <>"{}|^`\ or control characters
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")


def _term(name: str, value: object) -> str:
    if isinstance(value, bool) or value is None:
        raise QueryParameterError(f"parameter ?{name}: expected an IRI or an integer, not {value!r}")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if not _IRI.fullmatch(text):
        raise QueryParameterError(f"parameter ?{name}: {text!r} is not an absolute IRI")
    return f"<{text}>"


def prepare(name: str, **values: object) -> str:
    """The text of the shipped query ``name`` with its ``@parameters`` row set to ``values``.

    Keyword names are the query's variable names (``source``, ``target``, ``threshold``,
    ``minStrength``); every variable of the row must be given, and no other.

    Examples
    --------
    >>> text = prepare("gaps", source="https://w3id.org/controlmap/mic/2009",
    ...                target="https://w3id.org/controlmap/govt_unified_std/2021", minStrength=1)
    >>> "<https://w3id.org/controlmap/govt_unified_std/2021> 1) }" in text
    True
    >>> prepare("gaps", source="x> } DROP ALL {", target="urn:t", minStrength=1)
    Traceback (most recent call last):
    ...
    controlmap.errors.QueryParameterError: parameter ?source: 'x> } DROP ALL {' is not an absolute IRI
    """
    text = query_text(name)
    rows = list(_ROW.finditer(text))
    if len(rows) != 1:
        raise SetupError(f"query {name!r} must have exactly one VALUES row marked '# @parameters'")
    row = rows[0]
    names = [v.lstrip("?$") for v in row.group(1).split()]
    missing = [n for n in names if n not in values]
    extra = [n for n in values if n not in names]
    if missing or extra:
        raise QueryParameterError(f"query {name!r} takes the parameters {', '.join(names)}; "
                        f"missing: {', '.join(missing) or '-'}; unknown: {', '.join(extra) or '-'}")
    terms = " ".join(_term(n, values[n]) for n in names)
    filled = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}"
    return text[:row.start()] + filled + text[row.end():]


@lru_cache(maxsize=64)
def _parsed(text: str):
    """rdflib's parsed form of a filled-in query; parsing costs more than evaluating on small graphs."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def _check(threshold: int, min_strength: int) -> None:
    for label, value in (("threshold", threshold), ("min_strength", min_strength)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise UsageError(f"{label} is a strength from 0 to 10, not {value!r}")


def run_direct_coverage(graph: Graph, source_iri: str, target_iri: str, threshold: int = 7,
                        min_strength: int = 1) -> dict[str, str]:
    """Direct status (covered / partial / gap / unassessed) of every assessable target control.

    ``source_iri`` and ``target_iri`` are the ConceptScheme IRIs of two editions
    (``Framework.iri``); the result maps each control id (``PREFIX:notation``) to its status, as
    the coverage engine decides it with ``max_hops=1`` and no scope.

    Examples
    --------
    >>> from controlmap.graph.rdf import to_rdf
    >>> from controlmap.model import Catalog, Control, Framework, Mapping, MappingSet, Provenance, Relation
    >>> a = Framework(id="a", edition="1", prefix="A", title="A")
    >>> b = Framework(id="b", edition="1", prefix="B", title="B")
    >>> ctl = lambda fw, n: Control(id=f"{fw.prefix}:{n}", framework=fw.key, notation=n, parent=None,
    ...                             level="item", title=n, provenance=Provenance.READ)
    >>> ms = MappingSet(id="https://example.org/a-b", title="", subject_framework="a@1", object_framework="b@1",
    ...                 complete=True, mappings=(Mapping("A:1", "B:1", Relation.EQUAL, strength=9),
    ...                                          Mapping("B:2", "A:1", Relation.SUPERSET_OF, strength=9)))
    >>> g = to_rdf(Catalog(frameworks=(a, b), controls=(ctl(a, "1"), ctl(b, "1"), ctl(b, "2"), ctl(b, "3")),
    ...                    mapping_sets=(ms,)))
    >>> run_direct_coverage(g, a.iri, b.iri)
    {'B:1': 'covered', 'B:2': 'partial', 'B:3': 'gap'}
    """
    _check(threshold, min_strength)
    text = prepare("direct_coverage", source=str(source_iri), target=str(target_iri), threshold=threshold,
                   minStrength=min_strength)
    return {str(row.id): str(row.status) for row in _select(graph, text)}


def run_gaps(graph: Graph, source_iri: str, target_iri: str, min_strength: int = 1) -> list[str]:
    """Ids of the target controls whose direct status is gap, in id order (see :func:`run_direct_coverage`)."""
    _check(7, min_strength)
    text = prepare("gaps", source=str(source_iri), target=str(target_iri), minStrength=min_strength)
    return [str(row.id) for row in _select(graph, text)]


def _select(graph: Graph, text: str) -> Iterable[ResultRow]:
    """The rows of a filled-in SELECT query (a SELECT yields result rows only)."""
    return cast("Iterable[ResultRow]", graph.query(_parsed(text)))

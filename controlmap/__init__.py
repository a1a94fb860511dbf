"""controlmap: security and privacy controls of several frameworks as one knowledge graph.

>>> import controlmap as cm
>>> kg = cm.load()                       # the shipped MIC checklist, JIS Q 15001 and 統一基準
>>> kg.framework("jisq15001").edition
'2006'
"""

from .errors import ControlmapError, DataError, ExportError, Problem, UnknownControlError, UnknownFrameworkError
from .kg import KnowledgeGraph, coverage, gaps, load
from .results import Candidate, CoverageItem, CoverageResult, GapResult, Path, Rollup, Status, Step
from .model import (
    INVERSE,
    NO_TERM,
    Answer,
    Catalog,
    Control,
    Framework,
    Mapping,
    MappingSet,
    Provenance,
    Relation,
    SelfCheckStatus,
    compose,
)


def to_rdf(catalog: Catalog):
    """The catalog as an rdflib Graph (see :mod:`controlmap.graph.rdf`)."""
    from .graph.rdf import to_rdf as _to_rdf

    return _to_rdf(catalog)


def from_rdf(graph) -> Catalog:
    """The catalog held in an rdflib Graph written by :func:`to_rdf`."""
    from .graph.rdf import from_rdf as _from_rdf

    return _from_rdf(graph)


def to_networkx(catalog: Catalog):
    """The catalog as a NetworkX MultiDiGraph (see :mod:`controlmap.graph.nx`)."""
    from .graph.nx import to_networkx as _to_networkx

    return _to_networkx(catalog)


__all__ = [
    "INVERSE",
    "NO_TERM",
    "Answer",
    "Candidate",
    "Catalog",
    "Control",
    "ControlmapError",
    "CoverageItem",
    "CoverageResult",
    "DataError",
    "ExportError",
    "Framework",
    "GapResult",
    "KnowledgeGraph",
    "Mapping",
    "MappingSet",
    "Path",
    "Problem",
    "Provenance",
    "Relation",
    "Rollup",
    "SelfCheckStatus",
    "Status",
    "Step",
    "UnknownControlError",
    "UnknownFrameworkError",
    "compose",
    "coverage",
    "from_rdf",
    "gaps",
    "load",
    "to_networkx",
    "to_rdf",
]

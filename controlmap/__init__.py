"""controlmap: security and privacy controls of several frameworks as one knowledge graph.

>>> import controlmap as cm
>>> kg = cm.load()                       # the shipped MIC checklist, JIS Q 15001 and 統一基準
>>> kg.framework("jisq15001").edition
'2006'
"""

from .errors import ControlmapError, DataError, ExportError, Problem, UnknownControlError, UnknownFrameworkError
from .kg import KnowledgeGraph, load
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
    "Catalog",
    "Control",
    "ControlmapError",
    "DataError",
    "ExportError",
    "Framework",
    "KnowledgeGraph",
    "Mapping",
    "MappingSet",
    "Problem",
    "Provenance",
    "Relation",
    "SelfCheckStatus",
    "UnknownControlError",
    "UnknownFrameworkError",
    "compose",
    "from_rdf",
    "load",
    "to_networkx",
    "to_rdf",
]

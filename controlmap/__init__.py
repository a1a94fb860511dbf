"""controlmap: security and privacy controls of several frameworks as one knowledge graph.

>>> import controlmap as cm
>>> kg = cm.load()                       # the shipped MIC checklist, JIS Q 15001 and 統一基準
>>> kg.framework("jisq15001").edition
'2006'
"""

from . import committee, decisions, isheet, review, sharing, survey, viz
from .decisions import DecisionState
from .editions import carry_mappings, diff_editions
from .errors import (
    ControlmapError,
    DataError,
    ExportError,
    MunicipalityCodeError,
    Problem,
    StoreAuthError,
    StoreError,
    StoreRequestError,
    StoreTimeoutError,
    StoreUnavailableError,
    UnknownControlError,
    UnknownFrameworkError,
)
from .isheet import ConfirmationMethod, ISheet, ISheetRow
from .kg import KnowledgeGraph, coverage, gaps, load
from .lint import Finding
from .lint import lint_sets as lint_mappings
from .model import (
    INVERSE,
    NO_TERM,
    Answer,
    Catalog,
    Control,
    Exclusion,
    Framework,
    Mapping,
    MappingSet,
    Provenance,
    Relation,
    Scope,
    SelfCheckStatus,
    compose,
)
from .results import Candidate, CoverageItem, CoverageResult, GapResult, Path, Rollup, Status, Step
from .suggest import Suggester
from .suggest import suggest as suggest_mappings


def to_rdf(catalog: Catalog):
    """The catalog as an rdflib Graph (see :mod:`controlmap.graph.rdf`)."""
    from .graph.rdf import to_rdf as _to_rdf

    return _to_rdf(catalog)


def from_rdf(graph) -> Catalog:
    """The catalog held in an rdflib Graph written by :func:`to_rdf`."""
    from .graph.rdf import from_rdf as _from_rdf

    return _from_rdf(graph)


def open_store(url_or_path=None, **options):
    """A knowledge-base store: memory (default), Oxigraph on disk, or a SPARQL 1.1 server (see :mod:`controlmap.store`)."""
    from .store import open_store as _open_store

    return _open_store(url_or_path, **options)


def to_networkx(catalog: Catalog):
    """The catalog as a NetworkX MultiDiGraph (see :mod:`controlmap.graph.nx`)."""
    from .graph.nx import to_networkx as _to_networkx

    return _to_networkx(catalog)


__all__ = [
    "survey",
    "sharing",
    "isheet",
    "decisions",
    "ISheetRow",
    "ISheet",
    "DecisionState",
    "ConfirmationMethod",
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
    "Exclusion",
    "ExportError",
    "MunicipalityCodeError",
    "StoreAuthError",
    "StoreError",
    "StoreRequestError",
    "StoreTimeoutError",
    "StoreUnavailableError",
    "open_store",
    "Finding",
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
    "Scope",
    "SelfCheckStatus",
    "Suggester",
    "Status",
    "Step",
    "UnknownControlError",
    "UnknownFrameworkError",
    "committee",
    "compose",
    "coverage",
    "from_rdf",
    "gaps",
    "lint_mappings",
    "load",
    "to_networkx",
    "to_rdf",
    "review",
    "suggest_mappings",
    "viz",
    "carry_mappings",
    "diff_editions",
]

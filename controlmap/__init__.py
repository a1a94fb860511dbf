"""controlmap: security and privacy controls of several frameworks as one knowledge graph.

>>> import controlmap as cm
>>> kg = cm.load()                       # the shipped MIC checklist, JIS Q 15001 and 統一基準
>>> kg.framework("jisq15001").edition
'2006'

The package is layered; dependencies point down this list and never up (a test enforces it)::

    cli/         argument parsing only; each command calls one workflow
    workflows/   use cases: the only room that combines io, queries/cycle, export and store
    store/       adapters: memory, embedded Oxigraph, remote SPARQL server, local server
    export/      results -> frames, text, CSV, XLSX, JSON, SSSOM, RDF, OSCAL, CISO, HTML pages
    cycle/       pure yearly-cycle logic: decisions, I-sheet, survey, review, sharing
    queries/     pure: engine, coverage, candidates, scope, SPARQL, suggestions, lint, editions, validation
    graph/ io/   model -> rdflib / networkx;  files -> model
    core         errors, labels, enums, model, results, vocab, rdfterms, municipality, normalize, textwidth, resources

Submodules and the heavier functions load on first use (PEP 562), so ``import controlmap`` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

from . import results as _results
from .errors import (
    ControlmapError,
    CrosswalkError,
    DataError,
    ExportError,
    MunicipalityCodeError,
    Problem,
    QueryParameterError,
    SetupError,
    StoreAuthError,
    StoreError,
    StoreRequestError,
    StoreTimeoutError,
    StoreUnavailableError,
    UnknownControlError,
    UnknownFrameworkError,
    UnknownLabelError,
    UnknownMappingSetError,
    UsageError,
)
from .export import render as _render
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

_results.use_presenter(_render)  # results draw themselves as tables through export.render (one hook)

#: public name -> (module, attribute); attribute None means the module itself
_LAZY: dict[str, tuple[str, str | None]] = {
    "KnowledgeGraph": ("controlmap.workflows.kg", "KnowledgeGraph"),
    "load": ("controlmap.workflows.kg", "load"),
    "coverage": ("controlmap.workflows.kg", "coverage"),
    "gaps": ("controlmap.workflows.kg", "gaps"),
    "to_rdf": ("controlmap.graph.rdf", "to_rdf"),
    "from_rdf": ("controlmap.io.rdf", "from_rdf"),
    "to_networkx": ("controlmap.graph.nx", "to_networkx"),
    "open_store": ("controlmap.store", "open_store"),
    "publish": ("controlmap.workflows.publish", "publish"),
    "peers": ("controlmap.workflows.peers", "peers"),
    "carry_mappings": ("controlmap.queries.carry", "carry_mappings"),
    "diff_editions": ("controlmap.queries.editions", "diff_editions"),
    "Finding": ("controlmap.queries.lint", "Finding"),
    "lint_mappings": ("controlmap.queries.lint", "lint_sets"),
    "Suggester": ("controlmap.queries.suggest", "Suggester"),
    "suggest_mappings": ("controlmap.queries.suggest", "suggest"),
    "DecisionState": ("controlmap.cycle.decisions", "DecisionState"),
    "ConfirmationMethod": ("controlmap.cycle.isheet.model", "ConfirmationMethod"),
    "ISheet": ("controlmap.cycle.isheet.model", "ISheet"),
    "ISheetRow": ("controlmap.cycle.isheet.model", "ISheetRow"),
    "committee": ("controlmap.workflows.committee", None),
    "viz": ("controlmap.workflows.viz", None),
    "decisions": ("controlmap.workflows.decisions", None),
    "isheet": ("controlmap.workflows.isheet", None),
    "review": ("controlmap.workflows.review", None),
    "sharing": ("controlmap.workflows.sharing", None),
    "survey": ("controlmap.workflows.survey", None),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "INVERSE",
    "NO_TERM",
    "Answer",
    "Candidate",
    "Catalog",
    "ConfirmationMethod",
    "Control",
    "ControlmapError",
    "CoverageItem",
    "CoverageResult",
    "CrosswalkError",
    "DataError",
    "DecisionState",
    "Exclusion",
    "ExportError",
    "Finding",
    "Framework",
    "GapResult",
    "ISheet",
    "ISheetRow",
    "KnowledgeGraph",
    "Mapping",
    "MappingSet",
    "MunicipalityCodeError",
    "Path",
    "Problem",
    "Provenance",
    "QueryParameterError",
    "Relation",
    "Rollup",
    "Scope",
    "SelfCheckStatus",
    "SetupError",
    "Status",
    "Step",
    "StoreAuthError",
    "StoreError",
    "StoreRequestError",
    "StoreTimeoutError",
    "StoreUnavailableError",
    "Suggester",
    "UnknownControlError",
    "UnknownFrameworkError",
    "UnknownLabelError",
    "UnknownMappingSetError",
    "UsageError",
    "carry_mappings",
    "committee",
    "compose",
    "coverage",
    "decisions",
    "diff_editions",
    "from_rdf",
    "gaps",
    "isheet",
    "lint_mappings",
    "load",
    "open_store",
    "peers",
    "publish",
    "review",
    "sharing",
    "suggest_mappings",
    "survey",
    "to_networkx",
    "to_rdf",
    "viz",
]

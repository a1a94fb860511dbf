"""KnowledgeGraph: the loaded catalog with its RDF graph, NetworkX view and DataFrames."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from ..model import Catalog, Framework, Scope

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from rdflib import Graph

    from ..queries.engine import EdgeIndex
    from ..results import CoverageResult, GapResult
    from ..scope import ScopeLike

__all__ = ["KnowledgeGraph", "coverage", "gaps", "load"]


class KnowledgeGraph:
    """Every loaded framework edition, control and mapping set, with graph and table views.

    ``kg.catalog`` is the frozen model; ``kg.rdf`` the rdflib Graph (built on first use);
    ``kg.to_networkx()`` a MultiDiGraph; ``kg.controls(name)`` a DataFrame.

    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> kg.framework("mic").key, kg.controls("mic")["level"].value_counts().to_dict()   # the MIC checklist
    ('mic@2009', {'item': 117, 'chapter': 12})
    >>> juki_net = kg.scope("juki_net")                     # the shipped scope: what 住基ネット leaves out
    >>> len(juki_net.exclusions), juki_net.reason("JISQ15001-2006:3.4.2.4")[:20]
    (52, '住基ネットは本人から書面で直接取得しない')
    """

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def __repr__(self) -> str:
        c = self.catalog
        return (f"<KnowledgeGraph {len(c.frameworks)} editions, {len(c.controls)} controls, "
                f"{sum(s.size for s in c.mapping_sets)} mappings in {len(c.mapping_sets)} sets>")

    @property
    def frameworks(self) -> tuple[Framework, ...]:
        """The framework editions, ordered by framework id and edition."""
        return self.catalog.frameworks

    def framework(self, name: str) -> Framework:
        """The edition ``id@edition``, or the default edition of ``id``."""
        return self.catalog.framework(name)

    @cached_property
    def rdf(self) -> Graph:
        """The catalog as an rdflib Graph (SKOS, DCTERMS, PROV, EARL and cm:)."""
        from ..graph.rdf import to_rdf

        return to_rdf(self.catalog)

    def to_networkx(self) -> nx.MultiDiGraph:
        """A NetworkX MultiDiGraph of controls, hierarchy and mappings."""
        from ..graph.nx import to_networkx

        return to_networkx(self.catalog)

    def controls(self, framework: str) -> pd.DataFrame:
        """The controls of one edition as a DataFrame, in document order."""
        from ..export.tables import controls_frame

        return controls_frame(self.catalog, framework)

    def frameworks_frame(self) -> pd.DataFrame:
        """One row per framework edition with control counts per level and the R/I shares."""
        from ..export.tables import frameworks_frame

        return frameworks_frame(self.catalog)

    def mappings(self, subject: str | None = None, obj: str | None = None) -> pd.DataFrame:
        """Mapping rows as a DataFrame, optionally only between two editions."""
        from ..export.tables import mappings_frame

        return mappings_frame(self.catalog, subject, obj)

    @cached_property
    def index(self) -> EdgeIndex:
        """The integer edge index coverage queries run on (built once)."""
        from ..queries.engine import EdgeIndex

        return EdgeIndex.from_catalog(self.catalog)

    def scope(self, name_or_path: str | Path | None = "juki_net") -> Scope | None:
        """A scope by name from the shipped ``data/scope/`` or from a YAML path; None for no scope."""
        if name_or_path is None:
            return None
        from ..io.scope import read_scope

        path = Path(name_or_path)
        if not path.suffix:
            from ..io.loader import default_data_dir

            path = default_data_dir() / "scope" / f"{name_or_path}.yaml"
        return read_scope(path, self.catalog)

    def validate(self) -> list[Problem]:
        """Every problem our own checks and the SHACL shapes find; empty when all is well."""
        from ..queries.validation import validate_catalog

        # a graph already built (perhaps changed since) is checked by pyshacl; else the catalog, directly first
        return validate_catalog(self.catalog, self.__dict__.get("rdf"))


def load(*paths: str | Path, data_dir: str | Path | None = None, shipped: bool = True,
         progress: bool | None = None) -> KnowledgeGraph:
    """Load the shipped frameworks and mappings, plus any user files given.

    ``paths`` may be framework YAML files (with CSV/XLSX controls or a profile for an
    official checklist workbook), SSSOM TSV mapping sets, RDF files or data directories.
    Every problem in every file is raised together as one DataError. A progress bar (stderr) is shown
    for more than about 50,000 mapping rows when stderr is a terminal or in a notebook; ``progress=True``
    always shows it, ``False`` never (see workflows.progress). The cyclic garbage collector is paused
    while loading: the catalog is a million small objects and no cycles, and its passes over them
    were a quarter of the time.

    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> [f.key for f in kg.frameworks if f.id == "jisq15001"]    # three editions of JIS Q 15001
    ['jisq15001@2006', 'jisq15001@2017', 'jisq15001@2023']
    >>> len(cm.load(shipped=False).catalog.controls)             # only the files given: none here
    0
    """
    import gc

    from ..io.loader import load_data_dir, load_files
    from .progress import LOAD_ROWS, Progress

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with Progress("loading mappings", "file", LOAD_ROWS, force=progress) as bar:
            base = load_data_dir(data_dir, progress=bar.on_mapping_file()) if shipped else Catalog()
        catalog = load_files(list(paths), base) if paths else base
    finally:
        if was_enabled:
            gc.enable()
    return KnowledgeGraph(catalog)




def _scope(kg: KnowledgeGraph, scope: ScopeLike) -> Scope | None:
    if scope is None or isinstance(scope, Scope):
        return scope
    return kg.scope(scope)


def coverage(kg: KnowledgeGraph, source: str, target: str, *, scope: ScopeLike = "juki_net",
             threshold: int = 7, max_hops: int = 2, min_strength: int = 1) -> CoverageResult:
    """Coverage of every assessable control of ``target`` by ``source`` (see queries.coverage).

    ``scope`` is a Scope, a shipped scope name, a YAML path, or None for no exclusions.

    Examples
    --------
    >>> import controlmap as cm
    >>> result = cm.coverage(cm.load(), source="mic", target="jisq15001")
    >>> result.item("3.6").status.value
    'gap'
    """
    from ..queries.coverage import coverage as _coverage
    from ..queries.scope import scope_for

    chosen = _scope(kg, scope)
    if chosen is not None:
        chosen = scope_for(chosen, kg.catalog, target)
    return _coverage(kg.catalog, source, target, threshold=threshold, max_hops=max_hops,
                     min_strength=min_strength, scope=chosen, index=kg.index)


def gaps(kg: KnowledgeGraph, source: str, against: list[str] | tuple[str, ...], *,
         scope: ScopeLike = "juki_net", threshold: int = 7, max_hops: int = 2, min_strength: int = 1) -> GapResult:
    """Candidate additional check items for ``source`` against reference frameworks (see queries.candidates).

    ``scope`` is as for :func:`coverage`: the shipped 住基ネット scope leaves out what the committee
    excluded as not applicable.

    Examples
    --------
    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> result = cm.gaps(kg, "mic", ["jisq15001"])
    >>> len(result.candidates), result.candidates[0].id
    (29, 'C-JISQ15001-2006-3.3.1')
    >>> len(cm.gaps(kg, "mic", ["jisq15001"], scope=None).candidates)   # without the exclusions
    42
    """
    from ..queries.candidates import gaps as _gaps
    from ..queries.scope import scope_for

    if isinstance(against, str):
        against = [against]
    chosen = _scope(kg, scope)
    if chosen is not None:
        for ref in against:
            chosen = scope_for(chosen, kg.catalog, ref)
    return _gaps(kg.catalog, source, list(against), scope=chosen, threshold=threshold,
                 max_hops=max_hops, min_strength=min_strength, index=kg.index)

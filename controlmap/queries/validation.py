"""SHACL validation of the exported graph plus controlmap's own checks, as file:row:column Problems."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import Problem
from ..model import NO_TERM, Catalog

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["catalog_shacl_problems", "own_checks", "shacl_problems", "validate_catalog"]


def catalog_shacl_problems(catalog: Catalog, graph: Callable[[], Graph] | None = None) -> list[Problem]:
    """The SHACL problems of the catalog's RDF graph (``graph()``, else ``to_rdf(catalog)``): none when the
    direct checks of :mod:`.shape_checks` show that it conforms (milliseconds, no graph built), else what
    pyshacl reports (seconds)."""
    from .shape_checks import surely_conforms

    if surely_conforms(catalog):
        return []
    if graph is None:
        from ..graph.rdf import to_rdf

        return shacl_problems(to_rdf(catalog), catalog)
    return shacl_problems(graph(), catalog)


def shacl_problems(graph: Graph, catalog: Catalog | None = None) -> list[Problem]:
    """Every SHACL violation of ``graph`` against the shipped shapes, naming the data row where known."""
    import pyshacl
    from rdflib import URIRef
    from rdflib.namespace import RDF, SH

    from ..rdfterms import control_iri
    from ..resources import shapes_graph

    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph())
    if conforms:
        return []
    origins: dict[URIRef, str] = {}
    if catalog is not None:
        frameworks = {f.key: f for f in catalog.frameworks}
        for c in catalog.controls:
            origins[control_iri(frameworks[c.framework], c.notation)] = c.origin
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        origin = origins.get(focus, "")
        file, _, row = origin.rpartition(":") if origin else (str(focus), "", "")
        column = graph.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else None
        problems.append(Problem(file, int(row) if row.isdigit() else None, column,
                                f"SHACL: {message} (node {focus})"))
    # sh:equals reports one result per differing value: say it once; results are blank nodes (random ids),
    # so order by what they say
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))


def own_checks(catalog: Catalog) -> list[Problem]:
    """Checks SHACL core cannot state: cycles, mapping ends, completeness, group consistency."""
    problems: list[Problem] = []

    def at(origin: str, column: str, message: str) -> None:
        file, _, row = origin.rpartition(":")
        problems.append(Problem(file or origin, int(row) if row.isdigit() else None, column, message))

    by_id = {c.id: c for c in catalog.controls}
    for c in catalog.controls:
        seen = {c.id}
        parent = c.parent
        while parent is not None:
            if parent in seen:
                at(c.origin or c.id, "parent", f"hierarchy cycle through {c.id}")
                break
            seen.add(parent)
            parent = by_id[parent].parent if parent in by_id else None
        if c.parent is not None and c.parent not in by_id:
            at(c.origin or c.id, "parent", f"unknown parent {c.parent}")
    for ms in catalog.mapping_sets:
        keys = {ms.subject_framework, ms.object_framework}
        known = {f.key for f in catalog.frameworks}
        for key in keys - known:
            at(ms.origin or ms.id, "subject_source", f"unknown framework edition {key}")
        if keys - known:
            continue
        groups: dict[str, set[tuple]] = {}
        for m in ms.mappings:
            for side, cid, fw in (("subject_id", m.subject_id, ms.subject_framework),
                                  ("object_id", m.object_id, ms.object_framework)):
                if cid != NO_TERM and (cid not in by_id or by_id[cid].framework != fw):
                    at(m.origin or ms.id, side, f"{cid} is not a control of {fw}")
            if m.group:
                groups.setdefault(m.group, set()).add((m.object_id, m.combined_relation, m.combined_strength))
        for group, statements in groups.items():
            if len(statements) > 1:
                at(ms.origin or ms.id, "mapping_group",
                   f"group {group} rows disagree on object, combined_relation or combined_strength")
        if ms.complete:
            mapped = {m.object_id for m in ms.mappings}
            for c in catalog.assessable(ms.object_framework):
                if c.id not in mapped:
                    at(ms.origin or ms.id, "object_id", f"complete set has no row for {c.id} ({c.title})")
    return problems


def validate_catalog(catalog: Catalog, graph: Graph | None = None) -> list[Problem]:
    """All problems: our own checks, then SHACL on ``graph`` (pyshacl), else on the catalog's RDF graph."""
    problems = own_checks(catalog)
    problems.extend(shacl_problems(graph, catalog) if graph is not None else catalog_shacl_problems(catalog))
    return problems

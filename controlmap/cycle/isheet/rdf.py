"""The I-sheet as RDF: one W3C EARL assertion per item, with PROV for who and when and DCTERMS for evidence.

Per item (``<…/isheet/2026#MIC-04-12>``)::

    a earl:Assertion (and cm:SelfCheckAnswer once a status is given)
    earl:test        the control's IRI (as in the knowledge graph)
    earl:subject     the assessed system (dcterms:title 住基ネット)
    earl:mode        earl:manual
    earl:assertedBy / prov:wasAttributedTo   the person in charge (prov:Agent, foaf:name)
    prov:generatedAtTime                     the date confirmed (xsd:dateTime at 00:00)
    dcterms:references                       each piece of evidence (an IRI when it is a URL)
    cm:confirmationMethod                    each method (文書確認 …)
    cm:ownPractice true                      独自の実践
    rdfs:comment                             notes
    earl:result [ earl:outcome earl:passed|cantTell|failed|inapplicable|untested ;
                  cm:selfCheckStatus "適切に運用している"@ja ; dcterms:description the implemented measure ;
                  dcterms:date the date confirmed ]

Only ``confirmationMethod`` and ``ownPractice`` are controlmap terms; EARL, PROV and DCTERMS have
the rest. The outcome follows the knowledge graph's answers (``controlmap.graph.rdf.OUTCOME``).
Shown-only columns (前年度の状況, 前年度の委員会決定) and user-added columns are not written.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV

from ...errors import DataError, Problem
from ...model import BASE_IRI, SelfCheckStatus
from ...vocab import CM, EARL
from .model import ConfirmationMethod, ISheet, ISheetRow

if TYPE_CHECKING:
    from ...model import Catalog

__all__ = ["isheet_from_rdf", "isheet_iri", "isheet_to_rdf"]


def isheet_iri(year: int) -> URIRef:
    """IRI of the I-sheet of one fiscal year."""
    return URIRef(f"{BASE_IRI}isheet/{year}")


def _control_iri(item_id: str, catalog: Catalog | None) -> URIRef:
    from ...rdfterms import control_iri
    from ..adopted import additional_framework
    from ..decisions import ADDITIONAL_PREFIX

    prefix, _, local = item_id.partition(":")
    frameworks = [f for f in (catalog.frameworks if catalog else ()) if f.prefix == prefix]
    if not frameworks and prefix == ADDITIONAL_PREFIX:
        frameworks = [additional_framework()]
    if not frameworks:
        raise DataError([Problem(item_id, None, "item_id", f"no loaded framework edition has the prefix {prefix!r}")])
    return control_iri(frameworks[0], local)


def isheet_to_rdf(sheet: ISheet, catalog: Catalog | None = None) -> Graph:
    """The I-sheet as an rdflib Graph (EARL + PROV + DCTERMS); ``catalog`` gives the control IRIs.

    Examples
    --------
    >>> import controlmap as cm
    >>> from controlmap.cycle.isheet import ISheet, ISheetRow
    >>> row = ISheetRow("MIC:MIC-04-12", "MIC-04-12", "離席時のログオフ", status=cm.SelfCheckStatus.OPERATING)
    >>> g = isheet_to_rdf(ISheet(2026, (row,)), cm.load().catalog)
    >>> from controlmap.vocab import EARL
    >>> sorted(str(o) for o in g.objects(None, EARL.outcome))
    ['http://www.w3.org/ns/earl#passed']
    """
    from ...rdfterms import OUTCOME, bind_prefixes

    g = bind_prefixes(Graph())
    g.bind("foaf", FOAF)
    s = isheet_iri(sheet.year)
    g.add((s, RDF.type, PROV.Entity))
    g.add((s, DCTERMS.title, Literal(f"I-sheet {sheet.year}年度 {sheet.subject}", lang="ja")))
    g.add((s, DCTERMS.temporal, Literal(str(sheet.year), datatype=XSD.gYear)))
    subject = URIRef(f"{s}#subject")
    g.add((subject, RDF.type, EARL.TestSubject))
    g.add((subject, DCTERMS.title, Literal(sheet.subject, lang="ja")))
    if catalog is not None and sheet.source:
        with contextlib.suppress(KeyError):
            g.add((s, PROV.wasDerivedFrom, URIRef(catalog.framework(sheet.source).iri)))
    for r in sheet.rows:
        a = URIRef(f"{s}#{quote(r.notation, safe='-._~()')}")
        result = URIRef(f"{a}-result")
        g.add((a, RDF.type, EARL.Assertion))
        if r.status is not None:
            g.add((a, RDF.type, CM.SelfCheckAnswer))
        g.add((a, DCTERMS.isPartOf, s))
        g.add((a, DCTERMS.identifier, Literal(r.item_id)))
        g.add((a, DCTERMS.title, Literal(r.title, lang="ja")))
        g.add((a, EARL.test, _control_iri(r.item_id, catalog)))
        g.add((a, EARL.subject, subject))
        g.add((a, EARL.mode, EARL.manual))
        g.add((a, EARL.result, result))
        g.add((result, RDF.type, EARL.TestResult))
        g.add((result, EARL.outcome, OUTCOME[r.status] if r.status else EARL.untested))
        if r.status is not None:
            g.add((result, CM.selfCheckStatus, Literal(r.status.value, lang="ja")))
        if r.implemented:
            g.add((result, DCTERMS.description, Literal(r.implemented, lang="ja")))
        if r.confirmed_on:
            g.add((result, DCTERMS.date, Literal(r.confirmed_on.isoformat(), datatype=XSD.date)))
            g.add((a, PROV.generatedAtTime, Literal(datetime.combine(r.confirmed_on, datetime.min.time()),
                                                    datatype=XSD.dateTime)))
        if r.responsible:
            agent = URIRef(f"{s}#agent-{hashlib.sha1(r.responsible.encode()).hexdigest()[:12]}")
            g.add((agent, RDF.type, PROV.Agent))
            g.add((agent, RDF.type, EARL.Assertor))
            g.add((agent, FOAF.name, Literal(r.responsible)))
            g.add((a, EARL.assertedBy, agent))
            g.add((a, PROV.wasAttributedTo, agent))
        for ref in r.evidence:
            g.add((a, DCTERMS.references, URIRef(ref) if _is_url(ref) else Literal(ref, lang="ja")))
        for method in r.confirmation:
            g.add((a, CM.confirmationMethod, Literal(method.value, lang="ja")))
        if r.own_practice:
            g.add((a, CM.ownPractice, Literal(True)))
        if r.notes:
            g.add((a, RDFS.comment, Literal(r.notes, lang="ja")))
    return g


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://")) and not any(ch.isspace() for ch in text)


def isheet_from_rdf(g: Graph, catalog: Catalog | None = None, *, year: int | None = None) -> ISheet:
    """The I-sheet held in a graph written by :func:`isheet_to_rdf`; ``catalog`` restores chapter and wording."""
    sheets = sorted(g.subjects(DCTERMS.temporal, None), key=str)
    if year is not None:
        sheets = [x for x in sheets if x == isheet_iri(year)]
    if len(sheets) != 1:
        raise DataError([Problem("graph", None, "dcterms:temporal",
                                 f"expected one I-sheet in the graph, found {len(sheets)}")])
    s = sheets[0]
    sheet_year = int(str(g.value(s, DCTERMS.temporal)))
    subject_title = ""
    status_of = {x.value: x for x in SelfCheckStatus}
    rows: list[ISheetRow] = []
    for a in g.subjects(DCTERMS.isPartOf, s):
        subject_title = subject_title or str(g.value(g.value(a, EARL.subject), DCTERMS.title) or "")
        item_id = str(g.value(a, DCTERMS.identifier))
        result = g.value(a, EARL.result)
        status_text = g.value(result, CM.selfCheckStatus)
        day = g.value(result, DCTERMS.date)
        agent = g.value(a, PROV.wasAttributedTo)
        evidence = sorted(str(o) for o in g.objects(a, DCTERMS.references))  # RDF keeps no order
        row = ISheetRow(
            item_id=item_id, notation=item_id.partition(":")[2] or item_id, title=str(g.value(a, DCTERMS.title) or ""),
            status=status_of.get(str(status_text)) if status_text is not None else None,
            implemented=str(g.value(result, DCTERMS.description) or ""),
            confirmation=tuple(m for m in ConfirmationMethod
                               if m.value in {str(o) for o in g.objects(a, CM.confirmationMethod)}),
            evidence=tuple(evidence), responsible=str(g.value(agent, FOAF.name) or "") if agent else "",
            confirmed_on=date.fromisoformat(str(day)) if day is not None else None,
            notes=str(g.value(a, RDFS.comment) or ""), own_practice=bool(g.value(a, CM.ownPractice)),
        )
        if catalog is not None and catalog.has_control(item_id):
            from .build import _chapter

            c = catalog.control(item_id)
            row = _with_catalog(row, c.title, _chapter(catalog, c), c.summary or c.title, c.provenance.tag)
        rows.append(row)
    order = {c.id: i for i, c in enumerate(catalog.controls)} if catalog is not None else {}
    rows.sort(key=lambda r: (order.get(r.item_id, 1 << 30), r.notation))
    return ISheet(year=sheet_year, rows=tuple(rows), subject=subject_title or "住基ネット",
                  issued=tuple(r.item_id for r in rows))


def _with_catalog(row: ISheetRow, title: str, chapter: str, required: str, provenance: str) -> ISheetRow:
    from dataclasses import replace

    return replace(row, title=row.title or title, chapter=chapter, required=required, provenance=provenance)

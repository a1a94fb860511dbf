"""What a municipality publishes to the shared knowledge base: adopted items, mappings, reasons, coverage summary.

Only the fields named here are read from adopted items, and :func:`check_publication` refuses any
predicate outside :data:`ALLOWED_PREDICATES`, so evidence, staff names, answers or notes cannot slip in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, XSD

from ..errors import DataError, Problem, UnknownControlError, UnknownFrameworkError
from ..model import BASE_IRI, Catalog, HasCatalog, Relation, as_catalog
from ..municipality import graph_iri, municipality_code
from ..vocab import CM

if TYPE_CHECKING:
    from ..results import GapResult

__all__ = [
    "ALLOWED_PREDICATES",
    "ALLOWED_TYPES",
    "CANDIDATE_BASE",
    "AdoptedItem",
    "adopted_items",
    "candidate_iri",
    "check_publication",
    "coverage_summary",
    "publication_graph",
]

CANDIDATE_BASE = f"{BASE_IRI}candidate/"
SOURCE = "<adopted items>"
STATUS_PREDICATES = {
    "covered": CM.countCovered,
    "partial": CM.countPartial,
    "gap": CM.countGap,
    "unassessed": CM.countUnassessed,
    "not_applicable": CM.countNotApplicable,
    "closed": CM.countClosed,
}
ALLOWED_PREDICATES = frozenset({
    RDF.type, DCTERMS.identifier, DCTERMS.title, DCTERMS.modified, DCTERMS.hasPart, DCTERMS.isPartOf,
    SKOS.prefLabel, PROV.wasDerivedFrom,
    CM.municipalityCode, CM.checkQuestion, CM.reason, CM.provenance,
    CM.subject, CM.object, CM.relation, CM.coverageSummary, CM.checklist, CM.reference,
    *STATUS_PREDICATES.values(),
})
ALLOWED_TYPES = frozenset({CM.Publication, CM.AdditionalItem, CM.Mapping, CM.CoverageSummary})
# personal data that must never be published, whatever field it hides in (compared after NFKC)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)0\d{1,4}-\d{1,4}-\d{3,4}(?!\d)")
_RELATIONS = {r.value: r for r in Relation}


@dataclass(frozen=True, slots=True)
class AdoptedItem:
    """An additional check item a municipality's committee adopted, reduced to what may be shared.

    ``id`` is the municipality's own number (``MIC-ADD-01``); ``candidate_id`` the stable id of the
    candidate it came from (``C-JISQ15001-2006-3.6``), which is how peers recognise the same item.
    """

    id: str
    title: str
    check_question: str
    targets: tuple[str, ...]
    reason: str = ""
    candidate_id: str = ""
    relation: Relation = Relation.EQUAL


def candidate_iri(candidate_id: str) -> URIRef:
    """IRI of a candidate id, shared by every municipality that adopts it.

    >>> candidate_iri("C-GUS-R3-1.2(1)")
    rdflib.term.URIRef('https://w3id.org/controlmap/candidate/C-GUS-R3-1.2%281%29')
    """
    return URIRef(CANDIDATE_BASE + quote(candidate_id, safe="-._~"))


def _get(record: Any, *names: str) -> Any:
    for name in names:
        value = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
        if value not in (None, ""):
            return value
    return None


def _split_targets(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(t for t in re.split(r"[;,、\s]+", value) if t)
    return tuple(str(t).strip() for t in value if str(t).strip())


def adopted_items(records: Iterable[Any], *, prefix: str = "MIC-ADD-", start: int = 1) -> tuple[AdoptedItem, ...]:
    """Adopted items from candidates (numbered ``MIC-ADD-01`` ...), AdoptedItems, or records of sharing exports.

    A record is a mapping or an object; only these fields are read: ``id`` (or ``item_id``, ``number``),
    ``candidate_id`` (or ``candidate``), ``title``, ``check_question`` (or ``question``), ``targets``
    (a list or a ``;``-separated string), ``reason`` (or ``adoption_reason``) and ``relation``.
    Anything else a record holds (evidence, names, answers, notes) is ignored.

    Examples
    --------
    >>> from controlmap.results import Candidate, Status
    >>> c = Candidate("C-X-1", "記録の保存", "記録を保存しているか。", Status.GAP, ("X:1",), ("記録",), ("x@1",),
    ...               (), "X:1 に対応する項目がない", 50, {}, (), "", "")
    >>> [(i.id, i.candidate_id, i.targets) for i in adopted_items([c, {"title": "独自", "check_question": "?",
    ...      "targets": "X:2; X:3", "evidence": "議事録 p.3", "staff": "山田"}])]
    [('MIC-ADD-01', 'C-X-1', ('X:1',)), ('MIC-ADD-02', '', ('X:2', 'X:3'))]
    """
    out: list[AdoptedItem] = []
    problems: list[Problem] = []
    number = start
    for n, record in enumerate(records, start=1):
        if isinstance(record, AdoptedItem):
            out.append(record)
            continue
        from ..results import Candidate

        if isinstance(record, Candidate):
            out.append(AdoptedItem(f"{prefix}{number:02d}", record.title, record.check_question, tuple(record.targets),
                                   record.reason, record.id))
            number += 1
            continue
        item_id = _get(record, "id", "item_id", "number", "adopted_id")
        title = _get(record, "title")
        question = _get(record, "check_question", "question")
        relation_text = str(_get(record, "relation") or "equal")
        row = str(item_id or n)
        for name, value in (("title", title), ("check_question", question)):
            if value is None:
                problems.append(Problem(SOURCE, row, name, "an adopted item needs a title and a check question"))
        if relation_text not in _RELATIONS:
            problems.append(Problem(SOURCE, row, "relation", f"unknown relation {relation_text!r}; one of "
                                    + ", ".join(_RELATIONS)))
        if problems and problems[-1].row == row:
            continue
        if item_id is None:
            item_id = f"{prefix}{number:02d}"
            number += 1
        out.append(AdoptedItem(str(item_id), str(title), str(question),
                               _split_targets(_get(record, "targets", "target_ids")),
                               str(_get(record, "reason", "adoption_reason") or ""),
                               str(_get(record, "candidate_id", "candidate") or ""), _RELATIONS[relation_text]))
    if problems:
        raise DataError(problems)
    return tuple(out)


def coverage_summary(result: GapResult, items: Iterable[AdoptedItem] = ()) -> tuple[dict, ...]:
    """Status counts of every reference framework of a gap analysis, and how many gaps/partials the items close.

    One dict per reference: ``checklist``, ``reference`` (``id@edition``), the counts of
    ``covered``, ``partial``, ``gap``, ``unassessed``, ``not_applicable``, and ``closed``.
    """
    closed_targets = {t for item in items for t in item.targets}
    out = []
    for cov in result.coverages:
        open_ids = {i.control.id for i in cov.items if i.status.value in ("gap", "partial")}
        row = {"checklist": cov.source, "reference": cov.target, **cov.counts()}
        row["closed"] = len(open_ids & closed_targets)
        out.append(row)
    return tuple(out)


def publication_graph(municipality: str | int, items: Iterable[Any], coverage: Iterable[Mapping] = (), *,
                      catalog: HasCatalog | Catalog, modified: datetime | None = None) -> Graph:
    """The named graph a municipality publishes: a pure function of its code, adopted items and coverage summary.

    Parameters
    ----------
    municipality
        全国地方公共団体コード, e.g. ``131156`` (杉並区); the check digit is verified.
    items
        Adopted items: :class:`AdoptedItem`, candidates or sharing records (see :func:`adopted_items`).
    coverage
        Rows of :func:`coverage_summary`.
    catalog
        The knowledge graph (or catalog) the target control ids belong to; gives their IRIs, titles and [R]/[I].
    modified
        When the committee adopted this list; written as ``dcterms:modified``.

    Raises
    ------
    DataError
        Unknown target controls or frameworks, duplicate item ids, or text that looks like personal data.

    Examples
    --------
    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> item = AdoptedItem("MIC-ADD-01", "情報の格付", "情報を格付しているか。", ("GUS-R3:1.2(1)",),
    ...                    "格付の区分がない", "C-GUS-R3-1.2(1)")
    >>> g = publication_graph("131156", [item], catalog=kg)
    >>> sorted({str(o) for o in g.objects(None, CM.municipalityCode)})
    ['131156']
    """
    code = municipality_code(municipality)
    cat = as_catalog(catalog)
    pub = URIRef(graph_iri(code))
    g = Graph()
    for prefix, ns in (("cm", CM._NS), ("dcterms", DCTERMS), ("prov", PROV), ("skos", SKOS)):
        g.bind(prefix, ns)
    g.add((pub, RDF.type, CM.Publication))
    g.add((pub, CM.municipalityCode, Literal(code)))
    if modified is not None:
        g.add((pub, DCTERMS.modified, Literal(modified.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)))
    problems: list[Problem] = []
    seen: set[str] = set()
    for item in adopted_items(items):
        if item.id in seen:
            problems.append(Problem(SOURCE, item.id, "id", "two adopted items have the same id"))
            continue
        seen.add(item.id)
        _add_item(g, cat, pub, item, problems)
    for row in coverage:
        _add_coverage(g, cat, pub, row, problems)
    if problems:
        raise DataError(problems)
    check_publication(g)
    return g


def _add_item(g: Graph, cat: Catalog, pub: URIRef, item: AdoptedItem, problems: list[Problem]) -> None:
    """One adopted item, its mappings to the reference controls it closes, and those controls' labels."""
    from ..rdfterms import PROVENANCE_IRI, RELATION_IRI, control_iri

    node = URIRef(f"{pub}/item/{quote(item.id, safe='-._~')}")
    g.add((pub, DCTERMS.hasPart, node))
    g.add((node, DCTERMS.isPartOf, pub))
    g.add((node, RDF.type, CM.AdditionalItem))
    g.add((node, DCTERMS.identifier, Literal(item.id)))
    g.add((node, DCTERMS.title, Literal(item.title, lang="ja")))
    g.add((node, CM.checkQuestion, Literal(item.check_question, lang="ja")))
    if item.reason:
        g.add((node, CM.reason, Literal(item.reason, lang="ja")))
    if item.candidate_id:
        cand = candidate_iri(item.candidate_id)
        g.add((node, PROV.wasDerivedFrom, cand))
        g.add((cand, DCTERMS.identifier, Literal(item.candidate_id)))
    if not item.targets:
        problems.append(Problem(SOURCE, item.id, "targets", "an adopted item names the reference controls it closes"))
    for k, target in enumerate(item.targets, start=1):
        try:
            control = cat.control(target)
            framework = cat.framework(control.framework)
        except (UnknownControlError, UnknownFrameworkError, KeyError):
            problems.append(Problem(SOURCE, item.id, "targets", f"unknown reference control {target!r}"))
            continue
        target_node = control_iri(framework, control.notation)
        g.add((target_node, DCTERMS.identifier, Literal(control.id)))
        g.add((target_node, SKOS.prefLabel, Literal(control.title, lang="ja")))
        g.add((target_node, CM.provenance, PROVENANCE_IRI[control.provenance]))
        g.add((node, CM.provenance, PROVENANCE_IRI[control.provenance]))
        mapping = URIRef(f"{node}/mapping/{k}")
        g.add((mapping, RDF.type, CM.Mapping))
        g.add((mapping, CM.subject, node))
        g.add((mapping, CM.object, target_node))
        g.add((mapping, CM.relation, RELATION_IRI[item.relation]))


def _add_coverage(g: Graph, cat: Catalog, pub: URIRef, row: Mapping, problems: list[Problem]) -> None:
    """One row of :func:`coverage_summary` as a ``cm:CoverageSummary`` node."""
    try:
        checklist = cat.framework(str(row["checklist"]))
        reference = cat.framework(str(row["reference"]))
    except (UnknownFrameworkError, KeyError) as err:
        problems.append(Problem(SOURCE, "coverage", "reference", f"unknown framework in the summary: {err}"))
        return
    node = URIRef(f"{pub}/coverage/{quote(reference.key, safe='-._~')}")
    g.add((pub, CM.coverageSummary, node))
    g.add((node, RDF.type, CM.CoverageSummary))
    g.add((node, CM.checklist, URIRef(checklist.iri)))
    g.add((node, CM.reference, URIRef(reference.iri)))
    for status, predicate in STATUS_PREDICATES.items():
        if status in row:
            g.add((node, predicate, Literal(int(row[status]), datatype=XSD.integer)))


def check_publication(graph: Graph, *, forbidden: Iterable[str] = ()) -> None:
    """Raise DataError unless ``graph`` holds only what may be shared.

    Refused: a predicate outside :data:`ALLOWED_PREDICATES`, a type outside :data:`ALLOWED_TYPES`, text
    that looks like an e-mail address or a phone number, and any of the ``forbidden`` strings (e.g. the
    staff names and evidence of the committee's records), compared after NFKC and case folding.

    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph(); _ = g.add((URIRef("urn:x:i"), URIRef("http://xmlns.com/foaf/0.1/name"), Literal("山田")))
    >>> check_publication(g)
    Traceback (most recent call last):
    ...
    controlmap.errors.DataError: 1 problem(s) in input data:
    <publication>:urn:x:i:http://xmlns.com/foaf/0.1/name: this field is never published (not in the whitelist)
    """
    needles = [n for n in (_fold(s) for s in forbidden) if n.strip()]
    problems = []
    for s, p, o in graph:
        where = str(s)
        if p not in ALLOWED_PREDICATES:
            problems.append(Problem("<publication>", where, str(p),
                                    "this field is never published (not in the whitelist)"))
            continue
        if p == RDF.type and o not in ALLOWED_TYPES:
            problems.append(Problem("<publication>", where, str(p), f"type {o} is never published"))
        if isinstance(o, Literal):
            text = _fold(str(o))
            if _EMAIL.search(text) or _PHONE.search(text):
                problems.append(Problem("<publication>", where, str(p),
                                        "looks like an e-mail address or phone number; remove personal data"))
            elif any(n in text for n in needles):
                problems.append(Problem("<publication>", where, str(p), "holds text that must not be published"))
    if problems:
        raise DataError(problems)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()

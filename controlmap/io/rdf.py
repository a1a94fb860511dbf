"""Read RDF files and turn a graph written by ``to_rdf`` back into a Catalog; parse errors name the line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, SKOS

from ..errors import DataError, ExportError, Problem
from ..model import (
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
)
from ..rdfterms import (
    CONTROL_FIELDS,
    FRAMEWORK_FIELDS,
    MAPPING_FIELDS,
    NO_TERM_IRI,
    PROVENANCE_IRI,
    RELATION_IRI,
    SET_FIELDS,
)
from ..vocab import CM, EARL, SEMAPV
from .encoding import decode

if TYPE_CHECKING:
    from rdflib.term import Literal, Node

__all__ = ["RDF_FORMATS", "from_rdf", "rdf_format", "read_rdf"]

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


def _get(g: Graph, node: Node, fields: dict[str, tuple[URIRef, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (predicate, kind) in fields.items():
        value = g.value(node, predicate)
        if value is None:
            continue
        out[name] = cast("Literal", value).toPython() if kind in ("bool", "int") else str(value)
    return out


_CONTROL_DEFAULTS: dict[str, Any] = {"summary": "", "source_ref": "", "text": "", "order": 0}
_SET_DEFAULTS: dict[str, Any] = {"title": "", "complete": False}
_REL_OF: dict[Node, Relation] = {v: k for k, v in RELATION_IRI.items()}
_PROV_OF: dict[Node, Provenance] = {v: k for k, v in PROVENANCE_IRI.items()}


def _subjects(g: Graph, cls: URIRef) -> list[URIRef]:
    """The nodes of one class, in a stable order (the model's nodes are IRIs)."""
    return sorted(cast("Iterable[URIRef]", g.subjects(RDF.type, cls)))


def from_rdf(g: Graph) -> Catalog:
    """The catalog held in a graph written by :func:`to_rdf` (or by hand in the same vocabulary).

    Every problem of the graph is collected and raised together as one DataError naming the node.

    >>> from controlmap.graph.rdf import to_rdf
    >>> c = Catalog(frameworks=(Framework(id="a", edition="1", prefix="A", title="A"),))
    >>> from_rdf(to_rdf(c)) == c
    True
    """
    problems: list[Problem] = []
    frameworks = _frameworks(g, problems)
    ids, controls = _controls(g, frameworks, problems)
    sets = _mapping_sets(g, frameworks, ids, problems)
    answers = _answers(g, ids, problems)
    if problems:
        raise DataError(problems)
    return Catalog(frameworks=tuple(frameworks.values()), controls=tuple(controls),
                   mapping_sets=tuple(sets), answers=tuple(answers))


def _frameworks(g: Graph, problems: list[Problem]) -> dict[Node, Framework]:
    frameworks: dict[Node, Framework] = {}
    for s in _subjects(g, CM.Framework):
        values = _get(g, s, FRAMEWORK_FIELDS)
        missing = [k for k in ("id", "edition", "prefix", "title") if k not in values]
        if missing:
            problems.append(Problem(str(s), None, ", ".join(missing), "framework edition lacks " + ", ".join(missing)))
            continue
        lists: dict[str, tuple[str, ...]] = {}
        for name, predicate in (("levels", CM.level), ("assessable_levels", CM.assessableLevel)):
            head = g.value(s, predicate)
            lists[name] = tuple(str(v) for v in Collection(g, head)) if head is not None else ()
        frameworks[s] = Framework(
            **values, sources=tuple(sorted(str(o) for o in g.objects(s, PROV.wasDerivedFrom))),
            levels=lists["levels"], assessable_levels=lists["assessable_levels"],
        )
    return frameworks


def _controls(g: Graph, frameworks: dict[Node, Framework],
              problems: list[Problem]) -> tuple[dict[Node, str], list[Control]]:
    ids: dict[Node, str] = {}
    raw = []
    for node in _subjects(g, CM.Control):
        scheme = g.value(node, SKOS.inScheme)
        fw = frameworks.get(scheme) if scheme is not None else None
        values = _get(g, node, CONTROL_FIELDS)
        if fw is None or "notation" not in values or "title" not in values:
            problems.append(Problem(str(node), None, "skos:inScheme",
                                    "control lacks a known scheme, a notation or a prefLabel"))
            continue
        ids[node] = f"{fw.prefix}:{values['notation']}"
        raw.append((node, fw, values))
    prov_of = _PROV_OF
    controls: list[Control] = []
    for node, fw, values in raw:
        parent = g.value(node, SKOS.broader)
        prov = g.value(node, CM.provenance)
        tag = prov_of.get(prov) if prov is not None else None
        if tag is None:
            problems.append(Problem(str(node), None, "cm:provenance", "missing or unknown provenance"))
            continue
        controls.append(Control(
            id=ids[node], framework=fw.key, parent=ids.get(parent) if parent is not None else None,
            provenance=tag, **_CONTROL_DEFAULTS | values,
        ))
    return ids, controls


def _mapping_sets(g: Graph, frameworks: dict[Node, Framework], ids: dict[Node, str],
                  problems: list[Problem]) -> list[MappingSet]:
    sets = []
    for node in _subjects(g, CM.MappingSet):
        values = _get(g, node, SET_FIELDS)
        subject_scheme, object_scheme = g.value(node, CM.subjectScheme), g.value(node, CM.objectScheme)
        subject_fw = frameworks.get(subject_scheme) if subject_scheme is not None else None
        object_fw = frameworks.get(object_scheme) if object_scheme is not None else None
        if subject_fw is None or object_fw is None:
            problems.append(Problem(str(node), None, "cm:subjectScheme", "mapping set names an unknown scheme"))
            continue
        mappings = [m for mnode in g.subjects(CM.inMappingSet, node) if (m := _mapping(g, mnode, ids, problems))]
        license_ = g.value(node, DCTERMS.license)
        sets.append(MappingSet(
            id=str(node), subject_framework=subject_fw.key, object_framework=object_fw.key,
            mappings=tuple(mappings), license=str(license_) if license_ is not None else "",
            creators=tuple(str(c) for c in g.objects(node, DCTERMS.creator)),
            **_SET_DEFAULTS | values,
        ))
    return sets


def _mapping(g: Graph, mnode: Node, ids: dict[Node, str], problems: list[Problem]) -> Mapping | None:
    rel_of, prov_of = _REL_OF, _PROV_OF
    mv = _get(g, mnode, MAPPING_FIELDS)
    s, o, rel = g.value(mnode, CM.subject), g.value(mnode, CM.object), g.value(mnode, CM.relation)
    relation = rel_of.get(rel) if rel is not None else None
    if relation is None or s is None or o is None:
        problems.append(Problem(str(mnode), None, "cm:relation", "mapping lacks subject, object or relation"))
        return None
    combined = g.value(mnode, CM.combinedRelation)
    justification = str(g.value(mnode, CM.justification) or SEMAPV.ManualMappingCuration)
    mprov = g.value(mnode, CM.provenance)
    confidence = g.value(mnode, CM.confidence)
    return Mapping(
        subject_id=NO_TERM if s == NO_TERM_IRI else ids.get(s, str(s)),
        object_id=NO_TERM if o == NO_TERM_IRI else ids.get(o, str(o)),
        relation=relation,
        confidence=float(cast("Literal", confidence).toPython()),
        justification="semapv:" + justification.removeprefix(str(SEMAPV)),
        combined_relation=rel_of.get(combined) if combined is not None else None,
        provenance=prov_of.get(mprov) if mprov is not None else None,
        **mv,
    )


def _answers(g: Graph, ids: dict[Node, str], problems: list[Problem]) -> list[Answer]:
    answers = []
    status_of = {s.value: s for s in SelfCheckStatus}
    for node in g.subjects(RDF.type, CM.SelfCheckAnswer):
        result = g.value(node, EARL.result)
        status = status_of.get(str(g.value(result, CM.selfCheckStatus))) if result is not None else None
        test = g.value(node, EARL.test)
        if status is None or test is None or test not in ids:
            problems.append(Problem(str(node), None, "earl:result", "answer lacks a known test or status"))
            continue
        note = g.value(node, RDFS.comment)
        answers.append(Answer(ids[test], status, str(note) if note is not None else ""))
    return answers

"""Read RDF files and turn a graph written by ``to_rdf`` back into a Catalog; parse errors name the line."""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, SKOS

from ..errors import DataError, ExportError, InputLimitError, Problem
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
from .limits import load_json, read_text

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = ["MAX_RDF_BYTES", "RDF_FORMATS", "check_belongs", "check_no_remote_context", "from_rdf", "rdf_format",
           "read_rdf"]

RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".xml": "xml"}
MAX_RDF_BYTES = 16 * 1024 * 1024
"""Largest RDF file read: about 20 times the whole shipped knowledge graph (rdflib parses ~0.5 MB/s)."""
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
    text = read_text(p, MAX_RDF_BYTES)
    if fmt == "json-ld":
        check_no_remote_context(load_json(text, str(p)), str(p))
    elif fmt == "xml":
        _check_no_entities(text, str(p))
    g = Graph()
    complaints = _Complaints()
    term_log = logging.getLogger("rdflib.term")
    term_log.addHandler(complaints)
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser warns about its own ConjunctiveGraph
            warnings.filterwarnings("ignore", message="ConjunctiveGraph is deprecated", category=DeprecationWarning)
            g.parse(data=text, format=fmt)
    except Exception as err:  # rdflib raises parser-specific exception types
        message = " ".join(str(err).split())
        row, column = _position(err, text, message)
        raise DataError([Problem(str(p), row, column, f"malformed {fmt}: {message[:300]}")]) from err
    finally:
        term_log.removeHandler(complaints)
    if complaints.iris:
        raise DataError([_bad_iri(str(p), text, iri) for iri in complaints.iris[:20]])
    return g


class _Complaints(logging.Handler):
    """Collects the IRIs rdflib only logs as "does not look like a valid URI" (and would fail to write)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.iris: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "does not look like a valid URI" in message:
            iri = message.split(" does not look like a valid URI", 1)[0]
            if iri not in self.iris:
                self.iris.append(iri)


def _bad_iri(file: str, text: str, iri: str) -> Problem:
    at = text.find(iri)
    if at < 0:
        return Problem(file, None, None, f"{iri!r} is not a valid IRI (spaces, <, >, quotes ... are not allowed)")
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return Problem(file, line, str(column), f"{iri!r} is not a valid IRI (spaces, <, >, quotes ... are not allowed)")


def check_belongs(g: Graph, file: str) -> None:
    """Refuse a graph with triples that belong to nothing controlmap reads (nothing silently dropped).

    A triple belongs when its subject has an ``rdf:type`` or is reached from such a subject through
    objects (RDF lists, EARL results). Anything else (300,000 loose blank nodes, a statement about a
    misspelt IRI) would be ignored by :func:`from_rdf`, so the file says so instead of "ok".
    """
    reached = set(g.subjects(RDF.type, None))
    todo = list(reached)
    while todo:
        node = todo.pop()
        for child in g.objects(node, None):
            if not isinstance(child, Literal) and child not in reached:
                reached.add(child)
                todo.append(child)
    loose = [s for s in set(g.subjects()) if s not in reached]
    if loose:
        count = sum(1 for s in loose for _ in g.predicate_objects(s))
        example = min(loose, key=str)
        raise DataError([Problem(file, None, None, (
            f"{count:,} triple(s) about {len(loose):,} resource(s) belong to no typed resource "
            f"(e.g. {example.n3()[:120]}); controlmap would ignore them: give them an rdf:type or remove them"))])


def check_no_remote_context(doc: object, file: str) -> None:
    """Refuse a JSON-LD document that would make the parser fetch a context or an import over the network.

    rdflib fetches a context given by IRI (``"@context": "http://..."``) and ``@import``; controlmap
    never touches the network while loading, so such a file is refused and its contexts must be inlined.

    >>> check_no_remote_context({"@context": {"t": "http://purl.org/dc/terms/title"}, "t": "x"}, "a.jsonld")
    >>> check_no_remote_context({"@graph": [{"@context": ["http://127.0.0.1:8765/ctx.jsonld"]}]}, "a.jsonld")
    Traceback (most recent call last):
    ...
    controlmap.errors.InputLimitError: 1 problem(s) in input data:
    a.jsonld::@context: remote JSON-LD context 'http://127.0.0.1:8765/ctx.jsonld' refused: controlmap never \
fetches anything while loading; put the context into the file (at /@graph/0/@context/0)
    """
    stack: list[tuple[object, str]] = [(doc, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, list):
            stack.extend((v, f"{pointer}/{i}") for i, v in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            where = f"{pointer}/{key}"
            if key == "@context":
                for i, ctx in enumerate(value if isinstance(value, list) else [value]):
                    if isinstance(ctx, str):
                        at = f"{where}/{i}" if isinstance(value, list) else where
                        raise InputLimitError([Problem(file, None, "@context", (
                            f"remote JSON-LD context {ctx!r} refused: controlmap never fetches anything while "
                            f"loading; put the context into the file (at {at})"))])
            if key == "@import":
                raise InputLimitError([Problem(file, None, "@import", (
                    f"JSON-LD @import {value!r} refused: controlmap never fetches anything while loading; "
                    f"put the context into the file (at {where})"))])
            stack.append((value, where))


_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)


def _check_no_entities(text: str, file: str) -> None:
    """Refuse RDF/XML that declares entities (external ones are dropped silently, internal ones can explode)."""
    match = _ENTITY.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        raise InputLimitError([Problem(file, line, str(column), "RDF/XML with <!ENTITY declarations is not "
                                       "read; expand the entities or save the graph as Turtle")])


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

"""Catalog <-> rdflib Graph: SKOS concept schemes, typed mappings, provenance; both directions share FIELD tables."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from urllib.parse import quote

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS, XSD

from ..errors import DataError, Problem
from ..model import NO_TERM, Answer, Catalog, Control, Framework, Mapping, MappingSet, Provenance, Relation, SelfCheckStatus
from ..vocab import CM, EARL, SEMAPV, SSSOM

__all__ = ["RELATION_IRI", "bind_prefixes", "control_iri", "from_rdf", "to_rdf"]

RELATION_IRI = {
    Relation.EQUAL: CM.equal,
    Relation.SUBSET_OF: CM.subsetOf,
    Relation.SUPERSET_OF: CM.supersetOf,
    Relation.INTERSECTS_WITH: CM.intersectsWith,
    Relation.NO_RELATIONSHIP: CM.noRelationship,
}
SKOS_PREDICATE = {
    Relation.EQUAL: SKOS.exactMatch,
    Relation.SUBSET_OF: SKOS.broadMatch,
    Relation.SUPERSET_OF: SKOS.narrowMatch,
    Relation.INTERSECTS_WITH: SKOS.relatedMatch,
}
PROVENANCE_IRI = {Provenance.READ: CM.ReadInSource, Provenance.RECONSTRUCTED: CM.Reconstructed}
OUTCOME = {
    SelfCheckStatus.OPERATING: EARL.passed,
    SelfCheckStatus.ESTABLISHED: EARL.cantTell,
    SelfCheckStatus.NOT_ESTABLISHED: EARL.failed,
    SelfCheckStatus.NOT_APPLICABLE: EARL.inapplicable,
}
NO_TERM_IRI = SSSOM.NoTermFound

# model field -> (predicate, kind); kind says how the value is written: "ja" language-tagged text,
# "str" plain literal, "bool"/"int" typed literals, "iri" a resource. to_rdf and from_rdf both read these.
FRAMEWORK_FIELDS = {
    "title": (DCTERMS.title, "ja"),
    "id": (CM.frameworkId, "str"),
    "edition": (CM.edition, "str"),
    "prefix": (CM.prefix, "str"),
    "publisher": (DCTERMS.publisher, "ja"),
    "edition_label": (CM.editionLabel, "ja"),
    "date": (DCTERMS.issued, "str"),
    "rights": (DCTERMS.rights, "ja"),
    "is_default": (CM.isDefaultEdition, "bool"),
    "completeness": (CM.completeness, "str"),
    "description": (DCTERMS.description, "ja"),
    "source_ref": (DCTERMS.bibliographicCitation, "ja"),
}
CONTROL_FIELDS = {
    "notation": (SKOS.notation, "str"),
    "title": (SKOS.prefLabel, "ja"),
    "summary": (SKOS.definition, "ja"),
    "level": (CM.level, "str"),
    "source_ref": (DCTERMS.bibliographicCitation, "ja"),
    "text": (CM.fullText, "ja"),
    "order": (CM.order, "int"),
}
MAPPING_FIELDS = {
    "strength": (CM.strength, "int"),
    "author": (DCTERMS.creator, "str"),
    "reviewer": (CM.reviewer, "str"),
    "date": (DCTERMS.date, "str"),
    "comment": (RDFS.comment, "ja"),
    "group": (CM.mappingGroup, "str"),
    "combined_strength": (CM.combinedStrength, "int"),
    "change_type": (CM.changeType, "str"),
}
SET_FIELDS = {
    "title": (DCTERMS.title, "ja"),
    "complete": (CM.complete, "bool"),
    "kind": (CM.setKind, "str"),
    "description": (DCTERMS.description, "ja"),
    "version": (OWL.versionInfo, "str"),
}


def bind_prefixes(g: Graph, catalog: Catalog | None = None) -> Graph:
    """Bind the prefixes a person expects when reading the Turtle."""
    for prefix, ns in (("skos", SKOS), ("dcterms", DCTERMS), ("prov", PROV), ("cm", CM._NS), ("earl", EARL),
                       ("semapv", SEMAPV), ("sssom", SSSOM), ("owl", OWL), ("xsd", XSD)):
        g.bind(prefix, ns, override=True)
    for f in catalog.frameworks if catalog else ():
        g.bind(_safe_prefix(f.prefix), f.namespace)
    return g


def _safe_prefix(prefix: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in prefix).lower()


def control_iri(framework: Framework, notation: str) -> URIRef:
    """IRI of a control: the edition's namespace plus the clause number, percent-encoded where needed."""
    return URIRef(framework.namespace + quote(notation, safe="()-._~!$&'*+,;=:@"))


def _lit(value, kind: str):
    if kind == "ja":
        return Literal(value, lang="ja")
    if kind == "bool":
        return Literal(bool(value))
    if kind == "int":
        return Literal(int(value), datatype=XSD.integer)
    return Literal(value)


def _put(g: Graph, node, fields: dict, obj) -> None:
    for name, (predicate, kind) in fields.items():
        value = getattr(obj, name)
        if value is None or value == "" or (kind in ("ja", "str") and not str(value)):
            continue
        g.add((node, predicate, _lit(value, kind)))


def to_rdf(catalog: Catalog) -> Graph:
    """The catalog as an rdflib Graph.

    Examples
    --------
    >>> from controlmap.model import Catalog, Control, Framework, Provenance
    >>> fw = Framework(id="demo", edition="1", prefix="DEMO", title="例")
    >>> c = Control(id="DEMO:1", framework="demo@1", notation="1", parent=None, level="item",
    ...             title="入退室管理", provenance=Provenance.READ, order=1)
    >>> g = to_rdf(Catalog(frameworks=(fw,), controls=(c,)))
    >>> from_rdf(g) == Catalog(frameworks=(fw,), controls=(c,))
    True
    """
    g = bind_prefixes(Graph(), catalog)
    schemes: dict[str, URIRef] = {}
    frameworks = {f.key: f for f in catalog.frameworks}
    for f in catalog.frameworks:
        s = URIRef(f.iri)
        schemes[f.key] = s
        g.add((s, RDF.type, SKOS.ConceptScheme))
        g.add((s, RDF.type, CM.Framework))
        _put(g, s, FRAMEWORK_FIELDS, f)
        for url in f.sources:
            g.add((s, PROV.wasDerivedFrom, URIRef(url)))
        for predicate, values in ((CM.level, f.levels), (CM.assessableLevel, f.assessable_levels)):
            head = BNode()
            Collection(g, head, [Literal(v) for v in values])
            g.add((s, predicate, head))
    iris: dict[str, URIRef] = {}
    for c in catalog.controls:
        iris[c.id] = control_iri(frameworks[c.framework], c.notation)
    for c in catalog.controls:
        node = iris[c.id]
        scheme = schemes[c.framework]
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, RDF.type, CM.Control))
        g.add((node, SKOS.inScheme, scheme))
        _put(g, node, CONTROL_FIELDS, c)
        g.add((node, CM.provenance, PROVENANCE_IRI[c.provenance]))
        if c.parent is None:
            g.add((node, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, node))
        else:
            g.add((node, SKOS.broader, iris[c.parent]))
            g.add((iris[c.parent], SKOS.narrower, node))
    for ms in catalog.mapping_sets:
        _put_mapping_set(g, ms, schemes, iris)
    for a in catalog.answers:
        _put_answer(g, a, iris)
    return g


def _put_mapping_set(g: Graph, ms: MappingSet, schemes: dict[str, URIRef], iris: dict[str, URIRef]) -> None:
    node = URIRef(ms.id)
    g.add((node, RDF.type, CM.MappingSet))
    _put(g, node, SET_FIELDS, ms)
    g.add((node, CM.subjectScheme, schemes[ms.subject_framework]))
    g.add((node, CM.objectScheme, schemes[ms.object_framework]))
    if ms.license:
        g.add((node, DCTERMS.license, URIRef(ms.license)))
    for creator in ms.creators:
        g.add((node, DCTERMS.creator, Literal(creator)))
    for m in ms.mappings:
        subject = NO_TERM_IRI if m.subject_id == NO_TERM else iris[m.subject_id]
        obj = NO_TERM_IRI if m.object_id == NO_TERM else iris[m.object_id]
        key = "|".join((ms.id, m.subject_id, m.object_id, m.relation.value, m.group))
        mnode = URIRef(f"{ms.id}#m-{hashlib.sha1(key.encode()).hexdigest()[:12]}")
        g.add((mnode, RDF.type, CM.Mapping))
        g.add((mnode, CM.inMappingSet, node))
        g.add((mnode, CM.subject, subject))
        g.add((mnode, CM.object, obj))
        g.add((mnode, CM.relation, RELATION_IRI[m.relation]))
        g.add((mnode, CM.confidence, Literal(Decimal(repr(m.confidence)), datatype=XSD.decimal)))
        g.add((mnode, CM.justification, URIRef(SEMAPV + m.justification.split(":", 1)[1])))
        _put(g, mnode, MAPPING_FIELDS, m)
        if m.combined_relation is not None:
            g.add((mnode, CM.combinedRelation, RELATION_IRI[m.combined_relation]))
        if m.provenance is not None:
            g.add((mnode, CM.provenance, PROVENANCE_IRI[m.provenance]))
        if m.relation in SKOS_PREDICATE and m.is_curated:
            g.add((subject, SKOS_PREDICATE[m.relation], obj))


def _put_answer(g: Graph, a: Answer, iris: dict[str, URIRef]) -> None:
    node, result = BNode(), BNode()
    g.add((node, RDF.type, EARL.Assertion))
    g.add((node, RDF.type, CM.SelfCheckAnswer))
    g.add((node, EARL.test, iris[a.control_id]))
    g.add((node, EARL.result, result))
    g.add((result, RDF.type, EARL.TestResult))
    g.add((result, EARL.outcome, OUTCOME[a.status]))
    g.add((result, CM.selfCheckStatus, Literal(a.status.value, lang="ja")))
    if a.note:
        g.add((node, RDFS.comment, Literal(a.note, lang="ja")))


# ---------------------------------------------------------------------------------------------------------------
def _get(g: Graph, node, fields: dict) -> dict:
    out = {}
    for name, (predicate, kind) in fields.items():
        value = g.value(node, predicate)
        if value is None:
            continue
        out[name] = value.toPython() if kind in ("bool", "int") else str(value)
    return out


def from_rdf(g: Graph) -> Catalog:
    """The catalog held in a graph written by :func:`to_rdf` (or by hand in the same vocabulary)."""
    problems: list[Problem] = []
    frameworks: dict[URIRef, Framework] = {}
    for s in sorted(g.subjects(RDF.type, CM.Framework)):
        values = _get(g, s, FRAMEWORK_FIELDS)
        missing = [k for k in ("id", "edition", "prefix", "title") if k not in values]
        if missing:
            problems.append(Problem(str(s), None, ", ".join(missing), "framework edition lacks " + ", ".join(missing)))
            continue
        lists = {}
        for name, predicate in (("levels", CM.level), ("assessable_levels", CM.assessableLevel)):
            head = g.value(s, predicate)
            lists[name] = tuple(str(v) for v in Collection(g, head)) if head is not None else ()
        frameworks[s] = Framework(
            **values, sources=tuple(sorted(str(o) for o in g.objects(s, PROV.wasDerivedFrom))), **lists
        )
    ids: dict[URIRef, str] = {}
    controls: list[Control] = []
    raw = []
    for node in sorted(g.subjects(RDF.type, CM.Control)):
        scheme = g.value(node, SKOS.inScheme)
        fw = frameworks.get(scheme)
        values = _get(g, node, CONTROL_FIELDS)
        if fw is None or "notation" not in values or "title" not in values:
            problems.append(Problem(str(node), None, "skos:inScheme",
                                    "control lacks a known scheme, a notation or a prefLabel"))
            continue
        ids[node] = f"{fw.prefix}:{values['notation']}"
        raw.append((node, fw, values))
    prov_of = {v: k for k, v in PROVENANCE_IRI.items()}
    for node, fw, values in raw:
        parent = g.value(node, SKOS.broader)
        tag = prov_of.get(g.value(node, CM.provenance))
        if tag is None:
            problems.append(Problem(str(node), None, "cm:provenance", "missing or unknown provenance"))
            continue
        controls.append(Control(
            id=ids[node], framework=fw.key, parent=ids.get(parent) if parent is not None else None,
            provenance=tag, **{"summary": "", "source_ref": "", "text": "", "order": 0} | values,
        ))
    rel_of = {v: k for k, v in RELATION_IRI.items()}
    sets = []
    for node in sorted(g.subjects(RDF.type, CM.MappingSet)):
        values = _get(g, node, SET_FIELDS)
        subject_fw = frameworks.get(g.value(node, CM.subjectScheme))
        object_fw = frameworks.get(g.value(node, CM.objectScheme))
        if subject_fw is None or object_fw is None:
            problems.append(Problem(str(node), None, "cm:subjectScheme", "mapping set names an unknown scheme"))
            continue
        mappings = []
        for mnode in g.subjects(CM.inMappingSet, node):
            mv = _get(g, mnode, MAPPING_FIELDS)
            s, o = g.value(mnode, CM.subject), g.value(mnode, CM.object)
            relation = rel_of.get(g.value(mnode, CM.relation))
            if relation is None or s is None or o is None:
                problems.append(Problem(str(mnode), None, "cm:relation", "mapping lacks subject, object or relation"))
                continue
            combined = g.value(mnode, CM.combinedRelation)
            justification = str(g.value(mnode, CM.justification) or SEMAPV.ManualMappingCuration)
            mprov = g.value(mnode, CM.provenance)
            mappings.append(Mapping(
                subject_id=NO_TERM if s == NO_TERM_IRI else ids.get(s, str(s)),
                object_id=NO_TERM if o == NO_TERM_IRI else ids.get(o, str(o)),
                relation=relation,
                confidence=float(g.value(mnode, CM.confidence).toPython()),
                justification="semapv:" + justification.removeprefix(str(SEMAPV)),
                combined_relation=rel_of.get(combined) if combined is not None else None,
                provenance=prov_of.get(mprov) if mprov is not None else None,
                **mv,
            ))
        license_ = g.value(node, DCTERMS.license)
        sets.append(MappingSet(
            id=str(node), subject_framework=subject_fw.key, object_framework=object_fw.key,
            mappings=tuple(mappings), license=str(license_) if license_ is not None else "",
            creators=tuple(str(c) for c in g.objects(node, DCTERMS.creator)),
            **{"title": "", "complete": False} | values,
        ))
    answers = []
    status_of = {s.value: s for s in SelfCheckStatus}
    for node in g.subjects(RDF.type, CM.SelfCheckAnswer):
        result = g.value(node, EARL.result)
        status = status_of.get(str(g.value(result, CM.selfCheckStatus))) if result is not None else None
        test = g.value(node, EARL.test)
        if status is None or test not in ids:
            problems.append(Problem(str(node), None, "earl:result", "answer lacks a known test or status"))
            continue
        note = g.value(node, RDFS.comment)
        answers.append(Answer(ids[test], status, str(note) if note is not None else ""))
    if problems:
        raise DataError(problems)
    return Catalog(frameworks=tuple(frameworks.values()), controls=tuple(controls),
                   mapping_sets=tuple(sets), answers=tuple(answers))

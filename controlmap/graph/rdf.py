"""Catalog -> rdflib Graph: SKOS concept schemes, typed mappings, provenance (the tables are in controlmap.rdfterms)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, SKOS, XSD

from ..model import (
    NO_TERM,
    Answer,
    Catalog,
    MappingSet,
)
from ..rdfterms import (
    CONTROL_FIELDS,
    FRAMEWORK_FIELDS,
    MAPPING_FIELDS,
    NO_TERM_IRI,
    OUTCOME,
    PROVENANCE_IRI,
    RELATION_IRI,
    SET_FIELDS,
    SKOS_PREDICATE,
    bind_prefixes,
    control_iri,
)
from ..vocab import CM, EARL, SEMAPV

__all__ = ["to_rdf"]

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
    >>> from controlmap.io.rdf import from_rdf
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

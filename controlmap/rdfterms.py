"""The one table between model fields and RDF terms: IRIs of relations, provenance, outcomes and field predicates.

``controlmap.graph.rdf.to_rdf`` writes with these tables and ``controlmap.io.rdf.from_rdf`` reads with
them, so the two directions cannot drift apart.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS, XSD

from .model import Catalog, Framework, Provenance, Relation, SelfCheckStatus
from .vocab import CM, EARL, SEMAPV, SSSOM

__all__ = [
    "CONTROL_FIELDS",
    "FRAMEWORK_FIELDS",
    "MAPPING_FIELDS",
    "NO_TERM_IRI",
    "OUTCOME",
    "PROVENANCE_IRI",
    "RELATION_IRI",
    "SET_FIELDS",
    "SKOS_PREDICATE",
    "bind_prefixes",
    "control_iri",
]

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

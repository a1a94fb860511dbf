"""Our closed RDF vocabulary (``cm:``) for what SKOS, DCTERMS, PROV and SSSOM lack."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["CM", "EARL", "SEMAPV", "SSSOM", "VOCAB_IRI"]

VOCAB_IRI = "https://w3id.org/controlmap/vocab/"

SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
SSSOM = Namespace("https://w3id.org/sssom/")
EARL = Namespace("http://www.w3.org/ns/earl#")


class CM(DefinedNamespace):
    """controlmap vocabulary; a typo raises AttributeError instead of minting an IRI.

    The same terms, with labels and comments, ship as ``controlmap/resources/vocab.ttl``.
    """

    _fail = True
    _NS = Namespace(VOCAB_IRI)

    # classes
    Framework: URIRef  # a framework edition (also a skos:ConceptScheme)
    Control: URIRef  # a requirement, clause or check item (also a skos:Concept)
    Mapping: URIRef  # one typed mapping between two controls (an SSSOM row)
    MappingSet: URIRef  # the mappings between two framework editions
    Relation: URIRef  # class of the STRM relation individuals
    ProvenanceTag: URIRef  # class of the provenance individuals
    SelfCheckAnswer: URIRef  # an answer to a check item (also an earl:Assertion)

    # relation individuals (NIST IR 8477 set-theory relationships)
    equal: URIRef
    subsetOf: URIRef
    supersetOf: URIRef
    intersectsWith: URIRef
    noRelationship: URIRef

    # provenance individuals
    ReadInSource: URIRef  # [R]
    Reconstructed: URIRef  # [I]

    # framework edition properties
    frameworkId: URIRef
    edition: URIRef
    editionLabel: URIRef
    prefix: URIRef
    isDefaultEdition: URIRef
    completeness: URIRef
    level: URIRef  # a level name used by the edition, or the level of a control
    assessableLevel: URIRef

    # control properties
    provenance: URIRef
    fullText: URIRef
    order: URIRef

    # mapping properties
    subject: URIRef
    object: URIRef
    relation: URIRef
    strength: URIRef
    confidence: URIRef
    justification: URIRef
    reviewer: URIRef
    mappingGroup: URIRef
    combinedRelation: URIRef
    combinedStrength: URIRef
    changeType: URIRef
    inMappingSet: URIRef

    # mapping set properties
    subjectScheme: URIRef
    objectScheme: URIRef
    complete: URIRef
    setKind: URIRef

    # self-check answers
    selfCheckStatus: URIRef

    # shared knowledge base: what a municipality publishes (controlmap.store.publish)
    Publication: URIRef  # one municipality's named graph of adopted items
    AdditionalItem: URIRef  # an additional self-check item a municipality adopted
    CoverageSummary: URIRef  # status counts of one reference framework against the checklist
    municipalityCode: URIRef
    checkQuestion: URIRef
    reason: URIRef
    coverageSummary: URIRef
    checklist: URIRef
    reference: URIRef
    countCovered: URIRef
    countPartial: URIRef
    countGap: URIRef
    countUnassessed: URIRef
    countNotApplicable: URIRef
    countClosed: URIRef

    # I-sheet: how each answer was confirmed (controlmap.isheet; the rest is EARL, PROV and DCTERMS)
    confirmationMethod: URIRef  # 文書確認, 現地確認, 聞き取り, ログ確認 ... (one literal per method)
    ownPractice: URIRef  # true when the municipality has its own practice beyond the item (独自の実践)

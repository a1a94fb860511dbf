"""The SSSOM 1.1 vocabulary controlmap reads: slots, predicates, justifications and our extension slots."""

from __future__ import annotations

from ..model import Relation

__all__ = [
    "COLUMNS",
    "ENTITY_TYPES",
    "EXTENSIONS",
    "JUSTIFICATIONS",
    "MAPPING_SLOTS",
    "NATIVE_COLUMNS",
    "PREDICATE_OF",
    "PROPAGATABLE",
    "RELATION_OF",
    "SET_SLOTS",
    "STANDARD_PREFIXES",
    "XSD",
    "relation_of_predicate",
    "strength_for",
]

#: predicate -> relation of the subject to the object; PREDICATE_OF is what controlmap writes
RELATION_OF = {
    "skos:exactMatch": Relation.EQUAL,
    "skos:broadMatch": Relation.SUBSET_OF,
    "skos:narrowMatch": Relation.SUPERSET_OF,
    "skos:relatedMatch": Relation.INTERSECTS_WITH,
}
PREDICATE_OF = {v: k for k, v in RELATION_OF.items()} | {Relation.NO_RELATIONSHIP: "skos:relatedMatch"}
#: other predicates read; a predicate in neither table is read as intersects_with (related somehow)
_MORE_PREDICATES = {
    "owl:equivalentClass": Relation.EQUAL,
    "owl:equivalentProperty": Relation.EQUAL,
    "owl:sameAs": Relation.EQUAL,
    "rdfs:subClassOf": Relation.SUBSET_OF,
    "rdfs:subPropertyOf": Relation.SUBSET_OF,
    "skos:closeMatch": Relation.INTERSECTS_WITH,
}


def relation_of_predicate(predicate: str) -> Relation:
    """The set-theory relation a predicate says; unknown predicates (hasDbXref, RO terms ...) intersect."""
    return RELATION_OF.get(predicate) or _MORE_PREDICATES.get(predicate, Relation.INTERSECTS_WITH)


def strength_for(relation: Relation, confidence: float) -> int:
    """The strength of a row without one: 10 for a covering relation, 5 otherwise, times the confidence.

    >>> strength_for(Relation.EQUAL, 1.0), strength_for(Relation.EQUAL, 0.6), strength_for(Relation.SUBSET_OF, 1.0)
    (10, 6, 5)
    """
    if relation is Relation.NO_RELATIONSHIP:
        return 0
    return round((10 if relation.covers else 5) * confidence)


STANDARD_PREFIXES = {
    "semapv": "https://w3id.org/semapv/vocab/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sssom": "https://w3id.org/sssom/",
}
XSD = "http://www.w3.org/2001/XMLSchema#"
EXTENSIONS = {
    # our extension slot -> (property local name, type)
    "strength": ("strength", "integer"),
    "mapping_group": ("mappingGroup", "string"),
    "combined_relation": ("combinedRelation", "string"),
    "combined_strength": ("combinedStrength", "integer"),
    "subject_provenance": ("subjectProvenance", "string"),
    "object_provenance": ("objectProvenance", "string"),
    "change_type": ("changeType", "string"),
    "mapping_provenance": ("mappingProvenance", "string"),
    "needs_review": ("needsReview", "boolean"),  # kept in Mapping.extra
}
#: the columns controlmap models itself, in the order it writes them
NATIVE_COLUMNS = (
    "subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
    "confidence", "strength", "mapping_group", "combined_relation", "combined_strength",
    "subject_provenance", "object_provenance", "change_type", "mapping_provenance",
    "author_label", "reviewer_label", "mapping_date", "comment",
)
COLUMNS = NATIVE_COLUMNS
#: every slot of an SSSOM 1.1 mapping (sssom_schema 1.1)
MAPPING_SLOTS = (
    "record_id", "subject_id", "subject_label", "subject_category", "predicate_id", "predicate_label",
    "predicate_modifier", "object_id", "object_label", "object_category", "mapping_justification", "author_id",
    "author_label", "reviewer_id", "reviewer_label", "creator_id", "creator_label", "license", "subject_type",
    "subject_source", "subject_source_version", "object_type", "object_source", "object_source_version",
    "predicate_type", "mapping_provider", "mapping_source", "mapping_cardinality", "cardinality_scope",
    "mapping_tool", "mapping_tool_id", "mapping_tool_version", "mapping_date", "publication_date", "review_date",
    "confidence", "reviewer_agreement", "curation_rule", "curation_rule_text", "subject_match_field",
    "object_match_field", "match_string", "subject_preprocessing", "object_preprocessing", "similarity_score",
    "similarity_measure", "see_also", "issue_tracker_item", "other", "comment",
)
#: every slot of an SSSOM 1.1 mapping set
SET_SLOTS = (
    "sssom_version", "curie_map", "mapping_set_id", "mapping_set_version", "mapping_set_source",
    "mapping_set_title", "mapping_set_description", "mapping_set_confidence", "creator_id", "creator_label",
    "license", "subject_type", "subject_source", "subject_source_version", "object_type", "object_source",
    "object_source_version", "predicate_type", "mapping_provider", "cardinality_scope", "mapping_tool",
    "mapping_tool_id", "mapping_tool_version", "mapping_date", "publication_date", "subject_match_field",
    "object_match_field", "subject_preprocessing", "object_preprocessing", "similarity_measure", "curation_rule",
    "curation_rule_text", "see_also", "issue_tracker", "other", "comment", "extension_definitions",
)
#: set slots that SSSOM 1.1 propagates to every mapping that leaves them empty
PROPAGATABLE = (
    "mapping_justification", "subject_type", "subject_source", "subject_source_version", "object_type",
    "object_source", "object_source_version", "predicate_type", "mapping_provider", "cardinality_scope",
    "mapping_tool", "mapping_tool_id", "mapping_tool_version", "mapping_date", "subject_match_field",
    "object_match_field", "subject_preprocessing", "object_preprocessing", "similarity_measure",
)
#: SSSOM 1.1 entity_type_enum: the values of subject_type, object_type and predicate_type
ENTITY_TYPES = frozenset((
    "owl class", "owl object property", "owl data property", "owl annotation property", "owl named individual",
    "skos concept", "rdfs resource", "rdfs class", "rdfs literal", "rdfs datatype", "rdf property",
    "composed entity expression",
))
#: the SEMAPV matching processes SSSOM 1.1 allows as mapping_justification
JUSTIFICATIONS = frozenset(f"semapv:{name}" for name in (
    "MappingReview", "ManualMappingCuration", "LogicalReasoning", "LexicalMatching", "CompositeMatching",
    "UnspecifiedMatching", "SemanticSimilarityThresholdMatching", "LexicalSimilarityThresholdMatching",
    "MappingChaining", "MappingInversion", "StructuralMatching", "InstanceBasedMatching",
    "BackgroundKnowledgeBasedMatching",
))

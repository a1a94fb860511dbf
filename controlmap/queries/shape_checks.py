"""The shipped SHACL shapes checked directly on a catalog: True when ``to_rdf(catalog)`` surely conforms.

``controlmap/resources/shapes.ttl`` stays the contract; pyshacl over the whole graph takes seconds (plus the
graph itself), so ``validate`` asks :func:`surely_conforms` first and runs pyshacl only when it answers
False. It answers True only when every constraint of the shapes holds for the triples ``to_rdf`` writes, and
False on any doubt: a violation, a node IRI written twice (two objects' triples would meet on one node), a
value whose type would be written other than the shapes expect, or a shapes file other than the one these
checks were written for (:data:`SHAPES_SHA256`). Every reported problem therefore still comes from pyshacl,
with its message and location. Imports neither rdflib nor pyshacl (that is the point).
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from ..model import NO_TERM, Catalog, Control, Framework, Mapping, MappingSet, Provenance, Relation, SelfCheckStatus

__all__ = ["SHAPES_SHA256", "shapes_digest", "surely_conforms"]

#: sha256 of the ``shapes.ttl`` these checks state; another file makes :func:`surely_conforms` say False
SHAPES_SHA256 = "cc944bf85044a00e27bb8cfea6444862224007f5afa6f0ec6bf00cd66d20f5c9"
NO_TERM_IRI = "https://w3id.org/sssom/NoTermFound"  # rdfterms.NO_TERM_IRI, without importing rdflib
FRAMEWORK_ID = re.compile("^[a-z0-9_]+$")  # cmsh:FrameworkShape cm:frameworkId sh:pattern
PREFIX = re.compile("^[A-Za-z][A-Za-z0-9_.-]*$")  # cmsh:FrameworkShape cm:prefix sh:pattern
COMPLETENESS = ("full", "partial", "skeleton", "reconstructed")
SET_KINDS = ("curated", "crosswalk", "suggested")
STATUSES = ("適切に運用している", "整備している", "整備していない", "該当なし")
LINKING = (Relation.EQUAL, Relation.SUBSET_OF, Relation.SUPERSET_OF, Relation.INTERSECTS_WITH)
RELATIONS = (*LINKING, Relation.NO_RELATIONSHIP)  # cmsh:MappingShape cm:relation sh:in
PROVENANCES = (Provenance.READ, Provenance.RECONSTRUCTED)  # cmsh:ControlShape cm:provenance sh:in
_SAFE = "()-._~!$&'*+,;=:@"  # rdfterms.control_iri


def shapes_digest() -> str:
    """sha256 of the shipped ``shapes.ttl``."""
    from importlib import resources

    return hashlib.sha256(resources.files("controlmap").joinpath("resources/shapes.ttl").read_bytes()).hexdigest()


def surely_conforms(catalog: Catalog) -> bool:
    """True when the RDF of ``catalog`` conforms to the shipped shapes for certain; False: ask pyshacl."""
    if shapes_digest() != SHAPES_SHA256:
        return False
    frameworks = {f.key: f for f in catalog.frameworks}
    controls = {c.id: c for c in catalog.controls}
    if len(frameworks) != len(catalog.frameworks) or len(controls) != len(catalog.controls):
        return False
    try:  # the node IRIs to_rdf writes; a value it could not write is a doubt
        iris = {c.id: _control_iri(frameworks[c.framework], c.notation)
                for c in catalog.controls if c.framework in frameworks}
        nodes = [f.iri for f in catalog.frameworks] + list(iris.values()) + [s.id for s in catalog.mapping_sets]
        nodes += [_mapping_iri(s, m) for s in catalog.mapping_sets for m in s.mappings]
    except (AttributeError, TypeError):
        return False
    nodes.append(NO_TERM_IRI)
    return (len(set(nodes)) == len(nodes) and len(iris) == len(controls)
            and all(_framework_ok(f) for f in catalog.frameworks)
            and all(_control_ok(c, controls) for c in catalog.controls)
            and all(_set_ok(s, frameworks, controls) for s in catalog.mapping_sets)
            and all(a.control_id in controls and isinstance(a.status, SelfCheckStatus) and a.status.value in STATUSES
                    for a in catalog.answers))  # cmsh:SelfCheckAnswerShape


def _control_iri(framework: Framework, notation: str) -> str:
    return framework.namespace + quote(notation, safe=_SAFE)


def _mapping_iri(ms: MappingSet, m: Mapping) -> str:
    """The node ``to_rdf`` writes the mapping as (graph/rdf.py ``_put_mapping_set``)."""
    key = "|".join((ms.id, m.subject_id, m.object_id, m.relation.value, m.group))
    return f"{ms.id}#m-{hashlib.sha1(key.encode()).hexdigest()[:12]}"


def _text(value: object) -> bool:
    """A plain ``str`` that ``to_rdf`` writes (non-empty): one xsd:string / @ja literal of length ≥ 1."""
    return type(value) is str and value != ""


def _optional_text(value: object) -> bool:
    """Not written (``None`` or empty), or a plain ``str``."""
    return value is None or type(value) is str


def _integer(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and low <= int(value) <= high


def _framework_ok(f: Framework) -> bool:
    """cmsh:FrameworkShape (cm:level is always the one list of levels; cm:isDefaultEdition one boolean)."""
    return (_text(f.title) and _text(f.id) and FRAMEWORK_ID.search(f.id) is not None and _text(f.edition)
            and _text(f.prefix) and PREFIX.search(f.prefix) is not None
            and (f.completeness in (None, "") or (type(f.completeness) is str and f.completeness in COMPLETENESS))
            and all(type(v) is str for v in (*f.levels, *f.assessable_levels)))


def _control_ok(c: Control, controls: dict[str, Control]) -> bool:
    """cmsh:ControlShape and cmsh:BroaderInSameSchemeShape (skos:inScheme is one cm:Framework when known)."""
    parent = controls.get(c.parent) if c.parent is not None else None
    return (_text(c.notation) and _text(c.title) and _optional_text(c.summary) and _text(c.level)
            and (c.order is None or isinstance(c.order, int))
            and c.provenance in PROVENANCES
            and (c.parent is None or (parent is not None and parent.framework == c.framework)))


def _set_ok(ms: MappingSet, frameworks: dict[str, Framework], controls: dict[str, Control]) -> bool:
    """cmsh:MappingSetShape and, for every row, cmsh:MappingShape."""
    if not (ms.subject_framework in frameworks and ms.object_framework in frameworks
            and isinstance(ms.complete, bool) and _optional_text(ms.title)
            and type(ms.kind) is str and ms.kind in SET_KINDS):
        return False
    return all(_mapping_ok(m, controls) for m in ms.mappings)


def _mapping_ok(m: Mapping, controls: dict[str, Control]) -> bool:
    """cmsh:MappingShape: one subject and object (a control or sssom:NoTermFound), relation, strength 0–10,
    confidence 0–1, justification IRI, combined relation/strength in range; no_relationship iff one end is
    NoTermFound (sh:xone)."""
    ends = (m.subject_id, m.object_id)
    if not all(e == NO_TERM or e in controls for e in ends):
        return False
    if not (m.relation in RELATIONS and _integer(m.strength, 0, 10) and _unit(m.confidence)
            and isinstance(m.justification, str) and ":" in m.justification):
        return False
    if not (m.combined_relation is None or m.combined_relation in LINKING):
        return False
    if not (m.combined_strength is None or _integer(m.combined_strength, 0, 10)):
        return False
    if m.relation is Relation.NO_RELATIONSHIP:
        return NO_TERM in ends
    return NO_TERM not in ends


def _unit(confidence: object) -> bool:
    """``Decimal(repr(confidence))`` (what ``to_rdf`` writes as xsd:decimal) is finite, unsigned and ≤ 1."""
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        return False
    try:
        value = Decimal(repr(confidence))
    except InvalidOperation:
        return False
    return value.is_finite() and not value.is_signed() and value <= 1

"""The fast path of the SSSOM reader: a plain, correct row becomes its Mapping with each distinct cell checked once.

``plain_mapping`` makes exactly the Mapping ``sssom._mapping`` makes of such a row; any row it is not sure of
(a full IRI, NoTermFound, a column only the full path checks, a value that fails a check) gets None, and the
reader then runs ``sssom._mapping``, which checks every slot and names every problem.
"""

from __future__ import annotations

from typing import cast

from ..model import NO_TERM, Mapping, Provenance, Relation
from .sssom_slots import JUSTIFICATIONS, NATIVE_COLUMNS, PREDICATE_OF, relation_of_predicate, strength_for

__all__ = ["plain_mapping"]

_NO_MAPPING = "sssom:NoMapping"  # the pre-1.0 spelling of sssom:NoTermFound

#: columns whose values only ``sssom._mapping`` checks: a row with any of them takes the full path
_FULL_PATH = ("predicate_modifier", "similarity_score", "subject_type", "object_type", "predicate_type",
              "mapping_cardinality")
_TAGS = {"": None, "R": Provenance.READ, "I": Provenance.RECONSTRUCTED}
_NATIVE = frozenset(NATIVE_COLUMNS)
_BAD = object()  # memo value of a cell that fails its check


def _memo(memo: dict, kind: str, raw: str, parse) -> object:
    key = (kind, raw)
    if key not in memo:
        try:
            memo[key] = parse(raw)
        except ValueError:
            memo[key] = _BAD
    return memo[key]


def _in_range(low: float, high: float, cast):
    def parse(raw: str):
        value = cast(raw)
        if not low <= value <= high:
            raise ValueError(raw)
        return value
    return parse


def _predicate(raw: str) -> tuple[Relation, list[tuple[str, str]]]:
    if ":" not in raw or raw.startswith(("http://", "https://")):
        raise ValueError(raw)
    relation = relation_of_predicate(raw)
    return relation, ([] if raw == PREDICATE_OF[relation] else [("predicate_id", raw)])


def _no_term(raw: str) -> tuple[Relation, list[tuple[str, str]]]:
    _predicate(raw)  # checked as any predicate; the relation is no_relationship
    none = Relation.NO_RELATIONSHIP
    return none, ([] if raw == PREDICATE_OF[none] else [("predicate_id", raw)])


def plain_mapping(row: dict[str, str], file: str, line: int, default_justification: str,
                   memo: dict) -> Mapping | None:
    """The Mapping ``sssom._mapping`` would make of a plain, correct row (each distinct cell checked once); else None.

    Plain: CURIE ids (no full IRI, one id, at most one side sssom:NoTermFound), a known justification, no column
    of ``_FULL_PATH``.
    Any doubt returns None, and ``sssom._mapping`` then checks the row and names every problem.
    """
    get = row.get
    if any(get(c) for c in _FULL_PATH):
        return None
    provenance = get("mapping_provenance", "")
    if any(tag not in _TAGS for tag in (provenance, get("subject_provenance", ""), get("object_provenance", ""))):
        return None
    subject, obj = get("subject_id", ""), get("object_id", "")
    for value in (subject, obj):
        if not value or "|" in value or value == _NO_MAPPING or value.startswith(("http://", "https://")):
            return None
    no_term = NO_TERM in (subject, obj)  # reviewed: no counterpart
    if no_term and subject == obj:
        return None
    predicate = _memo(memo, "n" if no_term else "p", get("predicate_id", ""), _no_term if no_term else _predicate)
    justification = get("mapping_justification") or default_justification
    confidence = _memo(memo, "c", get("confidence", ""), lambda r: 1.0 if r == "" else _in_range(0.0, 1.0, float)(r))
    if predicate is _BAD or confidence is _BAD or justification not in JUSTIFICATIONS:
        return None
    relation, extra = cast("tuple[Relation, list[tuple[str, str]]]", predicate)
    raw_strength = get("strength", "")
    strength = (strength_for(relation, cast(float, confidence)) if raw_strength == ""
                else _memo(memo, "s", raw_strength, _in_range(0, 10, int)))
    group, combined, raw_combined = get("mapping_group", ""), get("combined_relation", ""), get("combined_strength", "")
    if group:
        combined_rel = _memo(memo, "r", combined, Relation)
        combined_strength = _memo(memo, "s", raw_combined, _in_range(0, 10, int))
        if combined_rel is _BAD or combined_strength is _BAD:
            return None
    elif combined or raw_combined:
        return None
    else:
        combined_rel = combined_strength = None
    if strength is _BAD:
        return None
    return Mapping(
        subject_id=subject, object_id=obj, relation=relation, strength=cast(int, strength) or 0,
        confidence=cast(float, confidence), justification=justification, author=get("author_label", ""),
        reviewer=get("reviewer_label", ""), date=get("mapping_date", ""), comment=get("comment", ""),
        group=group, combined_relation=cast("Relation | None", combined_rel),
        combined_strength=cast("int | None", combined_strength),
        change_type=get("change_type", ""), provenance=_TAGS[provenance], origin=f"{file}:{line}",
        extra=tuple(extra + [(c, v) for c, v in row.items() if v and c not in _NATIVE]),
    )

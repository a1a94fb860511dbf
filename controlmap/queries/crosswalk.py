"""Crosswalk rows between two editions of one framework, read from the older edition to the newer.

The crosswalk files in ``data/crosswalks`` say, row by row, how a clause of one edition became a clause
of another (``Mapping.change_type``: equivalent, renamed, renumbered, renumbered_modified, moved,
extended, split, merged, partial, new, removed). The words describe the change from the older
edition to the newer one, whichever way a file is written; :func:`crosswalk_rows` turns every file
that joins two editions into :class:`XRow` s read old -> new (relations inverted where the file runs
newer -> older). The marks below tag mapping rows carried through a crosswalk
(:mod:`controlmap.queries.carry`).

>>> import controlmap as cm
>>> old, new, rows = crosswalk_rows(cm.load().catalog, "jisq15001@2017", "jisq15001@2006")
>>> old.key, new.key, sorted({r.change for r in rows})[:3]
('jisq15001@2006', 'jisq15001@2017', ['equivalent', 'new', 'partial'])
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CrosswalkError
from ..model import Catalog, Framework, Mapping, Provenance, Relation

__all__ = [
    "CARRIED_MARK",
    "CHAINING",
    "NEEDS_REVIEW",
    "REVIEW_CHANGES",
    "REVIEW_MARK",
    "XRow",
    "crosswalk_rows",
    "is_carried",
    "needs_review",
]

#: crosswalk changes after which a carried row needs a person to look again
REVIEW_CHANGES = frozenset({"partial", "split", "merged", "renumbered_modified"})
#: the extension slot (SSSOM column) saying that a carried row needs a person to look again
NEEDS_REVIEW = "needs_review"
#: how files written before the slot existed flagged such a row: the start of its comment
REVIEW_MARK = "[要確認 needs_review]"
#: in the comment of every carried row
CARRIED_MARK = "[繰越 carried]"
#: the SSSOM justification of every carried (inferred) row
CHAINING = "semapv:MappingChaining"


def needs_review(mapping: Mapping) -> bool:
    """True for a carried row flagged for review: its ``needs_review`` slot is true.

    Files written before the slot existed flag the row with :data:`REVIEW_MARK` at the start of the comment;
    that is still read.

    >>> needs_review(Mapping("A:1", "B:1", Relation.EQUAL, extra=((NEEDS_REVIEW, "true"),)))
    True
    >>> needs_review(Mapping("A:1", "B:1", Relation.EQUAL, comment=REVIEW_MARK + " …"))
    True
    >>> needs_review(Mapping("A:1", "B:1", Relation.EQUAL, extra=((NEEDS_REVIEW, "false"),)))
    False
    """
    flag = dict(mapping.extra).get(NEEDS_REVIEW)
    if flag is not None:
        return str(flag).strip().lower() in ("true", "1", "yes")
    return mapping.comment.startswith(REVIEW_MARK)


def is_carried(mapping: Mapping) -> bool:
    """True for a row made by :func:`~controlmap.queries.carry.carry_mappings` (inferred, not yet curated).

    >>> is_carried(Mapping("A:1", "B:1", Relation.EQUAL))
    False
    """
    return mapping.justification == CHAINING and CARRIED_MARK in mapping.comment


@dataclass(frozen=True)
class XRow:
    """One crosswalk row read from the older edition (``old``) to the newer (``new``)."""

    old: str
    new: str
    change: str
    relation: Relation
    strength: int
    confidence: float
    provenance: Provenance | None
    comment: str
    origin: str
    set_id: str


def _older(a: Framework, b: Framework) -> bool:
    """True when ``a`` is the older edition of the two."""
    return (a.date or a.edition, a.edition) < (b.date or b.edition, b.edition)


def crosswalk_rows(catalog: Catalog, a: str | Framework,
                   b: str | Framework) -> tuple[Framework, Framework, list[XRow]]:
    """The older and newer of two editions and the crosswalk rows between them, read old -> new.

    Raises :class:`~controlmap.errors.CrosswalkError` when no crosswalk set joins the two editions.
    """
    fa = a if isinstance(a, Framework) else catalog.framework(a)
    fb = b if isinstance(b, Framework) else catalog.framework(b)
    if fa.id != fb.id or fa.key == fb.key:
        raise CrosswalkError(f"{fa.key} and {fb.key} are not two editions of one framework")
    old, new = (fa, fb) if _older(fa, fb) else (fb, fa)
    rows: list[XRow] = []
    sets = [s for s in catalog.mapping_sets if s.kind == "crosswalk"
            and {s.subject_framework, s.object_framework} == {old.key, new.key}]
    if not sets:
        known = sorted(f"{s.subject_framework} ↔ {s.object_framework}" for s in catalog.mapping_sets
                       if s.kind == "crosswalk" and fa.id in s.subject_framework)
        raise CrosswalkError(f"no crosswalk between {fa.key} and {fb.key}; crosswalks of {fa.id}: "
                              + (", ".join(known) or "none"))
    for s in sets:
        forward = s.subject_framework == old.key
        for m in s.mappings:
            o, n = (m.subject_id, m.object_id) if forward else (m.object_id, m.subject_id)
            relation = m.relation if forward else m.relation.inverse   # the row's own relation, read old -> new
            rows.append(XRow(o, n, m.change_type or "unspecified", relation, m.strength, m.confidence,
                             m.provenance, m.comment, m.origin, s.id))
    return old, new, rows

"""The mapping rows an explanation cites, indexed once per catalog so that every explanation is a lookup."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from ..model import NO_TERM, Catalog, Relation

__all__ = ["RowIndex", "row_index"]

CHAINING = "semapv:MappingChaining"
SUGGESTION = "semapv:LexicalSimilarityThresholdMatching"  # Mapping.is_curated is False for it


@dataclass
class RowIndex:
    """What coverage and gap explanations read from mapping rows, keyed by set, subject and object.

    Only the rows that carry something are kept: chained rows, rows with a comment, no-relationship
    rows and curated ``equal`` rows, so building it is one pass over the rows and asking is a lookup.
    """

    set_pos: dict[str, int] = field(default_factory=dict)            # mapping set id -> position
    chained: set[tuple[int, str, str]] = field(default_factory=set)   # (set, subject, object)
    comment: dict[tuple[int, frozenset[str]], str] = field(default_factory=dict)   # first in row order
    none_comments: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # object -> (set, text)
    none_chained_by: set[tuple[str, str]] = field(default_factory=set)  # (subject framework, object)
    equal_pairs: list[tuple[str, str]] = field(default_factory=list)   # curated equal rows, in row order

    @classmethod
    def build(cls, catalog: Catalog) -> RowIndex:
        """One pass over every set's columns (no Mapping object is made)."""
        index = cls()
        equal = Relation.EQUAL
        for si, ms in enumerate(catalog.mapping_sets):
            index.set_pos.setdefault(ms.id, si)
            data = ms.columns.data
            subjects, objects, justifications = data["subject_id"], data["object_id"], data["justification"]
            for i in _rows_with(justifications, CHAINING):
                s, o = subjects[i], objects[i]
                index.chained.add((si, s, o))
                if s == NO_TERM:
                    index.none_chained_by.add((ms.subject_framework, o))
            comments = data["comment"]
            for i in _rows_with(comments, None):
                s, o, text = subjects[i], objects[i], comments[i]
                index.comment.setdefault((si, frozenset((s, o))), text)
                if s == NO_TERM:
                    index.none_comments.setdefault(o, []).append((si, text))
            relations = data["relation"]
            for i in _rows_with(relations, equal):
                if justifications[i] != SUGGESTION:
                    index.equal_pairs.append((subjects[i], objects[i]))
        return index

    def sets_named(self, catalog: Catalog, set_id: str) -> list[int]:
        """Positions of the mapping sets with this id (one, unless a catalog holds a set twice)."""
        first = self.set_pos.get(set_id)
        if first is None:
            return []
        return [i for i in range(first, len(catalog.mapping_sets)) if catalog.mapping_sets[i].id == set_id]

    def is_chained(self, catalog: Catalog, set_id: str, subject: str, obj: str) -> bool:
        """True when a row of set ``set_id`` from ``subject`` to ``obj`` was carried (MappingChaining)."""
        return any((si, subject, obj) in self.chained for si in self.sets_named(catalog, set_id))

    def row_comment(self, catalog: Catalog, set_id: str, a: str, b: str) -> str:
        """The comment of the first row of set ``set_id`` between ``a`` and ``b`` (either way) that has one."""
        key = frozenset((a, b))
        for si in self.sets_named(catalog, set_id):
            text = self.comment.get((si, key))
            if text:
                return text
        return ""

    def none_comment(self, catalog: Catalog, target: str, source_key: str) -> str:
        """The comment of a no-subject row for ``target``, preferring sets whose subject is ``source_key``."""
        found = self.none_comments.get(target, [])
        for si, text in found:
            if catalog.mapping_sets[si].subject_framework == source_key:
                return text
        return found[0][1] if found else ""


def _rows_with(values: list, wanted: object) -> list[int]:
    """Positions of the rows whose value is ``wanted`` (any non-empty value for None), in row order."""
    if wanted is None:
        return [i for i, v in enumerate(values) if v] if any(values) else []
    return [i for i, v in enumerate(values) if v == wanted] if wanted in values else []


_CACHE: dict[int, tuple[weakref.ref[Catalog], RowIndex]] = {}


def row_index(catalog: Catalog) -> RowIndex:
    """The catalog's RowIndex, built on first use and kept while the catalog lives."""
    key = id(catalog)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is catalog:
        return hit[1]
    built = RowIndex.build(catalog)

    def forget(_: weakref.ref[Catalog]) -> None:
        _CACHE.pop(key, None)

    _CACHE[key] = (weakref.ref(catalog, forget), built)
    return built

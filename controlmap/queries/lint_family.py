"""Lint rules on sibling consistency: one source control rated differently across the items of one target parent,
and sibling items split across a mapping group.

- ``sibling-no-relationship``: in one mapping set, a source control is ``intersects_with`` two or more
  assessable items under one target parent, and another item under that parent is marked
  ``no_relationship`` (``sssom:NoTermFound`` as subject: nothing of the source edition relates to it).
  ``intersects_with`` is the relation of a broad requirement that touches every item of a kind, so a
  sibling it does not touch is either the same kind (rate it like the others) or a reviewed exception:
  the no_relationship row's comment then names the source control (e.g. 「3.4.3.2 …とは別」).
- ``group-split``: in one mapping set, two or more children of a source parent are members of mapping
  group G for target T, and another child of that parent maps to T with the same relation and at least
  the strength of the weakest member, but outside G. A weaker row (a precondition or peripheral measure
  kept out of the group on purpose) is not flagged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..model import NO_TERM, Catalog, Mapping, MappingSet, Relation
from ..normalize import norm

__all__ = ["FAMILY_RULES", "check_group_split", "check_sibling_no_relationship", "family_findings"]

FAMILY_RULES = {
    "sibling-no-relationship": "a source control intersects ≥ 2 items of a target parent, another item of it is "
                               "no_relationship without naming that control",
    "group-split": "siblings of one source parent in a mapping group for a target, one as strong sibling outside it",
}


def _where(m: Mapping) -> tuple[str, int | None]:
    file, _, line = m.origin.rpartition(":")
    return (file or m.origin, int(line) if line.isdigit() else None)


def _parent(catalog: Catalog, cid: str) -> str | None:
    return catalog.control(cid).parent if catalog.has_control(cid) else None


def _local(cid: str) -> str:
    return cid.split(":", 1)[-1]


def check_sibling_no_relationship(ms: MappingSet, catalog: Catalog) -> list[tuple[Mapping, str, str]]:
    """(row, rule, message) for every no_relationship target row the rule flags in ``ms``."""
    touched: dict[tuple[str, str], set[str]] = defaultdict(set)  # (source, target parent) -> targets
    for m in ms.mappings:
        if m.is_curated and m.relation is Relation.INTERSECTS_WITH and NO_TERM not in (m.subject_id, m.object_id):
            parent = _parent(catalog, m.object_id)
            if parent:
                touched[(m.subject_id, parent)].add(m.object_id)
    out = []
    for m in ms.mappings:
        if not (m.is_curated and m.relation is Relation.NO_RELATIONSHIP and m.subject_id == NO_TERM):
            continue
        parent = _parent(catalog, m.object_id)
        comment = norm(m.comment or "")
        for (source, p), targets in sorted(touched.items()):
            if p != parent or len(targets) < 2 or m.object_id in targets:
                continue
            if norm(_local(source)) in comment:
                continue  # a reviewed exception: the comment says why this control does not reach it
            listed = ", ".join(_local(t) for t in sorted(targets))
            out.append((m, "sibling-no-relationship",
                        f"{source} intersects_with {len(targets)} items under {parent} ({listed}), but "
                        f"{m.object_id} is marked no_relationship: rate it like its siblings, or name "
                        f"{_local(source)} in the comment saying why it differs"))
    return out


def check_group_split(ms: MappingSet, catalog: Catalog) -> list[tuple[Mapping, str, str]]:
    """(row, rule, message) for every row outside a group that the rule flags in ``ms``."""
    by_target: dict[str, list[Mapping]] = defaultdict(list)
    for m in ms.mappings:
        if m.is_curated and NO_TERM not in (m.subject_id, m.object_id):
            by_target[m.object_id].append(m)
    out = []
    for target, rows in by_target.items():
        families: dict[str, list[Mapping]] = defaultdict(list)
        for m in rows:
            parent = _parent(catalog, m.subject_id)
            if parent:
                families[parent].append(m)
        for parent, siblings in families.items():
            groups: dict[str, list[Mapping]] = defaultdict(list)
            for m in siblings:
                if m.group:
                    groups[m.group].append(m)
            for group, members in groups.items():
                if len(members) < 2:
                    continue
                relations = {m.relation for m in members}
                weakest = min(m.strength for m in members)
                for m in siblings:
                    if m.group == group or m.group or m.relation not in relations or m.strength < weakest:
                        continue
                    out.append((m, "group-split",
                                f"{m.subject_id} {m.relation.value} {target} (strength {m.strength}) is outside "
                                f"group {group}, which holds {len(members)} of its siblings under {parent} "
                                f"(strength ≥ {weakest}): add it to {group}, or lower its strength if it is "
                                "peripheral"))
    return out


def family_findings(sets: Sequence[MappingSet], catalog: Catalog) -> list[tuple[str, int | None, str, str]]:
    """(file, row, rule, message) of both rules over the curated (not suggested) sets."""
    out = []
    for ms in sets:
        if ms.kind == "suggested":
            continue
        for m, rule, message in [*check_sibling_no_relationship(ms, catalog), *check_group_split(ms, catalog)]:
            file, line = _where(m)
            out.append((file, line, rule, message))
    return out

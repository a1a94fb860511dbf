"""The scope's curated merge groups: candidates that ask the same thing become one, citing every target."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..model import Catalog, MergeGroup, Scope
from ..results import Candidate, Status
from .responsibility import rescore, with_responsibility

__all__ = ["LEVEL_CAPS", "apply_scope", "merge_candidates", "merge_group"]

#: the highest priority a capped candidate keeps for each level (高 ≥ 60, 中 30–59, 低 < 30)
LEVEL_CAPS = {"高": 100, "中": 59, "低": 29}


def apply_scope(catalog: Catalog, candidates: Sequence[Candidate], scope: Scope | None) -> list[Candidate]:
    """The scope's rules over a candidate list: merge groups first, then every candidate's responsibility
    and the priority with R (and a merge group's cap). Order is kept; the caller sorts."""
    return [with_responsibility(c, scope) for c in merge_candidates(catalog, candidates, scope)]


def merge_candidates(catalog: Catalog, candidates: Sequence[Candidate], scope: Scope | None) -> list[Candidate]:
    """Candidates with those of each merge group (a candidate belongs to the group naming any of its
    targets) replaced by one candidate, at the place of the first of them.

    A group merges when two or more of its candidates exist; the merged candidate keeps the id of the
    primary's candidate (else of the first member in the group's order). A group with a single
    candidate leaves it as it is, and no candidate is ever dropped: every target stays cited.
    """
    if scope is None or not scope.merges:
        return list(candidates)
    group_of = {cid: g for g in scope.merges for cid in g.controls}
    members: dict[str, list[Candidate]] = {}
    for c in candidates:
        g = next((group_of[t] for t in c.targets if t in group_of), None)
        if g is not None:
            members.setdefault(g.id, []).append(c)
    out: list[Candidate] = []
    done: set[str] = set()
    for c in candidates:
        g = next((group_of[t] for t in c.targets if t in group_of), None)
        if g is None or len(members[g.id]) < 2:
            out.append(c)
        elif g.id not in done:
            done.add(g.id)
            out.append(merge_group(catalog, g, members[g.id]))
    return out


def merge_group(catalog: Catalog, group: MergeGroup, found: Sequence[Candidate]) -> Candidate:
    """One candidate for ``found`` (the group's candidates, ≥ 2), primary first, citing all their targets."""
    def rank(c: Candidate) -> int:
        return min((group.controls.index(t) for t in c.targets if t in group.controls), default=len(group.controls))

    ordered = sorted(found, key=lambda c: (group.primary not in c.targets, rank(c)))
    head = ordered[0]
    targets: list[str] = []
    titles: list[str] = []
    provenance = []
    for c in ordered:
        for n, t in enumerate(c.targets):
            if t not in targets:
                targets.append(t)
                titles.append(c.target_titles[n] if n < len(c.target_titles) else catalog.control(t).title)
                provenance.append(c.provenance[n] if n < len(c.provenance) else catalog.control(t).provenance)
    frameworks = tuple(dict.fromkeys(f for c in ordered for f in c.frameworks))
    partial = tuple(dict.fromkeys(s for c in ordered for s in c.partial_sources))
    factors = {"U": max(float(c.priority_factors.get("U", 1.0)) for c in ordered), "E": 0.0,
               "B": 1.0 if len(frameworks) >= 2 else 0.8}
    ids = ", ".join(c.id for c in ordered)
    note = (f"統合({group.id}「{group.title}」): 候補 {ids} は同じことを問うため一つにまとめた"
            f"(対象の要求事項 {len(targets)} 件をすべて引用)。理由: {group.reason}")
    merged = replace(
        head, title=group.title or head.title,
        status=Status.GAP if all(c.status is Status.GAP for c in ordered) else Status.PARTIAL,
        targets=tuple(targets), target_titles=tuple(titles), frameworks=frameworks, partial_sources=partial,
        partial_source_titles=tuple(catalog.control(s).title for s in partial),
        reason=" ".join([note, *(c.reason for c in ordered)]), provenance=tuple(provenance),
        explanation=tuple(e for c in ordered for e in c.explanation), priority_factors=factors,
        merge_group=group.id, merged_from=tuple(c.id for c in ordered))
    cap = LEVEL_CAPS[group.priority_level] if group.priority_level else None
    prio, factors = rescore(merged, r=1.0, cap=cap)
    return replace(merged, priority=prio, priority_factors=factors)

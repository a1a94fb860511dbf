"""Carry a curated mapping set to another edition of one of its frameworks, through the crosswalk.

:func:`carry_mappings` re-targets a curated mapping set with the composition table of the mapping
semantics (weakest link, confidence multiplied), using each crosswalk row's own relation (read the
other way round, inverted, when the file runs newer -> older). Every carried row is inferred
(``semapv:MappingChaining``, provenance ``[I]``, no reviewer, a comment naming the crosswalk row) and
the ones that went through a partial, split, merged or renumbered_modified step, or a crosswalk row
that is itself only reconstructed (``[I]``), have their ``needs_review`` slot (an SSSOM extension column) set
to ``true`` and say why at the end of the comment.

>>> import controlmap as cm
>>> r = carry_mappings(cm.load().catalog, "https://w3id.org/controlmap/mappings/mic_jisq15001-2006",
...                    "jisq15001@2017", date="2026-01-01")
>>> r.mapping_set.object_framework, all(m.justification == "semapv:MappingChaining" for m in r.mapping_set.mappings)
('jisq15001@2017', True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as _date

from ..errors import CrosswalkError, UnknownMappingSetError
from ..model import NO_TERM, Catalog, Framework, Mapping, MappingSet, Provenance, Relation, compose
from .crosswalk import CARRIED_MARK, CHAINING, NEEDS_REVIEW, REVIEW_CHANGES, XRow, crosswalk_rows

__all__ = ["CarriedRow", "CarryResult", "carry_mappings"]

_EQUAL_CHANGES = frozenset({"equivalent", "renamed", "renumbered", "moved"})
_Key = tuple[str, str, str]


@dataclass(frozen=True)
class CarriedRow:
    """A carried mapping, the curated row it came from, the crosswalk row it went through and why to review."""

    mapping: Mapping
    original: Mapping
    via: XRow | None
    reasons: tuple[str, ...] = ()

    @property
    def needs_review(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class CarryResult:
    """The carried mapping set plus every curated row that could not be carried, with the reason."""

    mapping_set: MappingSet
    rows: tuple[CarriedRow, ...]
    not_carried: tuple[tuple[Mapping, str], ...] = field(default=())

    @property
    def review_count(self) -> int:
        return sum(1 for r in self.rows if r.needs_review)


@dataclass(frozen=True)
class _Plan:
    """Which side of the set moves, from which edition to which, and the crosswalk steps out of each clause."""

    ms: MappingSet
    side: str                         # "object" or "subject"
    current: Framework
    target: Framework
    steps: dict[str, list[XRow]]      # clause of the current edition -> rows into the target edition
    today: str


def _review_reasons(x: XRow, before: Relation, after: Relation) -> tuple[str, ...]:
    reasons = []
    if x.change in REVIEW_CHANGES:
        reasons.append(f"crosswalk step is {x.change}")
    if x.provenance is not Provenance.READ:
        reasons.append("crosswalk row is reconstructed [I]")
    if after is not before:
        reasons.append(f"relation changed {before.value} → {after.value}")
    return tuple(reasons)


def carry_mappings(catalog: Catalog, mapping_set: str | MappingSet, to: str, *, date: str | None = None,
                   set_id: str | None = None) -> CarryResult:
    """Re-target ``mapping_set`` from one edition of a framework to edition ``to`` through the crosswalk.

    The side of the set whose framework is ``to``'s framework is re-targeted. ``A r1 B_old`` and
    ``B_old r2 B_new`` give ``A compose(r1, r2) B_new``, strength the weaker of the two, confidence the
    product; per (subject, object, group) the strongest row is kept. On the object side, a target
    that only continues clauses reviewed as gaps (complete set or an explicit no_relationship row) via
    equivalent/renamed/renumbered/moved steps gets a carried ``sssom:NoTermFound`` row, so it shows as a
    gap rather than unassessed. The result is a curated-kind set (``complete=false``) of inferred rows.

    >>> import controlmap as cm
    >>> r = cm.carry_mappings(cm.load().catalog, "https://w3id.org/controlmap/mappings/mic_jisq15001-2006",
    ...                       "jisq15001@2017", date="2026-01-01")
    >>> r.review_count <= len(r.rows), all(m.provenance is cm.Provenance.RECONSTRUCTED for m in r.mapping_set.mappings)
    (True, True)
    """
    plan = _plan(catalog, mapping_set, to, date)
    best: dict[_Key, CarriedRow] = {}
    not_carried: list[tuple[Mapping, str]] = []
    for m in plan.ms.mappings:
        why = _carry_one(catalog, plan, m, best)
        if why:
            not_carried.append((m, why))
    if plan.side == "object":
        o_fw = catalog.framework(plan.ms.object_framework)
        best.update(_carried_gaps(catalog, plan.ms, o_fw, plan.steps, {k[1] for k in best}, plan.today))
    rows = tuple(best[k] for k in sorted(best))
    return CarryResult(_carried_set(catalog, plan, rows, len(not_carried), set_id), rows, tuple(not_carried))


def _plan(catalog: Catalog, mapping_set: str | MappingSet, to: str, date: str | None) -> _Plan:
    ms = mapping_set if isinstance(mapping_set, MappingSet) else next(
        (s for s in catalog.mapping_sets if s.id == mapping_set), None)
    if ms is None:
        raise UnknownMappingSetError(f"unknown mapping set {mapping_set!r}")
    target = catalog.framework(to)
    s_fw, o_fw = catalog.framework(ms.subject_framework), catalog.framework(ms.object_framework)
    if o_fw.id == target.id and o_fw.key != target.key:
        side, current = "object", o_fw
    elif s_fw.id == target.id and s_fw.key != target.key:
        side, current = "subject", s_fw
    else:
        raise CrosswalkError(f"{ms.id} maps {s_fw.key} to {o_fw.key}; neither side is another edition of {target.key}")
    old, _, rows = crosswalk_rows(catalog, current, target)
    forward = current.key == old.key
    steps: dict[str, list[XRow]] = {}
    for x in rows:
        a, b = (x.old, x.new) if forward else (x.new, x.old)
        if a == NO_TERM or b == NO_TERM:
            continue
        relation = x.relation if forward else x.relation.inverse
        steps.setdefault(a, []).append(XRow(a, b, x.change, relation, x.strength, x.confidence, x.provenance,
                                            x.comment, x.origin, x.set_id))
    return _Plan(ms, side, current, target, steps, date or _date.today().isoformat())


def _carry_one(catalog: Catalog, plan: _Plan, m: Mapping, best: dict[_Key, CarriedRow]) -> str:
    """Carry one curated row through every crosswalk step out of its clause into ``best``; why not, or ''."""
    if NO_TERM in (m.subject_id, m.object_id) or m.relation is Relation.NO_RELATIONSHIP:
        if plan.side == "subject" or m.subject_id != NO_TERM:
            return ("a 'no counterpart' row cannot be carried: the other edition may have added one; "
                    "review it against the new edition")
        return ""
    anchor = m.object_id if plan.side == "object" else m.subject_id
    steps = plan.steps.get(anchor, [])
    if not steps:
        return f"no crosswalk row leads from {anchor} to {plan.target.key}"
    dead_ends: list[str] = []
    for x in steps:
        row = _through(catalog, plan, m, x)
        if row is None:
            dead_ends.append(f"{m.relation.value} then {x.change} ({x.relation.value}) to {x.new}")
            continue
        c = row.mapping
        key = (c.subject_id, c.object_id, c.group)
        held = best.get(key)
        if held is None or (c.relation.rank, c.strength, c.confidence) > (
                held.mapping.relation.rank, held.mapping.strength, held.mapping.confidence):
            best[key] = row
    if len(dead_ends) == len(steps):
        return "; ".join(dead_ends) + ": nothing follows in the composition table"
    return ""


def _through(catalog: Catalog, plan: _Plan, m: Mapping, x: XRow) -> CarriedRow | None:
    """``m`` carried through the crosswalk step ``x``, or None when the composition table gives nothing."""
    relation: Relation | None
    if plan.side == "object":
        relation = compose(m.relation, x.relation)
        combined = compose(m.combined_relation, x.relation) if m.combined_relation else None
        subject, obj = m.subject_id, x.new
    else:
        relation = compose(x.relation.inverse, m.relation)
        combined = compose(x.relation.inverse, m.combined_relation) if m.combined_relation else None
        subject, obj = x.new, m.object_id
    if relation is None:
        return None
    reasons = _review_reasons(x, m.relation, relation)
    group = f"{m.group}>{x.new.split(':', 1)[1]}" if m.group and combined is not None else ""
    tag = x.provenance.tag if x.provenance else ""

    def label(cid: str) -> str:
        return cid if cid == NO_TERM else f"{cid}「{catalog.control(cid).title}」"

    text = (f"{CARRIED_MARK} {label(m.subject_id)} {m.relation.value} {label(m.object_id)} を"
            f"箇条対応 {x.origin.rsplit('/', 1)[-1]} ({x.old} {x.change} → {x.new}{' ' + tag if tag else ''})"
            f"で {plan.target.key} へ繰越(推論)。")
    if reasons:
        text += " 要確認: " + "; ".join(reasons) + "。"
    if m.comment:
        text += f" 元の注記: {m.comment}"
    carried = Mapping(
        subject_id=subject, object_id=obj, relation=relation, strength=min(m.strength, x.strength),
        confidence=round(m.confidence * x.confidence, 4), justification=CHAINING, author=m.author,
        reviewer="", date=plan.today, comment=text, group=group, combined_relation=combined if group else None,
        combined_strength=min(m.combined_strength or 0, x.strength) if group else None,
        provenance=Provenance.RECONSTRUCTED, extra=_review_slot(reasons),
    )
    return CarriedRow(carried, m, x, reasons)


def _review_slot(reasons: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The ``needs_review`` extension slot of a carried row (``true`` when there are reasons to look again)."""
    return ((NEEDS_REVIEW, "true" if reasons else "false"),)


def _carried_set(catalog: Catalog, plan: _Plan, rows: tuple[CarriedRow, ...], not_carried: int,
                 set_id: str | None) -> MappingSet:
    ms, target, current = plan.ms, plan.target, plan.current
    review = sum(1 for r in rows if r.needs_review)
    return MappingSet(
        id=set_id or f"{ms.id}-carried-{target.id}-{target.edition}",
        title=f"{ms.title or ms.id} ⇒ {target.edition_label or target.key}(繰越・推論)",
        subject_framework=target.key if plan.side == "subject" else catalog.framework(ms.subject_framework).key,
        object_framework=target.key if plan.side == "object" else catalog.framework(ms.object_framework).key,
        mappings=tuple(r.mapping for r in rows), complete=False, kind="curated",
        description=(f"{ms.id} を {current.key} → {target.key} の箇条対応(crosswalk)で繰り越した推論行。"
                     f"合成表と最弱リンクで関係と強度を求めた。全 {len(rows)} 行が推論([I], semapv:MappingChaining, "
                     f"レビュー者なし)、うち {review} 行は要確認。繰り越せなかった元の行: {not_carried}。"
                     "人が確認するまで確定した対応付けとして扱わないこと。"),
        license=ms.license, version=plan.today, creators=(*ms.creators, "controlmap editions carry"),
    )


def _carried_gaps(catalog: Catalog, ms: MappingSet, o_fw: Framework, step: dict[str, list[XRow]],
                  reached: set[str], today: str) -> dict[_Key, CarriedRow]:
    """Carried ``sssom:NoTermFound`` rows for targets that only continue clauses reviewed as gaps."""
    positive = {m.object_id for m in ms.mappings
                if m.subject_id != NO_TERM and m.relation is not Relation.NO_RELATIONSHIP}
    explicit = {m.object_id: m for m in ms.mappings if m.subject_id == NO_TERM}
    assessed = ({c.id for c in catalog.assessable(o_fw)} if ms.complete else set()) | set(explicit)
    gaps = assessed - positive
    into: dict[str, list[XRow]] = {}
    for rows in step.values():
        for x in rows:
            into.setdefault(x.new, []).append(x)
    out: dict[_Key, CarriedRow] = {}
    for t, xs in into.items():
        if t in reached or not any(x.change in _EQUAL_CHANGES for x in xs) or not all(x.old in gaps for x in xs):
            continue
        x = next(x for x in xs if x.change in _EQUAL_CHANGES)
        reasons = () if x.provenance is Provenance.READ else ("crosswalk row is reconstructed [I]",)
        prev = explicit.get(x.old)
        why = "no_relationship 行" if prev else "完全な対応付けセットで対応なし"
        text = (f"{CARRIED_MARK} {x.old}「{catalog.control(x.old).title}」は {ms.id.rsplit('/', 1)[-1]} で"
                f"ギャップ({why})。{x.change} で {t} に引き継がれたためギャップとして繰越(推論)。")
        if reasons:
            text = f"{text} 要確認: {'; '.join(reasons)}。"
        original = prev or Mapping(NO_TERM, x.old, Relation.NO_RELATIONSHIP)
        gap = Mapping(NO_TERM, t, Relation.NO_RELATIONSHIP, strength=0, confidence=x.confidence,
                      justification=CHAINING, author=original.author, reviewer="", date=today, comment=text,
                      provenance=Provenance.RECONSTRUCTED, extra=_review_slot(reasons))
        out[(NO_TERM, t, "")] = CarriedRow(gap, original, x, reasons)
    return out

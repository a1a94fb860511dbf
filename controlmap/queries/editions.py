"""Framework editions: what changed between two editions (from the crosswalks), and carrying curated mappings forward.

The crosswalk files in ``data/crosswalks`` say, row by row, how a clause of one edition became a clause
of another (``Mapping.change_type``: equivalent, renamed, renumbered, renumbered_modified, moved,
extended, split, merged, partial, new, removed). The words describe the change from the older
edition to the newer one, whichever way a file is written. :func:`diff_editions` lists them;
:func:`carry_mappings` re-targets a curated mapping set through a crosswalk with the composition table
of the mapping semantics (weakest link, confidence multiplied), using each crosswalk row's own relation
(read the other way round, inverted, when the file runs newer -> older). Every carried row is inferred
(``semapv:MappingChaining``, provenance ``[I]``, no reviewer, a comment naming the crosswalk row) and
the ones that went through a partial, split, merged or renumbered_modified step, or a crosswalk row
that is itself only reconstructed (``[I]``), start their comment with :data:`REVIEW_MARK`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date as _date

from ..errors import ControlmapError
from ..model import NO_TERM, Catalog, Framework, Mapping, MappingSet, Provenance, Relation, compose
from ..normalize import norm

__all__ = [
    "CARRIED_MARK",
    "REVIEW_CHANGES",
    "REVIEW_MARK",
    "CarriedRow",
    "CarryResult",
    "DiffEntry",
    "EditionDiff",
    "carry_mappings",
    "crosswalk_rows",
    "diff_editions",
    "format_diff",
    "is_carried",
    "needs_review",
]

REVIEW_CHANGES = frozenset({"partial", "split", "merged", "renumbered_modified"})
REVIEW_MARK = "[要確認 needs_review]"
CARRIED_MARK = "[繰越 carried]"
CHAINING = "semapv:MappingChaining"
_BACKWARDS = {"new": "removed", "removed": "new", "split": "merged", "merged": "split", "extended": "reduced"}
_EQUAL_CHANGES = frozenset({"equivalent", "renamed", "renumbered", "moved"})


def needs_review(mapping: Mapping) -> bool:
    """True for a carried row flagged for review (its comment starts with :data:`REVIEW_MARK`)."""
    return mapping.comment.startswith(REVIEW_MARK)


def is_carried(mapping: Mapping) -> bool:
    """True for a row made by :func:`carry_mappings` (inferred, never curated by a person yet)."""
    return mapping.justification == CHAINING and CARRIED_MARK in mapping.comment


# -- crosswalk rows, oriented from the older to the newer edition --------------------------------
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


def crosswalk_rows(catalog: Catalog, a: str | Framework, b: str | Framework) -> tuple[Framework, Framework, list[XRow]]:
    """The older and newer of two editions and the crosswalk rows between them, read old -> new.

    Raises ControlmapError when no crosswalk set joins the two editions.
    """
    fa = a if isinstance(a, Framework) else catalog.framework(a)
    fb = b if isinstance(b, Framework) else catalog.framework(b)
    if fa.id != fb.id or fa.key == fb.key:
        raise ControlmapError(f"{fa.key} and {fb.key} are not two editions of one framework")
    old, new = (fa, fb) if _older(fa, fb) else (fb, fa)
    rows: list[XRow] = []
    sets = [s for s in catalog.mapping_sets if s.kind == "crosswalk"
            and {s.subject_framework, s.object_framework} == {old.key, new.key}]
    if not sets:
        known = sorted(f"{s.subject_framework} ↔ {s.object_framework}" for s in catalog.mapping_sets
                       if s.kind == "crosswalk" and fa.id in s.subject_framework)
        raise ControlmapError(f"no crosswalk between {fa.key} and {fb.key}; crosswalks of {fa.id}: "
                              + (", ".join(known) or "none"))
    for s in sets:
        forward = s.subject_framework == old.key
        for m in s.mappings:
            o, n = (m.subject_id, m.object_id) if forward else (m.object_id, m.subject_id)
            relation = m.relation if forward else m.relation.inverse   # the row's own relation, read old -> new
            rows.append(XRow(o, n, m.change_type or "unspecified", relation, m.strength, m.confidence,
                             m.provenance, m.comment, m.origin, s.id))
    return old, new, rows


# -- diff ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiffEntry:
    """One change between two editions: clauses before (``old``) and after (``new``), from the crosswalk."""

    change: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    old_titles: tuple[str, ...]
    new_titles: tuple[str, ...]
    provenance: str = ""
    note: str = ""
    number_changed: bool = False
    title_changed: bool = False
    origins: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditionDiff:
    """What changed from edition ``source`` to edition ``target`` (``backwards`` when source is the newer)."""

    source: str
    target: str
    backwards: bool
    crosswalks: tuple[str, ...]
    entries: tuple[DiffEntry, ...]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.entries:
            out[e.change] = out.get(e.change, 0) + 1
        return out

    def by_change(self, change: str) -> list[DiffEntry]:
        return [e for e in self.entries if e.change == change]


def _notation(catalog: Catalog, cid: str) -> str:
    return catalog.control(cid).notation


def diff_editions(catalog: Catalog, source: str, target: str) -> EditionDiff:
    """Renumbered, renamed, split, merged, new, removed … clauses from ``source`` to ``target``.

    Split rows are grouped by the clause that was split, merged rows by the clause they became; clauses
    of either edition that no crosswalk row mentions are listed as ``not_in_crosswalk``.

    Examples
    --------
    >>> import controlmap as cm
    >>> d = diff_editions(cm.load().catalog, "jisq15001@2006", "jisq15001@2017")
    >>> [(e.old, e.new) for e in d.by_change("split")]
    [(('JISQ15001-2006:3.2',), ('JISQ15001-2017:A.3.2.1', 'JISQ15001-2017:A.3.2.2'))]
    """
    fs, ft = catalog.framework(source), catalog.framework(target)
    old, new, rows = crosswalk_rows(catalog, fs, ft)
    backwards = fs.key == new.key
    entries: list[DiffEntry] = []
    grouped: dict[tuple[str, str], list[XRow]] = {}
    for r in rows:
        if r.change == "split" and r.old != NO_TERM:
            grouped.setdefault(("split", r.old), []).append(r)
        elif r.change == "merged" and r.new != NO_TERM:
            grouped.setdefault(("merged", r.new), []).append(r)
        else:
            grouped.setdefault((r.change, f"{r.old}|{r.new}|{r.origin}"), []).append(r)

    def titles(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(catalog.control(i).title for i in ids)

    for (change, _), group in grouped.items():
        olds = tuple(dict.fromkeys(r.old for r in group if r.old != NO_TERM))
        news = tuple(dict.fromkeys(r.new for r in group if r.new != NO_TERM))
        if not olds and change not in ("new",):
            change = "new"
        if not news and change not in ("removed",):
            change = "removed"
        tags = "".join(sorted({r.provenance.tag for r in group if r.provenance}))
        number_changed = len(olds) == len(news) == 1 and norm(_notation(catalog, olds[0])) != norm(_notation(catalog, news[0]))
        title_changed = len(olds) == len(news) == 1 and norm(titles(olds)[0]) != norm(titles(news)[0])
        a, b = (news, olds) if backwards else (olds, news)
        entries.append(DiffEntry(
            change=_BACKWARDS.get(change, change) if backwards else change, old=a, new=b,
            old_titles=titles(a), new_titles=titles(b), provenance=tags,
            note=" / ".join(dict.fromkeys(r.comment for r in group if r.comment)),
            number_changed=number_changed, title_changed=title_changed,
            origins=tuple(r.origin for r in group),
        ))
    mentioned = {r.old for r in rows} | {r.new for r in rows}
    for fw, side in ((fs, "old"), (ft, "new")):
        for c in catalog.controls_of(fw):
            if c.id not in mentioned:
                ids = (c.id,)
                entries.append(DiffEntry("not_in_crosswalk", ids if side == "old" else (), ids if side == "new" else (),
                                         (c.title,) if side == "old" else (), (c.title,) if side == "new" else (),
                                         c.provenance.tag, "no crosswalk row mentions this clause"))
    order = {c.id: i for i, c in enumerate(catalog.controls)}
    entries.sort(key=lambda e: (e.change == "not_in_crosswalk", min((order.get(i, 0) for i in e.old), default=1 << 30),
                                min((order.get(i, 0) for i in e.new), default=1 << 30)))
    return EditionDiff(fs.key, ft.key, backwards, tuple(sorted({r.set_id for r in rows})), tuple(entries))


def format_diff(diff: EditionDiff, catalog: Catalog, fmt: str = "table") -> str:
    """The diff as a terminal ``table``, Markdown (``md``) or ``json``."""
    show = lambda ids: ", ".join(_notation(catalog, i) for i in ids) or "—"  # noqa: E731
    if fmt == "json":
        return json.dumps({
            "source": diff.source, "target": diff.target, "backwards": diff.backwards,
            "crosswalks": list(diff.crosswalks), "counts": diff.counts(),
            "entries": [{"change": e.change, "old": list(e.old), "new": list(e.new), "old_titles": list(e.old_titles),
                         "new_titles": list(e.new_titles), "provenance": e.provenance, "note": e.note,
                         "number_changed": e.number_changed, "title_changed": e.title_changed} for e in diff.entries],
        }, ensure_ascii=False, indent=2)
    head = f"{diff.source} → {diff.target}" + (" (newer to older: words reversed)" if diff.backwards else "")
    counts = ", ".join(f"{k} {v}" for k, v in sorted(diff.counts().items()))
    if fmt == "md":
        cell = lambda s: str(s).replace("|", "\\|").replace("\n", " ")  # noqa: E731
        lines = [f"# {cell(head)}", "", f"{cell(counts)}", "", f"crosswalk: {cell(', '.join(diff.crosswalks))}", "",
                 "| change | before | after | before title | after title | tag | note |",
                 "|---|---|---|---|---|---|---|"]
        for e in diff.entries:
            lines.append("| " + " | ".join(cell(x) for x in (e.change, show(e.old), show(e.new), " / ".join(e.old_titles),
                                                                 " / ".join(e.new_titles), e.provenance, e.note)) + " |")
        return "\n".join(lines) + "\n"
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; use table, md or json")
    from ..textwidth import pad

    lines = [head, counts, f"crosswalk: {', '.join(diff.crosswalks)}", "",
             f"{pad('change', 20)} {pad('before', 22)} {pad('after', 30)} tag   titles"]
    for e in diff.entries:
        title = " / ".join(e.old_titles) + (" → " if e.old_titles and e.new_titles else "") + " / ".join(e.new_titles)
        lines.append(f"{pad(e.change, 20)} {pad(show(e.old), 22)} {pad(show(e.new), 30)} {pad(e.provenance, 5)} {title}")
    lines.append("")
    lines.append("[R] read in a cited source, [I] reconstructed; not_in_crosswalk = no crosswalk row says what became of it")
    return "\n".join(lines) + "\n"


# -- carry -----------------------------------------------------------------------------------------
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
    """
    ms = mapping_set if isinstance(mapping_set, MappingSet) else next(
        (s for s in catalog.mapping_sets if s.id == mapping_set), None)
    if ms is None:
        raise ControlmapError(f"unknown mapping set {mapping_set!r}")
    target = catalog.framework(to)
    s_fw, o_fw = catalog.framework(ms.subject_framework), catalog.framework(ms.object_framework)
    if o_fw.id == target.id and o_fw.key != target.key:
        side, current = "object", o_fw
    elif s_fw.id == target.id and s_fw.key != target.key:
        side, current = "subject", s_fw
    else:
        raise ControlmapError(f"{ms.id} maps {s_fw.key} to {o_fw.key}; neither side is another edition of {target.key}")
    old, new, rows = crosswalk_rows(catalog, current, target)
    step: dict[str, list[XRow]] = {}      # clause of the current edition -> rows into the target edition
    for x in rows:
        a, b = (x.old, x.new) if current.key == old.key else (x.new, x.old)
        if a == NO_TERM or b == NO_TERM:
            continue
        relation = x.relation if current.key == old.key else x.relation.inverse
        step.setdefault(a, []).append(XRow(a, b, x.change, relation, x.strength, x.confidence, x.provenance,
                                           x.comment, x.origin, x.set_id))
    today = date or _date.today().isoformat()
    best: dict[tuple[str, str, str], CarriedRow] = {}
    not_carried: list[tuple[Mapping, str]] = []

    def label(cid: str) -> str:
        return cid if cid == NO_TERM else f"{cid}「{catalog.control(cid).title}」"

    for m in ms.mappings:
        anchor = m.object_id if side == "object" else m.subject_id
        if NO_TERM in (m.subject_id, m.object_id) or m.relation is Relation.NO_RELATIONSHIP:
            if side == "subject" or m.subject_id != NO_TERM:
                not_carried.append((m, "a 'no counterpart' row cannot be carried: the other edition may have "
                                       "added one; review it against the new edition"))
            continue
        steps = step.get(anchor, [])
        if not steps:
            not_carried.append((m, f"no crosswalk row leads from {anchor} to {target.key}"))
            continue
        dead_ends = []
        for x in steps:
            if side == "object":
                relation = compose(m.relation, x.relation)
                combined = compose(m.combined_relation, x.relation) if m.combined_relation else None
                subject, obj = m.subject_id, x.new
            else:
                relation = compose(x.relation.inverse, m.relation)
                combined = compose(x.relation.inverse, m.combined_relation) if m.combined_relation else None
                subject, obj = x.new, m.object_id
            if relation is None:
                dead_ends.append(f"{m.relation.value} then {x.change} ({x.relation.value}) to {x.new}")
                continue
            reasons = _review_reasons(x, m.relation, relation)
            group = f"{m.group}>{x.new.split(':', 1)[1]}" if m.group and combined is not None else ""
            tag = x.provenance.tag if x.provenance else ""
            text = (f"{CARRIED_MARK} {label(m.subject_id)} {m.relation.value} {label(m.object_id)} を"
                    f"箇条対応 {x.origin.rsplit('/', 1)[-1]} ({x.old} {x.change} → {x.new}{' ' + tag if tag else ''})"
                    f"で {target.key} へ繰越(推論)。")
            if reasons:
                text = f"{REVIEW_MARK} " + text + " 要確認: " + "; ".join(reasons) + "。"
            if m.comment:
                text += f" 元の注記: {m.comment}"
            carried = Mapping(
                subject_id=subject, object_id=obj, relation=relation, strength=min(m.strength, x.strength),
                confidence=round(m.confidence * x.confidence, 4), justification=CHAINING, author=m.author,
                reviewer="", date=today, comment=text, group=group, combined_relation=combined if group else None,
                combined_strength=min(m.combined_strength or 0, x.strength) if group else None,
                provenance=Provenance.RECONSTRUCTED,
            )
            key = (subject, obj, group)
            row = CarriedRow(carried, m, x, reasons)
            held = best.get(key)
            if held is None or (relation.rank, carried.strength, carried.confidence) > (
                    held.mapping.relation.rank, held.mapping.strength, held.mapping.confidence):
                best[key] = row
        if len(dead_ends) == len(steps):
            not_carried.append((m, "; ".join(dead_ends) + ": nothing follows in the composition table"))
    if side == "object":
        best.update(_carried_gaps(catalog, ms, o_fw, step, {k[1] for k in best}, today))
    out_rows = tuple(best[k] for k in sorted(best))
    new_id = set_id or f"{ms.id}-carried-{target.id}-{target.edition}"
    review = sum(1 for r in out_rows if r.needs_review)
    carried_set = MappingSet(
        id=new_id, title=f"{ms.title or ms.id} ⇒ {target.edition_label or target.key}(繰越・推論)",
        subject_framework=target.key if side == "subject" else s_fw.key,
        object_framework=target.key if side == "object" else o_fw.key,
        mappings=tuple(r.mapping for r in out_rows), complete=False, kind="curated",
        description=(f"{ms.id} を {current.key} → {target.key} の箇条対応(crosswalk)で繰り越した推論行。"
                     f"合成表と最弱リンクで関係と強度を求めた。全 {len(out_rows)} 行が推論([I], semapv:MappingChaining, "
                     f"レビュー者なし)、うち {review} 行は要確認。繰り越せなかった元の行: {len(not_carried)}。"
                     "人が確認するまで確定した対応付けとして扱わないこと。"),
        license=ms.license, version=today, creators=(*ms.creators, "controlmap editions carry"),
    )
    return CarryResult(carried_set, out_rows, tuple(not_carried))


def _carried_gaps(catalog: Catalog, ms: MappingSet, o_fw: Framework, step: dict[str, list[XRow]],
                  reached: set[str], today: str) -> dict[tuple[str, str, str], CarriedRow]:
    positive = {m.object_id for m in ms.mappings if m.subject_id != NO_TERM and m.relation is not Relation.NO_RELATIONSHIP}
    explicit = {m.object_id: m for m in ms.mappings if m.subject_id == NO_TERM}
    assessed = ({c.id for c in catalog.assessable(o_fw)} if ms.complete else set()) | set(explicit)
    gaps = assessed - positive
    into: dict[str, list[XRow]] = {}
    for rows in step.values():
        for x in rows:
            into.setdefault(x.new, []).append(x)
    out: dict[tuple[str, str, str], CarriedRow] = {}
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
            text = f"{REVIEW_MARK} {text} 要確認: {'; '.join(reasons)}。"
        original = prev or Mapping(NO_TERM, x.old, Relation.NO_RELATIONSHIP)
        gap = Mapping(NO_TERM, t, Relation.NO_RELATIONSHIP, strength=0, confidence=x.confidence,
                      justification=CHAINING, author=original.author, reviewer="", date=today, comment=text,
                      provenance=Provenance.RECONSTRUCTED)
        out[(NO_TERM, t, "")] = CarriedRow(gap, original, x, reasons)
    return out

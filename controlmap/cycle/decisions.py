"""Committee decisions (the A of PDCA): candidates and proposals from proposed to adopted, rejected or deferred.

Every candidate additional check item (from :func:`controlmap.gaps`) and every survey proposal
(from :mod:`controlmap.survey`) gets a record in a decisions file kept in the user's workspace
(``decisions.yaml``). A record moves only along these transitions, each with a reason, a reviewer
and a date, and keeps its whole history::

    proposed ──► under_review ──► adopted            (final)
                     ▲   │
                     │   ├──────► rejected ─┐
                     │   └──────► deferred ─┤
                     └──────────────────────┘  (re-examined)

An adopted candidate becomes a check item of the municipality's own checklist with a stable id
``MIC-ADD-01``, ``MIC-ADD-02`` … (numbered in order of adoption, never reused), held as the
framework edition ``mic_additional@local`` (prefix ``MICADD``) with ``equal`` mappings to the
reference requirements it came from; the next year's I-sheet includes it. An adopted proposal
is a measure for an existing item and appears beside that item in the next I-sheet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ControlmapError, DataError, Problem
from ..normalize import norm

if TYPE_CHECKING:
    from ..model import Catalog, Control, Framework
    from ..results import Candidate, GapResult
    from .survey import Proposal

__all__ = [
    "ADDITIONAL_FRAMEWORK",
    "DEFAULT_PATH",
    "TRANSITIONS",
    "Decision",
    "DecisionState",
    "Decisions",
    "Event",
    "TransitionError",
    "additional_catalog",
    "decide",
    "decisions_records",
    "parse_state",
    "read_decisions",
    "register",
    "review_records",
    "transition",
    "write_decisions",
]

DEFAULT_PATH = Path("decisions.yaml")
ADDITIONAL_FRAMEWORK = "mic_additional@local"
ADDITIONAL_PREFIX = "MICADD"
ADOPTED_STRENGTH = 8
_ADD_ID = re.compile(r"^MIC-ADD-(\d{2,})$")
KINDS = ("candidate", "proposal")


class TransitionError(ControlmapError, ValueError):
    """A decision cannot move to the state asked for (or names no known candidate or proposal)."""


class DecisionState(str, Enum):
    """Where a candidate or proposal stands in the committee's review; the value is written to the file."""

    PROPOSED = "proposed"
    UNDER_REVIEW = "under_review"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    DEFERRED = "deferred"

    def __str__(self) -> str:
        return self.value

    @property
    def label_ja(self) -> str:
        return _JA[self]


_JA = {
    DecisionState.PROPOSED: "提案",
    DecisionState.UNDER_REVIEW: "審議中",
    DecisionState.ADOPTED: "採択",
    DecisionState.REJECTED: "不採択",
    DecisionState.DEFERRED: "保留",
}
TRANSITIONS: dict[DecisionState, frozenset[DecisionState]] = {
    DecisionState.PROPOSED: frozenset({DecisionState.UNDER_REVIEW}),
    DecisionState.UNDER_REVIEW: frozenset({DecisionState.ADOPTED, DecisionState.REJECTED, DecisionState.DEFERRED}),
    DecisionState.DEFERRED: frozenset({DecisionState.UNDER_REVIEW}),
    DecisionState.REJECTED: frozenset({DecisionState.UNDER_REVIEW}),
    DecisionState.ADOPTED: frozenset(),
}
_NEEDS_REASON = {DecisionState.ADOPTED, DecisionState.REJECTED, DecisionState.DEFERRED}
_STATE_WORDS = {norm(s.value).casefold(): s for s in DecisionState} | {s.label_ja: s for s in DecisionState} | {
    "under review": DecisionState.UNDER_REVIEW, "under-review": DecisionState.UNDER_REVIEW,
    "review": DecisionState.UNDER_REVIEW, "reviewing": DecisionState.UNDER_REVIEW,
    "adopt": DecisionState.ADOPTED, "accepted": DecisionState.ADOPTED, "reject": DecisionState.REJECTED,
    "defer": DecisionState.DEFERRED, "postponed": DecisionState.DEFERRED, "検討中": DecisionState.UNDER_REVIEW,
    "採用": DecisionState.ADOPTED, "否決": DecisionState.REJECTED, "継続審議": DecisionState.DEFERRED,
}


def parse_state(text: str) -> DecisionState:
    """The state a word names (English or Japanese).

    >>> parse_state("under review"), parse_state("採択")
    (<DecisionState.UNDER_REVIEW: 'under_review'>, <DecisionState.ADOPTED: 'adopted'>)
    """
    state = _STATE_WORDS.get(norm(text).casefold())
    if state is None:
        raise ValueError(f"unknown state {text!r}; use one of: "
                         + ", ".join(f"{s.value} ({s.label_ja})" for s in DecisionState))
    return state


@dataclass(frozen=True, slots=True)
class Event:
    """One step in a record's history."""

    state: DecisionState
    date: str
    reviewer: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    """A candidate or proposal with its current state and history, and what it would add to the checklist."""

    id: str
    kind: str
    title: str
    history: tuple[Event, ...]
    check_question: str = ""
    targets: tuple[str, ...] = ()
    target_titles: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()
    provenance: str = ""
    suggested_chapter: str = ""
    suggested_chapter_title: str = ""
    item: str = ""
    action: str = ""
    basis: str = ""
    adopted_id: str = ""
    origin: str = field(default="", compare=False)

    @property
    def state(self) -> DecisionState:
        return self.history[-1].state

    @property
    def last(self) -> Event:
        return self.history[-1]

    @property
    def reason(self) -> str:
        return self.last.reason

    @property
    def reviewer(self) -> str:
        return self.last.reviewer

    @property
    def date(self) -> str:
        return self.last.date

    @property
    def adopted_on(self) -> str:
        """The date it was adopted, or ''."""
        return next((e.date for e in self.history if e.state is DecisionState.ADOPTED), "")


@dataclass(frozen=True)
class Decisions:
    """Every decision record of one decisions file, in the order they were registered."""

    records: tuple[Decision, ...] = ()

    def get(self, decision_id: str) -> Decision | None:
        wanted = norm(decision_id)
        return next((d for d in self.records if norm(d.id) == wanted), None)

    def __getitem__(self, decision_id: str) -> Decision:
        found = self.get(decision_id)
        if found is None:
            raise KeyError(decision_id)
        return found

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self):
        return iter(self.records)

    def in_state(self, state: DecisionState | str) -> list[Decision]:
        wanted = state if isinstance(state, DecisionState) else parse_state(state)
        return [d for d in self.records if d.state is wanted]

    def adopted(self, kind: str | None = None) -> list[Decision]:
        """Adopted records (optionally of one kind), candidates in MIC-ADD order."""
        out = [d for d in self.records if d.state is DecisionState.ADOPTED and (kind is None or d.kind == kind)]
        return sorted(out, key=lambda d: (d.kind, _add_number(d.adopted_id), d.id))

    def next_additional_id(self) -> str:
        numbers = [_add_number(d.adopted_id) for d in self.records if d.adopted_id]
        return f"MIC-ADD-{max(numbers, default=0) + 1:02d}"

    def with_record(self, record: Decision) -> Decisions:
        """A copy with ``record`` replacing the one of the same id (or appended)."""
        found = False
        out = []
        for d in self.records:
            if d.id == record.id:
                out.append(record)
                found = True
            else:
                out.append(d)
        if not found:
            out.append(record)
        return Decisions(tuple(out))


def _add_number(adopted_id: str) -> int:
    m = _ADD_ID.match(adopted_id or "")
    return int(m.group(1)) if m else 0


# -- registering and moving ----------------------------------------------------------------------------------
def _today() -> str:
    return date.today().isoformat()


def _from_candidate(c: Candidate, day: str) -> Decision:
    return Decision(
        id=c.id, kind="candidate", title=c.title, check_question=c.check_question, targets=c.targets,
        target_titles=c.target_titles, frameworks=c.frameworks, provenance=c.provenance_tags,
        suggested_chapter=c.suggested_chapter, suggested_chapter_title=c.suggested_chapter_title, basis=c.reason,
        history=(Event(DecisionState.PROPOSED, day, "", "ギャップ分析の候補"),),
    )


def _from_proposal(p: Proposal, day: str) -> Decision:
    return Decision(
        id=p.id, kind="proposal", title=f"{p.notation} {p.title}: {p.action.label_ja}", item=p.item_id,
        action=p.action.value, basis=p.reason, check_question=p.measure, provenance=p.provenance,
        history=(Event(DecisionState.PROPOSED, day, "", f"{p.year}年度 職員アンケートからの提案"),),
    )


def register(decisions: Decisions, items: Iterable[Candidate | Proposal], *, day: str | None = None) -> Decisions:
    """Add a ``proposed`` record for every candidate or proposal not yet in the file (existing ones are kept).

    The record keeps a copy of what was proposed (title, check question, targets), so the decision
    still reads the same after the data or the analysis changes.
    """
    from .survey import Proposal

    day = day or _today()
    out = decisions
    for item in items:
        if decisions.get(item.id) is not None:
            continue
        record = _from_proposal(item, day) if isinstance(item, Proposal) else _from_candidate(item, day)
        out = out.with_record(record)
    return out


def transition(decisions: Decisions, decision_id: str, state: DecisionState | str, *, reviewer: str,
               reason: str = "", day: str | date | None = None) -> Decisions:
    """The decisions with one record moved to ``state``; an illegal move raises TransitionError.

    Examples
    --------
    >>> d = Decisions((Decision("C-X", "candidate", "例", (Event(DecisionState.PROPOSED, "2026-10-01"),)),))
    >>> transition(d, "C-X", "adopted", reviewer="委員会", reason="必要")
    Traceback (most recent call last):
    ...
    controlmap.cycle.decisions.TransitionError: C-X is proposed (提案); it cannot become adopted (採択) directly: allowed next: under_review (審議中)
    """
    record = decisions.get(decision_id)
    if record is None:
        raise TransitionError(f"no decision record {decision_id!r}; known: "
                              + (", ".join(d.id for d in decisions.records[:10]) or "none")
                              + (" …" if len(decisions) > 10 else ""))
    target = state if isinstance(state, DecisionState) else parse_state(state)
    allowed = TRANSITIONS[record.state]
    if target not in allowed:
        if not allowed:
            raise TransitionError(f"{record.id} is already {record.state.value} ({record.state.label_ja})"
                                  f"{' as ' + record.adopted_id if record.adopted_id else ''} on {record.date}; "
                                  f"it cannot become {target.value} ({target.label_ja}): an adopted item is part "
                                  "of the checklist and keeps its state")
        nexts = ", ".join(f"{s.value} ({s.label_ja})" for s in sorted(allowed, key=list(DecisionState).index))
        raise TransitionError(f"{record.id} is {record.state.value} ({record.state.label_ja}); it cannot become "
                              f"{target.value} ({target.label_ja}) directly: allowed next: {nexts}")
    if not reviewer.strip():
        raise TransitionError(f"{record.id}: a decision needs the reviewer (--reviewer)")
    if target in _NEEDS_REASON and not reason.strip():
        raise TransitionError(f"{record.id}: {target.value} ({target.label_ja}) needs a reason (--reason)")
    when = day.isoformat() if isinstance(day, date) else (day or _today())
    _check_date(when, record.id)
    if len(record.history) > 1 and when < record.date:  # (registration is machine-dated; decisions may be entered late)
        raise TransitionError(f"{record.id}: date {when} is before its last decision ({record.date})")
    event = Event(target, when, reviewer.strip(), reason.strip())
    updated = replace(record, history=(*record.history, event))
    if target is DecisionState.ADOPTED and record.kind == "candidate":
        updated = replace(updated, adopted_id=decisions.next_additional_id())
    return decisions.with_record(updated)


def _check_date(text: str, what: str) -> None:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise TransitionError(f"{what}: date {text!r} is not a date like 2026-11-26") from None


def decide(path: str | Path, decision_id: str, state: DecisionState | str, *, reviewer: str, reason: str = "",
           day: str | date | None = None, candidates: Iterable[Candidate] = (),
           proposals: Iterable[Proposal] = ()) -> Decision:
    """Read the decisions file, register ``decision_id`` from ``candidates``/``proposals`` if new, move it, write it back."""
    decisions = read_decisions(path)
    if decisions.get(decision_id) is None:
        wanted = norm(decision_id)
        match = [x for x in (*candidates, *proposals) if norm(x.id) == wanted]
        if not match:
            raise TransitionError(f"{decision_id!r} is neither in {path} nor a current candidate or proposal; "
                                  "candidate ids look like C-JISQ15001-2006-3.6 (see 'controlmap gaps'), proposal "
                                  "ids like P-2026-MIC-04-12 (see 'controlmap survey import')")
        decisions = register(decisions, match, day=day.isoformat() if isinstance(day, date) else day)
        decision_id = match[0].id
    decisions = transition(decisions, decision_id, state, reviewer=reviewer, reason=reason, day=day)
    write_decisions(decisions, path)
    return decisions[decision_id]


# -- file ------------------------------------------------------------------------------------------------------
_RECORD_KEYS = ("id", "kind", "state", "adopted_id", "title", "check_question", "item", "action", "targets",
                "target_titles", "frameworks", "provenance", "suggested_chapter", "suggested_chapter_title",
                "basis", "history")
_HEADER = """\
# 運用監視委員会の決定記録 (controlmap decisions file)
# 候補(candidate)と職員アンケートからの提案(proposal)ごとに、状態と経過(history)を記録する。
# 状態: proposed(提案) → under_review(審議中) → adopted(採択) / rejected(不採択) / deferred(保留)
# 変更は 'controlmap decide ID --state … --reason … --reviewer …' で行うと、遷移と日付が検査される。
# 採択された候補には MIC-ADD-nn の番号が付き、翌年度の I-sheet に点検項目として入る。
"""


def parse_decisions(text: str, file: str) -> Decisions:
    """Decisions from the text of a decisions file; every problem is raised together."""
    import yaml

    try:
        doc = yaml.safe_load(text) or {}
        lines = _record_lines(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise DataError([Problem(file, mark.line + 1 if mark else None, None,
                                 f"invalid YAML: {getattr(err, 'problem', err)}")]) from err
    if not isinstance(doc, dict) or not isinstance(doc.get("decisions", []), list):
        raise DataError([Problem(file, 1, None, "expected a mapping with a list 'decisions:'")])
    problems: list[Problem] = []
    records: list[Decision] = []
    seen: dict[str, int] = {}
    adopted_ids: dict[str, str] = {}
    for i, raw in enumerate(doc.get("decisions") or [], start=1):
        row = lines[i - 1] if i - 1 < len(lines) else f"decisions[{i}]"

        def bad(column: str | None, message: str) -> None:
            problems.append(Problem(file, row, column, message))

        if not isinstance(raw, dict):
            bad(None, "each decision must be a mapping")
            continue
        for key in raw:
            if key not in _RECORD_KEYS:
                bad(str(key), f"unknown key {key!r}; known keys: {', '.join(_RECORD_KEYS)}")
        rid = str(raw.get("id") or "").strip()
        if not rid:
            bad("id", "missing id")
            continue
        if rid in seen:
            bad("id", f"{rid} is recorded twice (first at line {seen[rid]})")
            continue
        seen[rid] = row if isinstance(row, int) else i
        kind = str(raw.get("kind") or "")
        if kind not in KINDS:
            bad("kind", f"kind must be candidate or proposal, not {kind!r}")
        history = _history(raw.get("history"), rid, bad)
        if not history:
            continue
        state_text = str(raw.get("state") or history[-1].state.value)
        try:
            state = parse_state(state_text)
        except ValueError as err:
            bad("state", str(err))
            continue
        if state is not history[-1].state:
            bad("state", f"state {state.value} differs from the last history step ({history[-1].state.value}); "
                         "change states with 'controlmap decide' so the history stays complete")
        adopted_id = str(raw.get("adopted_id") or "")
        if kind == "candidate" and state is DecisionState.ADOPTED:
            if not _ADD_ID.match(adopted_id):
                bad("adopted_id", f"an adopted candidate needs adopted_id like MIC-ADD-01, not {adopted_id!r}")
            elif adopted_id in adopted_ids:
                bad("adopted_id", f"{adopted_id} is also given to {adopted_ids[adopted_id]}")
            else:
                adopted_ids[adopted_id] = rid
        elif adopted_id and state is not DecisionState.ADOPTED:
            bad("adopted_id", f"{rid} has adopted_id {adopted_id} but is {state.value}")

        def tup(key: str) -> tuple[str, ...]:
            value = raw.get(key) or ()
            return tuple(str(v) for v in (value if isinstance(value, list) else [value]))

        records.append(Decision(
            id=rid, kind=kind, title=str(raw.get("title") or ""), history=history,
            check_question=str(raw.get("check_question") or ""), targets=tup("targets"),
            target_titles=tup("target_titles"), frameworks=tup("frameworks"),
            provenance=str(raw.get("provenance") or ""), suggested_chapter=str(raw.get("suggested_chapter") or ""),
            suggested_chapter_title=str(raw.get("suggested_chapter_title") or ""), item=str(raw.get("item") or ""),
            action=str(raw.get("action") or ""), basis=str(raw.get("basis") or ""), adopted_id=adopted_id,
            origin=f"{file}:{row}",
        ))
    if problems:
        raise DataError(problems)
    return Decisions(tuple(records))


def _history(raw, rid: str, bad) -> tuple[Event, ...]:
    if not isinstance(raw, list) or not raw:
        bad("history", f"{rid} needs a history list (at least the proposed step)")
        return ()
    events: list[Event] = []
    for n, step in enumerate(raw, start=1):
        if not isinstance(step, dict):
            bad("history", f"history step {n} must be a mapping with state, date, reviewer, reason")
            return ()
        try:
            state = parse_state(str(step.get("state") or ""))
        except ValueError as err:
            bad("history", f"history step {n}: {err}")
            return ()
        day = step.get("date")
        day = day.isoformat() if isinstance(day, date) else str(day or "")
        try:
            date.fromisoformat(day)
        except ValueError:
            bad("history", f"history step {n}: date {day!r} is not a date like 2026-11-26")
            return ()
        if events and state not in TRANSITIONS[events[-1].state]:
            bad("history", f"history step {n}: {events[-1].state.value} → {state.value} is not an allowed transition")
            return ()
        if not events and state is not DecisionState.PROPOSED:
            bad("history", "the history must start with the proposed step")
            return ()
        events.append(Event(state, day, str(step.get("reviewer") or ""), str(step.get("reason") or "")))
    return tuple(events)


def _record_lines(text: str) -> list[int]:
    """Line numbers of the items of the ``decisions`` list, for problem messages."""
    import yaml

    node = yaml.compose(text)
    if node is None or not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value == "decisions" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def read_decisions(path: str | Path) -> Decisions:
    """The decisions file at ``path``; an empty set when it does not exist yet."""
    from ..io.encoding import decode

    p = Path(path)
    if not p.exists():
        return Decisions()
    return parse_decisions(decode(p.read_bytes(), str(p)), str(p))


def dump_decisions(decisions: Decisions) -> str:
    """The text of a decisions file (YAML with a commented header)."""
    import yaml

    items = []
    for d in decisions.records:
        rec: dict = {"id": d.id, "kind": d.kind, "state": d.state.value}
        if d.adopted_id:
            rec["adopted_id"] = d.adopted_id
        rec["title"] = d.title
        for key in ("check_question", "item", "action"):
            if getattr(d, key):
                rec[key] = getattr(d, key)
        for key in ("targets", "target_titles", "frameworks"):
            if getattr(d, key):
                rec[key] = list(getattr(d, key))
        for key in ("provenance", "suggested_chapter", "suggested_chapter_title", "basis"):
            if getattr(d, key):
                rec[key] = getattr(d, key)
        rec["history"] = [{"state": e.state.value, "date": e.date, "reviewer": e.reviewer, "reason": e.reason}
                          for e in d.history]
        items.append(rec)
    body = yaml.safe_dump({"version": 1, "decisions": items}, allow_unicode=True, sort_keys=False, width=1000)
    return _HEADER + body


def write_decisions(decisions: Decisions, path: str | Path) -> Path:
    """Write the decisions file (UTF-8); the previous content is replaced atomically."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(dump_decisions(decisions), encoding="utf-8")
    tmp.replace(p)
    return p


# -- adopted items as a checklist -------------------------------------------------------------------------------
def additional_framework() -> Framework:
    """The framework edition holding the municipality's adopted additional check items."""
    from ..model import Framework

    return Framework(
        id="mic_additional", edition="local", prefix=ADDITIONAL_PREFIX,
        title="自治体の追加点検項目(運用監視委員会で採択)", publisher="運用監視委員会",
        edition_label="追加項目", completeness="partial", levels=("item",),
        description="ギャップ分析の候補から運用監視委員会が採択し、自治体のチェックリストに加えた点検項目。",
    )


def additional_catalog(decisions: Decisions, catalog: Catalog) -> Catalog:
    """The adopted candidates as ``mic_additional@local``: controls MICADD:MIC-ADD-nn and their mappings.

    Each item is mapped ``equal`` (strength 8, manual curation: the committee adopted it) to every
    reference requirement it was made from, one mapping set per reference edition; targets that are
    not in ``catalog`` are left out of the mappings.
    """
    from ..model import BASE_IRI, Catalog, Control, Mapping, MappingSet, Provenance, Relation

    fw = additional_framework()
    controls: list[Control] = []
    by_object: dict[str, list[Mapping]] = {}
    for order, d in enumerate(decisions.adopted("candidate"), start=1):
        cid = f"{ADDITIONAL_PREFIX}:{d.adopted_id}"
        read = d.provenance and "[I]" not in d.provenance
        controls.append(Control(
            id=cid, framework=fw.key, notation=d.adopted_id, parent=None, level="item", title=d.title,
            summary=d.check_question, source_ref=f"運用監視委員会 {d.adopted_on} 採択 ({d.id}); 根拠: "
                                                 + ", ".join(d.targets) + f" {d.provenance}",
            provenance=Provenance.READ if read else Provenance.RECONSTRUCTED, order=order, origin=d.origin,
        ))
        for target in d.targets:
            if not catalog.has_control(target):
                continue
            by_object.setdefault(catalog.control(target).framework, []).append(Mapping(
                subject_id=cid, object_id=target, relation=Relation.EQUAL, strength=ADOPTED_STRENGTH,
                confidence=1.0, justification="semapv:ManualMappingCuration", date=d.adopted_on,
                comment=d.reason,
            ))
    sets = tuple(MappingSet(
        id=f"{BASE_IRI}mappings/mic_additional-local_{obj.replace('@', '-')}",
        title=f"自治体の追加点検項目 → {obj}", subject_framework=fw.key, object_framework=obj,
        mappings=tuple(rows), complete=False, kind="curated",
    ) for obj, rows in sorted(by_object.items()))
    return Catalog(frameworks=(fw,), controls=tuple(controls), mapping_sets=sets)


def follow_ups(decisions: Decisions, *, since_year: int | None = None) -> dict[str, list[str]]:
    """Adopted decisions as text per check item id, for the I-sheet's 前年度の委員会決定 column.

    ``since_year`` keeps only decisions adopted in that fiscal year or later.
    """
    from .isheet.cells import fiscal_year

    out: dict[str, list[str]] = {}
    for d in decisions.adopted():
        day = d.adopted_on
        if since_year is not None and day and fiscal_year(date.fromisoformat(day)) < since_year:
            continue
        item = f"{ADDITIONAL_PREFIX}:{d.adopted_id}" if d.kind == "candidate" else d.item
        what = "追加項目として採択" if d.kind == "candidate" else (d.check_question or "改善措置を採択")
        out.setdefault(item, []).append(f"{day} {d.id}: {what}(理由: {d.reason})")
    return out


# -- records for tables and the committee report -----------------------------------------------------------------
DECISION_FIELDS = ("id", "kind", "title", "state", "state_ja", "adopted_id", "reason", "reviewer", "date",
                   "item", "targets", "provenance", "steps")


def decisions_records(decisions: Decisions) -> list[dict]:
    """One plain dict per decision record (current state, last reason/reviewer/date, number of steps)."""
    return [{
        "id": d.id, "kind": d.kind, "title": d.title, "state": d.state.value, "state_ja": d.state.label_ja,
        "adopted_id": d.adopted_id, "reason": d.reason, "reviewer": d.reviewer, "date": d.date, "item": d.item,
        "targets": ", ".join(d.targets), "provenance": d.provenance, "steps": len(d.history),
    } for d in decisions.records]


def review_records(candidates: GapResult | Iterable[Candidate] = (), proposals: Iterable[Proposal] = (),
                   decisions: Decisions | None = None) -> list[dict]:
    """Candidates and survey proposals side by side with their decision state, for the committee report.

    Items without a record are ``proposed``; records whose candidate or proposal is no longer
    produced (e.g. closed by a new mapping) are listed after them. Keys of each row: ``kind``
    (candidate/proposal), ``kind_ja``, ``id``, ``title``, ``proposal`` (check question or measure),
    ``basis`` (why it was proposed), ``priority`` (candidates only), ``provenance`` ([R]/[I]),
    ``item`` (the existing item a proposal concerns), ``targets``, ``state``, ``state_ja``,
    ``decision_reason``, ``reviewer``, ``date``, ``adopted_id``.
    """
    decisions = decisions or Decisions()
    cands = candidates.candidates if hasattr(candidates, "candidates") else tuple(candidates)
    rows: list[dict] = []
    seen: set[str] = set()

    def with_state(base: dict) -> dict:
        d = decisions.get(base["id"])
        seen.add(base["id"])
        base |= {"state": d.state.value if d else "proposed",
                 "state_ja": d.state.label_ja if d else DecisionState.PROPOSED.label_ja,
                 "decision_reason": d.reason if d and len(d.history) > 1 else "",
                 "reviewer": d.reviewer if d else "", "date": d.date if d and len(d.history) > 1 else "",
                 "adopted_id": d.adopted_id if d else ""}
        return base

    for c in cands:
        rows.append(with_state({
            "kind": "candidate", "kind_ja": "追加候補", "id": c.id, "title": c.title, "proposal": c.check_question,
            "basis": c.reason, "priority": c.priority, "provenance": c.provenance_tags, "item": "",
            "targets": ", ".join(c.targets),
        }))
    for p in proposals:
        rows.append(with_state({
            "kind": "proposal", "kind_ja": "アンケート提案", "id": p.id, "title": f"{p.notation} {p.title}",
            "proposal": p.measure, "basis": p.reason, "priority": None, "provenance": p.provenance,
            "item": p.item_id, "targets": "",
        }))
    for d in decisions.records:
        if d.id in seen:
            continue
        rows.append(with_state({
            "kind": d.kind, "kind_ja": "追加候補" if d.kind == "candidate" else "アンケート提案", "id": d.id,
            "title": d.title, "proposal": d.check_question, "basis": d.basis, "priority": None,
            "provenance": d.provenance, "item": d.item, "targets": ", ".join(d.targets),
        }))
    return rows

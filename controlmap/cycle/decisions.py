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

This module holds the records and the state machine; the file's text is in
:mod:`controlmap.cycle.decisions_file`, the adopted items as a checklist in
:mod:`controlmap.cycle.adopted`, and :mod:`controlmap.workflows.decisions` reads and writes the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import TransitionError, UnknownDecisionError
from ..labels import LabelledEnum
from ..normalize import norm

if TYPE_CHECKING:
    from ..results import Candidate
    from .proposals import Proposal

__all__ = [
    "ADDITIONAL_FRAMEWORK",
    "ADDITIONAL_PREFIX",
    "ADOPTED_STRENGTH",
    "DEFAULT_PATH",
    "KINDS",
    "TRANSITIONS",
    "Decision",
    "DecisionState",
    "Decisions",
    "Event",
    "TransitionError",
    "UnknownDecisionError",
    "add_number",
    "find_new",
    "parse_state",
    "register",
    "transition",
]

DEFAULT_PATH = Path("decisions.yaml")
ADDITIONAL_FRAMEWORK = "mic_additional@local"
ADDITIONAL_PREFIX = "MICADD"
ADOPTED_STRENGTH = 8
ADD_ID = re.compile(r"^MIC-ADD-(\d{2,})$")
KINDS = ("candidate", "proposal")


class DecisionState(LabelledEnum):
    """Where a candidate or proposal stands in the committee's review; the value is written to the file.

    >>> DecisionState.parse("検討中"), DecisionState.ADOPTED.label_ja
    (<DecisionState.UNDER_REVIEW: 'under_review'>, '採択')
    >>> sorted(TRANSITIONS[DecisionState.UNDER_REVIEW])       # where a record under review may go
    [<DecisionState.ADOPTED: 'adopted'>, <DecisionState.DEFERRED: 'deferred'>, <DecisionState.REJECTED: 'rejected'>]
    """

    PROPOSED = "proposed", "提案"
    UNDER_REVIEW = "under_review", "審議中", "under review", "under-review", "review", "reviewing", "検討中"
    ADOPTED = "adopted", "採択", "adopt", "accepted", "採用"
    REJECTED = "rejected", "不採択", "reject", "否決"
    DEFERRED = "deferred", "保留", "defer", "postponed", "継続審議"


TRANSITIONS: dict[DecisionState, frozenset[DecisionState]] = {
    DecisionState.PROPOSED: frozenset({DecisionState.UNDER_REVIEW}),
    DecisionState.UNDER_REVIEW: frozenset({DecisionState.ADOPTED, DecisionState.REJECTED, DecisionState.DEFERRED}),
    DecisionState.DEFERRED: frozenset({DecisionState.UNDER_REVIEW}),
    DecisionState.REJECTED: frozenset({DecisionState.UNDER_REVIEW}),
    DecisionState.ADOPTED: frozenset(),
}
_NEEDS_REASON = {DecisionState.ADOPTED, DecisionState.REJECTED, DecisionState.DEFERRED}



def parse_state(text: str) -> DecisionState:
    """The state a word names (English or Japanese).

    >>> parse_state("under review"), parse_state("採択")
    (<DecisionState.UNDER_REVIEW: 'under_review'>, <DecisionState.ADOPTED: 'adopted'>)
    """
    state = DecisionState.lookup(text)
    if state is None:
        raise TransitionError(f"unknown state {text!r}; use one of: "
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
            raise UnknownDecisionError(f"no decision record {decision_id!r}")
        return found

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self):
        return iter(self.records)

    def adopted(self, kind: str | None = None) -> list[Decision]:
        """Adopted records (optionally of one kind), candidates in MIC-ADD order."""
        out = [d for d in self.records if d.state is DecisionState.ADOPTED and (kind is None or d.kind == kind)]
        return sorted(out, key=lambda d: (d.kind, add_number(d.adopted_id), d.id))

    def next_additional_id(self) -> str:
        numbers = [add_number(d.adopted_id) for d in self.records if d.adopted_id]
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


def add_number(adopted_id: str) -> int:
    """The nn of ``MIC-ADD-nn``, 0 for anything else."""
    m = ADD_ID.match(adopted_id or "")
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
    from .proposals import Proposal

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
    >>> transition(d, "C-X", "adopted", reviewer="委員会", reason="必要")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    controlmap.errors.TransitionError: C-X is proposed (提案); it cannot become adopted (採択) directly: ...
    """
    record = decisions.get(decision_id)
    if record is None:
        raise UnknownDecisionError(f"no decision record {decision_id!r}; known: "
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


def find_new(decision_id: str, items: Iterable[Candidate | Proposal], *, where: str = "the decisions file"
             ) -> list[Candidate | Proposal]:
    """The candidates or proposals whose id is ``decision_id`` (NFKC); TransitionError when there is none."""
    wanted = norm(decision_id)
    match = [x for x in items if norm(x.id) == wanted]
    if not match:
        raise UnknownDecisionError(f"{decision_id!r} is neither in {where} nor a current candidate or proposal; "
                                   "candidate ids look like C-JISQ15001-2006-3.6 (see 'controlmap gaps'), "
                                   "proposal ids like P-2026-MIC-04-12 (see 'controlmap survey import')")
    return match

"""The decisions file as text: YAML with a commented header, parsed with every problem named by line and key.

Pure: the file's records in (:mod:`controlmap.io.decisions_file` parses the YAML, within the limits of
:mod:`controlmap.io.safe_yaml`), :class:`~controlmap.cycle.decisions.Decisions` out, and text back;
:mod:`controlmap.workflows.decisions` reads and writes the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from ..errors import DataError, Problem, TransitionError
from .decisions import ADD_ID, KINDS, TRANSITIONS, Decision, Decisions, DecisionState, Event, parse_state

__all__ = ["RECORD_KEYS", "decisions_from_records", "dump_decisions"]

RECORD_KEYS = ("id", "kind", "state", "adopted_id", "title", "check_question", "item", "action", "targets",
                "target_titles", "frameworks", "provenance", "suggested_chapter", "suggested_chapter_title",
                "basis", "history")
_HEADER = """\
# 運用監視委員会の決定記録 (controlmap decisions file)
# 候補(candidate)と職員アンケートからの提案(proposal)ごとに、状態と経過(history)を記録する。
# 状態: proposed(提案) → under_review(審議中) → adopted(採択) / rejected(不採択) / deferred(保留)
# 変更は 'controlmap decide ID --state … --reason … --reviewer …' で行うと、遷移と日付が検査される。
# 採択された候補には MIC-ADD-nn の番号が付き、翌年度の I-sheet に点検項目として入る。
"""


def decisions_from_records(raw_records: Sequence[object], lines: Sequence[int], file: str) -> Decisions:
    """Decisions from the records of a decisions file (parsed by :mod:`controlmap.io.decisions_file`).

    ``lines`` are the lines the records start at (for messages); every problem is raised together.
    """
    problems: list[Problem] = []
    records: list[Decision] = []
    seen: dict[str, int] = {}
    adopted_ids: dict[str, str] = {}
    for i, raw in enumerate(raw_records, start=1):
        row: int | str = lines[i - 1] if i - 1 < len(lines) else f"decisions[{i}]"

        def bad(column: str | None, message: str, row: int | str = row) -> None:
            problems.append(Problem(file, row, column, message))

        record = _record(raw, bad, seen, adopted_ids, row if isinstance(row, int) else i)
        if record is not None:
            records.append(replace(record, origin=f"{file}:{row}"))
    if problems:
        raise DataError(problems)
    return Decisions(tuple(records))


def _record(raw: dict | object, bad: Callable[..., None], seen: dict[str, int], adopted_ids: dict[str, str],
            line: int) -> Decision | None:
    """One record of the ``decisions`` list, or None when it is too broken to keep (problems go to ``bad``)."""
    if not isinstance(raw, dict):
        bad(None, "each decision must be a mapping")
        return None
    for key in raw:
        if key not in RECORD_KEYS:
            bad(str(key), f"unknown key {key!r}; known keys: {', '.join(RECORD_KEYS)}")
    rid = str(raw.get("id") or "").strip()
    if not rid:
        bad("id", "missing id")
        return None
    if rid in seen:
        bad("id", f"{rid} is recorded twice (first at line {seen[rid]})")
        return None
    seen[rid] = line
    kind = str(raw.get("kind") or "")
    if kind not in KINDS:
        bad("kind", f"kind must be candidate or proposal, not {kind!r}")
    history = _history(raw.get("history"), rid, bad)
    if not history:
        return None
    state_text = str(raw.get("state") or history[-1].state.value)
    try:
        state = parse_state(state_text)
    except TransitionError as err:
        bad("state", str(err))
        return None
    if state is not history[-1].state:
        bad("state", f"state {state.value} differs from the last history step ({history[-1].state.value}); "
                     "change states with 'controlmap decide' so the history stays complete")
    adopted_id = str(raw.get("adopted_id") or "")
    if kind == "candidate" and state is DecisionState.ADOPTED:
        if not ADD_ID.match(adopted_id):
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

    return Decision(
        id=rid, kind=kind, title=str(raw.get("title") or ""), history=history,
        check_question=str(raw.get("check_question") or ""), targets=tup("targets"),
        target_titles=tup("target_titles"), frameworks=tup("frameworks"),
        provenance=str(raw.get("provenance") or ""), suggested_chapter=str(raw.get("suggested_chapter") or ""),
        suggested_chapter_title=str(raw.get("suggested_chapter_title") or ""), item=str(raw.get("item") or ""),
        action=str(raw.get("action") or ""), basis=str(raw.get("basis") or ""), adopted_id=adopted_id,
    )


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
        except TransitionError as err:
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

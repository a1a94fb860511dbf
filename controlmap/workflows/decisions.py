"""Committee decisions (``cm.decisions``): the state machine, the decisions file, and ``controlmap decide``.

Offers :mod:`controlmap.cycle.decisions` (records and transitions), :mod:`controlmap.cycle.adopted`
(adopted items as a checklist, records for the report) and :mod:`controlmap.cycle.decisions_file`
(the file's text), with the file's reader and writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..cycle.adopted import (
    additional_catalog,
    additional_framework,
    decisions_records,
    follow_ups,
    review_records,
)
from ..cycle.decisions import (
    ADDITIONAL_FRAMEWORK,
    ADDITIONAL_PREFIX,
    ADOPTED_STRENGTH,
    DEFAULT_PATH,
    KINDS,
    TRANSITIONS,
    Decision,
    Decisions,
    DecisionState,
    Event,
    TransitionError,
    UnknownDecisionError,
    find_new,
    parse_state,
    register,
    transition,
)
from ..cycle.decisions_file import decisions_from_records, dump_decisions
from ..errors import DataError, Problem
from ..export.decisions import DECISIONS_FORMATS, write_decisions
from ..io.decisions_file import decisions_document, read_decisions_document
from ..normalize import norm

if TYPE_CHECKING:
    from ..cycle.proposals import Proposal
    from ..results import Candidate

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
    "additional_catalog",
    "additional_framework",
    "decide",
    "decide_id",
    "decisions_records",
    "decisions_text",
    "dump_decisions",
    "follow_ups",
    "parse_decisions",
    "parse_state",
    "read_decisions",
    "register",
    "review_records",
    "transition",
    "write_decisions",
]


def parse_decisions(text: str, file: str) -> Decisions:
    """Decisions from the text of a decisions file (YAML within the limits of io/safe_yaml.py); all problems at once."""
    return decisions_from_records(*decisions_document(text, file), file)


def read_decisions(path: str | Path) -> Decisions:
    """The decisions file at ``path`` (UTF-8 or cp932); an empty set when it does not exist yet."""
    p = Path(path)
    if not p.exists():
        return Decisions()
    return decisions_from_records(*read_decisions_document(p), str(p))


def decide(path: str | Path, decision_id: str, state: DecisionState | str, *, reviewer: str, reason: str = "",
           day: str | date | None = None, candidates: Iterable[Candidate] = (),
           proposals: Iterable[Proposal] = ()) -> Decision:
    """Read the decisions file, register ``decision_id`` from ``candidates``/``proposals`` if new, move it,
    write it back."""
    decisions = read_decisions(path)
    if decisions.get(decision_id) is None:
        match = find_new(decision_id, (*candidates, *proposals), where=str(path))
        decisions = register(decisions, match, day=day.isoformat() if isinstance(day, date) else day)
        decision_id = match[0].id
    decisions = transition(decisions, decision_id, state, reviewer=reviewer, reason=reason, day=day)
    write_decisions(decisions, path)
    return decisions[decision_id]


def decide_id(path: str | Path, decision_id: str, state: str, *, reviewer: str, reason: str = "",
              day: date | None = None, source: str = "mic", against: Sequence[str] = (),
              proposals: Path | None = None) -> Decision:
    """``controlmap decide``: as :func:`decide`, finding a new candidate in the gap analysis of ``source``
    against ``against`` (ids ``C-…``) and a new proposal in the ``proposals`` CSV."""
    candidates: list = []
    found: list = []
    known = read_decisions(path).get(decision_id) is not None
    if not known and norm(decision_id).startswith("C-"):
        from .kg import gaps, load

        candidates = list(gaps(load(), source, list(against)).candidates)
    if not known and proposals is not None:
        from ..cycle.proposals import parse_proposals
        from ..io.table import read_csv

        if not proposals.exists():
            raise DataError([Problem(str(proposals), None, None, "no such file; write it with "
                                     "'controlmap survey import -o'")])
        found = parse_proposals(read_csv(proposals))
    return decide(path, decision_id, state, reviewer=reviewer, reason=reason, day=day, candidates=candidates,
                  proposals=found)


def decisions_text(path: str | Path, fmt: str = "table") -> str:
    """``controlmap decisions``: the records of the decisions file as ``table`` or ``md`` text."""
    return DECISIONS_FORMATS[fmt](decisions_records(read_decisions(path)), str(path))

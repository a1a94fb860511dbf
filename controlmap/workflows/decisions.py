"""Committee decisions (``cm.decisions``): the state machine, the decisions file, and ``controlmap decide``.

Offers everything :mod:`controlmap.cycle.decisions` (records and transitions), :mod:`controlmap.cycle.adopted`
(adopted items as a checklist, records for the report) and :mod:`controlmap.cycle.decisions_file`
(the file's text) export, with the file's reader and writer. A candidate of :func:`controlmap.gaps`
goes to the committee, is adopted and gets the number of an additional check item:

>>> import os, tempfile
>>> import controlmap as cm
>>> path = os.path.join(tempfile.mkdtemp(), "decisions.yaml")
>>> found = cm.gaps(cm.load(), "mic", ["jisq15001"]).candidates
>>> cm.decisions.decide(path, "C-JISQ15001-2006-3.6", "under_review", reviewer="委員会", reason="審議する",
...                     day="2026-05-01", candidates=found).state
<DecisionState.UNDER_REVIEW: 'under_review'>
>>> adopted = cm.decisions.decide(path, "C-JISQ15001-2006-3.6", "採択", reviewer="委員会", reason="窓口がない",
...                               day="2026-06-01")
>>> adopted.adopted_id, adopted.title, [str(e.state) for e in adopted.history]
('MIC-ADD-01', '苦情及び相談への対応', ['proposed', 'under_review', 'adopted'])
>>> print(cm.decisions.decisions_text(path))  # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
ID                    状態  番号        項目                  日付        理由
C-JISQ15001-2006-3.6  採択  MIC-ADD-01  苦情及び相談への対応  2026-06-01  窓口がない
1 record(s) in ...decisions.yaml
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..cycle import adopted as _adopted
from ..cycle import decisions as _decisions
from ..cycle import decisions_file as _decisions_file
from ..cycle.adopted import *  # noqa: F403 -- the namespace re-exports the cycle modules' __all__
from ..cycle.adopted import decisions_records
from ..cycle.decisions import *  # noqa: F403
from ..cycle.decisions import Decision, Decisions, DecisionState, find_new, register, transition
from ..cycle.decisions_file import *  # noqa: F403
from ..cycle.decisions_file import decisions_from_records
from ..errors import DataError, Problem
from ..export.decisions import DECISIONS_FORMATS, write_decisions
from ..io.decisions_file import decisions_document, read_decisions_document
from ..normalize import norm

if TYPE_CHECKING:
    from ..cycle.proposals import Proposal
    from ..results import Candidate

__all__ = [  # the cycle modules' names, then this module's own
    *_decisions.__all__, *_adopted.__all__, *_decisions_file.__all__,
    "decide", "decide_id", "decisions_text", "parse_decisions", "read_decisions", "write_decisions",
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

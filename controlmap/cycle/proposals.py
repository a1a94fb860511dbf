"""Proposals to the committee from the staff survey: a measure for every item staff do not understand or practise."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..errors import DataError, Problem, UsageError
from ..labels import LabelledEnum
from .isheet.cells import fiscal_year, restore

if TYPE_CHECKING:

    from .rows import TableLike
    from .survey import ItemRate

__all__ = ["PROPOSAL_FIELDS", "Proposal", "ProposalAction", "make_proposals", "parse_proposals", 
           "proposals_records"]


class ProposalAction(LabelledEnum):
    """What a proposal asks the committee to do about an item staff do not understand or practise."""

    TRAINING = "training", "研修・周知"
    PROCEDURE = "procedure", "手順の見直し"
    BOTH = "training_and_procedure", "研修・周知と手順の見直し"


@dataclass(frozen=True, slots=True)
class Proposal:
    """A measure proposed to the committee because an item's understanding or practice rate is under the threshold."""

    id: str
    year: int
    item_id: str
    notation: str
    title: str
    action: ProposalAction
    understood_rate: float | None
    practised_rate: float | None
    answers: int
    threshold: float
    reason: str
    measure: str
    provenance: str = ""


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def make_proposals(rates: Iterable[ItemRate], *, threshold: float = 0.8, year: int | None = None,
                   min_answers: int = 1) -> tuple[Proposal, ...]:
    """A proposal for every item whose understanding or practice rate is below ``threshold``.

    Low understanding asks for training (研修・周知); understood but not practised asks for a
    procedure change (手順の見直し: the rule does not fit the work); both low asks for both.
    Items with fewer than ``min_answers`` answers are left out. Ids are ``P-<year>-<項番>``.
    """
    if not 0 < threshold <= 1:
        raise UsageError(f"threshold must be a share between 0 and 1 (e.g. 0.8), not {threshold}")
    year = year if year is not None else fiscal_year(date.today())
    out = []
    for r in rates:
        if r.answers < min_answers:
            continue
        u, p = r.understood_rate, r.practised_rate
        low_u = u is not None and u < threshold
        low_p = p is not None and p < threshold
        if not (low_u or low_p):
            continue
        if low_u and low_p:
            action = ProposalAction.BOTH
        elif low_u:
            action = ProposalAction.TRAINING
        else:
            action = ProposalAction.PROCEDURE
        counts = (f"理解 {r.understood_yes}/{r.understood_n} ({_pct(u)})、"
                  f"実践 {r.practised_yes}/{r.practised_n} ({_pct(p)})")
        if action is ProposalAction.PROCEDURE:
            why = "理解されているが実践されていない: 手順が実務に合っていない可能性がある。"
        elif action is ProposalAction.TRAINING:
            why = "内容が十分に理解されていない。"
        else:
            why = "理解・実践ともに不十分。"
        out.append(Proposal(
            id=f"P-{year}-{r.notation}", year=year, item_id=r.item_id, notation=r.notation, title=r.title,
            action=action, understood_rate=u, practised_rate=p, answers=r.answers, threshold=threshold,
            reason=f"{year}年度 職員アンケート: {counts} が基準 {threshold:.0%} を下回る。{why}",
            measure=f"{r.notation}「{r.title}」について{action.label_ja}を行う。",
            provenance=r.provenance,
        ))
    return tuple(out)


PROPOSAL_FIELDS = ("id", "year", "item_id", "notation", "title", "action", "action_ja", "understood_rate",
                   "practised_rate", "answers", "threshold", "reason", "measure", "provenance")


def proposals_records(proposals: Iterable[Proposal]) -> list[dict]:
    """Plain dicts for tables and the committee report (no comments, no respondents)."""
    return [{
        "id": p.id, "year": p.year, "item_id": p.item_id, "notation": p.notation, "title": p.title,
        "action": p.action.value, "action_ja": p.action.label_ja,
        "understood_rate": "" if p.understood_rate is None else p.understood_rate,
        "practised_rate": "" if p.practised_rate is None else p.practised_rate,
        "answers": p.answers, "threshold": p.threshold, "reason": p.reason, "measure": p.measure,
        "provenance": p.provenance,
    } for p in proposals]


def parse_proposals(table: TableLike) -> list[Proposal]:
    """Proposals from the table of a CSV written by :func:`controlmap.export.survey.write_proposals`."""
    missing = [f for f in ("id", "year", "item_id", "notation", "title", "action") if f not in table.header]
    if missing:
        raise DataError([Problem(table.file, 1, m, f"missing column {m!r}; is this a proposals file "
                                                    "written by 'controlmap survey import -o'?") for m in missing])
    out, problems = [], []
    for row, v in table.rows:
        try:
            v = {k: restore(x) for k, x in v.items()}
            out.append(Proposal(
                id=v["id"], year=int(v["year"]), item_id=v["item_id"], notation=v["notation"], title=v["title"],
                action=ProposalAction(v["action"]),
                understood_rate=float(v["understood_rate"]) if v.get("understood_rate") else None,
                practised_rate=float(v["practised_rate"]) if v.get("practised_rate") else None,
                answers=int(v.get("answers") or 0), threshold=float(v.get("threshold") or 0.8),
                reason=v.get("reason", ""), measure=v.get("measure", ""), provenance=v.get("provenance", ""),
            ))
        except ValueError as err:
            problems.append(Problem(table.file, row, None, f"not a proposal row: {err}"))
    if problems:
        raise DataError(problems)
    return out

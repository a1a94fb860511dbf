"""Staff questionnaire (the C of PDCA): which measures staff understand and practise, and proposals where they don't.

Which items are asked
---------------------
A check item *depends on staff practice* when its wording names something every person who
handles 住基ネット does, or must not do, in daily work (``PRACTICE_KEYWORDS``: 周知, 徹底, 禁止,
離席, ログオフ, 放置, 名札, 持込み/持出し, 帳票, 暗証番号, ...) and does not name an organisational
or technical measure taken for them (``MANAGEMENT_KEYWORDS``: 指定, 契約, 委託, 計画, 研修, 監査,
点検, 検査, 責任者が, 遠隔, できないよう). Only ``item`` level controls are asked; adopted additional
items (MIC-ADD-nn) are asked by the same rule when their catalog is given. Pass ``items=`` to
choose the items yourself.

Answers
-------
One row per respondent and item: ``role, item, understood, practised, comment`` (Japanese headers
役割, 項番, 理解している, 実践している, 意見 also work), CSV in UTF-8 or cp932, or XLSX. はい/いいえ,
○/×, 1/0 and yes/no are read; 該当しない in ``practised`` and blank cells are left out of the
rates. Questionnaires are anonymous: there is no name column, and comments never leave this module
in proposals.

Pure: the answers come in as a table read by :mod:`controlmap.io.table`, proposals are in
:mod:`controlmap.cycle.proposals`, the questionnaire form is written by :mod:`controlmap.export.survey`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import DataError, Problem
from ..normalize import norm
from .isheet.cells import parse_yes_no

if TYPE_CHECKING:
    from ..model import Catalog, Control
    from .rows import TableLike

__all__ = [
    "ANSWER_COLUMNS",
    "MANAGEMENT_KEYWORDS",
    "PRACTICE_KEYWORDS",
    "ROLES",
    "UNANSWERED_ROLE",
    "ItemRate",
    "Question",
    "RoleRate",
    "SurveyAnswer",
    "aggregate",
    "parse_answers",
    "practice_items",
    "questionnaire",
]

PRACTICE_KEYWORDS = ("周知", "徹底", "禁止", "離席", "ログオフ", "画面ロック", "放置", "名札", "持込", "持出",
                     "画面に表示", "報告させ", "接続していない", "秘匿", "知り得ない", "本人確認書類", "立ち会",
                     "帳票", "暗証番号", "目的外")
MANAGEMENT_KEYWORDS = ("指定", "契約", "委託", "計画", "研修", "監査", "点検", "検査", "責任者を", "責任者が",
                       "遠隔", "できないよう")
ANSWER_COLUMNS = ("role", "item", "understood", "practised", "comment")
_ALIASES = {
    "role": ("role", "役割", "回答者の役割", "職種", "立場"),
    "item": ("item", "item_id", "項番", "項目", "項目番号"),
    "understood": ("understood", "理解", "理解している", "理解度"),
    "practised": ("practised", "practiced", "実践", "実践している", "実施している"),
    "comment": ("comment", "comments", "意見", "コメント", "意見・コメント", "自由記述", "備考"),
}
_NOT_APPLICABLE = {"該当しない", "該当なし", "対象外", "-", "―", "n/a", "na"}
ROLES = ("統括責任者", "セキュリティ責任者", "システム管理者", "操作者", "端末設置課の職員", "その他")
UNANSWERED_ROLE = "(未記入)"


def practice_items(catalog: Catalog, source: str = "mic", *, extra: Catalog | None = None) -> list[Control]:
    """The check items whose measures depend on staff practice, by the rule in the module docstring.

    Examples
    --------
    >>> import controlmap as cm
    >>> [c.notation for c in practice_items(cm.load().catalog)][:3]
    ['MIC-02-04', 'MIC-02-07', 'MIC-02-08']
    """
    controls = [c for c in catalog.controls_of(source) if c.level == "item"]
    if extra is not None:
        controls += [c for c in extra.controls if c.level == "item" and not catalog.has_control(c.id)]
    return [c for c in controls if _depends_on_practice(c.title + " " + c.summary)]


def _depends_on_practice(text: str) -> bool:
    t = norm(text)
    return any(k in t for k in PRACTICE_KEYWORDS) and not any(k in t for k in MANAGEMENT_KEYWORDS)


@dataclass(frozen=True, slots=True)
class Question:
    """One row of the questionnaire."""

    item_id: str
    notation: str
    title: str
    question: str


def questionnaire(catalog: Catalog, source: str = "mic", *, items: Iterable[str] | None = None,
                  extra: Catalog | None = None) -> list[Question]:
    """The questions to ask: the practice items (or ``items``, ids or 項番) in checklist order."""
    if items is None:
        controls = practice_items(catalog, source, extra=extra)
    else:
        both = catalog.merge(extra) if extra is not None else catalog
        controls = [both.control(i) for i in items]
    return [Question(c.id, c.notation, c.title, c.summary or c.title) for c in controls]


# -- answers -------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    """One respondent's answer for one item; None means not answered (or 該当しない for practice)."""

    role: str
    item_id: str
    understood: bool | None
    practised: bool | None
    comment: str = ""
    origin: str = ""


def _header_key(header: str) -> str | None:
    h = re.sub(r"[(（].*$", "", norm(header)).strip().casefold()
    for key, names in _ALIASES.items():
        if h in {norm(n).casefold() for n in names}:
            return key
    return None


def parse_answers(table: TableLike, catalog: Catalog) -> list[SurveyAnswer]:
    """Answers from one table (CSV or XLSX); every problem of the table is raised together.

    Examples
    --------
    >>> import controlmap as cm
    >>> from controlmap.io.table import parse_csv
    >>> t = parse_csv("role,item,understood,practised,comment\\n操作者,MIC-04-12,はい,いいえ,\\n", "a.csv")
    >>> parse_answers(t, cm.load().catalog)[0].practised
    False
    """
    columns: dict[str, str] = {}
    for header in table.header:
        key = _header_key(header)
        if key and key not in columns:
            columns[key] = header
    problems = [Problem(table.file, table.header_row, name,
                        f"missing column {name!r} (or {_ALIASES[name][2]}); the header has: {', '.join(table.header)}")
                for name in ("item", "understood", "practised") if name not in columns]
    if problems:
        raise DataError(problems)
    out: list[SurveyAnswer] = []
    for row, values in table.rows:
        def cell(key: str, values: dict[str, str] = values) -> str:
            return values.get(columns[key], "").strip() if key in columns else ""

        raw_item = cell("item")
        item_id = ""
        if not raw_item:
            problems.append(Problem(table.file, row, table.ref(columns["item"]), "empty item"))
        else:
            try:
                item_id = catalog.control(raw_item).id
            except KeyError:
                problems.append(Problem(table.file, row, table.ref(columns["item"]),
                                        f"unknown item {raw_item!r}; use the 項番 of the questionnaire "
                                        "(e.g. MIC-04-12)"))
        answers: dict[str, bool | None] = {}
        for key in ("understood", "practised"):
            raw = cell(key)
            if not raw or (key == "practised" and norm(raw).casefold() in _NOT_APPLICABLE):
                answers[key] = None
                continue
            value = parse_yes_no(raw)
            if value is None:
                allowed = "はい / いいえ" + (" / 該当しない" if key == "practised" else "")
                problems.append(Problem(table.file, row, table.ref(columns[key]),
                                        f"{raw!r} is not an answer; use {allowed}"))
            answers[key] = value
        if item_id and (cell("understood") or cell("practised")):  # a question left blank is no answer
            out.append(SurveyAnswer(cell("role") or UNANSWERED_ROLE, item_id, answers["understood"],
                                    answers["practised"], cell("comment"), f"{table.file}:{row}"))
    if problems:
        raise DataError(problems)
    return out


# -- aggregation -----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RoleRate:
    """Counts of one role for one item."""

    role: str
    answers: int
    understood_yes: int
    understood_n: int
    practised_yes: int
    practised_n: int


@dataclass(frozen=True, slots=True)
class ItemRate:
    """Understanding and practice of one item: yes counts over the answers given (blank and 該当しない left out)."""

    item_id: str
    notation: str
    title: str
    answers: int
    understood_yes: int
    understood_n: int
    practised_yes: int
    practised_n: int
    by_role: tuple[RoleRate, ...] = ()
    comments: tuple[str, ...] = ()
    provenance: str = ""

    @property
    def understood_rate(self) -> float | None:
        return self.understood_yes / self.understood_n if self.understood_n else None

    @property
    def practised_rate(self) -> float | None:
        return self.practised_yes / self.practised_n if self.practised_n else None


def aggregate(answers: Iterable[SurveyAnswer], catalog: Catalog) -> tuple[ItemRate, ...]:
    """Rates per item in checklist order.

    Examples
    --------
    >>> import controlmap as cm
    >>> a = [SurveyAnswer("操作者", "MIC:MIC-04-12", True, False), SurveyAnswer("操作者", "MIC:MIC-04-12", True, None)]
    >>> r = aggregate(a, cm.load().catalog)[0]
    >>> r.understood_rate, r.practised_rate, r.practised_n
    (1.0, 0.0, 1)
    """
    by_item: dict[str, list[SurveyAnswer]] = {}
    for a in answers:
        by_item.setdefault(a.item_id, []).append(a)
    order = {c.id: i for i, c in enumerate(catalog.controls)}
    out = []
    for item_id in sorted(by_item, key=lambda i: (order.get(i, 1 << 30), i)):
        group = by_item[item_id]
        control = catalog.control(item_id) if catalog.has_control(item_id) else None
        roles = []
        for role in dict.fromkeys(a.role for a in group):
            mine = [a for a in group if a.role == role]
            roles.append(RoleRate(role, len(mine), *_counts(mine)))
        out.append(ItemRate(
            item_id=item_id, notation=control.notation if control else item_id,
            title=control.title if control else "", answers=len(group), **dict(zip(
                ("understood_yes", "understood_n", "practised_yes", "practised_n"), _counts(group), strict=True)),
            by_role=tuple(roles), comments=tuple(a.comment for a in group if a.comment),
            provenance=control.provenance.tag if control else "",
        ))
    return tuple(out)


def _counts(group: list[SurveyAnswer]) -> tuple[int, int, int, int]:
    u = [a.understood for a in group if a.understood is not None]
    p = [a.practised for a in group if a.practised is not None]
    return sum(u), len(u), sum(p), len(p)

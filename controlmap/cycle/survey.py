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
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, ExportError, Problem
from ..normalize import norm
from .isheet.cells import fiscal_year, neutralise, parse_yes_no, restore

if TYPE_CHECKING:
    import pandas as pd

    from ..io.table import Table
    from ..model import Catalog, Control

__all__ = [
    "ANSWER_COLUMNS",
    "MANAGEMENT_KEYWORDS",
    "PRACTICE_KEYWORDS",
    "ItemRate",
    "Proposal",
    "ProposalAction",
    "Question",
    "SurveyAnswer",
    "aggregate",
    "make_proposals",
    "parse_answers",
    "practice_items",
    "proposals_records",
    "questionnaire",
    "read_answers",
    "read_proposals",
    "write_proposals",
    "write_questionnaire",
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
_FORM_HEADERS = ("役割", "項番", "点検項目", "質問", "理解している", "実践している", "意見・コメント")
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


def write_questionnaire(questions: list[Question], path: str | Path) -> Path:
    """Write the questionnaire form as ``.xlsx`` (drop-downs, instructions) or ``.csv`` (UTF-8 with BOM)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    rows = [["", q.notation, q.title, q.question, "", "", ""] for q in questions]
    if p.suffix.lower() == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(_FORM_HEADERS)
        writer.writerows([[neutralise(v) for v in row] for row in rows])
        p.write_text(buf.getvalue(), encoding="utf-8-sig")
        return p
    if p.suffix.lower() != ".xlsx":
        raise ExportError(f"cannot write a questionnaire as {p.suffix!r}; use .xlsx or .csv")
    _write_form_xlsx(rows, p)
    return p


def _write_form_xlsx(rows: list[list[str]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "アンケート"
    widths = (16, 12, 26, 50, 14, 14, 40)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    for col, (header, w) in enumerate(zip(_FORM_HEADERS, widths), start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font, cell.fill = Font(bold=True), header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = w
    wrap = Alignment(wrap_text=True, vertical="top")
    grey = PatternFill("solid", fgColor="F2F2F2")
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col, value=neutralise(value))
            cell.data_type = "s"
            cell.alignment = wrap
            if col in (2, 3, 4):
                cell.fill = grey
    last = len(rows) + 1
    for letter, values, strict in (("A", ROLES, False), ("E", ("はい", "いいえ"), True),
                                   ("F", ("はい", "いいえ", "該当しない"), True)):
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                            showErrorMessage=True, errorStyle="stop" if strict else "information",
                            errorTitle="選択肢から選んでください", error="一覧の値を選んでください。")
        dv.add(f"{letter}2:{letter}{max(last, 2)}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "E2"
    ws.auto_filter.ref = f"A1:G{max(last, 2)}"
    guide = wb.create_sheet("記入要領")
    lines = [
        "住基ネット 職員アンケート 記入要領",
        "",
        "・氏名は書きません(無記名)。各行の「役割」にご自身の役割を選んでください。",
        "・「理解している」: この対策のルール(規程・手順)の内容を理解していれば「はい」、そうでなければ「いいえ」。",
        "・「実践している」: 日常業務でそのとおり実践していれば「はい」、できていなければ「いいえ」、"
        "担当業務に関係しなければ「該当しない」。",
        "・「意見・コメント」: 守りにくい理由や改善案があれば自由に書いてください(個人名は書かないでください)。",
        "・項番・点検項目・質問の列は変更しないでください。",
        "・集計: controlmap survey import <このファイル> で、項目ごとの理解率・実践率を集計します。",
    ]
    for i, line in enumerate(lines, start=1):
        guide.cell(row=i, column=1, value=line).alignment = Alignment(wrap_text=True, vertical="top")
    guide.column_dimensions["A"].width = 110
    guide["A1"].font = Font(bold=True, size=14)
    wb.save(path)


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


def parse_answers(table: Table, catalog: Catalog) -> list[SurveyAnswer]:
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
        def cell(key: str) -> str:
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
                                        f"unknown item {raw_item!r}; use the 項番 of the questionnaire (e.g. MIC-04-12)"))
        answers = {}
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


def read_answers(*paths: str | Path, catalog: Catalog) -> list[SurveyAnswer]:
    """Answers from CSV (UTF-8 or cp932) and XLSX files; the problems of all files are raised together."""
    from ..io.table import read_csv, read_xlsx

    problems: list[Problem] = []
    out: list[SurveyAnswer] = []
    for path in paths:
        p = Path(path)
        try:
            if not p.exists():
                raise DataError([Problem(str(p), None, None, "no such file")])
            if p.suffix.lower() in (".xlsx", ".xlsm"):
                table = read_xlsx(p)
            elif p.suffix.lower() in (".csv", ".txt"):
                table = read_csv(p)
            else:
                raise DataError([Problem(str(p), None, None, "answers must be a .csv or .xlsx file")])
            out.extend(parse_answers(table, catalog))
        except DataError as err:
            problems.extend(err.problems)
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
                ("understood_yes", "understood_n", "practised_yes", "practised_n"), _counts(group))),
            by_role=tuple(roles), comments=tuple(a.comment for a in group if a.comment),
            provenance=control.provenance.tag if control else "",
        ))
    return tuple(out)


def _counts(group: list[SurveyAnswer]) -> tuple[int, int, int, int]:
    u = [a.understood for a in group if a.understood is not None]
    p = [a.practised for a in group if a.practised is not None]
    return sum(u), len(u), sum(p), len(p)


# -- proposals -------------------------------------------------------------------------------------------------
class ProposalAction(str, Enum):
    """What a proposal asks the committee to do about an item staff do not understand or practise."""

    TRAINING = "training"
    PROCEDURE = "procedure"
    BOTH = "training_and_procedure"

    def __str__(self) -> str:
        return self.value

    @property
    def label_ja(self) -> str:
        return {"training": "研修・周知", "procedure": "手順の見直し",
                "training_and_procedure": "研修・周知と手順の見直し"}[self.value]


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
        raise ValueError(f"threshold must be a share between 0 and 1 (e.g. 0.8), not {threshold}")
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


def proposals_frame(proposals: Iterable[Proposal]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(proposals_records(proposals), columns=list(PROPOSAL_FIELDS))


def write_proposals(proposals: Iterable[Proposal], path: str | Path) -> Path:
    """Write proposals as ``.csv`` (UTF-8 with BOM, read back by :func:`read_proposals`) or ``.md``."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    records = proposals_records(proposals)
    if p.suffix.lower() == ".csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(PROPOSAL_FIELDS), lineterminator="\r\n")
        writer.writeheader()
        for rec in records:
            writer.writerow({k: neutralise(str(v)) for k, v in rec.items()})
        p.write_text(buf.getvalue(), encoding="utf-8-sig")
    elif p.suffix.lower() == ".md":
        p.write_text(proposals_markdown(records), encoding="utf-8")
    else:
        raise ExportError(f"cannot write proposals as {p.suffix!r}; use .csv or .md")
    return p


def proposals_markdown(records: list[dict]) -> str:
    """A Markdown table of proposal records (for minutes and handover documents)."""
    from ..export.render import md_cell

    lines = ["| ID | 項番 | 点検項目 | 提案 | 理解率 | 実践率 | 回答数 | 理由 |", "|---|---|---|---|---|---|---|---|"]
    for r in records:
        u = "—" if r["understood_rate"] == "" else f"{r['understood_rate']:.0%}"
        pr = "—" if r["practised_rate"] == "" else f"{r['practised_rate']:.0%}"
        lines.append("| " + " | ".join(md_cell(v) for v in (
            r["id"], r["notation"], f"{r['title']} {r['provenance']}".strip(), r["action_ja"], u, pr, r["answers"],
            r["reason"])) + " |")
    return "\n".join(lines) + "\n"


def read_proposals(path: str | Path) -> list[Proposal]:
    """Proposals from a CSV written by :func:`write_proposals`."""
    from ..io.table import read_csv

    table = read_csv(path)
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

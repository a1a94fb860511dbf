"""Read a filled I-sheet and name every problem by sheet and cell (``I-sheet!H14``), as people make them in Excel."""

from __future__ import annotations

import difflib
from datetime import date, datetime
from pathlib import Path

from ...errors import DataError, Problem
from ...io.controls import parse_answer
from ...model import SelfCheckStatus
from ...normalize import norm, norm_id
from .cells import fiscal_year_start, parse_date, parse_yes_no, restore, split_list
from .model import ISheet, ISheetRow, parse_confirmation
from .workbook import BY_HEADER, BY_KEY, COLUMNS, FORMAT, META_SHEET, RawSheet, read_raw

__all__ = ["RULES", "check_isheet", "parse_isheet", "read_isheet"]

#: What ``controlmap isheet check`` reports, one line per rule (the docs list the same).
RULES = (
    "the sheet, its hidden item list and every defined column are present; no column header appears twice",
    "no merged cells and no blank rows inside the table; values only in columns that have a header",
    "every row keeps its item id (hidden column) and 項番; no id is unknown, duplicated, or missing (deleted row)",
    "状況 is one of 適切に運用している / 整備している / 整備していない / 該当なし (○△× and 1/2/3 are read too)",
    "確認方法 names known methods; 独自の実践 is はい or いいえ",
    "確認日 is a date typed as a value (no formula), not in the future and not before the fiscal year",
    "適切に運用している needs 根拠資料 and 確認方法; 整備している needs 確認方法; 該当なし needs the reason in 備考",
    "a row with a 状況 needs 担当者 and 確認日; a 確認日 needs a 状況",
    "根拠資料 is written out, not 同上 / 上記 / 〃",
)
_SAME_AS_ABOVE = {"同上", "上記", "上に同じ", "前に同じ", "同左", "〃", "″", "々", "ditto", "same as above"}


class _Sheet:
    """Where things are in one raw sheet, and how to cite a cell."""

    def __init__(self, raw: RawSheet):
        from openpyxl.utils import get_column_letter

        self.raw = raw
        self.label = f"{raw.file}[{raw.title}]"
        self.letter = get_column_letter
        self.col: dict[str, int] = {}
        self.problems: list[Problem] = []

    def at(self, row: int, col: int, header: str, message: str) -> None:
        letter = self.letter(col + 1)
        where = f"{self.raw.title}!{letter}{row}" + (f" {header}" if header else "")
        self.problems.append(Problem(self.label, row, letter, f"{where}: {message}"))

    def sheet_problem(self, message: str, row: int | None = None) -> None:
        self.problems.append(Problem(self.label, row, None, message))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return restore(str(value))


def parse_isheet(raw: RawSheet, *, as_of: date | None = None,
                 complete: bool = False) -> tuple[ISheet | None, list[Problem]]:
    """The I-sheet held in ``raw`` and every problem found; the sheet is None when its structure is broken.

    ``as_of`` is the day the check is made (default today: no 確認日 may be later); with
    ``complete`` every item must have a 状況.
    """
    s = _Sheet(raw)
    as_of = as_of or date.today()
    year = _meta(s)
    headers = _headers(s)
    if year is None or headers is None:
        return None, s.problems
    _merged(s)
    issued = {item_id: notation for item_id, notation in raw.issued}
    extra = [(i, h) for i, h in enumerate(raw.header) if h and h not in BY_HEADER]
    inside_merge = {(r, c) for (r1, c1, r2, c2) in raw.merged for r in range(r1, r2 + 1)
                    for c in range(c1, c2 + 1) if (r, c) != (r1, c1)}
    content_rows = [(r, v) for r, v in raw.rows if any(_text(x).strip() for x in v)]
    last_row = content_rows[-1][0] if content_rows else 1
    _blank_runs(s, [r for r, v in raw.rows if r < last_row and not any(_text(x).strip() for x in v)])
    _unlabelled(s, content_rows)
    seen: dict[str, int] = {}
    rows: list[ISheetRow] = []
    for r, values in content_rows:
        row = _row(s, r, values, issued, seen, extra, year, as_of, complete, inside_merge)
        if row is not None:
            rows.append(row)
    for item_id, notation in raw.issued:
        if item_id not in seen:
            s.sheet_problem(f"{raw.title}: item {notation} ({item_id}) is missing: its row was deleted. Restore the "
                            "row from the original workbook; for an item that does not apply, choose 該当なし and "
                            "give the reason in 備考")
    meta = raw.meta or {}
    sheet = ISheet(year=year, rows=tuple(rows), source=meta.get("source", "mic@2009"),
                   subject=meta.get("subject", "住基ネット"), extra_columns=tuple(h for _, h in extra),
                   layout=tuple(h for h in raw.header if h), issued=tuple(issued))
    s.problems.sort(key=lambda p: (p.row is None, p.row or 0, len(p.column or ""), p.column or ""))
    return sheet, s.problems


def _meta(s: _Sheet) -> int | None:
    meta = s.raw.meta
    if meta is None:
        s.sheet_problem(f"the hidden sheet {META_SHEET!r} (the list of issued items) is missing; was it deleted? "
                        "Make a new I-sheet with 'controlmap isheet new' and copy the entries into it")
        return None
    if meta.get("format") != FORMAT:
        s.sheet_problem(f"this is not an I-sheet written by controlmap (format {meta.get('format')!r}, "
                        f"expected {FORMAT})")
        return None
    try:
        return int(meta.get("year", ""))
    except ValueError:
        s.sheet_problem(f"the hidden sheet {META_SHEET!r} names no fiscal year (year = {meta.get('year')!r})")
        return None


def _headers(s: _Sheet) -> dict[str, int] | None:
    broken = False
    for i, header in enumerate(s.raw.header):
        if not header:
            continue
        spec = BY_HEADER.get(header)
        key = spec.key if spec else header
        if key in s.col:
            first = s.letter(s.col[key] + 1)
            s.at(1, i, header, f"the column {header!r} appears twice ({first}1 and {s.letter(i + 1)}1); "
                               "rename or delete the copy")
            broken = broken or spec is not None
            continue
        s.col[key] = i
    present = [h for h in s.raw.header if h]
    for spec in COLUMNS:
        if spec.required and spec.key not in s.col:
            hint = difflib.get_close_matches(spec.header, [h for h in present if h not in BY_HEADER], n=1, cutoff=0.3)
            extra = f" (renamed to {hint[0]!r}?)" if hint else ""
            s.sheet_problem(f"{s.raw.title}!1: the column {spec.header!r} is missing{extra}; restore its header. "
                            f"The header has: {', '.join(present)}", row=1)
            broken = True
    return None if broken else s.col


def _merged(s: _Sheet) -> None:
    for r1, c1, r2, c2 in s.raw.merged:
        span = f"{s.letter(c1)}{r1}:{s.letter(c2)}{r2}"
        header = s.raw.header[c1 - 1] if c1 - 1 < len(s.raw.header) else ""
        s.at(r1, c1 - 1, header, f"merged cells {span}; unmerge them (each item needs its own cells, "
                                 "and merged cells hide values from filters and sorting)")


def _blank_runs(s: _Sheet, blanks: list[int]) -> None:
    runs: list[list[int]] = []
    for r in blanks:
        if runs and r == runs[-1][-1] + 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    for run in runs:
        what = f"row {run[0]} is blank" if len(run) == 1 else f"rows {run[0]}–{run[-1]} are blank"
        s.at(run[0], 0, "", f"{what} inside the table; delete the blank row(s) (filters and sorting stop at them)")


def _unlabelled(s: _Sheet, content_rows) -> None:
    width = len(s.raw.header)
    reported: set[int] = set()
    for r, values in content_rows:
        for i, v in enumerate(values):
            if i in reported or not _text(v).strip():
                continue
            if i >= width or not s.raw.header[i]:
                reported.add(i)
                s.at(r, i, "", "a value in a column without a header; give the column a header, "
                               "otherwise it is not kept")


def _row(s: _Sheet, r: int, values: tuple, issued: dict[str, str], seen: dict[str, int], extra, year: int,
         as_of: date, complete: bool, inside_merge: set) -> ISheetRow | None:
    col = s.col

    def raw(key: str) -> object:
        i = col.get(key)
        return values[i] if i is not None and i < len(values) else None

    def text(key: str) -> str:
        return _text(raw(key)).strip()

    def bad(key: str, message: str) -> None:
        s.at(r, col[key], BY_KEY[key].header, message)

    formula_keys = set()
    for key, i in col.items():
        spec = BY_KEY.get(key)
        if spec and spec.editable and (r, i + 1) in s.raw.formulas:
            formula_keys.add(key)
            bad(key, f"a formula ({text(key)}); type the value itself — a formula changes when the file is "
                     "opened again")
    item_id = text("item_id")
    notation = text("notation")
    if not item_id:
        if (r, col["item_id"] + 1) in inside_merge or (r, col["notation"] + 1) in inside_merge:
            return None  # reported as merged cells
        where = f" (項番 {notation!r})" if notation else ""
        bad("item_id", f"this row has no item id{where} in the hidden column {s.letter(col['item_id'] + 1)} "
                       "(管理ID): it was added or copied by hand, or the id was cleared. New check items come "
                       "from committee decisions (controlmap decide), not from new rows")
        return None
    if item_id not in issued:
        by_notation = {norm_id(n): i for i, n in issued.items()}
        original = by_notation.get(norm_id(notation))
        near = [original] if original else difflib.get_close_matches(item_id, list(issued), n=1)
        hint = f" (was it {near[0]!r}?)" if near else ""
        bad("item_id", f"unknown item id {item_id!r}{hint}: the hidden 管理ID was edited; restore it")
        if original is None or original in seen:
            return None
        item_id = original  # read the row as the item its 項番 names, so it is not also reported missing
    if item_id in seen:
        bad("item_id", f"item {issued[item_id]} ({item_id}) appears twice (first on row {seen[item_id]}): "
                       "a copied row? Keep one row per item")
        return None
    seen[item_id] = r
    if norm_id(notation) != norm_id(issued[item_id]):
        bad("notation", f"項番 {notation!r} does not match the row's item {issued[item_id]} ({item_id}); "
                        "the 項番 was edited — restore it")
    status = None
    status_text = text("status")
    if status_text and "status" not in formula_keys:
        status = parse_answer(status_text)
        if status is None:
            bad("status", f"{status_text!r} is not a status; choose "
                          + " / ".join(x.value for x in SelfCheckStatus))
    elif complete and not status_text and (r, col["status"] + 1) not in inside_merge:
        bad("status", "not filled in")
    methods, unknown = parse_confirmation(text("confirmation")) if "confirmation" not in formula_keys else ((), ())
    if unknown:
        from .model import ConfirmationMethod

        bad("confirmation", f"unknown method(s) {', '.join(map(repr, unknown))}; use "
                            + " / ".join(m.value for m in ConfirmationMethod) + " (several separated by 、)")
    evidence = split_list(text("evidence"))
    for ref in evidence:
        if norm(ref).casefold() in _SAME_AS_ABOVE:
            bad("evidence", f"{ref!r} refers to another row; write the document or record itself "
                            "(rows get sorted and filtered, and a successor cannot follow 同上)")
            break
    confirmed_on = _date(s, r, raw("confirmed_on"), "confirmed_on" in formula_keys, year, as_of, bad)
    own_text = text("own_practice")
    own = parse_yes_no(own_text) if own_text else False
    if own is None:
        bad("own_practice", f"{own_text!r}: write はい or leave it empty")
        own = False
    responsible, notes = text("responsible"), text("notes")
    if status is not None:
        if status is SelfCheckStatus.OPERATING:
            if not evidence:
                bad("evidence", "適切に運用している needs the evidence it was confirmed on (document, record, log)")
            if not methods and not unknown:
                bad("confirmation", "適切に運用している needs how it was confirmed (確認方法)")
        if status is SelfCheckStatus.ESTABLISHED and not methods and not unknown:
            bad("confirmation", "整備している needs how it was confirmed (確認方法)")
        if status is SelfCheckStatus.NOT_APPLICABLE and not notes:
            bad("notes", "該当なし needs the reason in 備考 (why the item does not apply)")
        if not responsible:
            bad("responsible", f"状況 is {status.value} but no person in charge is named")
        if raw("confirmed_on") in (None, "") and "confirmed_on" not in formula_keys:
            bad("confirmed_on", f"状況 is {status.value} but the date it was confirmed is missing")
    elif confirmed_on is not None and not status_text and (r, col["status"] + 1) not in inside_merge:
        bad("status", "確認日 is filled in but 状況 is empty")
    previous = parse_answer(text("previous_status")) if text("previous_status") else None
    return ISheetRow(
        item_id=item_id, notation=issued[item_id], title=text("title"), chapter=text("chapter"),
        required=text("required"), provenance=text("provenance"), implemented=text("implemented"),
        status=status, confirmation=methods, evidence=evidence, responsible=responsible,
        confirmed_on=confirmed_on, notes=notes, own_practice=own, previous_status=previous,
        follow_up=text("follow_up"),
        extra=tuple((h, _text(values[i]).strip() if i < len(values) else "") for i, h in extra
                    if i < len(values) and _text(values[i]).strip()),
        origin=f"{s.label}:{r}",
    )


def _date(s: _Sheet, r: int, value: object, is_formula: bool, year: int, as_of: date, bad) -> date | None:
    if is_formula or value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        day = parse_date(value if not isinstance(value, str) else restore(value))
    except ValueError as err:
        bad("confirmed_on", f"{err}")
        return None
    if day > as_of:
        bad("confirmed_on", f"{day.isoformat()} is in the future (checked on {as_of.isoformat()})")
    elif day < fiscal_year_start(year):
        bad("confirmed_on", f"{day.isoformat()} is before fiscal year {year} (from {fiscal_year_start(year)}): "
                            "a date carried over from an earlier year? Confirm again and enter the new date")
    return day


def check_isheet(path: str | Path, *, as_of: date | None = None, complete: bool = False) -> list[Problem]:
    """Every problem in a filled I-sheet workbook; empty when it is fine (see ``RULES``)."""
    try:
        raw = read_raw(path)
    except DataError as err:
        return list(err.problems)
    return parse_isheet(raw, as_of=as_of, complete=complete)[1]


def read_isheet(path: str | Path, *, strict: bool = True, as_of: date | None = None) -> ISheet:
    """The I-sheet in a workbook. ``strict`` raises DataError on any problem; otherwise only when the
    structure is broken (missing sheet or columns), and rows keep what could be read."""
    sheet, problems = parse_isheet(read_raw(path), as_of=as_of)
    if sheet is None or (strict and problems):
        raise DataError(problems)
    return sheet

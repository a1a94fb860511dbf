"""Check a filled I-sheet and name every problem by sheet and cell (``I-sheet!H14``), as people make them in Excel.

Pure: the cells come from :func:`controlmap.io.isheet.read_raw`; :mod:`controlmap.workflows.isheet`
reads the workbook and calls :func:`parse_isheet`.
"""

from __future__ import annotations

import difflib
from datetime import date, datetime

from ...errors import Problem
from ...model import SelfCheckStatus, parse_answer
from ...normalize import norm, norm_id
from .cells import fiscal_year_start, parse_date, parse_yes_no, restore, split_list
from .layout import BY_HEADER, BY_KEY, COLUMNS, FORMAT, META_SHEET, RawSheet
from .model import ConfirmationMethod, ISheet, ISheetRow, parse_confirmation

__all__ = ["RULES", "parse_isheet"]

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
        self.meta = None if raw.meta is None else {k: restore(v) for k, v in raw.meta.items()}
        self.issued = [(restore(i), restore(n)) for i, n in raw.issued]
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
    issued = dict(s.issued)
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
    for item_id, notation in s.issued:
        if item_id not in seen:
            s.sheet_problem(f"{raw.title}: item {notation} ({item_id}) is missing: its row was deleted. Restore the "
                            "row from the original workbook; for an item that does not apply, choose 該当なし and "
                            "give the reason in 備考")
    meta = s.meta or {}
    sheet = ISheet(year=year, rows=tuple(rows), source=meta.get("source", "mic@2009"),
                   subject=meta.get("subject", "住基ネット"), extra_columns=tuple(h for _, h in extra),
                   layout=tuple(h for h in raw.header if h), issued=tuple(issued))
    s.problems.sort(key=lambda p: (p.row is None, p.row or 0, len(p.column or ""), p.column or ""))
    return sheet, s.problems


def _meta(s: _Sheet) -> int | None:
    meta = s.meta
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


class _Cells:
    """The cells of one row, read by field, and how to report a problem in one of them."""

    def __init__(self, s: _Sheet, r: int, values: tuple):
        self.s, self.r, self.values = s, r, values
        self.formula_keys: set[str] = set()

    def raw(self, key: str) -> object:
        i = self.s.col.get(key)
        return self.values[i] if i is not None and i < len(self.values) else None

    def text(self, key: str) -> str:
        return _text(self.raw(key)).strip()

    def bad(self, key: str, message: str) -> None:
        self.s.at(self.r, self.s.col[key], BY_KEY[key].header, message)

    def merged(self, key: str, inside_merge: set) -> bool:
        return (self.r, self.s.col[key] + 1) in inside_merge


def _row(s: _Sheet, r: int, values: tuple, issued: dict[str, str], seen: dict[str, int], extra, year: int,
         as_of: date, complete: bool, inside_merge: set) -> ISheetRow | None:
    c = _Cells(s, r, values)
    for key, i in s.col.items():
        spec = BY_KEY.get(key)
        if spec and spec.editable and (r, i + 1) in s.raw.formulas:
            c.formula_keys.add(key)
            c.bad(key, f"a formula ({c.text(key)}); type the value itself — a formula changes when the file is "
                       "opened again")
    item_id = _item_id(c, issued, seen, inside_merge)
    if item_id is None:
        return None
    status, status_text = _status(c, complete, inside_merge)
    methods, unknown = parse_confirmation(c.text("confirmation")) if "confirmation" not in c.formula_keys else ((), ())
    if unknown:
        c.bad("confirmation", f"unknown method(s) {', '.join(map(repr, unknown))}; use "
                              + " / ".join(m.value for m in ConfirmationMethod) + " (several separated by 、)")
    evidence = split_list(c.text("evidence"))
    for ref in evidence:
        if norm(ref).casefold() in _SAME_AS_ABOVE:
            c.bad("evidence", f"{ref!r} refers to another row; write the document or record itself "
                              "(rows get sorted and filtered, and a successor cannot follow 同上)")
            break
    confirmed_on = _date(s, r, c.raw("confirmed_on"), "confirmed_on" in c.formula_keys, year, as_of, c.bad)
    own_text = c.text("own_practice")
    own = parse_yes_no(own_text) if own_text else False
    if own is None:
        c.bad("own_practice", f"{own_text!r}: write はい or leave it empty")
        own = False
    if status is not None:
        _needs(c, status, evidence, bool(methods or unknown))
    elif confirmed_on is not None and not status_text and not c.merged("status", inside_merge):
        c.bad("status", "確認日 is filled in but 状況 is empty")
    previous = parse_answer(c.text("previous_status")) if c.text("previous_status") else None
    text = c.text
    return ISheetRow(
        item_id=item_id, notation=issued[item_id], title=text("title"), chapter=text("chapter"),
        required=text("required"), provenance=text("provenance"), implemented=text("implemented"),
        status=status, confirmation=methods, evidence=evidence, responsible=text("responsible"),
        confirmed_on=confirmed_on, notes=text("notes"), own_practice=own, previous_status=previous,
        follow_up=text("follow_up"),
        extra=tuple((h, _text(values[i]).strip() if i < len(values) else "") for i, h in extra
                    if i < len(values) and _text(values[i]).strip()),
        origin=f"{s.label}:{r}",
    )


def _item_id(c: _Cells, issued: dict[str, str], seen: dict[str, int], inside_merge: set) -> str | None:
    """The row's item id (its hidden 管理ID, or the item its 項番 names when the id was edited); None to skip it."""
    s, r = c.s, c.r
    item_id, notation = c.text("item_id"), c.text("notation")
    if not item_id:
        if c.merged("item_id", inside_merge) or c.merged("notation", inside_merge):
            return None  # reported as merged cells
        where = f" (項番 {notation!r})" if notation else ""
        c.bad("item_id", f"this row has no item id{where} in the hidden column {s.letter(s.col['item_id'] + 1)} "
                         "(管理ID): it was added or copied by hand, or the id was cleared. New check items come "
                         "from committee decisions (controlmap decide), not from new rows")
        return None
    if item_id not in issued:
        by_notation = {norm_id(n): i for i, n in issued.items()}
        original = by_notation.get(norm_id(notation))
        near = [original] if original else difflib.get_close_matches(item_id, list(issued), n=1)
        hint = f" (was it {near[0]!r}?)" if near else ""
        c.bad("item_id", f"unknown item id {item_id!r}{hint}: the hidden 管理ID was edited; restore it")
        if original is None or original in seen:
            return None
        item_id = original  # read the row as the item its 項番 names, so it is not also reported missing
    if item_id in seen:
        c.bad("item_id", f"item {issued[item_id]} ({item_id}) appears twice (first on row {seen[item_id]}): "
                         "a copied row? Keep one row per item")
        return None
    seen[item_id] = r
    if norm_id(notation) != norm_id(issued[item_id]):
        c.bad("notation", f"項番 {notation!r} does not match the row's item {issued[item_id]} ({item_id}); "
                          "the 項番 was edited — restore it")
    return item_id


def _status(c: _Cells, complete: bool, inside_merge: set) -> tuple[SelfCheckStatus | None, str]:
    """The row's 状況 and the text it was read from."""
    status = None
    status_text = c.text("status")
    if status_text and "status" not in c.formula_keys:
        status = parse_answer(status_text)
        if status is None:
            c.bad("status", f"{status_text!r} is not a status; choose " + " / ".join(x.value for x in SelfCheckStatus))
    elif complete and not status_text and not c.merged("status", inside_merge):
        c.bad("status", "not filled in")
    return status, status_text


def _needs(c: _Cells, status: SelfCheckStatus, evidence: tuple[str, ...], has_method: bool) -> None:
    """What a 状況 requires of the other cells of its row."""
    if status is SelfCheckStatus.OPERATING:
        if not evidence:
            c.bad("evidence", "適切に運用している needs the evidence it was confirmed on (document, record, log)")
        if not has_method:
            c.bad("confirmation", "適切に運用している needs how it was confirmed (確認方法)")
    if status is SelfCheckStatus.ESTABLISHED and not has_method:
        c.bad("confirmation", "整備している needs how it was confirmed (確認方法)")
    if status is SelfCheckStatus.NOT_APPLICABLE and not c.text("notes"):
        c.bad("notes", "該当なし needs the reason in 備考 (why the item does not apply)")
    if not c.text("responsible"):
        c.bad("responsible", f"状況 is {status.value} but no person in charge is named")
    if c.raw("confirmed_on") in (None, "") and "confirmed_on" not in c.formula_keys:
        c.bad("confirmed_on", f"状況 is {status.value} but the date it was confirmed is missing")


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

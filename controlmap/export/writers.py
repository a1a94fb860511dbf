"""Results -> CSV (UTF-8 with BOM), XLSX, JSON and Markdown; format registries the CLI takes its choices from."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExportError
from ..results import CoverageResult, GapResult, Status
from ..textwidth import width
from .files import atomic_path, write_text
from .render import (
    CANDIDATE_COLUMNS,
    COVERAGE_COLUMNS,
    COVERAGE_PCT_NOTE,
    PROVENANCE_NOTE,
    candidate_table,
    candidates_markdown,
    coverage_document,
    coverage_markdown,
    coverage_table,
    coverage_text,
    gap_document,
    gap_summary,
)

if TYPE_CHECKING:
    from ..model import Catalog

__all__ = [
    "COVERAGE_FORMATS",
    "COVERAGE_WRITERS",
    "GAP_WRITERS",
    "format_coverage",
    "safe_cell",
    "write_coverage",
    "write_gaps",
    "write_gaps_csv",
    "write_gaps_json",
    "write_gaps_md",
    "write_gaps_xlsx",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_OPTION_LABELS = {"threshold": "充足とみなす強度(しきい値)", "max_hops": "推論の最大ホップ数",
                  "min_strength": "最小の強度"}
_STATUS_FILL = {"covered": "DFF0D8", "partial": "FCF8E3", "gap": "F2DEDE", "unassessed": "EEEEEE",
                "not_applicable": "F7F7F7"}


def safe_cell(value: object) -> object:
    """``value`` safe for a spreadsheet: text a spreadsheet would run as a formula gets a leading ``'``.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is neutralised
    (OWASP "CSV injection"); numbers and other text are returned unchanged.

    >>> safe_cell("=1+1"), safe_cell("-2+3"), safe_cell("情報の格付"), safe_cell(-5)
    ("'=1+1", "'-2+3", '情報の格付', -5)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# -- text formats --------------------------------------------------------------------------------
def _csv_text(columns: tuple[str, ...], rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow(["" if row[c] is None else safe_cell(row[c]) for c in columns])
    return buf.getvalue()


def _json_text(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _coverage_csv(result: CoverageResult) -> str:
    return _csv_text(COVERAGE_COLUMNS, coverage_table(result))


def _coverage_json(result: CoverageResult) -> str:
    return _json_text(coverage_document(result))


#: ``fmt -> fn(result) -> str`` for printing a coverage result (the CLI's ``--format`` choices).
COVERAGE_FORMATS: dict[str, Callable[[CoverageResult], str]] = {
    "table": coverage_text,
    "csv": _coverage_csv,
    "json": _coverage_json,
    "md": coverage_markdown,
}


def format_coverage(result: CoverageResult, fmt: str) -> str:
    """``result`` as text in one of COVERAGE_FORMATS; an unknown format raises ExportError."""
    try:
        fn = COVERAGE_FORMATS[fmt]
    except KeyError:
        raise ExportError(f"unknown coverage format {fmt!r}; choose one of: {', '.join(COVERAGE_FORMATS)}") from None
    return fn(result)


# -- files ---------------------------------------------------------------------------------------
def _write(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    return write_text(path, text, encoding=encoding)


def _pick(registry: dict, path: str | Path, what: str) -> Callable:
    suffix = Path(path).suffix.lower()
    if suffix not in registry:
        raise ExportError(f"cannot write {what} to {Path(path).name!r}: unknown suffix {suffix or '(none)'!r}; "
                          f"use one of {', '.join(registry)}")
    return registry[suffix]


#: ``suffix -> fn(result, path) -> Path`` for coverage files (CSV with BOM for Excel).
COVERAGE_WRITERS: dict[str, Callable[[CoverageResult, Path], Path]] = {
    ".csv": lambda result, path: _write(path, _coverage_csv(result), "utf-8-sig"),
    ".json": lambda result, path: _write(path, _coverage_json(result)),
    ".md": lambda result, path: _write(path, coverage_markdown(result)),
    ".txt": lambda result, path: _write(path, coverage_text(result)),
}


def write_coverage(result: CoverageResult, path: str | Path) -> Path:
    """Write ``result`` as CSV, JSON, Markdown or text, chosen by the suffix of ``path``."""
    return _pick(COVERAGE_WRITERS, path, "coverage")(result, Path(path))


def write_gaps_json(gap: GapResult, path: str | Path, *, catalog: Catalog | None = None) -> Path:
    """The gaps JSON document (UTF-8, not ASCII-escaped, indented): see docs/outputs.md."""
    return _write(path, _json_text(gap_document(gap, catalog=catalog)))


def write_gaps_csv(gap: GapResult, path: str | Path, *, catalog: Catalog | None = None) -> Path:
    """One row per candidate with Japanese headers, UTF-8 with BOM so that Excel reads it."""
    return _write(path, _csv_text(CANDIDATE_COLUMNS, candidate_table(gap, catalog=catalog)), "utf-8-sig")


def write_gaps_md(gap: GapResult, path: str | Path, *, catalog: Catalog | None = None) -> Path:
    """The Markdown handover document of :func:`controlmap.report.candidates_markdown`."""
    return _write(path, candidates_markdown(gap, catalog=catalog))


def write_gaps_xlsx(gap: GapResult, path: str | Path, *, catalog: Catalog | None = None) -> Path:
    """A workbook: 概要 (summary), one 候補_<framework> sheet per reference framework, and カバレッジ.

    Text a spreadsheet would run as a formula is stored as a text cell with Excel's quote-prefix
    style: it shows as written and is never evaluated (CSV, which has no styles, gets a ``'``).
    """
    from openpyxl import Workbook

    wb = Workbook()
    _add_styles(wb)
    _summary_sheet(wb.active, gap)
    rows = candidate_table(gap, catalog=catalog)
    for fw, name in zip(gap.against, _sheet_names(gap.against), strict=True):
        cites = [(row, c.status.value) for row, c in zip(rows, gap.candidates, strict=True) if fw in c.frameworks]
        _table_sheet(wb.create_sheet(name), CANDIDATE_COLUMNS, [r for r, _ in cites], [s for _, s in cites])
    coverage_rows, statuses = [], []
    for cov in gap.coverages:
        coverage_rows += coverage_table(cov)
        statuses += [i.status.value for i in cov.items]
    _table_sheet(wb.create_sheet("カバレッジ"), COVERAGE_COLUMNS, coverage_rows, statuses)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


#: ``suffix -> fn(gap, path) -> Path`` for candidate files; each also takes ``catalog=`` for source titles.
GAP_WRITERS: dict[str, Callable[..., Path]] = {
    ".xlsx": write_gaps_xlsx,
    ".csv": write_gaps_csv,
    ".json": write_gaps_json,
    ".md": write_gaps_md,
}


def write_gaps(gap: GapResult, path: str | Path, *, catalog: Catalog | None = None) -> Path:
    """Write the candidates to ``path`` in the format its suffix names (see GAP_WRITERS).

    ``catalog`` (``kg.catalog``) fills the titles of the partially matching checklist items.
    """
    return _pick(GAP_WRITERS, path, "candidates")(gap, Path(path), catalog=catalog)


# -- XLSX helpers --------------------------------------------------------------------------------
def _sheet_names(keys: tuple[str, ...]) -> list[str]:
    """``候補_<key>`` cut to Excel's 31 characters, without the characters Excel forbids, unique."""
    names: list[str] = []
    for key in keys:
        base = re.sub(r"[\[\]:*?/\\]", "_", f"候補_{key}")[:31]
        name, n = base, 2
        while name in names or name in ("概要", "カバレッジ"):
            name, n = f"{base[:28]}~{n}", n + 1
        names.append(name)
    return names


_HEADER, _WRAP = "cm-header", "cm-wrap"


def _add_styles(wb) -> None:
    """The workbook's few cell styles, registered once as named styles so that cells share them.

    Assigning a font, fill or alignment object cell by cell looks each one up in the workbook's
    style tables (most of the time of a large sheet); a named style is one lookup.
    """
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill

    def add(name: str, **kw) -> None:
        wb.add_named_style(NamedStyle(name=name, alignment=Alignment(wrap_text=True, vertical="top"), **kw))

    add(_HEADER, font=Font(bold=True), fill=PatternFill("solid", fgColor="DCE6F1"))
    add(_WRAP)
    for status, colour in _STATUS_FILL.items():
        add(f"cm-{status}", fill=PatternFill("solid", fgColor=colour))


def _put(ws, row: int, column: int, value: object, style: str | None = None):
    """Write one cell: text cleaned of XML-illegal characters and always stored as text.

    Text that starts like a formula keeps its characters and gets the quote-prefix style
    (Excel's leading-apostrophe flag), so it is shown as written and never evaluated.
    """
    cell = ws.cell(row=row, column=column)
    if style is not None:
        cell.style = style
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", value)
        cell.value = value
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def _header(ws, row: int, labels: list[str] | tuple[str, ...]) -> None:
    for col, label in enumerate(labels, start=1):
        _put(ws, row, col, label, _HEADER)


def _table_sheet(ws, columns: tuple[str, ...], rows: list[dict], statuses: list[str] | None = None) -> None:
    """A filterable table: bold filled header, frozen first row, autofilter, wrapped text, sized columns."""
    from openpyxl.utils import get_column_letter

    _header(ws, 1, columns)
    status_col = columns.index("状態") + 1 if "状態" in columns else None
    for r, row in enumerate(rows, start=2):
        status_style = f"cm-{statuses[r - 2]}" if statuses and statuses[r - 2] in _STATUS_FILL else _WRAP
        for col, key in enumerate(columns, start=1):
            _put(ws, r, col, row[key], status_style if col == status_col else _WRAP)
    for col, key in enumerate(columns, start=1):
        longest = max([width(key), *(_longest_line(row[key]) for row in rows)])
        ws.column_dimensions[get_column_letter(col)].width = min(max(longest + 2, 6), 60)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def _longest_line(value: object) -> int:
    return max((width(line) for line in str("" if value is None else value).splitlines()), default=0)


def _summary_sheet(ws, gap: GapResult) -> None:
    """概要: source and references, counts and coverage % per framework, rollup per section, notes."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from ..queries.candidates import PRIORITY_FORMULA

    ws.title = "概要"
    summary = gap_summary(gap)
    labels = [s.label_ja for s in Status]
    _put(ws, 1, 1, "追加点検項目の候補").font = Font(bold=True, size=14)
    levels = summary["candidates"]["by_priority_level"]
    facts = [("点検表", gap.source), ("参照基準", ", ".join(gap.against)), ("スコープ", summary["scope"] or "なし"),
             *((_OPTION_LABELS.get(k, k), v) for k, v in summary["options"].items()), ("候補数", len(gap.candidates)),
             *((f"優先度 {k}", v) for k, v in levels.items())]
    row = 3
    for key, value in facts:
        _put(ws, row, 1, key).font = Font(bold=True)
        _put(ws, row, 2, value)
        row += 1
    row += 1
    _put(ws, row, 1, "参照基準ごとの集計").font = Font(bold=True)
    _header(ws, row + 1, ["参照基準", *labels, "評価済み", "カバー率(%)", "充足率(%)", "候補数"])
    row += 2
    for cov, f in zip(gap.coverages, summary["frameworks"], strict=True):
        values = [cov.target, *(f["counts"][s.value] for s in Status), f["assessed"], f["coverage_pct"],
                  f["covered_pct"], f["candidates"]]
        for col, value in enumerate(values, start=1):
            _put(ws, row, col, value)
        row += 1
    row += 1
    _put(ws, row, 1, "節ごとの集計").font = Font(bold=True)
    _header(ws, row + 1, ["参照基準", "節", "名称", *labels, "評価済み", "カバー率(%)"])
    row += 2
    for cov in gap.coverages:
        for r in cov.rollup("section"):
            values = [cov.target, r.key, r.title, *(r.counts.get(s.value, 0) for s in Status), r.assessed,
                      round(r.coverage_pct, 1) if r.assessed else None]
            for col, value in enumerate(values, start=1):
                _put(ws, row, col, value)
            row += 1
    row += 1
    for key, note in (("優先度の算出", PRIORITY_FORMULA), ("[R] / [I]", PROVENANCE_NOTE),
                      ("カバー率", COVERAGE_PCT_NOTE)):
        _put(ws, row, 1, key).font = Font(bold=True)
        _put(ws, row, 2, note).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=10)
        ws.row_dimensions[row].height = 48
        row += 1
    for col, w in enumerate([24, 24, 30, *([9] * (len(labels) + 3))], start=1):
        ws.column_dimensions[get_column_letter(col)].width = w

"""Read CSV and XLSX sheets into header-keyed records that remember their row and cell address."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, Problem
from .limits import MAX_CELL_CHARS, check_xlsx_archive, read_text

__all__ = ["Table", "cell_problems", "cell_text", "parse_csv", "read_csv", "read_xlsx"]

EXCEL_CELL_CHARS = 32_767
"""The most characters an Excel cell holds; openpyxl cuts a longer one (a crafted file) to this length."""
# control characters no id, title or text holds (tab, line feed and carriage return are text)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Table:
    """Rows of a sheet as dicts keyed by header, each with the row number a person sees.

    ``header_row`` is the row number of the header itself (1 for CSV).
    """

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    column_refs: dict[str, str] = field(default_factory=dict)
    header_row: int = 1

    def ref(self, column: str) -> str:
        """How to cite a column in a message: its header for CSV, ``D (header)`` for XLSX."""
        return self.column_refs.get(column, column)


def parse_csv(text: str, file: str) -> Table:
    """Parse CSV text whose first row is the header; blank lines are kept out, all else is kept.

    Examples
    --------
    >>> t = parse_csv("id,title\\n1,組織\\n", "x.csv")
    >>> t.rows
    ((2, {'id': '1', 'title': '組織'}),)
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        previous_end = 0
        for cells in reader:
            records.append((previous_end + 1, cells))  # the line the record starts on
            previous_end = reader.line_num
    except csv.Error as err:
        raise DataError([Problem(file, reader.line_num, None, f"malformed CSV: {err}")]) from err
    if not records:
        raise DataError([Problem(file, 1, None, "the file is empty; expected a header row")])
    header_line, first = records[0]
    header = tuple(h.strip() for h in first)
    problems = _header_problems(file, header_line, header)
    rows: list[tuple[int, dict[str, str]]] = []
    for line, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(Problem(file, line, str(len(header) + 1),
                                    f"row has {len(cells)} cells but the header has {len(header)}"))
            continue
        for i, h in enumerate(header):
            if not h and i < len(cells) and cells[i].strip():
                problems.append(Problem(file, line, str(i + 1), "a value stands in a column without a header"))
            elif i < len(cells) and cells[i]:
                problems.extend(cell_problems(file, line, h, cells[i]))
        rows.append((line, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}))
    if problems:
        raise DataError(problems)
    return Table(file, tuple(h for h in header if h), tuple(rows))


def cell_problems(file: str, row: int, column: str, value: str) -> list[Problem]:
    """A cell that holds a control character (NUL, ...) or more than MAX_CELL_CHARS characters.

    >>> [p.message[:52] for p in cell_problems("x.csv", 3, "title", "組織\\x00")]
    ['the cell holds the control character U+0000 at posit']
    """
    if len(value) > MAX_CELL_CHARS:
        return [Problem(file, row, column, f"the cell holds {len(value):,} characters; controlmap reads cells of "
                        f"at most {MAX_CELL_CHARS:,}")]
    bad = _CONTROL.search(value)
    if bad:
        return [Problem(file, row, column, f"the cell holds the control character U+{ord(bad.group()):04X} at "
                        f"position {bad.start() + 1}; remove it (ids and titles are kept as written)")]
    return []


def _header_problems(file: str, line: int, header: tuple[str, ...]) -> list[Problem]:
    """A header named twice would hide one of its columns."""
    seen: dict[str, int] = {}
    problems = []
    for i, h in enumerate(header, start=1):
        if h and h in seen:
            problems.append(Problem(file, line, h, f"column {h!r} appears twice (columns {seen[h]} and {i})"))
        seen.setdefault(h, i)
    return problems


def read_csv(path: str | Path) -> Table:
    """Read a CSV file in UTF-8, UTF-8 with BOM or cp932."""
    p = Path(path)
    return parse_csv(read_text(p), str(p))


def read_xlsx(path: str | Path, sheet: str | None = None, header_row: int = 1) -> Table:
    """Read one sheet of an Excel workbook; cells are cited as Excel addresses (``D14``)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    p = Path(path)
    check_xlsx_archive(p)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a broken workbook
        raise DataError([Problem(str(p), None, None, f"cannot open as an Excel workbook: {err}")]) from err
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise DataError([Problem(str(p), None, None,
                                     f"no sheet {sheet!r}; the workbook has: {', '.join(wb.sheetnames)}")])
        file = f"{p}[{ws.title}]"
        all_rows = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    if len(all_rows) < header_row:
        raise DataError([Problem(file, header_row, None, "no header row found")])
    header_cells = all_rows[header_row - 1]
    header: list[str] = []
    refs: dict[str, str] = {}
    for i, value in enumerate(header_cells):
        name = cell_text(value).strip()
        if name:
            header.append(name)
            refs[name] = f"{get_column_letter(i + 1)} ({name})"
    index = {i: cell_text(v).strip() for i, v in enumerate(header_cells)}
    duplicates = _header_problems(file, header_row, tuple(index.values()))
    if duplicates:
        raise DataError(duplicates)
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    for offset, cells in enumerate(all_rows[header_row:], start=header_row + 1):
        values = {index[i]: cell_text(v) for i, v in enumerate(cells) if index.get(i)}
        if not any(v.strip() for v in values.values()):
            continue
        for i, v in enumerate(cells):
            if index.get(i) and v is not None:
                address = f"{get_column_letter(i + 1)}{offset}"
                if len(values[index[i]]) >= EXCEL_CELL_CHARS:  # openpyxl cuts longer cells here, silently
                    problems.append(Problem(file, offset, address, f"the cell reaches Excel's limit of "
                                            f"{EXCEL_CELL_CHARS:,} characters; its end may have been cut off"))
                else:
                    problems.extend(cell_problems(file, offset, address, values[index[i]]))
        rows.append((offset, values))
    if problems:
        raise DataError(problems)
    return Table(file, tuple(header), tuple(rows), refs, header_row)


def cell_text(value: object) -> str:
    """A cell value as text: empty for None, whole floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

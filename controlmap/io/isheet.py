"""Read the cells of a filled I-sheet workbook as typed: values, formulas, merged ranges and the hidden item list.

Nothing is interpreted here (that is :func:`controlmap.cycle.isheet.check.parse_isheet`); values of the
hidden sheet are the cells' text, still neutralised as written.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, Problem
from .table import cell_text

__all__ = ["RawSheet", "read_raw"]


@dataclass(frozen=True)
class RawSheet:
    """The cells of one sheet as typed: values by (row, column), formulas, merged ranges, the hidden key/value sheet."""

    file: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]
    formulas: frozenset[tuple[int, int]]
    merged: tuple[tuple[int, int, int, int], ...]
    meta: dict[str, str] | None
    issued: tuple[tuple[str, str], ...]


def read_raw(path: str | Path, sheet: str, meta_sheet: str) -> RawSheet:
    """The raw cells of ``sheet`` in a workbook (formulas kept as typed, not evaluated) and of ``meta_sheet``.

    ``meta_sheet`` holds ``key, value`` rows and ``item, id, notation`` rows (the issued items); ``meta``
    is None when the workbook has no such sheet.
    """
    from openpyxl import load_workbook

    p = Path(path)
    if not p.exists():
        raise DataError([Problem(str(p), None, None, "no such file")])
    try:
        with warnings.catch_warnings():  # openpyxl warns about Excel extensions it drops; they do not matter here
            warnings.simplefilter("ignore")
            wb = load_workbook(p, data_only=False)
    except Exception as err:  # openpyxl raises many types for a broken workbook
        raise DataError([Problem(str(p), None, None, f"cannot open as an Excel workbook: {err}")]) from err
    names = tuple(wb.sheetnames)
    if sheet not in names:
        raise DataError([Problem(str(p), None, None,
                                 f"no sheet {sheet!r}; the workbook has: {', '.join(names)} (was it renamed?)")])
    ws = wb[sheet]
    grid = list(ws.iter_rows())
    header = tuple(cell_text(c.value).strip() for c in grid[0]) if grid else ()
    rows: list[tuple[int, tuple[object, ...]]] = []
    formulas: set[tuple[int, int]] = set()
    for cells in grid[1:]:
        values = []
        for c in cells:
            if c.data_type == "f":
                formulas.add((c.row, c.column))
            values.append(c.value)
        if cells:
            rows.append((cells[0].row, tuple(values)))
    merged = tuple((m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges)
    meta: dict[str, str] | None = None
    issued: list[tuple[str, str]] = []
    if meta_sheet in names:
        meta = {}
        for key, *rest in wb[meta_sheet].iter_rows(values_only=True):
            if key == "item" and rest:
                issued.append((cell_text(rest[0]), cell_text(rest[1]) if len(rest) > 1 else ""))
            elif key:
                meta[cell_text(key)] = cell_text(rest[0]) if rest else ""
    return RawSheet(str(p), ws.title, header, tuple(rows), frozenset(formulas), merged, meta, tuple(issued))

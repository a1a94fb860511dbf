"""The I-sheet (``cm.isheet``): build, check, compare and convert, with the workbook's reader and writer.

Offers :mod:`controlmap.cycle.isheet` with :func:`read_isheet` and :func:`check_isheet` (which read a
workbook through :mod:`controlmap.io.isheet`), :func:`write_isheet` and the handover formats.

>>> import controlmap as cm
>>> sheet = cm.isheet.new_isheet(cm.load(), 2026)
>>> sheet.row("MIC-04-12").title
'離席時のログオフ'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..cycle import isheet as _isheet
from ..cycle.isheet import *  # noqa: F403 -- the namespace re-exports the cycle package's __all__
from ..cycle.isheet import SHEET, ISheet, ISheetDiff, diff_isheets, isheet_to_rdf, new_isheet, parse_isheet
from ..cycle.isheet.layout import META_SHEET
from ..errors import DataError, Problem
from ..export.isheet import write_isheet
from ..export.isheet_diff import DIFF_FORMATS, diff_csv, diff_markdown, diff_table
from ..io.isheet import RawSheet, read_raw

__all__ = [  # the cycle package's names, then the files' and this module's own
    *_isheet.__all__,
    "DIFF_FORMATS", "NewSheet", "check_isheet", "diff_csv", "diff_files", "diff_markdown", "diff_table",
    "isheet_rdf_file", "new_isheet_file", "read_isheet", "read_workbook", "write_isheet",
]


def read_workbook(path: str | Path) -> RawSheet:
    """The raw cells of the I-sheet in a workbook (its ``I-sheet`` and hidden ``_controlmap`` sheets)."""
    return read_raw(path, SHEET, META_SHEET)


def check_isheet(path: str | Path, *, as_of: date | None = None, complete: bool = False) -> list[Problem]:
    """Every problem in a filled I-sheet workbook; empty when it is fine (see ``RULES``)."""
    try:
        raw = read_workbook(path)
    except DataError as err:
        return list(err.problems)
    return parse_isheet(raw, as_of=as_of, complete=complete)[1]


def read_isheet(path: str | Path, *, strict: bool = True, as_of: date | None = None) -> ISheet:
    """The I-sheet in a workbook. ``strict`` raises DataError on any problem; otherwise only when the
    structure is broken (missing sheet or columns), and rows keep what could be read."""
    sheet, problems = parse_isheet(read_workbook(path), as_of=as_of)
    if sheet is None or (strict and problems):
        raise DataError(problems)
    return sheet


# -- use cases: ``controlmap isheet new/diff/rdf`` ---------------------------------------------------------------
@dataclass(frozen=True)
class NewSheet:
    """What :func:`new_isheet_file` wrote: the path, the sheet, and last year's sheet it carried over (if any)."""

    path: Path
    sheet: ISheet
    previous: ISheet | None = None


def new_isheet_file(year: int, output: str | Path, *, source: str = "mic", previous: str | Path | None = None,
                    decisions: str | Path | None = None, subject: str | None = None) -> NewSheet:
    """Write the I-sheet of ``year``: last year's ``previous`` workbook carried over, adopted items joined."""
    from .decisions import read_decisions
    from .kg import load

    last = read_isheet(previous, strict=False) if previous else None
    adopted = read_decisions(decisions) if decisions else None
    sheet = new_isheet(load(), year, source=source, previous=last, decisions=adopted, subject=subject)
    return NewSheet(write_isheet(sheet, output), sheet, last)


def diff_files(old: str | Path, new: str | Path) -> tuple[ISheetDiff, list[tuple[str, int]]]:
    """What changed between two workbooks, and how many problems each has (read leniently)."""
    sheets = [read_isheet(path, strict=False) for path in (old, new)]
    problems = [(str(path), len(check_isheet(path))) for path in (old, new)]
    return diff_isheets(*sheets), problems


def isheet_rdf_file(path: str | Path, output: str | Path) -> tuple[Path, int, int]:
    """Write a filled I-sheet as RDF; returns the path, the triples and the EARL assertions written."""
    from ..export.rdf import write_rdf
    from .kg import load

    sheet = read_isheet(path, strict=False)
    g = isheet_to_rdf(sheet, load().catalog)
    return write_rdf(g, output), len(g), len(sheet.rows)

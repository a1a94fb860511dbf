"""The I-sheet: per check item, what is implemented, how it was confirmed and on what evidence, for successors and auditors.

>>> import controlmap as cm
>>> from controlmap import isheet
>>> sheet = isheet.new_isheet(cm.load(), 2026)
>>> sheet.row("MIC-04-12").title
'離席時のログオフ'
"""

from .build import CARRIED_FIELDS, new_isheet
from .check import RULES, check_isheet, parse_isheet, read_isheet
from .diff import DIFF_FORMATS, Change, ChangeKind, ISheetDiff, diff_isheets
from .model import ConfirmationMethod, ISheet, ISheetRow, parse_confirmation
from .workbook import SHEET, write_isheet


def isheet_to_rdf(sheet, catalog=None):
    """The I-sheet as an rdflib Graph of EARL assertions (see :mod:`controlmap.isheet.rdf`)."""
    from .rdf import isheet_to_rdf as _to_rdf

    return _to_rdf(sheet, catalog)


def isheet_from_rdf(graph, catalog=None, *, year=None):
    """The I-sheet held in a graph written by :func:`isheet_to_rdf`."""
    from .rdf import isheet_from_rdf as _from_rdf

    return _from_rdf(graph, catalog, year=year)


__all__ = [
    "CARRIED_FIELDS",
    "DIFF_FORMATS",
    "RULES",
    "SHEET",
    "Change",
    "ChangeKind",
    "ConfirmationMethod",
    "ISheet",
    "ISheetDiff",
    "ISheetRow",
    "check_isheet",
    "diff_isheets",
    "isheet_from_rdf",
    "isheet_to_rdf",
    "new_isheet",
    "parse_confirmation",
    "parse_isheet",
    "read_isheet",
    "write_isheet",
]

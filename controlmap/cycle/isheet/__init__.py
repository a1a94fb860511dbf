"""The I-sheet: per check item, what is implemented, how it was confirmed and on what evidence (successors, auditors).

Pure: build a new sheet, check the cells of a filled one, compare two years, and RDF. The workbook is
read by :mod:`controlmap.io.isheet` and written by :mod:`controlmap.export.isheet`;
:mod:`controlmap.workflows.isheet` (``cm.isheet``) offers all of it in one namespace.

>>> import controlmap as cm
>>> from controlmap.cycle import isheet
>>> sheet = isheet.new_isheet(cm.load(), 2026)
>>> sheet.row("MIC-04-12").title
'離席時のログオフ'
"""

from .build import CARRIED_FIELDS, new_isheet
from .check import RULES, parse_isheet
from .diff import Change, ChangeKind, ISheetDiff, diff_isheets
from .layout import SHEET
from .model import ConfirmationMethod, ISheet, ISheetRow, parse_confirmation


def isheet_to_rdf(sheet, catalog=None):
    """The I-sheet as an rdflib Graph of EARL assertions (see :mod:`controlmap.cycle.isheet.rdf`)."""
    from .rdf import isheet_to_rdf as _to_rdf

    return _to_rdf(sheet, catalog)


def isheet_from_rdf(graph, catalog=None, *, year=None):
    """The I-sheet held in a graph written by :func:`isheet_to_rdf`."""
    from .rdf import isheet_from_rdf as _from_rdf

    return _from_rdf(graph, catalog, year=year)


__all__ = [
    "CARRIED_FIELDS",
    "RULES",
    "SHEET",
    "Change",
    "ChangeKind",
    "ConfirmationMethod",
    "ISheet",
    "ISheetDiff",
    "ISheetRow",
    "diff_isheets",
    "isheet_from_rdf",
    "isheet_to_rdf",
    "new_isheet",
    "parse_confirmation",
    "parse_isheet",
]

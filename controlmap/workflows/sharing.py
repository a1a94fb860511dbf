"""Sharing adopted items with other municipalities (``cm.sharing``): the redacted records and the export.

Offers :mod:`controlmap.cycle.sharing` with :func:`~controlmap.export.sharing.export_shared`, and
``controlmap share`` (:func:`share`), which also redacts the persons named in I-sheets.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..cycle.sharing import (
    MEASURE_COLUMNS,
    REDACTED,
    SHARED_COLUMNS,
    known_names,
    scrub,
    shared_measures,
    shared_records,
)
from ..export.sharing import export_shared

__all__ = ["MEASURE_COLUMNS", "REDACTED", "SHARED_COLUMNS", "export_shared", "known_names", "scrub", "share",
           "shared_measures", "shared_records"]


def share(decisions: str | Path, output: str | Path, *, isheets: Iterable[str | Path] = ()) -> list[Path]:
    """Write the shareable files of a decisions file into ``output``; the persons in charge named in
    ``isheets`` are redacted from reasons too."""
    from .decisions import read_decisions
    from .isheet import read_isheet
    from .kg import load

    names = [r.responsible for path in isheets for r in read_isheet(path, strict=False).rows if r.responsible]
    return export_shared(read_decisions(decisions), load().catalog, output, names=names)

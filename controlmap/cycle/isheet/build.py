"""A new year's I-sheet from the checklist, the adopted additional items and last year's sheet."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ...model import HasCatalog, as_catalog
from .model import ISheet, ISheetRow

if TYPE_CHECKING:
    from ...model import Catalog, Control
    from ..decisions import Decisions

__all__ = ["CARRIED_FIELDS", "new_isheet"]

#: What passes from last year's row to the successor: the measure, how and on what evidence it was
#: confirmed, who is in charge, notes, the own-practice flag and user columns. Status and date are
#: confirmed again every year; last year's status is shown beside them.
CARRIED_FIELDS = ("implemented", "confirmation", "evidence", "responsible", "notes", "own_practice", "extra")
ADDITIONAL_CHAPTER = "追加項目"


def new_isheet(kg: HasCatalog | Catalog, year: int, *, source: str = "mic", previous: ISheet | None = None,
               decisions: Decisions | None = None, subject: str | None = None) -> ISheet:
    """The I-sheet of fiscal ``year``: every assessable item of ``source`` plus adopted additional items.

    Adopted candidates (MIC-ADD-nn) join the end of the chapter they were suggested for. With
    ``previous`` the fields in ``CARRIED_FIELDS`` and user-added columns carry over, and last year's
    status is shown as 前年度の状況. Decisions adopted since the previous fiscal year appear in
    前年度の委員会決定 beside the item they concern.

    Examples
    --------
    >>> import controlmap as cm
    >>> sheet = new_isheet(cm.load(), 2026)
    >>> sheet.rows[0].notation, sheet.rows[0].status is None, len(sheet.rows)
    ('MIC-01-01', True, 117)
    """
    catalog = as_catalog(kg)
    fw = catalog.framework(source)
    items = catalog.assessable(fw)
    chapter_of = {c.id: _chapter(catalog, c) for c in items}
    rows = [_row(c, chapter_of[c.id]) for c in items]
    follow: dict[str, list[str]] = {}
    if decisions is not None:
        from ..adopted import additional_catalog, follow_ups

        extra = additional_catalog(decisions, catalog)
        by_adopted = {d.adopted_id: d for d in decisions.adopted("candidate")}
        for c in extra.controls:
            d = by_adopted[c.notation]
            chapter = ""
            if d.suggested_chapter and catalog.has_control(d.suggested_chapter):
                chapter = catalog.control(d.suggested_chapter).label
            row = replace(_row(c, chapter or ADDITIONAL_CHAPTER), provenance=d.provenance or c.provenance.tag)
            last = max((i for i, r in enumerate(rows) if chapter and r.chapter == chapter), default=len(rows) - 1)
            rows.insert(last + 1, row)
        follow = follow_ups(decisions, since_year=year - 1)
    extra_columns: tuple[str, ...] = ()
    layout: tuple[str, ...] = ()
    if previous is not None:
        before = {r.item_id: r for r in previous.rows}
        rows = [_carry(r, before.get(r.item_id)) for r in rows]
        extra_columns, layout = previous.extra_columns, previous.layout
    rows = [replace(r, follow_up="\n".join(follow[r.item_id])) if r.item_id in follow else r for r in rows]
    return ISheet(year=year, rows=tuple(rows), source=fw.key,
                  subject=subject or (previous.subject if previous else "住基ネット"),
                  extra_columns=extra_columns, layout=layout, issued=tuple(r.item_id for r in rows))


def _chapter(catalog: Catalog, control: Control) -> str:
    return catalog.control(control.parent).label if control.parent and catalog.has_control(control.parent) else ""


def _row(c: Control, chapter: str) -> ISheetRow:
    return ISheetRow(item_id=c.id, notation=c.notation, title=c.title, chapter=chapter,
                     required=c.summary or c.title, provenance=c.provenance.tag)


def _carry(row: ISheetRow, before: ISheetRow | None) -> ISheetRow:
    if before is None:
        return row
    return replace(row, previous_status=before.status, **{f: getattr(before, f) for f in CARRIED_FIELDS})

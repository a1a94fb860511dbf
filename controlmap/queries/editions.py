"""Framework editions: what changed between two editions, read from the crosswalks.

:func:`diff_editions` lists, from one edition to another, the clauses renumbered, renamed, split,
merged, new and removed (the change words of :mod:`controlmap.queries.crosswalk`, reversed when going
from the newer edition to the older). Carrying curated mappings to another edition lives in
:mod:`controlmap.queries.carry`; its names are importable from here too. The diff as text, Markdown
or JSON is :func:`controlmap.export.editions.format_diff`.

>>> import controlmap as cm
>>> d = cm.diff_editions(cm.load().catalog, "jisq15001@2006", "jisq15001@2017")
>>> d.counts()["split"]
1
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import NO_TERM, Catalog
from ..normalize import norm
from .carry import CarriedRow, CarryResult, carry_mappings
from .crosswalk import (
    CARRIED_MARK,
    NEEDS_REVIEW,
    REVIEW_CHANGES,
    REVIEW_MARK,
    XRow,
    crosswalk_rows,
    is_carried,
    needs_review,
)

__all__ = [
    "CARRIED_MARK",
    "NEEDS_REVIEW",
    "REVIEW_CHANGES",
    "REVIEW_MARK",
    "CarriedRow",
    "CarryResult",
    "DiffEntry",
    "EditionDiff",
    "carry_mappings",
    "crosswalk_rows",
    "diff_editions",
    "is_carried",
    "needs_review",
]

_BACKWARDS = {"new": "removed", "removed": "new", "split": "merged", "merged": "split", "extended": "reduced"}


@dataclass(frozen=True)
class DiffEntry:
    """One change between two editions: clauses before (``old``) and after (``new``), from the crosswalk."""

    change: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    old_titles: tuple[str, ...]
    new_titles: tuple[str, ...]
    provenance: str = ""
    note: str = ""
    number_changed: bool = False
    title_changed: bool = False
    origins: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditionDiff:
    """What changed from edition ``source`` to edition ``target`` (``backwards`` when source is the newer)."""

    source: str
    target: str
    backwards: bool
    crosswalks: tuple[str, ...]
    entries: tuple[DiffEntry, ...]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.entries:
            out[e.change] = out.get(e.change, 0) + 1
        return out

    def by_change(self, change: str) -> list[DiffEntry]:
        return [e for e in self.entries if e.change == change]


def _notation(catalog: Catalog, cid: str) -> str:
    return catalog.control(cid).notation


def diff_editions(catalog: Catalog, source: str, target: str) -> EditionDiff:
    """Renumbered, renamed, split, merged, new, removed … clauses from ``source`` to ``target``.

    Split rows are grouped by the clause that was split, merged rows by the clause they became; clauses
    of either edition that no crosswalk row mentions are listed as ``not_in_crosswalk``.

    Examples
    --------
    >>> import controlmap as cm
    >>> d = diff_editions(cm.load().catalog, "jisq15001@2006", "jisq15001@2017")
    >>> [(e.old, e.new) for e in d.by_change("split")]
    [(('JISQ15001-2006:3.2',), ('JISQ15001-2017:A.3.2.1', 'JISQ15001-2017:A.3.2.2'))]
    """
    fs, ft = catalog.framework(source), catalog.framework(target)
    _, new, rows = crosswalk_rows(catalog, fs, ft)
    backwards = fs.key == new.key
    entries: list[DiffEntry] = []
    grouped: dict[tuple[str, str], list[XRow]] = {}
    for r in rows:
        if r.change == "split" and r.old != NO_TERM:
            grouped.setdefault(("split", r.old), []).append(r)
        elif r.change == "merged" and r.new != NO_TERM:
            grouped.setdefault(("merged", r.new), []).append(r)
        else:
            grouped.setdefault((r.change, f"{r.old}|{r.new}|{r.origin}"), []).append(r)

    def titles(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(catalog.control(i).title for i in ids)

    for (change, _), group in grouped.items():
        olds = tuple(dict.fromkeys(r.old for r in group if r.old != NO_TERM))
        news = tuple(dict.fromkeys(r.new for r in group if r.new != NO_TERM))
        if not olds and change not in ("new",):
            change = "new"
        if not news and change not in ("removed",):
            change = "removed"
        tags = "".join(sorted({r.provenance.tag for r in group if r.provenance}))
        one_to_one = len(olds) == len(news) == 1
        number_changed = one_to_one and norm(_notation(catalog, olds[0])) != norm(_notation(catalog, news[0]))
        title_changed = one_to_one and norm(titles(olds)[0]) != norm(titles(news)[0])
        a, b = (news, olds) if backwards else (olds, news)
        entries.append(DiffEntry(
            change=_BACKWARDS.get(change, change) if backwards else change, old=a, new=b,
            old_titles=titles(a), new_titles=titles(b), provenance=tags,
            note=" / ".join(dict.fromkeys(r.comment for r in group if r.comment)),
            number_changed=number_changed, title_changed=title_changed,
            origins=tuple(r.origin for r in group),
        ))
    mentioned = {r.old for r in rows} | {r.new for r in rows}
    for fw, side in ((fs, "old"), (ft, "new")):
        for c in catalog.controls_of(fw):
            if c.id not in mentioned:
                ids = (c.id,)
                entries.append(DiffEntry("not_in_crosswalk", ids if side == "old" else (), ids if side == "new" else (),
                                         (c.title,) if side == "old" else (), (c.title,) if side == "new" else (),
                                         c.provenance.tag, "no crosswalk row mentions this clause"))
    order = {c.id: i for i, c in enumerate(catalog.controls)}
    entries.sort(key=lambda e: (e.change == "not_in_crosswalk", min((order.get(i, 0) for i in e.old), default=1 << 30),
                                min((order.get(i, 0) for i in e.new), default=1 << 30)))
    return EditionDiff(fs.key, ft.key, backwards, tuple(sorted({r.set_id for r in rows})), tuple(entries))

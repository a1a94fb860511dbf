"""An edition diff (:func:`controlmap.queries.editions.diff_editions`) as a terminal table, Markdown or JSON.

>>> import controlmap as cm
>>> catalog = cm.load().catalog
>>> text = format_diff(cm.diff_editions(catalog, "jisq15001@2006", "jisq15001@2017"), catalog, "md")
>>> "| split | 3.2 | A.3.2.1, A.3.2.2 |" in text
True
"""

from __future__ import annotations

import json

from ..errors import ExportError
from ..model import Catalog
from ..queries.editions import EditionDiff
from ..textwidth import pad

__all__ = ["format_diff"]


def _notation(catalog: Catalog, cid: str) -> str:
    return catalog.control(cid).notation


def format_diff(diff: EditionDiff, catalog: Catalog, fmt: str = "table") -> str:
    """The diff as a terminal ``table``, Markdown (``md``) or ``json``; ExportError for another format."""
    if fmt == "json":
        return _json(diff)
    if fmt == "md":
        return _markdown(diff, catalog)
    if fmt == "table":
        return _table(diff, catalog)
    raise ExportError(f"unknown format {fmt!r}; use table, md or json")


def _show(catalog: Catalog, ids: tuple[str, ...]) -> str:
    return ", ".join(_notation(catalog, i) for i in ids) or "—"


def _head(diff: EditionDiff) -> tuple[str, str]:
    head = f"{diff.source} → {diff.target}" + (" (newer to older: words reversed)" if diff.backwards else "")
    return head, ", ".join(f"{k} {v}" for k, v in sorted(diff.counts().items()))


def _json(diff: EditionDiff) -> str:
    return json.dumps({
        "source": diff.source, "target": diff.target, "backwards": diff.backwards,
        "crosswalks": list(diff.crosswalks), "counts": diff.counts(),
        "entries": [{"change": e.change, "old": list(e.old), "new": list(e.new), "old_titles": list(e.old_titles),
                     "new_titles": list(e.new_titles), "provenance": e.provenance, "note": e.note,
                     "number_changed": e.number_changed, "title_changed": e.title_changed} for e in diff.entries],
    }, ensure_ascii=False, indent=2)


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _markdown(diff: EditionDiff, catalog: Catalog) -> str:
    head, counts = _head(diff)
    lines = [f"# {_cell(head)}", "", f"{_cell(counts)}", "", f"crosswalk: {_cell(', '.join(diff.crosswalks))}", "",
             "| change | before | after | before title | after title | tag | note |",
             "|---|---|---|---|---|---|---|"]
    for e in diff.entries:
        cells = (e.change, _show(catalog, e.old), _show(catalog, e.new), " / ".join(e.old_titles),
                 " / ".join(e.new_titles), e.provenance, e.note)
        lines.append("| " + " | ".join(_cell(x) for x in cells) + " |")
    return "\n".join(lines) + "\n"


def _table(diff: EditionDiff, catalog: Catalog) -> str:
    head, counts = _head(diff)
    lines = [head, counts, f"crosswalk: {', '.join(diff.crosswalks)}", "",
             f"{pad('change', 20)} {pad('before', 22)} {pad('after', 30)} tag   titles"]
    for e in diff.entries:
        arrow = " → " if e.old_titles and e.new_titles else ""
        title = " / ".join(e.old_titles) + arrow + " / ".join(e.new_titles)
        lines.append(f"{pad(e.change, 20)} {pad(_show(catalog, e.old), 22)} {pad(_show(catalog, e.new), 30)} "
                     f"{pad(e.provenance, 5)} {title}")
    lines.append("")
    lines.append("[R] read in a cited source, [I] reconstructed; "
                 "not_in_crosswalk = no crosswalk row says what became of it")
    return "\n".join(lines) + "\n"

"""The I-sheet handover as text: Markdown for the document, an aligned table for the terminal, CSV for Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from ..cycle.isheet.cells import neutralise
from ..cycle.isheet.diff import ChangeKind, ISheetDiff
from ..textwidth import pad
from .render import md_cell

__all__ = ["DIFF_FORMATS", "diff_csv", "diff_markdown", "diff_table"]


def diff_markdown(d: ISheetDiff) -> str:
    """The handover section: counts, then one table per kind of change."""
    lines = [f"# I-sheet 引継ぎ: {d.old_year}年度 → {d.new_year}年度", ""]
    counts = d.counts()
    lines += ["| 変更の種類 | 件数 |", "|---|---:|"]
    lines += [f"| {k.label_ja} | {counts[k.value]} |" for k in ChangeKind]
    for kind in ChangeKind:
        items = d.by_kind(kind)
        if not items:
            continue
        lines += ["", f"## {kind.label_ja}({len(items)}件)", "",
                  f"| 項番 | 点検項目 | {d.old_year}年度 | {d.new_year}年度 | 備考 |", "|---|---|---|---|---|"]
        for c in items:
            lines.append("| " + " | ".join(md_cell(v) for v in (
                c.notation, f"{c.title} {c.provenance}".strip(), c.old, c.new, c.note)) + " |")
    if not d.changes:
        lines += ["", "変更はありません。"]
    lines += ["", "出典区分: [R] 出典の原文で確認した項目、[I] 再構成した項目。"]
    return "\n".join(lines) + "\n"


def diff_table(d: ISheetDiff) -> str:
    """Aligned terminal text (全角 counts two columns)."""
    head = (f"{pad('変更', 20)} {pad('項番', 11)} {pad('点検項目', 28)} {pad(f'{d.old_year}年度', 24)} "
            f"{pad(f'{d.new_year}年度', 24)} 備考")
    out = [head, "-" * 120]
    for c in d.changes:
        out.append(f"{pad(c.kind.label_ja, 20)} {pad(c.notation, 11)} {pad(f'{c.title} {c.provenance}'.strip(), 28)} "
                   f"{pad(' / '.join(c.old.splitlines()), 24)} {pad(' / '.join(c.new.splitlines()), 24)} {c.note}")
    counts = ", ".join(f"{k.label_ja} {n}" for k, n in zip(ChangeKind, d.counts().values(), strict=True) if n)
    out.append(f"{len(d.changes)} change(s){': ' + counts if counts else ''}")
    return "\n".join(out) + "\n"


def diff_csv(d: ISheetDiff) -> str:
    """CSV of the change records (formula-safe)."""
    buf = io.StringIO()
    records = d.to_records()
    writer = csv.DictWriter(buf, fieldnames=["kind", "kind_ja", "item_id", "notation", "title", "old", "new", "note",
                                             "provenance"], lineterminator="\r\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: neutralise(str(v)) for k, v in rec.items()})
    return buf.getvalue()


DIFF_FORMATS: dict[str, Callable[[ISheetDiff], str]] = {"table": diff_table, "md": diff_markdown, "csv": diff_csv}

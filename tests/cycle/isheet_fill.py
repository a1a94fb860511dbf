"""Fill a generated I-sheet workbook the way a person does in Excel (openpyxl), for the I-sheet tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

STATUSES = ("適切に運用している", "整備している", "整備していない", "該当なし")


def columns(ws) -> dict[str, int]:
    """Header text -> 1-based column number."""
    return {c.value: c.column for c in ws[1] if c.value}


def row_of(ws, notation: str) -> int:
    """The row whose 項番 is ``notation``."""
    col = columns(ws)["項番"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=col).value == notation:
            return r
    raise KeyError(notation)


def fill(path: Path, *, day: date, person: str = "住民課 佐藤花子", evidence_prefix: str = "住基ネット運用記録",
         overrides: dict[str, dict[str, object]] | None = None, extra_column: str | None = None,
         save_to: Path | None = None) -> Path:
    """Answer every item correctly (statuses in turn, with evidence, method, person and date).

    ``overrides`` maps a 項番 to header -> value to set afterwards (None clears a cell).
    ``extra_column`` adds a column of the user's own at the right end.
    """
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["I-sheet"]
    col = columns(ws)
    if extra_column:
        new = ws.max_column + 1
        ws.cell(row=1, column=new, value=extra_column)
        col[extra_column] = new
    for i, r in enumerate(range(2, ws.max_row + 1)):
        notation = ws.cell(row=r, column=col["項番"]).value
        if not notation:
            continue
        status = STATUSES[i % 4]
        values: dict[str, object] = {"状況": status, "担当者": person, "確認日": day,
                                     "実施している対策": f"{notation} の対策を規程どおり実施"}
        if status in ("適切に運用している", "整備している"):
            values["確認方法"] = "文書確認、ログ確認" if i % 3 else "現地確認"
            values["根拠資料"] = f"{evidence_prefix} {notation}\n住基ネットセキュリティ規程 第{i % 20 + 1}条"
        if status == "該当なし":
            values["備考"] = "該当する機器を設置していない"
        if extra_column:
            values[extra_column] = f"所管-{i % 3}"
        for header, value in values.items():
            ws.cell(row=r, column=col[header]).value = value
    for notation, changes in (overrides or {}).items():
        r = row_of(ws, notation)
        for header, value in changes.items():
            ws.cell(row=r, column=col[header]).value = value  # None clears the cell
    out = save_to or path
    wb.save(out)
    return out

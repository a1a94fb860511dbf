"""The I-sheet as an Excel workbook to fill in: columns, drop-downs, instructions, the hidden list of issued items."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..cycle.isheet.cells import join_list, neutralise
from ..cycle.isheet.layout import (
    BY_HEADER,
    COLUMNS,
    EXTRA_WIDTH,
    FORMAT,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    NO,
    SHEET,
    YES,
    layout_of,
)
from ..cycle.isheet.model import ConfirmationMethod, ISheet, ISheetRow
from ..model import SelfCheckStatus
from ..textwidth import width
from .files import atomic_path

__all__ = ["write_isheet"]

_HEADER_FILL = {True: "FFF2CC", False: "DCE6F1"}  # editable: yellow, read-only: blue
_READONLY_FILL = "F2F2F2"


def _cell_value(row: ISheetRow, key: str):
    value = getattr(row, key)
    if key == "status" or key == "previous_status":
        return value.value if value else None
    if key == "confirmation":
        return "、".join(m.value for m in value) or None
    if key == "evidence":
        return join_list(value) or None
    if key == "own_practice":
        return YES if value else None
    if key == "confirmed_on":
        return value
    return value or None


def write_isheet(sheet: ISheet, path: str | Path) -> Path:
    """Write the I-sheet workbook: the sheet to fill in, 記入要領, and a hidden sheet of what was issued.

    Drop-down lists guard 状況, 確認方法 and 独自の実践, 確認日 takes dates, the header and the item
    columns stay in view, text wraps, and user-added columns are written back where they were.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    headers = layout_of(sheet)
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    grey = PatternFill("solid", fgColor=_READONLY_FILL)
    letters: dict[str, str] = {}
    for col, header in enumerate(headers, start=1):
        spec = BY_HEADER.get(header)
        letter = get_column_letter(col)
        letters[spec.key if spec else header] = letter
        cell = ws.cell(row=1, column=col, value=neutralise(header))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL[spec.editable if spec else True])
        cell.alignment, cell.border = wrap, border
        dim = ws.column_dimensions[letter]
        dim.width = spec.width if spec else EXTRA_WIDTH
        if spec and spec.hidden:
            dim.hidden = True
    for r, row in enumerate(sheet.rows, start=2):
        lines = 1
        for col, header in enumerate(headers, start=1):
            spec = BY_HEADER.get(header)
            value = _cell_value(row, spec.key) if spec else (row.extra_value(header) or None)
            if isinstance(value, str):
                value = neutralise(value)
            cell = ws.cell(row=r, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cell.alignment, cell.border = wrap, border
            if spec and spec.key == "confirmed_on":
                cell.number_format = "yyyy-mm-dd"
            if spec and not spec.editable:
                cell.fill = grey
            if isinstance(value, str) and spec and not spec.hidden:
                lines = max(lines, _lines(value, spec.width))
        ws.row_dimensions[r].height = min(15 * lines + 3, 160)
    last = max(len(sheet.rows) + 1, 2)
    _validations(ws, letters, last, sheet.year, DataValidation)
    ws.freeze_panes = f"{get_column_letter(min(headers.index('点検項目') + 2, len(headers)))}2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET), sheet)
    _meta(wb.create_sheet(META_SHEET), sheet)
    wb.active = 0
    wb.properties.title = f"I-sheet {sheet.year}年度 {sheet.subject}"
    wb.properties.creator = "controlmap"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def _lines(text: str, column_width: float) -> int:
    per_line = max(int(column_width) - 1, 4)
    return sum(max(1, -(-width(line) // per_line)) for line in text.splitlines() or [""])


def _validations(ws, letters: dict[str, str], last: int, year: int, DataValidation) -> None:
    def add(key: str, **kwargs) -> None:
        if key not in letters:
            return
        dv = DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True, **kwargs)
        dv.add(f"{letters[key]}2:{letters[key]}{last}")
        ws.add_data_validation(dv)

    add("status", type="list", formula1='"' + ",".join(s.value for s in SelfCheckStatus) + '"',
        errorTitle="状況", error="一覧から選んでください: " + " / ".join(s.value for s in SelfCheckStatus),
        promptTitle="状況", prompt="適切に運用している / 整備している / 整備していない / 該当なし")
    # several methods may be typed, separated by 、 — so a value outside the list only warns
    add("confirmation", type="list", formula1='"' + ",".join(m.value for m in ConfirmationMethod) + '"',
        errorStyle="warning", errorTitle="確認方法",
        error="一覧にない値です。複数のときは「、」で区切ってください(例: 文書確認、ログ確認)。",
        promptTitle="確認方法", prompt="どのように確認したか")
    add("own_practice", type="list", formula1=f'"{YES},{NO}"', errorTitle="独自の実践", error="はい か いいえ")
    add("confirmed_on", type="date", operator="between", formula1=f"DATE({year - 1},1,1)",
        formula2=f"DATE({year + 2},12,31)", errorStyle="warning", errorTitle="確認日",
        error="日付を入力してください(例: 2026-05-10)。", promptTitle="確認日", prompt="例: 2026-05-10")


def _instructions(ws, sheet: ISheet) -> None:
    from openpyxl.styles import Alignment, Font

    statuses = (
        ("適切に運用している", "対策を定め、そのとおり運用されていることを記録・現地・聞き取り等で確かめた。"
                               "根拠資料と確認方法が必須。"),
        ("整備している", "規程・手順・設備などは整っているが、運用の確認まではしていない。確認方法を書く。"),
        ("整備していない", "対策がない、または不十分。備考に今後の予定を書くとよい。"),
        ("該当なし", "その項目の対象がない(例: 該当する機器がない)。理由を備考に必ず書く。"),
    )
    lines: list[tuple[str, str]] = [
        (f"I-sheet 記入要領({sheet.year}年度 {sheet.subject})", "title"),
        ("", ""),
        ("この I-sheet は点検項目ごとに、対策の実施状況だけでなく「どう確認したか」「何を根拠にしたか」を記録し、"
         "後任者への引継ぎと監査に使うものです。", ""),
        ("", ""),
        ("1. 記入する列(黄色の見出し)", "head"),
        *((f"  {c.header}: {c.help}", "") for c in COLUMNS if c.editable),
        ("", ""),
        ("2. 状況の区分(総務省の三段階 + 該当なし)", "head"),
        *((f"  {name}: {text}", "") for name, text in statuses),
        ("", ""),
        ("3. 確認方法の選択肢", "head"),
        ("  " + " / ".join(m.value for m in ConfirmationMethod), ""),
        ("", ""),
        ("4. してはいけないこと(controlmap isheet check で検出されます)", "head"),
        ("  ・項番や非表示の管理ID列を変更する、行を削除する、行をコピーして増やす"
         "(対象外の項目は「該当なし」とし理由を書く)", ""),
        ("  ・セルを結合する、表の途中に空行を入れる", ""),
        ("  ・確認日に数式(=TODAY() など)や「来週」などの文字を入れる、未来の日付を入れる", ""),
        ("  ・「適切に運用している」なのに根拠資料・確認方法を空欄にする、状況を記入して担当者を空欄にする", ""),
        ("  ・根拠資料に「同上」と書く(並べ替えると辿れなくなる)", ""),
        ("", ""),
        ("5. 列の追加", "head"),
        ("  独自に管理したい列は右端に追加できます。翌年度の I-sheet にも引き継がれます。見出しは既存の列と"
         "同じ名前にしないでください。", ""),
        ("", ""),
        ("6. 点検と引継ぎ(コマンド)", "head"),
        (f"  記入後の点検: controlmap isheet check isheet-{sheet.year}.xlsx", ""),
        (f"  前年度との差分: controlmap isheet diff isheet-{sheet.year - 1}.xlsx isheet-{sheet.year}.xlsx "
         "--format md", ""),
        (f"  翌年度の作成: controlmap isheet new --year {sheet.year + 1} --previous isheet-{sheet.year}.xlsx "
         f"--decisions decisions.yaml -o isheet-{sheet.year + 1}.xlsx", ""),
    ]
    for i, (text, kind) in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=neutralise(text) if text else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if kind == "title":
            cell.font = Font(bold=True, size=14)
        elif kind == "head":
            cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 120


def _meta(ws, sheet: ISheet) -> None:
    rows: list[tuple[str, ...]] = [("format", FORMAT), ("year", str(sheet.year)), ("source", sheet.source),
                                   ("subject", sheet.subject), ("generated", date.today().isoformat())]
    rows += [("item", r.item_id, r.notation) for r in sheet.rows if r.item_id in set(sheet.issued or sheet.ids)]
    for i, values in enumerate(rows, start=1):
        for j, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=j, value=neutralise(value))
            cell.data_type = "s"
    ws.sheet_state = "hidden"

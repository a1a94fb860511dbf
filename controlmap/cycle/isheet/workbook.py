"""The I-sheet as an Excel workbook people fill in: columns, drop-downs, instructions; and the raw cells read back."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ...errors import DataError, Problem
from ...io.table import cell_text
from ...model import SelfCheckStatus
from ...textwidth import width
from .cells import join_list, neutralise, restore
from .model import ConfirmationMethod, ISheet, ISheetRow

__all__ = ["COLUMNS", "FORMAT", "INSTRUCTIONS_SHEET", "META_SHEET", "SHEET", "Column", "RawSheet", "read_raw",
           "write_isheet"]

SHEET = "I-sheet"
INSTRUCTIONS_SHEET = "記入要領"
META_SHEET = "_controlmap"
FORMAT = "controlmap-isheet/1"
YES, NO = "はい", "いいえ"


@dataclass(frozen=True, slots=True)
class Column:
    """One column the I-sheet defines: field name, header, width, whether people fill it in, whether it must exist."""

    key: str
    header: str
    width: float
    editable: bool = False
    required: bool = False
    hidden: bool = False
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("item_id", "管理ID", 18, required=True, hidden=True, help="項目の識別子(非表示)。変更しないでください。"),
    Column("notation", "項番", 12, required=True, help="チェックリストの項番。変更しないでください。"),
    Column("provenance", "出典", 6, help="[R] 出典の原文で確認した項目、[I] 再構成した項目。"),
    Column("chapter", "区分", 18, help="チェックリストの章。"),
    Column("title", "点検項目", 24, help="点検項目の名称。"),
    Column("required", "求められる対策", 40, help="この項目で求められる対策(点検の問い)。"),
    Column("implemented", "実施している対策", 40, editable=True,
           help="自治体で実際に行っている対策を具体的に書く(規程名・手順名・運用の内容)。"),
    Column("status", "状況", 16, editable=True, required=True,
           help="適切に運用している / 整備している / 整備していない / 該当なし から選ぶ。"),
    Column("confirmation", "確認方法", 14, editable=True, required=True,
           help="どのように確認したか。複数のときは「、」で区切る(例: 文書確認、ログ確認)。"),
    Column("evidence", "根拠資料", 32, editable=True, required=True,
           help="確認に用いた資料・記録を後任者や監査人が辿れるように書く(文書名・条項・保管場所・記録の期間)。"
                "複数のときは改行で区切る。「同上」は使わない。"),
    Column("responsible", "担当者", 12, editable=True, required=True, help="確認した担当者(所属・氏名)。"),
    Column("confirmed_on", "確認日", 12, editable=True, required=True,
           help="確認した日(例: 2026-05-10)。数式(=TODAY() など)は使わない。"),
    Column("own_practice", "独自の実践", 10, editable=True,
           help="チェックリストの求め以上に自治体独自で行っている実践があれば「はい」。内容は備考に書く。"),
    Column("notes", "備考", 32, editable=True,
           help="補足。「該当なし」のときはその理由を必ず書く。独自の実践の内容もここに書く。"),
    Column("previous_status", "前年度の状況", 16, help="前年度の I-sheet の状況(参考)。"),
    Column("follow_up", "前年度の委員会決定", 30, help="運用監視委員会の決定で、この項目に関わるもの。"),
)
BY_KEY = {c.key: c for c in COLUMNS}
BY_HEADER = {c.header: c for c in COLUMNS}
EXTRA_WIDTH = 18
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


def layout_of(sheet: ISheet) -> list[str]:
    """Headers in the order they are written: the sheet's layout, then any missing defined column in place."""
    known = [c.header for c in COLUMNS]
    order = [h for h in sheet.layout if h in BY_HEADER or h in sheet.extra_columns]
    for i, header in enumerate(known):
        if header not in order:
            before = [h for h in known[:i] if h in order]
            pos = order.index(before[-1]) + 1 if before else 0
            order.insert(pos, header)
    order += [h for h in sheet.extra_columns if h not in order]
    return order


def write_isheet(sheet: ISheet, path: str | Path) -> Path:
    """Write the I-sheet workbook: the sheet to fill in, 記入要領, and a hidden sheet of what was issued.

    Drop-down lists guard 状況, 確認方法 and 独自の実践, 確認日 takes dates, the header and the item
    columns stay in view, text wraps, and user-added columns are written back where they were.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
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
    wb.save(p)
    return p


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
        ("適切に運用している", "対策を定め、そのとおり運用されていることを記録・現地・聞き取り等で確かめた。根拠資料と確認方法が必須。"),
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
    rows = [("format", FORMAT), ("year", str(sheet.year)), ("source", sheet.source), ("subject", sheet.subject),
            ("generated", date.today().isoformat())]
    rows += [("item", r.item_id, r.notation) for r in sheet.rows if r.item_id in set(sheet.issued or sheet.ids)]
    for i, values in enumerate(rows, start=1):
        for j, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=j, value=neutralise(value))
            cell.data_type = "s"
    ws.sheet_state = "hidden"


# -- reading ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RawSheet:
    """The cells of a filled I-sheet as typed: values by (row, column), formulas, merged ranges, issued items."""

    file: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]
    formulas: frozenset[tuple[int, int]]
    merged: tuple[tuple[int, int, int, int], ...]
    meta: dict[str, str] | None
    issued: tuple[tuple[str, str], ...]
    sheetnames: tuple[str, ...]
    max_row: int


def read_raw(path: str | Path, sheet: str = SHEET) -> RawSheet:
    """The raw cells of the I-sheet in a workbook (formulas kept as typed, not evaluated)."""
    from openpyxl import load_workbook

    p = Path(path)
    if not p.exists():
        raise DataError([Problem(str(p), None, None, "no such file")])
    try:
        with warnings.catch_warnings():  # openpyxl warns about Excel extensions it drops; they do not matter here
            warnings.simplefilter("ignore")
            wb = load_workbook(p, data_only=False)
    except Exception as err:  # openpyxl raises many types for a broken workbook
        raise DataError([Problem(str(p), None, None, f"cannot open as an Excel workbook: {err}")]) from err
    names = tuple(wb.sheetnames)
    if sheet not in names:
        raise DataError([Problem(str(p), None, None,
                                 f"no sheet {sheet!r}; the workbook has: {', '.join(names)} (was it renamed?)")])
    ws = wb[sheet]
    grid = list(ws.iter_rows())
    header = tuple(cell_text(c.value).strip() for c in grid[0]) if grid else ()
    rows: list[tuple[int, tuple[object, ...]]] = []
    formulas: set[tuple[int, int]] = set()
    for cells in grid[1:]:
        values = []
        for c in cells:
            if c.data_type == "f":
                formulas.add((c.row, c.column))
            values.append(c.value)
        if cells:
            rows.append((cells[0].row, tuple(values)))
    merged = tuple((m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges)
    meta: dict[str, str] | None = None
    issued: list[tuple[str, str]] = []
    if META_SHEET in names:
        meta = {}
        for key, *rest in wb[META_SHEET].iter_rows(values_only=True):
            if key == "item" and rest:
                issued.append((restore(cell_text(rest[0])), restore(cell_text(rest[1])) if len(rest) > 1 else ""))
            elif key:
                meta[cell_text(key)] = restore(cell_text(rest[0])) if rest else ""
    return RawSheet(str(p), ws.title, header, tuple(rows), frozenset(formulas), merged, meta, tuple(issued),
                    names, ws.max_row)



"""Write the staff survey's files: the questionnaire form (XLSX with drop-downs, or CSV), proposals (CSV, Markdown)."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable
from pathlib import Path

from ..cycle.isheet.cells import neutralise
from ..cycle.proposals import PROPOSAL_FIELDS, Proposal, proposals_records
from ..cycle.survey import ROLES, ItemRate, Question
from ..errors import ExportError
from .files import atomic_path, write_text
from .render import md_cell

__all__ = ["FORM_HEADERS", "proposals_markdown", "rates_table", "write_proposals", "write_questionnaire"]

FORM_HEADERS = ("役割", "項番", "点検項目", "質問", "理解している", "実践している", "意見・コメント")


def write_questionnaire(questions: list[Question], path: str | Path) -> Path:
    """Write the questionnaire form as ``.xlsx`` (drop-downs, instructions) or ``.csv`` (UTF-8 with BOM)."""
    p = Path(path)
    rows = [["", q.notation, q.title, q.question, "", "", ""] for q in questions]
    if p.suffix.lower() == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(FORM_HEADERS)
        writer.writerows([[neutralise(v) for v in row] for row in rows])
        return write_text(p, buf.getvalue(), encoding="utf-8-sig")
    if p.suffix.lower() != ".xlsx":
        raise ExportError(f"cannot write a questionnaire as {p.suffix!r}; use .xlsx or .csv")
    with atomic_path(p) as tmp:
        _write_form_xlsx(rows, tmp)
    return p


def _write_form_xlsx(rows: list[list[str]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "アンケート"
    widths = (16, 12, 26, 50, 14, 14, 40)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    for col, (header, w) in enumerate(zip(FORM_HEADERS, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font, cell.fill = Font(bold=True), header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = w
    wrap = Alignment(wrap_text=True, vertical="top")
    grey = PatternFill("solid", fgColor="F2F2F2")
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col, value=neutralise(value))
            cell.data_type = "s"
            cell.alignment = wrap
            if col in (2, 3, 4):
                cell.fill = grey
    last = len(rows) + 1
    for letter, values, strict in (("A", ROLES, False), ("E", ("はい", "いいえ"), True),
                                   ("F", ("はい", "いいえ", "該当しない"), True)):
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                            showErrorMessage=True, errorStyle="stop" if strict else "information",
                            errorTitle="選択肢から選んでください", error="一覧の値を選んでください。")
        dv.add(f"{letter}2:{letter}{max(last, 2)}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "E2"
    ws.auto_filter.ref = f"A1:G{max(last, 2)}"
    guide = wb.create_sheet("記入要領")
    lines = [
        "住基ネット 職員アンケート 記入要領",
        "",
        "・氏名は書きません(無記名)。各行の「役割」にご自身の役割を選んでください。",
        "・「理解している」: この対策のルール(規程・手順)の内容を理解していれば「はい」、そうでなければ「いいえ」。",
        "・「実践している」: 日常業務でそのとおり実践していれば「はい」、できていなければ「いいえ」、"
        "担当業務に関係しなければ「該当しない」。",
        "・「意見・コメント」: 守りにくい理由や改善案があれば自由に書いてください(個人名は書かないでください)。",
        "・項番・点検項目・質問の列は変更しないでください。",
        "・集計: controlmap survey import <このファイル> で、項目ごとの理解率・実践率を集計します。",
    ]
    for i, line in enumerate(lines, start=1):
        guide.cell(row=i, column=1, value=line).alignment = Alignment(wrap_text=True, vertical="top")
    guide.column_dimensions["A"].width = 110
    guide["A1"].font = Font(bold=True, size=14)
    wb.save(path)




def write_proposals(proposals: Iterable[Proposal], path: str | Path) -> Path:
    """Write proposals as ``.csv`` (UTF-8 with BOM, read back by
    :func:`controlmap.workflows.survey.read_proposals`) or ``.md``."""
    p = Path(path)
    records = proposals_records(proposals)
    if p.suffix.lower() == ".csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(PROPOSAL_FIELDS), lineterminator="\r\n")
        writer.writeheader()
        for rec in records:
            writer.writerow({k: neutralise(str(v)) for k, v in rec.items()})
        write_text(p, buf.getvalue(), encoding="utf-8-sig")
    elif p.suffix.lower() == ".md":
        write_text(p, proposals_markdown(records))
    else:
        raise ExportError(f"cannot write proposals as {p.suffix!r}; use .csv or .md")
    return p


def proposals_markdown(records: list[dict]) -> str:
    """A Markdown table of proposal records (for minutes and handover documents)."""
    lines = ["| ID | 項番 | 点検項目 | 提案 | 理解率 | 実践率 | 回答数 | 理由 |", "|---|---|---|---|---|---|---|---|"]
    for r in records:
        u = "—" if r["understood_rate"] == "" else f"{r['understood_rate']:.0%}"
        pr = "—" if r["practised_rate"] == "" else f"{r['practised_rate']:.0%}"
        lines.append("| " + " | ".join(md_cell(v) for v in (
            r["id"], r["notation"], f"{r['title']} {r['provenance']}".strip(), r["action_ja"], u, pr, r["answers"],
            r["reason"])) + " |")
    return "\n".join(lines) + "\n"




def rates_table(rates: Iterable[ItemRate], flagged: Collection[str] = ()) -> str:
    """Understanding and practice rates per item as aligned terminal text; ``flagged`` items are marked 提案."""
    from ..textwidth import pad

    def pct(x: float | None) -> str:
        return "   —" if x is None else f"{x:4.0%}"

    lines = [f"{pad('項番', 12)} {pad('点検項目', 30)} {'回答':>4} {'理解率':>6} {'実践率':>6}"]
    for r in rates:
        mark = "  ← 提案" if r.item_id in flagged else ""
        lines.append(f"{pad(r.notation, 12)} {pad(r.title, 30)} {r.answers:4d} {pct(r.understood_rate):>6} "
                     f"{pct(r.practised_rate):>6}{mark}")
    return "\n".join(lines) + "\n"

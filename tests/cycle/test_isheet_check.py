"""The mistakes people make in an I-sheet in Excel are each caught and named by sheet and cell."""

from __future__ import annotations

from datetime import date

import pytest
from isheet_fill import STATUSES, columns, fill, row_of
from openpyxl import load_workbook

import controlmap as cm
from controlmap.errors import DataError
from controlmap.workflows.isheet import check_isheet, new_isheet, read_isheet, write_isheet

AS_OF = date(2026, 3, 31)

# (項番, header, value planted, words the problem must contain). Statuses are set explicitly where a rule needs one.
PLANTED = [
    ("MIC-01-01", {"状況": "済"}, "状況", "'済' is not a status"),
    ("MIC-01-05", {"状況": "適切に運用している", "根拠資料": None}, "根拠資料", "needs the evidence"),
    ("MIC-01-09", {"状況": "適切に運用している", "確認方法": None}, "確認方法", "needs how it was confirmed"),
    ("MIC-01-10", {"状況": "整備している", "確認方法": None}, "確認方法", "整備している needs"),
    ("MIC-02-01", {"確認日": "来週"}, "確認日", "is not a date"),
    ("MIC-02-02", {"確認日": "2026/13/01"}, "確認日", "not a valid calendar date"),
    ("MIC-02-05", {"確認日": date(2027, 1, 1)}, "確認日", "in the future"),
    ("MIC-02-06", {"確認日": "=TODAY()"}, "確認日", "a formula"),
    ("MIC-02-08", {"確認日": date(2024, 5, 1)}, "確認日", "before fiscal year 2025"),
    ("MIC-03-01", {"状況": "整備していない", "担当者": None}, "担当者", "no person in charge"),
    ("MIC-03-02", {"状況": "整備している", "確認日": None}, "確認日", "date it was confirmed is missing"),
    ("MIC-03-04", {"状況": "該当なし", "備考": None}, "備考", "該当なし needs the reason"),
    ("MIC-03-05", {"状況": "適切に運用している", "根拠資料": "同上"}, "根拠資料", "refers to another row"),
    ("MIC-03-06", {"確認方法": "なんとなく"}, "確認方法", "unknown method"),
    ("MIC-03-08", {"独自の実践": "たぶん"}, "独自の実践", "write はい"),
    ("MIC-03-09", {"状況": None, "確認日": date(2025, 7, 1)}, "状況", "状況 is empty"),
    ("MIC-04-02", {"項番": "MIC-04-20"}, "項番", "the 項番 was edited"),
    ("MIC-04-01", {"管理ID": "MIC:MIC-04-99"}, "管理ID", "the hidden 管理ID was edited"),
]


@pytest.fixture(scope="module")
def planted(kg, tmp_path_factory):
    """A filled 2025 sheet with every mistake of PLANTED, a copied row, a deleted row, a blank row and merged cells."""
    folder = tmp_path_factory.mktemp("planted")
    blank = write_isheet(new_isheet(kg, 2025), folder / "isheet-2025.xlsx")
    path = fill(blank, day=date(2025, 6, 1), save_to=folder / "mistakes.xlsx",
                overrides={n: changes for n, changes, _, _ in PLANTED})
    wb = load_workbook(path)
    ws = wb["I-sheet"]
    col = columns(ws)
    where = {n: (row_of(ws, changes.get("項番", n)), header) for n, changes, header, _ in PLANTED}
    # merged cells: 状況 of two items
    merged_row = row_of(ws, "MIC-05-01")
    ws.merge_cells(start_row=merged_row, start_column=col["状況"], end_row=merged_row + 1, end_column=col["状況"])
    # a row emptied in the middle (blank row, and its item is gone)
    blank_row = row_of(ws, "MIC-06-01")
    for c in range(1, ws.max_column + 1):
        ws.cell(row=blank_row, column=c).value = None
    # a copied row pasted below the table
    source_row = row_of(ws, "MIC-01-04")
    last = ws.max_row
    for c in range(1, ws.max_column + 1):
        ws.cell(row=last + 1, column=c).value = ws.cell(row=source_row, column=c).value
    # a note typed in a column without a header
    stray = (10, ws.max_column + 2)
    ws.cell(row=stray[0], column=stray[1]).value = "メモ"
    # the second-to-last item deleted
    deleted = ws.cell(row=last - 1, column=col["項番"]).value
    ws.delete_rows(last - 1)
    wb.save(path)
    letters = {h: ws.cell(row=1, column=c).column_letter for h, c in col.items()}
    return {"path": path, "where": where, "letters": letters, "merged_row": merged_row, "blank_row": blank_row,
            "copied_row": last, "source_row": source_row, "stray": stray, "deleted": deleted}


@pytest.fixture(scope="module")
def problems(planted):
    return check_isheet(planted["path"], as_of=AS_OF)


@pytest.mark.parametrize("notation, changes, header, words", PLANTED, ids=[p[0] + "-" + p[2] for p in PLANTED])
def test_each_planted_mistake_is_named_with_its_cell(planted, problems, notation, changes, header, words):
    row, _ = planted["where"][notation]
    letter = planted["letters"][header]
    found = [p for p in problems if p.row == row and p.column == letter]
    assert found, f"nothing reported at I-sheet!{letter}{row} for {notation}"
    assert any(words in p.message for p in found), [p.message for p in found]
    for p in found:
        assert p.message.startswith(f"I-sheet!{letter}{row} ")
        assert str(p).startswith(f"{planted['path']}[I-sheet]:{row}:{letter}: I-sheet!{letter}{row}")


def test_merged_cells_are_named_by_range(planted, problems):
    r, letter = planted["merged_row"], planted["letters"]["状況"]
    merged = [p for p in problems if p.row == r and p.column == letter and "merged cells" in p.message]
    assert merged and f"{letter}{r}:{letter}{r + 1}" in merged[0].message
    assert not [p for p in problems if p.row == r + 1 and p.column == letter]  # said once, at the merge


def test_blank_copied_deleted_and_stray(planted, problems):
    blank = [p for p in problems if p.row == planted["blank_row"] and "blank" in p.message]
    assert blank and blank[0].column == "A"
    copied = [p for p in problems if p.row == planted["copied_row"] and "appears twice" in p.message]
    assert copied and f"first on row {planted['source_row']}" in copied[0].message
    missing = [p for p in problems if p.row is None and "is missing" in p.message]
    assert {planted["deleted"], "MIC-06-01"} <= {m.message.split("item ")[1].split(" ")[0] for m in missing}
    # an edited id is reported as edited, not also as a deleted item
    assert not [m for m in missing if "MIC-04-01 " in m.message]
    r, c = planted["stray"]
    from openpyxl.utils import get_column_letter

    assert [p for p in problems if p.row == r and p.column == get_column_letter(c) and "without a header" in p.message]


def test_nothing_else_is_reported(planted, problems):
    """Every problem comes from a planted mistake: the correct rows raise none."""
    expected_rows = {row for row, _ in planted["where"].values()} | {
        planted["merged_row"], planted["blank_row"], planted["copied_row"], planted["stray"][0], None}
    assert {p.row for p in problems} <= expected_rows


def test_strict_read_raises_all_problems_and_lenient_read_keeps_rows(planted, problems):
    with pytest.raises(DataError) as err:
        read_isheet(planted["path"], as_of=AS_OF)
    assert err.value.problems == tuple(problems)
    sheet = read_isheet(planted["path"], strict=False, as_of=AS_OF)
    assert sheet.row("MIC-01-02").status is not None


def test_variants_of_status_words_are_read(kg, tmp_path):
    blank = write_isheet(new_isheet(kg, 2025), tmp_path / "a.xlsx")
    path = fill(blank, day=date(2025, 6, 1), overrides={
        "MIC-01-03": {"状況": "×"}, "MIC-01-02": {"状況": "整備済"}, "MIC-01-11": {"状況": "2026年度 "},
    })
    problems = check_isheet(path, as_of=AS_OF)
    ws = load_workbook(path)["I-sheet"]
    assert [p.row for p in problems] == [row_of(ws, "MIC-01-11")]
    sheet = read_isheet(path, strict=False)
    assert sheet.row("MIC-01-03").status is cm.SelfCheckStatus.NOT_ESTABLISHED
    assert sheet.row("MIC-01-02").status is cm.SelfCheckStatus.ESTABLISHED


def test_structure_renamed_column_deleted_sheet(kg, tmp_path):
    blank = write_isheet(new_isheet(kg, 2025), tmp_path / "a.xlsx")
    wb = load_workbook(blank)
    ws = wb["I-sheet"]
    ws.cell(row=1, column=columns(ws)["状況"]).value = "状況(記入)"
    wb.save(tmp_path / "renamed.xlsx")
    problems = check_isheet(tmp_path / "renamed.xlsx")
    assert len(problems) == 1 and "'状況' is missing" in problems[0].message and "状況(記入)" in problems[0].message
    del wb["_controlmap"]
    wb.save(tmp_path / "nometa.xlsx")
    assert "_controlmap" in check_isheet(tmp_path / "nometa.xlsx")[0].message
    wb = load_workbook(blank)
    wb["I-sheet"].title = "点検表"
    wb.save(tmp_path / "retitled.xlsx")
    assert "no sheet 'I-sheet'" in check_isheet(tmp_path / "retitled.xlsx")[0].message
    (tmp_path / "not.xlsx").write_text("not a workbook")
    assert "cannot open" in check_isheet(tmp_path / "not.xlsx")[0].message


def test_status_words_cycle_in_fixture():
    """The fixture answers statuses in turn, so every status is exercised by the checks above."""
    assert set(STATUSES) == {s.value for s in cm.SelfCheckStatus}

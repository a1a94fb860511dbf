"""controlmap.io.frameworks: framework YAML, inline controls, and a prefecture's MIC checklist workbook."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import controlmap as cm
from controlmap.io.frameworks import parse_framework_meta, read_framework_file

ANSWERS = ["適切に運用している", "整備している", "整備していない"]
PROFILE = """\
id: mic_pref
edition: '2009'
prefix: MICP
title: 住基ネット セキュリティ対策チェックリスト(○○県配布)
publisher: ○○県
completeness: full
controls:
  file: checklist.xlsx
  sheet: 点検表
  header_row: 3
  columns: {id: 項番, title: 点検項目, answer: 回答}
  default_provenance: R
"""


# -- shipped framework.yaml ------------------------------------------------------------------------------
def test_every_shipped_edition_is_loaded_with_its_metadata(catalog, shipped_editions):
    assert {f.key for f in catalog.frameworks} == set(shipped_editions)
    for key, ed in shipped_editions.items():
        fw = catalog.framework(key)
        assert (fw.id, fw.edition, fw.prefix, fw.title) == (
            ed.meta["id"], ed.meta["edition"], ed.meta["prefix"], ed.meta["title"])
        assert fw.is_default == bool(ed.meta.get("default"))
        assert fw.completeness == ed.meta["completeness"]
        assert list(fw.levels) == ed.meta["levels"]
        assert list(fw.assessable_levels) == (ed.meta.get("assessable_levels") or [])
        assert list(fw.sources) == ed.meta["sources"]


def test_read_framework_file_matches_the_csv(shipped_editions):
    ed = shipped_editions["mic@2009"]
    part = read_framework_file(ed.csv_path.parent / "framework.yaml")
    assert [c.id for c in part.controls] == ed.ids
    assert [c.origin for c in part.controls] == [f"{ed.csv_path}:{n}" for n, _ in ed.rows]


# -- metadata errors -------------------------------------------------------------------------------------
def test_metadata_problems_are_collected_and_name_the_key():
    with pytest.raises(cm.DataError) as excinfo:
        parse_framework_meta({"id": "x", "edition": "1", "titel": "誤", "completeness": "most"}, "f.yaml")
    got = {(p.file, p.column) for p in excinfo.value.problems}
    assert got == {("f.yaml", "titel"), ("f.yaml", "prefix"), ("f.yaml", "title"), ("f.yaml", "completeness")}


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    lines = ["id: demo", "edition: '1'", "title: 例: 誤", "prefix: D"]  # a second ': ' on line 3
    path = tmp_path / "framework.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(cm.DataError) as excinfo:
        cm.load(path, shipped=False)
    (problem,) = excinfo.value.problems
    column = str(lines[2].index(": 誤") + 1)
    assert (problem.file, problem.row, problem.column) == (str(path), 3, column)
    assert "invalid YAML" in problem.message


def test_inline_controls_in_yaml(tmp_path):
    path = tmp_path / "inline.yaml"
    path.write_text(textwrap.dedent("""\
        id: inline
        edition: '1'
        prefix: IN
        title: 表のない点検表
        controls:
          - {id: '1', level: item, title: 入退室管理, provenance: R}
          - {id: '２', level: item, title: 端末の施錠, provenance: I}
        """), encoding="utf-8")
    controls = cm.load(path, shipped=False).catalog.controls
    assert [(c.id, c.title, c.provenance.value) for c in controls] == [
        ("IN:1", "入退室管理", "R"), ("IN:2", "端末の施錠", "I")]


# -- a prefecture's official checklist workbook ----------------------------------------------------------
def _workbook(path: Path, rows: list[list[object]], header=("項番", "点検項目", "回答", "備考")) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "点検表"
    ws["A1"] = "住民基本台帳ネットワークシステム セキュリティ対策 自己点検表(令和○年度 ○○県)"
    ws.append([])
    ws.append(list(header))  # row 3
    for row in rows:
        ws.append(row)
    wb.create_sheet("記入例")
    wb.save(path)


CHECKLIST = [
    ["ＭＩＣ－０１－０１", "セキュリティ統括責任者の設置", "適切に運用している", None],
    ["MIC-01-02", "統括責任者の代行・補佐", "整備している", "規程改正中"],
    [None, None, None, None],
    ["MIC-01-03", "システム管理者の設置", "整備していない", None],
    ["MIC-01-04", "監査責任者の設置", None, None],
]


def test_xlsx_checklist_through_a_yaml_profile(tmp_path):
    _workbook(tmp_path / "checklist.xlsx", CHECKLIST)
    (tmp_path / "profile.yaml").write_text(PROFILE, encoding="utf-8")
    kg = cm.load(tmp_path / "profile.yaml")
    assert kg.framework("mic_pref").key == "mic_pref@2009"
    assert kg.framework("mic").key == "mic@2009"  # the shipped data is still there
    controls = kg.catalog.controls_of("mic_pref")
    assert [(c.id, c.title, c.level, c.provenance.value) for c in controls] == [
        ("MICP:MIC-01-01", "セキュリティ統括責任者の設置", "item", "R"),
        ("MICP:MIC-01-02", "統括責任者の代行・補佐", "item", "R"),
        ("MICP:MIC-01-03", "システム管理者の設置", "item", "R"),
        ("MICP:MIC-01-04", "監査責任者の設置", "item", "R"),
    ]
    sheet = f"{(tmp_path / 'checklist.xlsx').resolve()}[点検表]"
    assert [c.origin for c in controls] == [f"{sheet}:{n}" for n in (4, 5, 7, 8)]
    answers = {a.control_id: a.status.value for a in kg.catalog.answers}
    assert answers == {"MICP:MIC-01-01": ANSWERS[0], "MICP:MIC-01-02": ANSWERS[1], "MICP:MIC-01-03": ANSWERS[2]}
    assert kg.validate() == []


def test_xlsx_unknown_answer_names_sheet_column_letter_and_row(tmp_path):
    rows = [r[:] for r in CHECKLIST]
    rows[1][2] = "だいたいできている"  # Excel row 5
    _workbook(tmp_path / "checklist.xlsx", rows)
    (tmp_path / "profile.yaml").write_text(PROFILE, encoding="utf-8")
    with pytest.raises(cm.DataError) as excinfo:
        cm.load(tmp_path / "profile.yaml")
    (problem,) = excinfo.value.problems
    sheet = f"{(tmp_path / 'checklist.xlsx').resolve()}[点検表]"
    assert (problem.file, problem.row, problem.column) == (sheet, 5, "C (回答)")
    assert str(problem).startswith(f"{sheet}:5:C (回答): unknown answer 'だいたいできている'")


def test_xlsx_misnamed_header_is_reported_on_the_header_row(tmp_path):
    _workbook(tmp_path / "checklist.xlsx", CHECKLIST, header=("項番", "点検項目名", "回答", "備考"))
    (tmp_path / "profile.yaml").write_text(PROFILE, encoding="utf-8")
    with pytest.raises(cm.DataError) as excinfo:
        cm.load(tmp_path / "profile.yaml")
    (problem,) = excinfo.value.problems
    assert problem.file.endswith("checklist.xlsx[点検表]")
    assert (problem.row, problem.column) == (3, "点検項目")
    assert "did you mean '点検項目名'" in problem.message


def test_xlsx_duplicate_id_cites_the_excel_column(tmp_path):
    rows = [r[:] for r in CHECKLIST]
    rows[3][0] = "MIC-01-01"  # Excel row 7 repeats row 4 (written there in 全角)
    _workbook(tmp_path / "checklist.xlsx", rows)
    (tmp_path / "profile.yaml").write_text(PROFILE, encoding="utf-8")
    with pytest.raises(cm.DataError) as excinfo:
        cm.load(tmp_path / "profile.yaml")
    (problem,) = excinfo.value.problems
    assert (problem.row, problem.column) == (7, "A (項番)")
    assert "first on row 4" in problem.message


def test_xlsx_unknown_sheet(tmp_path):
    _workbook(tmp_path / "checklist.xlsx", CHECKLIST)
    (tmp_path / "profile.yaml").write_text(PROFILE.replace("sheet: 点検表", "sheet: 点検票"), encoding="utf-8")
    with pytest.raises(cm.DataError, match="no sheet '点検票'; the workbook has: 点検表, 記入例"):
        cm.load(tmp_path / "profile.yaml")


@pytest.mark.parametrize(("old", "new", "column"), [
    ("default_provenance: R", "default_provenance: X", "controls.default_provenance"),
    ("header_row: 3", "header_row: three", "controls.header_row"),
    ("file: checklist.xlsx", "file: missing.xlsx", "controls"),
])
def test_bad_profile_settings_are_data_errors(tmp_path, old, new, column):
    _workbook(tmp_path / "checklist.xlsx", CHECKLIST)
    (tmp_path / "profile.yaml").write_text(PROFILE.replace(old, new), encoding="utf-8")
    with pytest.raises(cm.DataError) as excinfo:
        cm.load(tmp_path / "profile.yaml")
    (problem,) = excinfo.value.problems
    assert (problem.file, problem.column) == (str(tmp_path / "profile.yaml"), column)

"""controlmap.io.table, io.controls and io.encoding: controls CSVs as people write them, and bad input.

Every bad-input test loads a real file through ``controlmap.load`` and checks that the DataError names
the file, the row and the column, printed as ``file:row:column: message``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import controlmap as cm
from controlmap.io.controls import parse_answer
from controlmap.io.table import parse_csv

HEADER = "id,parent,level,title,summary,source_ref,provenance\n"
VALID = HEADER + """\
MIC-01,,chapter,セキュリティ組織・体制,責任者と会議体,告示334号第6,R
MIC-01-01,MIC-01,item,統括責任者の設置,副首長等を任命しているか。,例規,R
MIC-01-02,MIC-01,item,ＵＳＢメモリの管理,媒体を台帳で管理しているか。,例規,I
MIC-02,,chapter,入退室管理,,,I
MIC-02-01,MIC-02,item,サーバ室の施錠,,,R
"""


def load_controls(yaml_path: Path) -> list[cm.Control]:
    return list(cm.load(yaml_path, shipped=False).catalog.controls)


def only_problem(excinfo) -> cm.Problem:
    problems = excinfo.value.problems
    assert len(problems) == 1, problems
    return problems[0]


def assert_at(problem: cm.Problem, file: Path, row: int, column: str) -> None:
    assert (Path(problem.file), problem.row, problem.column) == (file, row, column)
    assert str(problem) == f"{file}:{row}:{column}: {problem.message}"


# -- what loads ------------------------------------------------------------------------------------------
def test_valid_csv_loads_every_row_with_ids_parents_and_provenance(write_framework):
    yaml_path, csv_path = write_framework(VALID)
    controls = load_controls(yaml_path)
    assert [(c.id, c.parent, c.level, c.provenance.value) for c in controls] == [
        ("DEMO:MIC-01", None, "chapter", "R"),
        ("DEMO:MIC-01-01", "DEMO:MIC-01", "item", "R"),
        ("DEMO:MIC-01-02", "DEMO:MIC-01", "item", "I"),
        ("DEMO:MIC-02", None, "chapter", "I"),
        ("DEMO:MIC-02-01", "DEMO:MIC-02", "item", "R"),
    ]
    assert [c.origin for c in controls] == [f"{csv_path}:{n}" for n in range(2, 7)]


def test_no_row_is_silently_dropped_between_blank_lines(write_framework):
    lines = VALID.splitlines()
    spaced = "\n".join([lines[0], "", lines[1], lines[2], "", "", lines[3], ",,,,,,", lines[4], "", lines[5]]) + "\n\n"
    yaml_path, csv_path = write_framework(spaced)
    controls = load_controls(yaml_path)
    data_lines = [n for n, line in enumerate(spaced.splitlines(), start=1)
                  if n > 1 and line.strip(", ")]
    assert len(controls) == len(data_lines) == 5
    assert [c.origin for c in controls] == [f"{csv_path}:{n}" for n in data_lines]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_utf8_bom_and_cp932_load_identical_controls(write_framework, encoding):
    reference = load_controls(write_framework(VALID)[0])
    yaml_path, csv_path = write_framework(VALID, encoding=encoding)
    assert csv_path.read_bytes() == VALID.encode(encoding)  # the file really is in that encoding
    assert load_controls(yaml_path) == reference
    assert reference[2].title == "ＵＳＢメモリの管理"


def test_zenkaku_ids_are_normalised_and_titles_kept_as_written(write_framework):
    text = HEADER + ("ＭＩＣ－０１,,chapter,ＰＣの管理　（庁内）,,,R\n"
                     "ＭＩＣ－０１－０１,ＭＩＣ－０１,item,ＵＳＢ メモリ　の持出し,,,I\n"
                     "MIC-01-02,MIC-01,item,半角ｶﾅの見出し,,,I\n")
    controls = load_controls(write_framework(text)[0])
    assert [(c.id, c.notation, c.parent) for c in controls] == [
        ("DEMO:MIC-01", "MIC-01", None),
        ("DEMO:MIC-01-01", "MIC-01-01", "DEMO:MIC-01"),
        ("DEMO:MIC-01-02", "MIC-01-02", "DEMO:MIC-01"),
    ]
    assert [c.title for c in controls] == ["ＰＣの管理　（庁内）", "ＵＳＢ メモリ　の持出し", "半角ｶﾅの見出し"]


def test_ids_may_carry_the_edition_prefix(write_framework):
    text = HEADER + "DEMO:1,,chapter,組織,,,R\n1.1,DEMO:1,item,責任者,,,R\n"
    controls = load_controls(write_framework(text)[0])
    assert [(c.id, c.parent) for c in controls] == [("DEMO:1", None), ("DEMO:1.1", "DEMO:1")]


def test_provenance_tag_at_the_end_of_source_ref_is_read_and_stripped(write_framework):
    text = HEADER + "1,,chapter,組織,,告示334号 [R],\n1.1,1,item,責任者,,推定 [I],\n"
    controls = load_controls(write_framework(text)[0])
    assert [(c.provenance.value, c.source_ref) for c in controls] == [("R", "告示334号"), ("I", "推定")]


@pytest.mark.parametrize(("cell", "status"), [
    ("適切に運用している", "適切に運用している"), ("整備している", "整備している"),
    ("整備していない", "整備していない"), ("該当なし", "該当なし"), ("　整備している ", "整備している"),
])
def test_answer_words(cell, status):
    assert parse_answer(cell).value == status


def test_unknown_answer_word_is_none():
    assert parse_answer("たぶん") is None


def test_parse_csv_pads_short_rows_and_rejects_extra_cells():
    table = parse_csv("id,title,summary\n1,組織\n", "x.csv")
    assert table.rows == ((2, {"id": "1", "title": "組織", "summary": ""}),)
    with pytest.raises(cm.DataError) as excinfo:
        parse_csv("id,title\n1,組織\n2,体制,余分\n", "x.csv")
    assert [(p.file, p.row, p.column) for p in excinfo.value.problems] == [("x.csv", 3, "3")]


# -- bad input (issue item 9): one test each ----------------------------------------------------------------
def test_missing_column(write_framework):
    yaml_path, csv_path = write_framework("id,parent,level,provenance\n1,,chapter,R\n")
    with pytest.raises(cm.DataError) as excinfo:
        load_controls(yaml_path)
    problem = only_problem(excinfo)
    assert_at(problem, csv_path, 1, "title")
    assert "missing column 'title'" in problem.message
    assert "did you mean" not in problem.message


def test_misnamed_column_suggests_the_header_meant(write_framework):
    yaml_path, csv_path = write_framework("id,parent,level,titel,provenance\n1,,chapter,組織,R\n")
    with pytest.raises(cm.DataError) as excinfo:
        load_controls(yaml_path)
    problem = only_problem(excinfo)
    assert_at(problem, csv_path, 1, "title")
    assert "did you mean 'titel'" in problem.message


@pytest.mark.parametrize(("first", "second"), [("3.1", "3.1"), ("3.1", "３.１"), ("ＭＩＣ－０１", "MIC-01")])
def test_duplicate_ids_including_zenkaku_hankaku_twins(write_framework, first, second):
    text = HEADER + f"{first},,chapter,一つ目,,,R\n2,,chapter,間の行,,,R\n{second},,chapter,二つ目,,,R\n"
    yaml_path, csv_path = write_framework(text)
    with pytest.raises(cm.DataError) as excinfo:
        load_controls(yaml_path)
    problem = only_problem(excinfo)
    assert_at(problem, csv_path, 4, "id")
    assert "duplicate id" in problem.message and "row 2" in problem.message


def test_unknown_parent(write_framework):
    yaml_path, csv_path = write_framework(HEADER + "1,,chapter,組織,,,R\n1.1,9,item,責任者,,,R\n")
    with pytest.raises(cm.DataError) as excinfo:
        load_controls(yaml_path)
    problem = only_problem(excinfo)
    assert_at(problem, csv_path, 3, "parent")
    assert "unknown parent '9'" in problem.message


def test_hierarchy_cycle(write_framework):
    text = HEADER + "0,,chapter,根,,,R\n1,3,chapter,一,,,R\n2,1,item,二,,,R\n3,2,item,三,,,R\n"
    yaml_path, csv_path = write_framework(text)
    with pytest.raises(cm.DataError) as excinfo:
        load_controls(yaml_path)
    problems = excinfo.value.problems
    assert [(Path(p.file), p.row, p.column) for p in problems] == [(csv_path, n, "parent") for n in (3, 4, 5)]
    assert all("hierarchy cycle" in p.message for p in problems)
    assert str(problems[0]) == f"{csv_path}:3:parent: {problems[0].message}"


def test_self_parent_is_a_cycle(write_framework):
    yaml_path, csv_path = write_framework(HEADER + "1,1,chapter,組織,,,R\n")
    with pytest.raises(cm.DataError) as excinfo:
        load_controls(yaml_path)
    assert_at(only_problem(excinfo), csv_path, 2, "parent")


def test_empty_title(write_framework):
    yaml_path, csv_path = write_framework(HEADER + "1,,chapter,組織,,,R\n1.1,1,item,  ,,,R\n")
    with pytest.raises(cm.DataError) as excinfo:
        load_controls(yaml_path)
    problem = only_problem(excinfo)
    assert_at(problem, csv_path, 3, "title")
    assert "empty title" in problem.message


@pytest.mark.parametrize(("encoding", "title"), [("ascii", "soshiki"), ("utf-8", "組織の"), ("cp932", "組織の")])
def test_undecodable_bytes(write_framework, encoding, title):
    # 0xFF and 0xFD are undefined in Shift_JIS/cp932 and can never start a UTF-8 sequence, so the file is
    # in neither encoding, whatever the rest of it is written in; the column counts characters
    before = f"2,,chapter,{title}"
    data = (HEADER + "1,,chapter,体制,,,R\n" + before).encode(encoding if encoding != "ascii" else "utf-8")
    if encoding == "ascii":
        data = data.replace("体制".encode(), b"taisei")
    yaml_path, csv_path = write_framework(data + b"\xff\xfd,,,R\n")
    with pytest.raises(cm.DataError) as excinfo:
        load_controls(yaml_path)
    problem = only_problem(excinfo)
    assert_at(problem, csv_path, 3, str(len(before) + 1))
    assert "0xff" in problem.message


def test_unknown_level(write_framework):
    yaml_path, csv_path = write_framework(HEADER + "1,,chapter,組織,,,R\n1.1,1,section,責任者,,,R\n")
    with pytest.raises(cm.DataError) as excinfo:
        load_controls(yaml_path)
    problem = only_problem(excinfo)
    assert_at(problem, csv_path, 3, "level")
    assert "unknown level 'section'" in problem.message and "chapter, item" in problem.message


@pytest.mark.parametrize("value", ["X", "RI", "read"])
def test_bad_provenance_value(write_framework, value):
    yaml_path, csv_path = write_framework(HEADER + f"1,,chapter,組織,,,{value}\n")
    with pytest.raises(cm.DataError) as excinfo:
        load_controls(yaml_path)
    problem = only_problem(excinfo)
    assert_at(problem, csv_path, 2, "provenance")
    assert "must be R" in problem.message


def test_missing_provenance_and_contradicting_tag(write_framework):
    text = HEADER + "1,,chapter,組織,,,\n2,,chapter,体制,,箇条2 [R],I\n"
    yaml_path, csv_path = write_framework(text)
    with pytest.raises(cm.DataError) as excinfo:
        load_controls(yaml_path)
    assert [(Path(p.file), p.row, p.column) for p in excinfo.value.problems] == [
        (csv_path, 2, "provenance"), (csv_path, 3, "provenance")]
    assert "contradicts" in excinfo.value.problems[1].message


def test_all_problems_of_a_file_are_reported_together(write_framework):
    text = HEADER + ("1,,chapter,組織,,,R\n"
                     "1.1,1,item,,,,R\n"          # row 3: empty title
                     "1.2,7,item,責任者,,,R\n"     # row 4: unknown parent
                     "1.3,1,item,体制,,,Z\n")      # row 5: bad provenance
    yaml_path, csv_path = write_framework(text)
    with pytest.raises(cm.DataError) as excinfo:
        load_controls(yaml_path)
    assert [(Path(p.file), p.row, p.column) for p in excinfo.value.problems] == [
        (csv_path, 3, "title"), (csv_path, 4, "parent"), (csv_path, 5, "provenance")]
    assert str(excinfo.value).splitlines()[0] == "3 problem(s) in input data:"


def test_a_header_named_twice_is_an_error_naming_it():
    with pytest.raises(cm.DataError) as err:
        parse_csv("id,title,title\n1,組織,体制\n", "dup.csv")
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("dup.csv", 1, "title")
    assert "twice" in problem.message


def test_a_value_under_a_column_without_header_is_not_dropped_silently():
    with pytest.raises(cm.DataError) as err:
        parse_csv("id,,title\n1,メモ,組織\n2,,体制\n", "blank.csv")
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (2, "2")


def test_row_numbers_stay_right_after_a_cell_with_line_breaks():
    table = parse_csv('id,title\n1,"複数行の\n見出し"\n2,次の行\n', "multi.csv")
    assert [row for row, _ in table.rows] == [2, 4]
    assert table.rows[0][1]["title"] == "複数行の\n見出し"

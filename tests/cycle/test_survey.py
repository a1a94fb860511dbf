"""Staff questionnaire: which items are asked, answers in cp932 CSV and XLSX, rates per item, proposals."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from controlmap.errors import DataError
from controlmap.normalize import norm
from controlmap.workflows.survey import (
    MANAGEMENT_KEYWORDS,
    PRACTICE_KEYWORDS,
    ProposalAction,
    aggregate,
    make_proposals,
    practice_items,
    proposals_records,
    questionnaire,
    read_answers,
    read_proposals,
    write_proposals,
    write_questionnaire,
)

# (role, item, understood, practised, comment) as staff write them: はい/いいえ, ○/×, 1/0, 該当しない, blanks
ANSWERS = [
    ("操作者", "MIC-04-12", "はい", "いいえ", "窓口が混むと画面ロックを忘れる"),
    ("操作者", "MIC-04-12", "○", "×", ""),
    ("操作者", "ＭＩＣ－０４－１２", "1", "0", ""),
    ("システム管理者", "MIC-04-12", "はい", "はい", ""),
    ("操作者", "MIC-06-08", "いいえ", "はい", "溶解処理の手順を知らない"),
    ("操作者", "MIC-06-08", "いいえ", "いいえ", ""),
    ("セキュリティ責任者", "MIC-06-08", "はい", "はい", ""),
    ("操作者", "MIC-02-08", "はい", "はい", ""),
    ("操作者", "MIC-02-08", "はい", "該当しない", ""),
    ("", "MIC-02-08", "", "はい", ""),
]


def _csv_bytes(rows, encoding="cp932", header=("role", "item", "understood", "practised", "comment")) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def test_practice_items_follow_the_documented_rule(catalog, shipped_editions):
    chosen = practice_items(catalog)
    items = [r for _, r in shipped_editions["mic@2009"].rows if r["level"] == "item"]
    expected = [f"MIC:{r['id']}" for r in items
                if any(k in norm(r["title"] + " " + r["summary"]) for k in PRACTICE_KEYWORDS)
                and not any(k in norm(r["title"] + " " + r["summary"]) for k in MANAGEMENT_KEYWORDS)]
    assert [c.id for c in chosen] == expected
    ids = {c.notation for c in chosen}
    assert "MIC-04-12" in ids  # 離席時のログオフ: each operator's habit
    assert not {"MIC-01-01", "MIC-10-03", "MIC-05-04"} & ids  # 責任者の設置, 委託契約, a technical block


def test_questionnaire_files(catalog, tmp_path):
    questions = questionnaire(catalog)
    xlsx = write_questionnaire(questions, tmp_path / "survey.xlsx")
    wb = load_workbook(xlsx)
    ws = wb["アンケート"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["役割", "項番"] and "理解している" in header and "実践している" in header
    assert [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)] == [q.notation for q in questions]
    assert any(dv.type == "list" and "該当しない" in dv.formula1 for dv in ws.data_validations.dataValidation)
    assert "記入要領" in wb.sheetnames and "無記名" in wb["記入要領"]["A3"].value
    text = write_questionnaire(questions, tmp_path / "survey.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")  # BOM so that Excel opens it as UTF-8
    assert len(text.decode("utf-8-sig").splitlines()) == len(questions) + 1
    # a filled-in form is itself an answer file
    ws.cell(row=2, column=1, value="操作者")
    ws.cell(row=2, column=5, value="はい")
    ws.cell(row=2, column=6, value="いいえ")
    wb.save(tmp_path / "filled.xlsx")
    answers = read_answers(tmp_path / "filled.xlsx", catalog=catalog)
    assert [(a.item_id, a.understood, a.practised) for a in answers] == [(questions[0].item_id, True, False)]


def test_cp932_csv_answers_are_read_and_aggregated(catalog, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_bytes(_csv_bytes(ANSWERS))
    answers = read_answers(path, catalog=catalog)
    assert len(answers) == len(ANSWERS)
    assert answers[0].comment == ANSWERS[0][4] and answers[-1].role == "(未記入)"
    rates = {r.notation: r for r in aggregate(answers, catalog)}
    assert list(rates) == ["MIC-02-08", "MIC-04-12", "MIC-06-08"]  # checklist order
    r = rates["MIC-04-12"]
    assert (r.answers, r.understood_yes, r.understood_n, r.practised_yes, r.practised_n) == (4, 4, 4, 1, 4)
    assert r.understood_rate == 1.0 and r.practised_rate == 0.25
    r = rates["MIC-02-08"]  # blank and 該当しない stay out of the rates
    assert (r.understood_n, r.practised_n, r.practised_rate) == (2, 2, 1.0)
    roles = {x.role: x for x in rates["MIC-06-08"].by_role}
    assert (roles["操作者"].answers, roles["操作者"].understood_yes) == (2, 0)


def test_proposals_below_threshold(catalog, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_bytes(_csv_bytes(ANSWERS))
    rates = aggregate(read_answers(path, catalog=catalog), catalog)
    proposals = {p.notation: p for p in make_proposals(rates, threshold=0.8, year=2026)}
    assert set(proposals) == {"MIC-04-12", "MIC-06-08"}
    assert proposals["MIC-04-12"].action is ProposalAction.PROCEDURE  # understood, not practised
    assert proposals["MIC-06-08"].action is ProposalAction.BOTH  # 1/3 understood, 2/3 practised
    assert proposals["MIC-04-12"].id == "P-2026-MIC-04-12"
    assert "1/4" in proposals["MIC-04-12"].reason and "80%" in proposals["MIC-04-12"].reason
    assert set(make_proposals(rates, threshold=0.2, year=2026)) == set()
    assert {p.notation for p in make_proposals(rates, threshold=0.8, year=2026, min_answers=4)} == {"MIC-04-12"}
    with pytest.raises(ValueError, match="between 0 and 1"):
        make_proposals(rates, threshold=80)
    # the committee's records and the file hold no comments
    records = proposals_records(proposals.values())
    assert not any(ANSWERS[0][4] in str(v) for rec in records for v in rec.values())
    out = write_proposals(proposals.values(), tmp_path / "proposals.csv")
    assert ANSWERS[0][4].encode() not in out.read_bytes()
    assert read_proposals(out) == list(proposals.values())
    md = write_proposals(proposals.values(), tmp_path / "proposals.md").read_text(encoding="utf-8")
    assert "手順の見直し" in md and "| P-2026-MIC-04-12 |" in md


def test_xlsx_answers_with_japanese_headers(catalog, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["役割", "項番", "理解している(はい/いいえ)", "実践している", "意見"])
    ws.append(["操作者", "MIC-04-12", "はい", "はい", ""])
    wb.save(tmp_path / "a.xlsx")
    (answer,) = read_answers(tmp_path / "a.xlsx", catalog=catalog)
    assert (answer.item_id, answer.understood, answer.practised) == ("MIC:MIC-04-12", True, True)


def test_bad_answers_are_named_by_row_and_column_in_every_file(catalog, tmp_path):
    a = tmp_path / "a.csv"
    a.write_bytes(_csv_bytes([("操作者", "MIC-99-99", "はい", "はい", ""),
                              ("操作者", "MIC-04-12", "たぶん", "はい", "")]))
    b = tmp_path / "b.csv"
    b.write_bytes(_csv_bytes([("操作者", "MIC-04-12", "はい", "はい")], header=("role", "item", "understood", "x")))
    with pytest.raises(DataError) as err:
        read_answers(a, b, catalog=catalog)
    found = {(p.file, p.row, p.column) for p in err.value.problems}
    assert (str(a), 2, "item") in found and (str(a), 3, "understood") in found and (str(b), 1, "practised") in found
    assert any("'たぶん' is not an answer" in p.message for p in err.value.problems)

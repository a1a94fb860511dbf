"""One year's PDCA cycle end to end, through the ``controlmap`` command and through Python, on the shipped data."""

from __future__ import annotations

import csv
import io
from datetime import date

from isheet_fill import columns, fill, row_of
from openpyxl import load_workbook
from rdflib import RDF, Graph

import controlmap as cm
from controlmap.cli.main import main
from controlmap.vocab import EARL

CANDIDATE = "C-JISQ15001-2006-3.6"  # 苦情及び相談への対応: a gap of the checklist against JIS Q 15001:2006
CHAIR = "委員長 山田太郎"
PERSON_2025, PERSON_2026 = "住民課 佐藤花子", "住民課 鈴木一郎"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _answers_cp932(path):
    rows = [("操作者", "MIC-04-12", "はい", "いいえ", "混雑時にロックを忘れる")] * 3 + [
        ("システム管理者", "MIC-04-12", "はい", "はい", ""), ("操作者", "MIC-06-08", "はい", "はい", "")]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([("role", "item", "understood", "practised", "comment"), *rows])
    path.write_bytes(buf.getvalue().encode("cp932"))


def test_year_cycle_through_the_cli(tmp_path, monkeypatch, capsys, kg):
    monkeypatch.chdir(tmp_path)
    assert CANDIDATE in {c.id for c in cm.gaps(kg, source="mic", against=["jisq15001", "govt_unified_std"]).candidates}

    # Plan/Do 2025: a new I-sheet, filled in, checked
    code, out, _ = run(capsys, "isheet", "new", "--year", 2025, "--subject", "杉並区 住基ネット",
                       "-o", "isheet-2025.xlsx")
    assert code == 0 and "isheet-2025.xlsx" in out
    fill(tmp_path / "isheet-2025.xlsx", day=date(2025, 6, 1), person=PERSON_2025, extra_column="所管課")
    code, out, _ = run(capsys, "isheet", "check", "isheet-2025.xlsx", "--complete", "--as-of", "2026-03-31")
    assert code == 0 and out.startswith("ok:")

    # Check: the staff survey (cp932 CSV from Excel), proposals registered for the committee
    code, out, _ = run(capsys, "survey", "new", "-o", "survey.xlsx")
    assert code == 0 and "MIC-04-12" in out
    _answers_cp932(tmp_path / "answers.csv")
    code, out, _ = run(capsys, "survey", "import", "answers.csv", "--threshold", "80%", "--year", 2025,
                       "-o", "proposals.csv", "--decisions", "decisions.yaml")
    assert code == 0 and "P-2025-MIC-04-12" in out and "MIC-06-08" in out
    assert "P-2025-MIC-06-08" not in out  # 100 % understood and practised: no proposal

    # Act: the committee decides; an illegal step is refused with a clear message
    code, _, err = run(capsys, "decide", CANDIDATE, "--state", "adopted", "--reason", "必要", "--reviewer", CHAIR)
    assert code == 2 and "cannot become adopted" in err and "under_review" in err
    for argv in (
        (CANDIDATE, "--state", "under_review", "--reviewer", "運用監視委員会", "--date", "2026-01-20"),
        (CANDIDATE, "--state", "adopted", "--reason", "苦情・相談の窓口を点検項目に加える", "--reviewer", CHAIR,
         "--date", "2026-02-10"),
        ("P-2025-MIC-04-12", "--state", "審議中", "--reviewer", "運用監視委員会", "--date", "2026-01-20"),
        ("P-2025-MIC-04-12", "--state", "採択", "--reason", "窓口混雑時の画面ロック手順を見直す", "--reviewer", CHAIR,
         "--date", "2026-02-10"),
    ):
        code, out, err = run(capsys, "decide", *argv)
        assert code == 0, err
    assert "MIC-ADD-01" in out or "adopted" in out
    code, out, _ = run(capsys, "decisions")
    assert code == 0 and "MIC-ADD-01" in out and "採択" in out

    # Plan 2026: next year's sheet carries the evidence over and includes the adopted item
    code, out, _ = run(capsys, "isheet", "new", "--year", 2026, "--previous", "isheet-2025.xlsx",
                       "--decisions", "decisions.yaml", "-o", "isheet-2026.xlsx")
    assert code == 0 and "MIC-ADD-01" in out
    ws = load_workbook(tmp_path / "isheet-2026.xlsx")["I-sheet"]
    col = columns(ws)
    add_row = row_of(ws, "MIC-ADD-01")
    assert ws.cell(row=add_row, column=col["点検項目"]).value == "苦情及び相談への対応"
    assert "所管課" in col
    lockout = row_of(ws, "MIC-04-12")
    assert "P-2025-MIC-04-12" in ws.cell(row=lockout, column=col["前年度の委員会決定"]).value
    assert ws.cell(row=lockout, column=col["担当者"]).value == PERSON_2025
    assert ws.cell(row=lockout, column=col["状況"]).value is None  # confirmed again every year

    # Do 2026: filled in by the successor, with mistakes a person makes in Excel
    fill(tmp_path / "isheet-2026.xlsx", day=date(2026, 6, 1), person=PERSON_2026, overrides={
        "MIC-01-02": {"状況": "適切に運用している"}, "MIC-01-05": {"状況": "適切に運用している", "根拠資料": None},
        "MIC-01-06": {"確認日": "=TODAY()"}, "MIC-ADD-01": {"状況": "済"},
    })
    code, out, _ = run(capsys, "isheet", "check", "isheet-2026.xlsx", "--as-of", "2027-03-31")
    assert code == 1
    ws = load_workbook(tmp_path / "isheet-2026.xlsx")["I-sheet"]
    col = columns(ws)
    letter = {h: ws.cell(row=1, column=c).column_letter for h, c in col.items()}
    for notation, header, words in (("MIC-01-05", "根拠資料", "needs the evidence"), ("MIC-01-06", "確認日", "formula"),
                                    ("MIC-ADD-01", "状況", "not a status")):
        cell = f"I-sheet!{letter[header]}{row_of(ws, notation)}"
        assert any(cell in line and words in line for line in out.splitlines()), (cell, out)
    fill(tmp_path / "isheet-2026.xlsx", day=date(2026, 6, 1), person=PERSON_2026, overrides={
        "MIC-01-02": {"状況": "適切に運用している"}, "MIC-ADD-01": {"状況": "整備していない"},
        "MIC-01-09": {"根拠資料": "住基ネットセキュリティ規程 第10条"}})
    code, out, _ = run(capsys, "isheet", "check", "isheet-2026.xlsx", "--complete", "--as-of", "2027-03-31")
    assert code == 0, out

    # Handover: what changed between the years
    code, out, _ = run(capsys, "isheet", "diff", "isheet-2025.xlsx", "isheet-2026.xlsx", "--format", "md",
                       "-o", "handover.md")
    md = (tmp_path / "handover.md").read_text(encoding="utf-8")
    assert code == 0 and "# I-sheet 引継ぎ: 2025年度 → 2026年度" in md
    for section in ("新しい項目", "状況の変化", "根拠資料の削除", "担当者の交代"):
        assert f"## {section}" in md
    assert "| MIC-ADD-01 |" in md and "| MIC-01-02 |" in md and PERSON_2026 in md
    code, out, _ = run(capsys, "isheet", "diff", "isheet-2025.xlsx", "isheet-2026.xlsx")
    assert code == 0 and "担当者の交代" in out

    # The sheet as RDF, and the sharing export without evidence or names
    code, out, _ = run(capsys, "isheet", "rdf", "isheet-2026.xlsx", "-o", "isheet-2026.ttl")
    g = Graph().parse(tmp_path / "isheet-2026.ttl")
    assert code == 0 and len(set(g.subjects(RDF.type, EARL.Assertion))) == ws.max_row - 1
    code, out, _ = run(capsys, "share", "--decisions", "decisions.yaml", "--isheet", "isheet-2026.xlsx", "-o", "shared")
    assert code == 0
    data = b"".join(p.read_bytes() for p in (tmp_path / "shared").rglob("*") if p.is_file())
    assert b"MIC-ADD-01" in data and "苦情・相談の窓口を点検項目に加える".encode() in data
    for forbidden in ("山田", "佐藤", "鈴木", "住基ネット運用記録", "混雑時にロックを忘れる"):
        assert forbidden.encode() not in data, forbidden


def test_year_cycle_in_python(kg, tmp_path):
    from controlmap import decisions as dec
    from controlmap import isheet, survey

    sheet = isheet.new_isheet(kg, 2025)
    path = isheet.write_isheet(sheet, tmp_path / "isheet-2025.xlsx")
    fill(path, day=date(2025, 6, 1))
    last_year = isheet.read_isheet(path, as_of=date(2026, 3, 31))
    _answers_cp932(tmp_path / "answers.csv")
    rates = survey.aggregate(survey.read_answers(tmp_path / "answers.csv", catalog=kg.catalog), kg.catalog)
    proposals = survey.make_proposals(rates, year=2025)
    gap = cm.gaps(kg, source="mic", against=["jisq15001", "govt_unified_std"])
    d = dec.register(dec.Decisions(), [*gap.candidates, *proposals], day="2026-01-10")
    for item in (CANDIDATE, proposals[0].id):
        d = dec.transition(d, item, "under_review", reviewer="委員会", day="2026-01-20")
        d = dec.transition(d, item, "adopted", reviewer="委員会", reason="採択", day="2026-02-10")
    rows = dec.review_records(gap, proposals, d)
    assert {r["state"] for r in rows} == {"proposed", "adopted"}
    nxt = isheet.new_isheet(kg, 2026, previous=last_year, decisions=d)
    assert nxt.row("MIC-ADD-01").title == "苦情及び相談への対応"
    assert nxt.row("MIC-04-12").follow_up and nxt.row("MIC-04-12").evidence == last_year.row("MIC-04-12").evidence
    changes = isheet.diff_isheets(last_year, nxt)
    assert [c.notation for c in changes.by_kind("new_item")] == ["MIC-ADD-01"]

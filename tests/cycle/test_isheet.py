"""I-sheet model, new sheets from the shipped checklist, the workbook round trip and the RDF view."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from isheet_fill import columns, fill, row_of
from openpyxl import load_workbook
from rdflib import RDF, Graph
from rdflib.namespace import DCTERMS, FOAF, PROV

import controlmap as cm
from controlmap.cycle.isheet.cells import parse_date
from controlmap.vocab import CM, EARL
from controlmap.workflows.isheet import (
    ConfirmationMethod,
    ISheet,
    ISheetRow,
    check_isheet,
    isheet_from_rdf,
    isheet_to_rdf,
    new_isheet,
    parse_confirmation,
    read_isheet,
    write_isheet,
)

S = cm.SelfCheckStatus


@pytest.fixture(scope="module")
def blank_2025(kg, tmp_path_factory):
    path = tmp_path_factory.mktemp("isheet") / "isheet-2025.xlsx"
    write_isheet(new_isheet(kg, 2025), path)
    return path


@pytest.fixture(scope="module")
def filled_2025(blank_2025, tmp_path_factory):
    out = tmp_path_factory.mktemp("filled") / "filled-2025.xlsx"
    return fill(blank_2025, day=date(2025, 6, 1), extra_column="所管課", save_to=out)


def test_new_isheet_has_every_mic_item_in_document_order(kg, shipped_editions):
    mic = shipped_editions["mic@2009"]
    items = [f"MIC:{r['id']}" for _, r in mic.rows if r["level"] == "item"]
    sheet = new_isheet(kg, 2026)
    assert sheet.ids == tuple(items)
    assert sheet.year == 2026 and sheet.issued == sheet.ids
    by_id = {f"MIC:{r['id']}": r for _, r in mic.rows}
    row = sheet.row("MIC-04-12")
    assert row.title == by_id["MIC:MIC-04-12"]["title"]
    assert row.required == by_id["MIC:MIC-04-12"]["summary"]
    chapter = by_id[f"MIC:{by_id['MIC:MIC-04-12']['parent']}"]
    assert row.chapter == f"{chapter['id']} {chapter['title']}"
    assert row.provenance in ("[R]", "[I]")
    assert all(r.status is None and not r.evidence for r in sheet.rows)


def test_confirmation_words_variants_and_several_in_one_cell():
    assert parse_confirmation("文書確認、ログ確認") == (
        (ConfirmationMethod.DOCUMENT, ConfirmationMethod.LOG_REVIEW), ())
    assert parse_confirmation("ヒアリング・現地")[0] == (ConfirmationMethod.INTERVIEW, ConfirmationMethod.ON_SITE)
    assert parse_confirmation("ＬＯＧ")[0] == (ConfirmationMethod.LOG_REVIEW,)  # 全角 is NFKC-folded
    assert parse_confirmation("文書確認/勘")[1] == ("勘",)


@pytest.mark.parametrize("text, expected", [
    ("2026-05-10", date(2026, 5, 10)), ("2026/5/10", date(2026, 5, 10)), ("２０２６年５月１０日", date(2026, 5, 10)),
    ("令和8年5月10日", date(2026, 5, 10)), ("R8.5.10", date(2026, 5, 10)), ("20260510", date(2026, 5, 10)),
])
def test_dates_as_people_type_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["来週", "5/10", "2026/13/01", "2026-02-30"])
def test_not_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_generated_workbook_is_fillable(blank_2025):
    wb = load_workbook(blank_2025)
    assert wb.sheetnames[:2] == ["I-sheet", "記入要領"]
    assert wb["_controlmap"].sheet_state == "hidden"
    ws = wb["I-sheet"]
    col = columns(ws)
    letter = {h: ws.cell(row=1, column=c).column_letter for h, c in col.items()}
    assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2")  # header stays in view
    assert ws.column_dimensions[letter["管理ID"]].hidden
    assert ws.column_dimensions[letter["根拠資料"]].width >= 20
    assert ws.cell(row=2, column=col["求められる対策"]).alignment.wrap_text
    lists = {str(dv.sqref).split(":")[0][:-1]: dv for dv in ws.data_validations.dataValidation}
    status_dv = lists[letter["状況"]]
    assert status_dv.type == "list" and all(s.value in status_dv.formula1 for s in S)
    assert lists[letter["確認方法"]].type == "list"
    assert all(m.value in lists[letter["確認方法"]].formula1 for m in ConfirmationMethod)
    assert lists[letter["確認日"]].type == "date"
    guide = "\n".join(str(c.value) for c in wb["記入要領"]["A"] if c.value)
    for word in ("適切に運用している", "根拠資料", "同上", "controlmap isheet check"):
        assert word in guide
    assert ws.max_row == 1 + len(new_isheet(cm.load(), 2025).rows)


def test_fresh_sheet_checks_clean_but_not_complete(blank_2025):
    assert check_isheet(blank_2025) == []
    unfilled = check_isheet(blank_2025, complete=True)
    assert len(unfilled) == load_workbook(blank_2025)["I-sheet"].max_row - 1
    assert all("not filled in" in p.message for p in unfilled)


def test_filled_sheet_reads_back_what_was_typed(filled_2025):
    sheet = read_isheet(filled_2025, as_of=date(2026, 3, 31))
    ws = load_workbook(filled_2025)["I-sheet"]
    col = columns(ws)
    r = row_of(ws, "MIC-01-02")
    row = sheet.row("MIC-01-02")
    assert row.status.value == ws.cell(row=r, column=col["状況"]).value
    assert row.evidence == tuple(ws.cell(row=r, column=col["根拠資料"]).value.split("\n"))
    assert row.confirmation == (ConfirmationMethod.DOCUMENT, ConfirmationMethod.LOG_REVIEW)
    assert row.responsible == "住民課 佐藤花子" and row.confirmed_on == date(2025, 6, 1)
    assert row.origin.endswith(f"[I-sheet]:{r}")
    assert sheet.extra_columns == ("所管課",)
    assert row.extra_value("所管課") == ws.cell(row=r, column=col["所管課"]).value
    assert sum(sheet.counts().values()) == len(sheet.rows)


def test_round_trip_keeps_everything_and_user_columns_in_place(filled_2025, tmp_path):
    from openpyxl import load_workbook as lw

    wb = lw(filled_2025)
    ws = wb["I-sheet"]
    ws.insert_cols(9)  # the user inserts a column of their own between 状況 and 確認方法
    ws.cell(row=1, column=9, value="確認メモ")
    ws.cell(row=3, column=9, value="=先に規程を確認")  # text that looks like a formula must stay text
    ws.cell(row=3, column=9).data_type = "s"
    moved = tmp_path / "moved.xlsx"
    wb.save(moved)
    first = read_isheet(moved)
    assert first.extra_columns == ("確認メモ", "所管課")
    again = tmp_path / "again.xlsx"
    write_isheet(first, again)
    second = read_isheet(again)
    assert second == first
    header = [c.value for c in lw(again)["I-sheet"][1]]
    assert header.index("確認メモ") == header.index("状況") + 1 and header[-1] == "所管課"
    cell = lw(again)["I-sheet"].cell(row=3, column=header.index("確認メモ") + 1)
    assert cell.data_type == "s" and cell.value == "'=先に規程を確認"  # neutralised for Excel
    assert second.rows[1].extra_value("確認メモ") == "=先に規程を確認"  # and read back as typed


def test_answers_feed_the_knowledge_graph(filled_2025, kg):
    sheet = read_isheet(filled_2025)
    answers = sheet.answers()
    assert len(answers) == sum(1 for r in sheet.rows if r.status)
    catalog = kg.catalog.merge(cm.Catalog(answers=answers))
    assert {a.control_id for a in catalog.answers} <= {c.id for c in kg.catalog.controls_of("mic")}


def test_rdf_uses_earl_prov_dcterms_and_round_trips(filled_2025, kg):
    from controlmap.rdfterms import control_iri

    sheet = read_isheet(filled_2025)
    g = isheet_to_rdf(sheet, kg.catalog)
    row = sheet.row("MIC-01-02")
    assertion = next(a for a in g.subjects(DCTERMS.identifier, None)
                     if str(g.value(a, DCTERMS.identifier)) == row.item_id)
    assert (assertion, RDF.type, EARL.Assertion) in g
    assert g.value(assertion, EARL.test) == control_iri(kg.framework("mic"), "MIC-01-02")
    assert g.value(assertion, EARL.mode) == EARL.manual
    result = g.value(assertion, EARL.result)
    outcomes = {S.OPERATING: EARL.passed, S.ESTABLISHED: EARL.cantTell, S.NOT_ESTABLISHED: EARL.failed,
                S.NOT_APPLICABLE: EARL.inapplicable}
    assert g.value(result, EARL.outcome) == outcomes[row.status]
    agent = g.value(assertion, PROV.wasAttributedTo)
    assert str(g.value(agent, FOAF.name)) == row.responsible and g.value(assertion, EARL.assertedBy) == agent
    assert str(g.value(assertion, PROV.generatedAtTime)).startswith("2025-06-01")
    assert {str(o) for o in g.objects(assertion, DCTERMS.references)} == set(row.evidence)
    assert {str(o) for o in g.objects(assertion, CM.confirmationMethod)} == {m.value for m in row.confirmation}
    # only terms our vocabulary defines are used from cm:
    vocab = Graph().parse(str(__import__("pathlib").Path(cm.__file__).parent / "resources" / "vocab.ttl"))
    used = {p for p in g.predicates() if str(p).startswith(str(CM._NS))} | {
        o for o in g.objects(None, RDF.type) if str(o).startswith(str(CM._NS))}
    assert used and all((term, None, None) in vocab for term in used)
    back = isheet_from_rdf(g, kg.catalog)
    expected = tuple(replace(r, evidence=tuple(sorted(r.evidence)), extra=()) for r in sheet.rows)
    assert back.rows == expected and back.year == sheet.year
    # the answers also read as the knowledge graph's self-check answers
    merged = cm.from_rdf(kg.rdf + g)
    assert len(merged.answers) == len(sheet.answers())


def test_unanswered_rows_are_untested(kg):
    sheet = ISheet(2026, (ISheetRow("MIC:MIC-01-01", "MIC-01-01", "統括"),))
    g = isheet_to_rdf(sheet, kg.catalog)
    assert list(g.objects(None, EARL.outcome)) == [EARL.untested]
    assert not list(g.subjects(RDF.type, CM.SelfCheckAnswer))

"""Sharing adopted items with other municipalities: reasons and mappings yes, evidence and names never."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from isheet_fill import fill

import controlmap as cm
from controlmap.workflows.decisions import Decisions, register, transition
from controlmap.workflows.isheet import new_isheet, read_isheet, write_isheet
from controlmap.workflows.sharing import export_shared, scrub, shared_records
from controlmap.workflows.survey import ItemRate, make_proposals

REVIEWERS = ("委員長 山田太郎", "副委員長 高橋")
RESPONSIBLE = "住民課 佐藤花子"
EVIDENCE = "住基ネット運用記録"


def _rows(path):
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


@pytest.fixture(scope="module")
def shared(kg, tmp_path_factory):
    folder = tmp_path_factory.mktemp("share")
    blank = write_isheet(new_isheet(kg, 2025), folder / "isheet-2025.xlsx")
    sheet = read_isheet(fill(blank, day=date(2025, 6, 1), person=RESPONSIBLE, evidence_prefix=EVIDENCE))
    gap = cm.gaps(kg, source="mic", against=["jisq15001", "govt_unified_std"])
    jis = next(c for c in gap.candidates if c.frameworks == ("jisq15001@2006",))
    gus = next(c for c in gap.candidates if c.frameworks == ("govt_unified_std@2021",))
    rejected = gap.candidates[-1]
    proposal = make_proposals([ItemRate("MIC:MIC-04-12", "MIC-04-12", "離席時のログオフ", 5, 5, 5, 1, 5)],
                              year=2025)[0]
    d = register(Decisions(), [jis, gus, rejected, proposal], day="2026-01-10")
    reasons = {jis.id: "山田さんの指摘により採択。佐藤花子が所管課と調整 (内線 03-1234-5678)",
               gus.id: "格付の区分を点検する必要がある(高橋委員)", proposal.id: "研修を行う。連絡 sato@example.lg.jp",
               rejected.id: "山田太郎が不要と判断"}
    for cid in reasons:
        d = transition(d, cid, "under_review", reviewer=REVIEWERS[1], day="2026-01-20")
        d = transition(d, cid, "rejected" if cid == rejected.id else "adopted", reviewer=REVIEWERS[0],
                       reason=reasons[cid], day="2026-02-10")
    paths = export_shared(d, kg.catalog, folder / "out", names=[r.responsible for r in sheet.rows])
    return {"paths": paths, "decisions": d, "jis": jis, "gus": gus, "rejected": rejected, "proposal": proposal,
            "sheet": sheet, "folder": folder}


def test_the_export_holds_no_evidence_and_no_names(shared):
    data = b"".join(p.read_bytes() for p in shared["paths"])
    text = data.decode("utf-8-sig", errors="strict").replace("\ufeff", "")
    for forbidden in ("山田", "太郎", "高橋", "佐藤", "花子", EVIDENCE, "住基ネットセキュリティ規程 第",
                      "sato@example", "03-1234-5678"):
        assert forbidden not in text, forbidden
        assert forbidden.encode("utf-8") not in data and forbidden.encode("cp932") not in data
    assert "(氏名削除)" in text  # reasons are kept, with the names taken out
    assert "格付の区分を点検する必要がある" in text


def test_adopted_items_with_reasons_and_mappings(shared, kg):
    names = {p.name for p in shared["paths"]}
    assert {"adopted-items.csv", "adopted-measures.csv", "mic_additional_jisq15001-2006.sssom.tsv",
            "mic_additional_govt_unified_std-2021.sssom.tsv", "framework.yaml", "controls.csv"} <= names
    items = _rows(shared["folder"] / "out" / "adopted-items.csv")
    assert [(r["id"], r["candidate_id"]) for r in items] == [("MIC-ADD-01", shared["jis"].id),
                                                              ("MIC-ADD-02", shared["gus"].id)]
    assert items[0]["targets"] == "; ".join(shared["jis"].targets)
    assert items[0]["check_question"] == shared["jis"].check_question
    assert items[0]["provenance"] == shared["jis"].provenance_tags  # [R]/[I] stay visible
    assert shared["rejected"].id not in (shared["folder"] / "out" / "adopted-items.csv").read_text(encoding="utf-8-sig")
    measures = _rows(shared["folder"] / "out" / "adopted-measures.csv")
    assert [m["id"] for m in measures] == [shared["proposal"].id]
    # another municipality loads the items and their mappings next to the shipped data
    out = shared["folder"] / "out"
    other = cm.load(out / "mic_additional" / "framework.yaml", *sorted(out.glob("*.sssom.tsv")))
    assert [c.notation for c in other.catalog.controls_of("mic_additional")] == ["MIC-ADD-01", "MIC-ADD-02"]
    rows = {(m.subject_id, m.object_id, m.relation) for ms in other.catalog.mapping_sets for m in ms.mappings
            if m.subject_id.startswith("MICADD:")}
    assert ("MICADD:MIC-ADD-01", shared["jis"].targets[0], cm.Relation.EQUAL) in rows
    assert other.validate() == []


def test_records_are_readable_by_the_shared_store(shared):
    from controlmap.graph.publication import adopted_items

    items = adopted_items(shared_records(shared["decisions"]))
    assert [(i.id, i.candidate_id, i.targets) for i in items] == [
        ("MIC-ADD-01", shared["jis"].id, shared["jis"].targets),
        ("MIC-ADD-02", shared["gus"].id, shared["gus"].targets)]


def test_scrub():
    assert scrub("佐藤さんと鈴木様が確認", []) == "(氏名削除)と(氏名削除)が確認"
    assert scrub("氏名欄は空欄", []) == "氏名欄は空欄"
    assert scrub("担当 ｻﾄｳ", ["サトウ"]) == "担当 (氏名削除)"


def test_the_shared_folder_loads_whole(shared):
    """Another municipality passes the folder as it came: the same frameworks and mappings as the files one by one."""
    out = shared["folder"] / "out"
    whole = cm.load(out).catalog
    files = cm.load(out / "mic_additional" / "framework.yaml", *sorted(out.glob("*.sssom.tsv"))).catalog
    assert [c.notation for c in whole.controls_of("mic_additional")] == ["MIC-ADD-01", "MIC-ADD-02"]
    assert sorted(ms.id for ms in whole.mapping_sets) == sorted(ms.id for ms in files.mapping_sets)
    assert sum(len(ms.mappings) for ms in whole.mapping_sets) == sum(len(ms.mappings) for ms in files.mapping_sets)

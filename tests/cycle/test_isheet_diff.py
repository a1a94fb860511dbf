"""Handover between two years: what carries over into the new sheet, and what changed."""

from __future__ import annotations

from datetime import date

import pytest
from isheet_fill import fill

import controlmap as cm
from controlmap.workflows.decisions import Decisions, register, transition
from controlmap.workflows.isheet import (
    ChangeKind,
    diff_csv,
    diff_isheets,
    diff_markdown,
    diff_table,
    new_isheet,
    read_isheet,
    write_isheet,
)

S = cm.SelfCheckStatus


@pytest.fixture(scope="module")
def years(kg, tmp_path_factory):
    folder = tmp_path_factory.mktemp("years")
    blank = write_isheet(new_isheet(kg, 2025), folder / "isheet-2025.xlsx")
    filled = fill(blank, day=date(2025, 6, 1), extra_column="所管課", save_to=folder / "filled-2025.xlsx")
    old = read_isheet(filled)
    gap = cm.gaps(kg, source="mic", against=["jisq15001", "govt_unified_std"])
    cand = next(c for c in gap.candidates if c.suggested_chapter == "MIC:MIC-02")
    d = register(Decisions(), [cand], day="2026-01-10")
    d = transition(d, cand.id, "under_review", reviewer="委員会", day="2026-01-10")
    d = transition(d, cand.id, "adopted", reviewer="委員会", reason="苦情対応の体制を点検する", day="2026-02-10")
    new = new_isheet(kg, 2026, previous=old, decisions=d)
    return {"folder": folder, "old": old, "new": new, "candidate": cand, "decisions": d}


def test_new_year_carries_over_what_a_successor_needs(years):
    old, new = years["old"], years["new"]
    o, n = old.row("MIC-01-02"), new.row("MIC-01-02")
    assert (n.implemented, n.confirmation, n.evidence, n.responsible, n.notes) == (
        o.implemented, o.confirmation, o.evidence, o.responsible, o.notes)
    assert n.status is None and n.confirmed_on is None and n.previous_status is o.status
    assert new.extra_columns == ("所管課",) and n.extra == o.extra


def test_adopted_item_joins_its_chapter_with_a_mic_add_id(years):
    new, cand = years["new"], years["candidate"]
    row = new.row("MIC-ADD-01")
    assert row.item_id == "MICADD:MIC-ADD-01" and row.title == cand.title and row.required == cand.check_question
    assert row.chapter.startswith("MIC-02 ") and row.provenance == cand.provenance_tags
    ids = list(new.ids)
    last_of_chapter = max(i for i, r in enumerate(new.rows) if r.chapter.startswith("MIC-02 ") and r is not row)
    assert ids.index(row.item_id) == last_of_chapter + 1
    assert cand.id in row.follow_up and "苦情対応の体制を点検する" in row.follow_up
    assert row.item_id in new.issued


def test_diff_names_status_evidence_person_and_new_items(years, tmp_path):
    from dataclasses import replace

    old, new = years["old"], years["new"]
    rows = {r.item_id: r for r in new.rows}
    a, b, c, e = "MIC:MIC-01-02", "MIC:MIC-01-05", "MIC:MIC-01-09", "MIC:MIC-02-01"
    rows = {k: replace(r, status=old.row(k).status, confirmed_on=date(2026, 6, 1)) if k in old.ids else r
            for k, r in rows.items()}
    rows[a] = replace(rows[a], status=S.OPERATING)  # 整備している -> 適切に運用している
    rows[b] = replace(rows[b], evidence=rows[b].evidence[:1])  # one document no longer cited
    rows[c] = replace(rows[c], responsible="住民課 鈴木")
    rows[e] = replace(rows[e], evidence=())  # rated, but cites nothing
    current = replace(new, rows=tuple(rows[r.item_id] for r in new.rows))
    d = diff_isheets(old, current)
    assert (d.old_year, d.new_year) == (2025, 2026)
    status = d.by_kind(ChangeKind.STATUS)
    assert [(x.item_id, x.old, x.new, x.note) for x in status] == [(a, "整備している", "適切に運用している", "改善")]
    assert [x.item_id for x in d.by_kind(ChangeKind.EVIDENCE_REMOVED)] == [b, e]
    assert old.row(b).evidence[1] in d.by_kind(ChangeKind.EVIDENCE_REMOVED)[0].old
    assert [x.item_id for x in d.by_kind(ChangeKind.EVIDENCE_MISSING)] == [e]
    assert [(x.item_id, x.old, x.new) for x in d.by_kind(ChangeKind.RESPONSIBLE)] == [
        (c, "住民課 佐藤花子", "住民課 鈴木")]
    assert [x.notation for x in d.by_kind(ChangeKind.NEW_ITEM)] == ["MIC-ADD-01"]
    assert not d.by_kind(ChangeKind.REMOVED_ITEM)
    md = diff_markdown(d)
    assert md.startswith("# I-sheet 引継ぎ: 2025年度 → 2026年度")
    assert "## 担当者の交代(1件)" in md and "住民課 鈴木" in md and "| MIC-ADD-01 |" in md
    table = diff_table(d)
    assert "状況の変化" in table and "MIC-01-02" in table
    assert diff_csv(d).count("\r\n") == len(d.changes) + 1


def test_diff_of_an_unfilled_new_sheet_shows_every_status_as_unfilled(years):
    d = diff_isheets(years["old"], years["new"])
    assert len(d.by_kind(ChangeKind.STATUS)) == len(years["old"].rows)
    assert {x.new for x in d.by_kind(ChangeKind.STATUS)} == {"未記入"}
    assert not d.by_kind(ChangeKind.RESPONSIBLE)  # carried over, so unchanged


def test_markdown_cells_are_escaped():
    from controlmap.cycle.isheet import ISheet, ISheetRow

    old = ISheet(2025, (ISheetRow("MIC:MIC-01-01", "MIC-01-01", "a|b", responsible="<script>"),))
    new = ISheet(2026, (ISheetRow("MIC:MIC-01-01", "MIC-01-01", "a|b", responsible="x\ny"),))
    md = diff_markdown(diff_isheets(old, new))
    assert "a\\|b" in md and "&lt;script&gt;" in md and "x<br>y" in md and "<script>" not in md

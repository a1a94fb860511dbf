"""controlmap.report on the shipped data: frames, JSON records, Markdown, terminal text and HTML."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pandas as pd
import pytest

import controlmap as cm
from controlmap.export.render import (
    candidate_records,
    candidates_frame,
    candidates_html,
    candidates_markdown,
    coverage_document,
    coverage_frame,
    coverage_html,
    coverage_markdown,
    coverage_text,
    gap_summary_text,
    md_cell,
    priority_level,
)
from controlmap.model import Provenance
from controlmap.queries.candidates import PRIORITY_FORMULA
from controlmap.textwidth import width

REFERENCES = ["jisq15001", "govt_unified_std"]
RECORD_KEYS = {"id", "title", "check_question", "status", "targets", "partial_sources", "reason", "priority",
               "priority_level", "priority_factors", "provenance", "provenance_tags", "suggested_chapter",
               "frameworks", "explanation"}
TARGET_KEYS = {"id", "framework", "notation", "title", "provenance"}


@pytest.fixture(scope="module")
def gap(kg):
    return cm.gaps(kg, source="mic", against=REFERENCES)


@pytest.fixture(scope="module")
def cov(kg):
    return cm.coverage(kg, source="mic", target="jisq15001")


def expected_level(priority: int) -> str:
    """The level as PRIORITY_FORMULA words it (高 ≥ 60, 中 30–59, 低 < 30)."""
    return "高" if priority >= 60 else "中" if priority >= 30 else "低"


def with_first(gap, **changes):
    """The gap result with its first candidate changed (dataclasses.replace on a real candidate)."""
    first = replace(gap.candidates[0], **changes)
    return replace(gap, candidates=(first, *gap.candidates[1:]))


def test_priority_levels_follow_the_formula():
    assert "高 ≥ 60, 中 30–59, 低 < 30" in PRIORITY_FORMULA
    for p in (0, 1, 29, 30, 45, 59, 60, 80, 100):
        assert priority_level(p) == expected_level(p)


# -- coverage --------------------------------------------------------------------------------------
def test_coverage_frame_has_one_row_per_target_control(cov):
    frame = coverage_frame(cov)
    assert list(frame["target_id"]) == [i.control.id for i in cov.items]
    for column in ("notation", "title", "level", "part", "part_title", "section", "section_title", "status",
                   "status_ja", "best_relation", "strength", "hops", "inferred", "sources", "explanation",
                   "not_applicable_reason", "provenance"):
        assert column in frame.columns
    for (_, row), item in zip(frame.iterrows(), cov.items, strict=True):
        assert row["notation"] == item.control.notation
        assert row["status"] == item.status.value
        assert row["status_ja"] == cm.Status(row["status"]).label_ja
        assert row["sources"] == "; ".join(item.sources)
        assert row["provenance"] == f"[{item.control.provenance.value}]"
        assert row["section"] == item.section and row["part"] == item.part
        if item.best is None:
            assert pd.isna(row["strength"]) and pd.isna(row["hops"])
        else:
            assert row["strength"] == item.best.strength and row["hops"] == len(item.best.steps)
            assert bool(row["inferred"]) is (len(item.best.steps) > 1)


def test_covered_rows_meet_the_threshold(cov):
    frame = coverage_frame(cov)
    covered = frame[frame["status"] == "covered"]
    assert len(covered) == cov.counts()["covered"] > 0
    assert covered["best_relation"].isin(["equal", "superset_of"]).all()
    assert (covered["strength"] >= cov.options.threshold).all()


def test_result_to_frame_is_coverage_frame(cov):
    pd.testing.assert_frame_equal(cov.to_frame(), coverage_frame(cov))


def test_coverage_document_rollup_adds_up_to_the_counts(cov):
    doc = json.loads(json.dumps(coverage_document(cov), ensure_ascii=False))
    assert {"source", "target", "options", "counts", "rollup", "items"} <= set(doc)
    assert doc["counts"] == cov.counts()
    assert len(doc["items"]) == len(cov.items)
    summed = {s: sum(r["counts"][s] for r in doc["rollup"]) for s in doc["counts"]}
    assert summed == cov.counts()
    assert [r["key"] for r in doc["rollup"]] == [r.key for r in cov.rollup("section")]


# -- candidate records -----------------------------------------------------------------------------
def test_records_have_the_documented_keys_and_agree_with_the_candidates(gap, catalog):
    records = candidate_records(gap)
    assert len(records) == len(gap.candidates) > 0
    for rec, c in zip(records, gap.candidates, strict=True):
        assert set(rec) >= RECORD_KEYS
        assert (rec["id"], rec["title"], rec["check_question"]) == (c.id, c.title, c.check_question)
        assert rec["status"] == c.status.value in ("gap", "partial")
        assert rec["reason"] == c.reason
        assert rec["priority"] == c.priority and type(rec["priority"]) is int
        assert rec["priority_level"] == expected_level(c.priority)
        assert rec["priority_factors"] == c.priority_factors
        assert rec["provenance_tags"] == c.provenance_tags
        assert set(rec["provenance"]) == {p.value for p in c.provenance}
        assert "".join(f"[{p}]" for p in rec["provenance"]) == rec["provenance_tags"]
        assert rec["frameworks"] == list(c.frameworks)
        assert rec["explanation"] == list(c.explanation)
        assert [s["id"] for s in rec["partial_sources"]] == list(c.partial_sources)
        assert rec["suggested_chapter"]["id"] == c.suggested_chapter
        assert rec["suggested_chapter"]["title"] == c.suggested_chapter_title
        assert [t["id"] for t in rec["targets"]] == list(c.targets)
        for t, title, prov in zip(rec["targets"], c.target_titles, c.provenance, strict=True):
            assert set(t) >= TARGET_KEYS
            control = catalog.control(t["id"])
            assert (t["framework"], t["notation"], t["title"]) == (control.framework, control.notation, title)
            assert t["framework"] in c.frameworks
            assert t["provenance"] == prov.value


def test_records_are_plain_json(gap):
    records = gap.to_records()
    assert records == candidate_records(gap)
    assert json.loads(json.dumps(records, ensure_ascii=False)) == records


def test_partial_source_titles_come_from_the_catalog(gap, catalog):
    partial = [r for r in candidate_records(gap, catalog=catalog) if r["partial_sources"]]
    assert partial, "the shipped data has partially covered requirements"
    for rec in partial:
        for s in rec["partial_sources"]:
            assert s["title"] == catalog.control(s["id"]).title != ""
    # without a catalog the titles the candidates carry are used, and they are the catalog's
    bare = {r["id"]: r for r in candidate_records(gap)}
    for rec in partial:
        for s in bare[rec["id"]]["partial_sources"]:
            assert s["title"] == catalog.control(s["id"]).title


def test_merged_candidate_cites_every_target_and_both_tags(gap):
    read = next(c for c in gap.candidates if c.provenance == (Provenance.READ,))
    recon = next(c for c in gap.candidates if c.provenance == (Provenance.RECONSTRUCTED,)
                 and c.frameworks != read.frameworks)
    merged = replace(read, targets=read.targets + recon.targets,
                     target_titles=read.target_titles + recon.target_titles,
                     frameworks=read.frameworks + recon.frameworks, provenance=read.provenance + recon.provenance)
    rec = candidate_records(replace(gap, candidates=(merged,)))[0]
    assert [t["framework"] for t in rec["targets"]] == [read.frameworks[0], recon.frameworks[0]]
    assert [t["provenance"] for t in rec["targets"]] == ["R", "I"]
    assert sorted(rec["provenance"]) == ["I", "R"]
    assert rec["provenance_tags"] == merged.provenance_tags
    assert set(re.findall(r"\[[RI]\]", rec["provenance_tags"])) == {"[R]", "[I]"}


def test_candidates_frame_one_row_per_candidate(gap):
    frame = gap.to_frame()
    pd.testing.assert_frame_equal(frame, candidates_frame(gap))
    assert list(frame["id"]) == [c.id for c in gap.candidates]
    assert list(frame["priority"]) == [c.priority for c in gap.candidates]
    assert list(frame["provenance_tags"]) == [c.provenance_tags for c in gap.candidates]
    assert list(frame["targets"]) == ["; ".join(c.targets) for c in gap.candidates]


# -- Markdown --------------------------------------------------------------------------------------
def cells(line: str) -> list[str]:
    """The cells of a Markdown table row, split on unescaped pipes."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def table_rows(md: str) -> list[list[str]]:
    return [cells(line) for line in md.splitlines() if line.startswith("| ") and "---" not in line]


def pct(counts: dict) -> str:
    assessed = counts["covered"] + counts["partial"] + counts["gap"]
    return f"{100 * (counts['covered'] + counts['partial'] / 2) / assessed:.1f}%"


def test_coverage_markdown_reports_the_counts_and_rollup(cov):
    md = coverage_markdown(cov)
    rows = table_rows(md)
    for status, n in cov.counts().items():
        assert [cm.Status(status).label_ja, str(n)] in rows
    assert ["カバー率", pct(cov.counts())] in rows
    for r in cov.rollup("section"):
        local = r.key.split(":", 1)[1]
        hits = [row for row in rows if row[1:3] == [local, r.title]]
        assert len(hits) == 1
        assert hits[0][3:8] == [str(r.counts[s.value]) for s in cm.Status]
    assert sum(1 for row in rows if row[1] in {i.control.id for i in cov.items}) == len(cov.items)


def test_candidates_markdown_summarises_per_framework_and_groups_by_priority(gap):
    md = candidates_markdown(gap)
    rows = table_rows(md)
    for c in gap.coverages:
        counts = c.counts()
        row = next(r for r in rows if r[0] == c.target)
        assert row[1:6] == [str(counts[s.value]) for s in cm.Status]
        assert row[7] == pct(counts)
        assert row[8] == str(sum(c.target in cand.frameworks for cand in gap.candidates))
    ids = [r[0] for r in rows if r[0].startswith("C-")]
    assert sorted(ids) == sorted(c.id for c in gap.candidates)
    sections = re.split(r"^### ", md, flags=re.M)[1:]
    for level in ("高", "中", "低"):
        body = next(s for s in sections if s.startswith(f"優先度 {level}"))
        listed = {cells(line)[0] for line in body.splitlines() if line.startswith("| C-")}
        assert listed == {c.id for c in gap.candidates if expected_level(c.priority) == level}
    assert md_cell(PRIORITY_FORMULA) in md


def test_markdown_escapes_pipes_and_newlines(gap):
    md = candidates_markdown(with_first(gap, title="a|b\nc"))
    line = next(line for line in md.splitlines() if line.startswith(f"| {gap.candidates[0].id} |"))
    assert "a\\|b<br>c" in line
    header = next(line for line in md.splitlines() if line.startswith("| ID |"))
    assert len(cells(line)) == len(cells(header))


# -- terminal text ---------------------------------------------------------------------------------
def test_coverage_text_columns_line_up(cov):
    lines = coverage_text(cov).splitlines()
    starts = set()
    for item in cov.items:
        line = next(line for line in lines if f" {item.control.id} " in line)
        starts.add(width(line[:line.index(item.control.id)]))
    assert len(starts) == 1
    assert all(width(line) < 200 for line in lines)


def test_gap_summary_text_names_counts_and_top_candidates(gap):
    text = gap_summary_text(gap)
    for c in gap.coverages:
        line = next(line for line in text.splitlines() if line.startswith(c.target + " "))
        assert re.findall(r"\d+(?:\.\d)?%?", line.removeprefix(c.target))[:5] == [str(v) for v in c.counts().values()]
        assert pct(c.counts()) in line
    assert f"{len(gap.candidates)} 件" in text
    for level in ("高", "中", "低"):
        assert f"{level} {sum(expected_level(c.priority) == level for c in gap.candidates)}" in text
    top = [line for line in text.splitlines() if line.startswith("  C-")]
    assert [line.split()[0] for line in top] == [c.id for c in gap.candidates[:10]]
    for line, c in zip(top, gap.candidates, strict=False):
        assert f" {c.priority} " in line and c.provenance_tags in line and line.endswith(c.title)


# -- HTML ------------------------------------------------------------------------------------------
SCRIPT = "<script>alert(1)</script>"


def test_candidates_html_escapes_data(gap):
    out = with_first(gap, title=SCRIPT, check_question=SCRIPT)._repr_html_()
    assert "&lt;script&gt;" in out and "<script" not in out
    assert out.count("<tr") == len(gap.candidates) + 1
    assert out == candidates_html(with_first(gap, title=SCRIPT, check_question=SCRIPT))


def test_coverage_html_escapes_data(cov):
    item = cov.items[0]
    bad = replace(item, control=replace(item.control, title=SCRIPT), explanation=SCRIPT)
    result = replace(cov, items=(bad, *cov.items[1:]))
    out = result._repr_html_()
    assert out == coverage_html(result)
    assert "&lt;script&gt;" in out and "<script" not in out
    assert out.count("<tr") == len(cov.items) + 1
    assert "http" not in out and "<link" not in out

"""Editions: diff of two editions from the crosswalks, and carrying curated mappings to a newer edition."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, NO_TERM, read_sssom_file

import controlmap as cm
from controlmap.cli.main import main
from controlmap.export.editions import format_diff
from controlmap.io.sssom import RELATION_OF, write_sssom
from controlmap.queries.editions import (
    CARRIED_MARK,
    REVIEW_CHANGES,
    REVIEW_MARK,
    carry_mappings,
    diff_editions,
    is_carried,
    needs_review,
)

CROSSWALK = DATA / "crosswalks" / "jisq15001-2006_jisq15001-2017.sssom.tsv"
CURATED = DATA / "mappings" / "mic_jisq15001-2006.sssom.tsv"
OLD, NEW = "jisq15001@2006", "jisq15001@2017"


@pytest.fixture(scope="module")
def crosswalk():
    return [r for _, r in read_sssom_file(CROSSWALK).rows]


@pytest.fixture(scope="module")
def diff(catalog):
    return diff_editions(catalog, OLD, NEW)


def test_split_rows_are_grouped_by_the_clause_that_was_split(diff, crosswalk):
    expected: dict[str, set[str]] = {}
    for r in crosswalk:
        if r["change_type"] == "split":
            expected.setdefault(r["subject_id"], set()).add(r["object_id"])
    assert {e.old[0]: set(e.new) for e in diff.by_change("split")} == expected


@pytest.mark.parametrize("change", ["renumbered", "renamed", "equivalent", "partial"])
def test_one_to_one_rows_are_listed_as_the_crosswalk_says(diff, crosswalk, change):
    expected = sorted((r["subject_id"], r["object_id"]) for r in crosswalk if r["change_type"] == change)
    assert sorted((e.old[0], e.new[0]) for e in diff.by_change(change)) == expected


def test_new_clauses_and_clauses_no_row_mentions(diff, crosswalk, catalog):
    new = {r["object_id"] for r in crosswalk if r["subject_id"] == NO_TERM}
    assert {e.new[0] for e in diff.by_change("new")} == new and all(not e.old for e in diff.by_change("new"))
    mentioned = {r["subject_id"] for r in crosswalk} | {r["object_id"] for r in crosswalk}
    neither = {c.id for f in (OLD, NEW) for c in catalog.controls_of(f)} - mentioned
    listed = {i for e in diff.by_change("not_in_crosswalk") for i in (*e.old, *e.new)}
    assert listed == neither


def test_renumbered_rows_show_the_number_change(diff):
    swapped = {(e.old[0], e.new[0]): e for e in diff.by_change("renumbered")}
    entry = swapped[("JISQ15001-2006:3.4.2.4", "JISQ15001-2017:A.3.4.2.5")]
    assert entry.number_changed and entry.provenance == "[R]"


def test_reading_backwards_reverses_the_words(catalog, diff):
    back = diff_editions(catalog, NEW, OLD)
    assert back.backwards and not diff.backwards
    assert {e.old[0] for e in back.by_change("removed")} == {e.new[0] for e in diff.by_change("new")}
    assert [(e.new, e.old) for e in back.by_change("merged")] == [(e.old, e.new) for e in diff.by_change("split")]


def test_a_crosswalk_written_newer_to_older_is_read_chronologically(catalog):
    rows = [r for _, r in read_sssom_file(DATA / "crosswalks" / "jisq15001-2023_jisq15001-2017.sssom.tsv").rows]
    d = diff_editions(catalog, "jisq15001@2017", "jisq15001@2023")
    assert {e.new[0] for e in d.by_change("new")} == {r["subject_id"] for r in rows if r["object_id"] == NO_TERM}
    merged = {r["subject_id"] for r in rows if r["change_type"] == "merged"}
    assert {e.new[0] for e in d.by_change("merged")} == merged


def test_diff_needs_a_crosswalk(catalog):
    with pytest.raises(cm.ControlmapError, match="no crosswalk between"):
        diff_editions(catalog, "jisq15001@2006", "jisq15001@2023")
    with pytest.raises(cm.ControlmapError, match="not two editions"):
        diff_editions(catalog, "mic", "jisq15001@2017")


def test_formats(catalog, diff):
    data = json.loads(format_diff(diff, catalog, "json"))
    assert data["counts"] == diff.counts() and len(data["entries"]) == len(diff.entries)
    md = format_diff(diff, catalog, "md")
    assert "| split | 3.2 | A.3.2.1, A.3.2.2 |" in md
    table = format_diff(diff, catalog, "table")
    assert "[R] read in a cited source" in table


# -- carry -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def carried(catalog):
    return carry_mappings(catalog, "https://w3id.org/controlmap/mappings/mic_jisq15001-2006", NEW, date="2026-11-26")


def test_every_carried_row_is_marked_inferred(carried):
    ms = carried.mapping_set
    assert (ms.subject_framework, ms.object_framework, ms.kind, ms.complete) == ("mic@2009", NEW, "curated", False)
    assert ms.mappings
    for m in ms.mappings:
        assert is_carried(m) and m.justification == "semapv:MappingChaining"
        assert m.provenance is cm.Provenance.RECONSTRUCTED and m.reviewer == "" and CARRIED_MARK in m.comment
        assert m.object_id.startswith("JISQ15001-2017:")


def test_carried_relations_follow_the_composition_table_and_weakest_link(carried, crosswalk):
    curated = [r for _, r in read_sssom_file(CURATED).rows if NO_TERM not in (r["subject_id"], r["object_id"])]
    steps = [r for r in crosswalk if NO_TERM not in (r["subject_id"], r["object_id"])]
    for row in carried.rows:
        m = row.mapping
        if m.subject_id == NO_TERM:
            continue
        candidates = []
        for c in curated:
            for x in steps:
                if (c["subject_id"], c["object_id"], x["object_id"]) == (m.subject_id, x["subject_id"], m.object_id):
                    rel = cm.compose(RELATION_OF[c["predicate_id"]], RELATION_OF[x["predicate_id"]])
                    if rel is not None:
                        candidates.append((rel, min(int(c["strength"]), int(x["strength"])), x))
        assert (m.relation, m.strength) in {(r, s) for r, s, _ in candidates}, m
        x = row.via
        flagged = (x.change in REVIEW_CHANGES or x.provenance is not cm.Provenance.READ
                   or m.relation is not row.original.relation)
        assert needs_review(m) == flagged == row.needs_review


def test_rows_that_cannot_be_carried_are_listed_with_a_reason(carried):
    assert carried.not_carried
    assert all(reason for _, reason in carried.not_carried)
    carried_from = {(r.original.subject_id, r.original.object_id) for r in carried.rows}
    assert not any((m.subject_id, m.object_id) in carried_from for m, _ in carried.not_carried)


def test_carried_file_loads_and_gaps_run_against_2017(tmp_path, catalog, carried):
    path = tmp_path / "mic_jisq15001-2017.sssom.tsv"
    path.write_text(write_sssom(carried.mapping_set, catalog), encoding="utf-8")
    kg = cm.load(path)
    (loaded,) = [s for s in kg.catalog.mapping_sets if s.id == carried.mapping_set.id]
    assert all(is_carried(m) for m in loaded.mappings)
    assert sum(map(needs_review, loaded.mappings)) == carried.review_count
    before = cm.coverage(cm.load(), source="mic", target=NEW).counts()
    result = cm.gaps(kg, source="mic", against=[NEW])
    after = result.coverages[0].counts()
    assert after["gap"] > before["gap"] == 0 and after["unassessed"] < before["unassessed"]
    assert result.candidates
    for item in result.coverages[0].items:
        if item.status.value == "gap":
            assert "繰り越した" in item.explanation
        elif (item.status.value != "not_applicable"  # an excluded item's explanation is its reason
              and item.best is not None and item.best.steps[0].mapping_set == loaded.id):
            assert "繰越・推論" in item.explanation


def test_needs_review_is_a_column_and_old_files_with_the_marker_still_read(tmp_path, catalog, carried):
    text = write_sssom(carried.mapping_set, catalog)
    header = next(line for line in text.splitlines() if not line.startswith("#")).split("\t")
    assert "needs_review" in header and "#- slot_name: needs_review" in text
    column = header.index("needs_review")
    cells = [line.split("\t")[column] for line in text.splitlines() if not line.startswith("#")][1:]
    assert sorted(set(cells)) == ["false", "true"] and cells.count("true") == carried.review_count
    assert not any(m.comment.startswith(REVIEW_MARK) for m in carried.mapping_set.mappings)
    # a file written before the column existed: the flag at the start of the comment
    old = [cm.Mapping(m.subject_id, m.object_id, m.relation, m.strength, m.confidence, m.justification,
                      comment=(REVIEW_MARK + " " if r.needs_review else "") + m.comment)
           for r in carried.rows for m in [r.mapping]]
    assert sum(map(needs_review, old)) == carried.review_count > 0


def test_carry_the_subject_side(tmp_path, catalog):
    result = carry_mappings(catalog, "https://w3id.org/controlmap/mappings/jisq15001-2006_govt_unified_std-2021", NEW)
    ms = result.mapping_set
    assert (ms.subject_framework, ms.object_framework) == (NEW, "govt_unified_std@2021")
    path = tmp_path / "jis17_gus.sssom.tsv"
    path.write_text(write_sssom(ms, catalog), encoding="utf-8")
    assert cm.load(path).catalog.mapping_sets_between(NEW, "govt_unified_std@2021")


def test_carry_refuses_an_unrelated_edition(catalog):
    with pytest.raises(cm.ControlmapError, match="neither side"):
        carry_mappings(catalog, "https://w3id.org/controlmap/mappings/mic_jisq15001-2006", "govt_unified_std@2014")


def test_cli_diff_and_carry(tmp_path, capsys):
    assert main(["editions", "diff", OLD, NEW, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["split"] == 1
    out = tmp_path / "carried.sssom.tsv"
    assert main(["editions", "carry", "--mappings", str(CURATED), "--to", NEW, "-o", str(out),
                 "--date", "2026-11-26"]) == 0
    assert "needs_review" in capsys.readouterr().out
    assert main(["gaps", "--source", "mic", "--against", NEW, "--load", str(out)]) == 0
    body = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    header, rows = body[0], body[1:]
    assert rows and {r[header.index("mapping_justification")] for r in rows} == {"semapv:MappingChaining"}
    assert {r[header.index("mapping_provenance")] for r in rows} == {"I"}

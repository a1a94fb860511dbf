"""controlmap.io.sssom reads any SSSOM 1.1 set: foreign prefixes, 1.1 slots, external metadata, Excel-saved files."""

from __future__ import annotations

from pathlib import Path

import pytest

import controlmap as cm
from controlmap.errors import UnsupportedFormatError
from controlmap.io.loader import load_files
from controlmap.io.sssom import parse_sssom, read_sssom, resolve_set, write_sssom
from controlmap.model import NO_TERM, Catalog, Relation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sssom"


def _set(catalog: Catalog, set_id: str):
    (ms,) = [s for s in catalog.mapping_sets if s.id == set_id]
    return ms


def test_foreign_prefixes_resolve_through_the_curie_map(catalog):
    merged = load_files([FIXTURES / "foreign-iris.sssom.tsv"], catalog)
    ms = _set(merged, "https://example.org/controlmap-tests/foreign-iris")
    assert (ms.subject_framework, ms.object_framework) == ("mic@2009", "jisq15001@2006")
    rows = {m.subject_id: m for m in ms.mappings}
    assert sorted(rows) == ["MIC:MIC-01-01", "MIC:MIC-01-02", "MIC:MIC-01-03"]
    assert {m.object_id for m in ms.mappings} == {"JISQ15001-2006:3.3.4"}
    # strength derived from predicate and confidence (no strength column): 5 x 0.9, 5 x 0.7, 10 x 1.0
    assert [(rows[k].relation, rows[k].strength) for k in sorted(rows)] == [
        (Relation.SUBSET_OF, 4), (Relation.INTERSECTS_WITH, 4), (Relation.EQUAL, 10)]
    first = dict(rows["MIC:MIC-01-01"].extra)
    assert first["record_id"] == "https://example.org/r/1"
    assert first["mapping_cardinality"] == "1:n" and first["similarity_score"] == "0.42"
    assert first["ext_priority"] == "2" and first["reviewer_id"] == "orcid:0000-0000-0000-0002"
    assert rows["MIC:MIC-01-01"].comment == "a comment\u2028with a line separator inside"
    assert rows["MIC:MIC-01-03"].comment == 'quoted "cell" with a tab-free text'
    assert dict(rows["MIC:MIC-01-02"].extra)["predicate_id"] == "skos:closeMatch"
    meta = dict(ms.extra)
    assert meta["publication_date"] is not None and meta["creator_id"] == ["orcid:0000-0000-0000-0001"]
    assert meta["ext_reviewed_by_committee"] == "no"


def test_every_slot_round_trips_through_write_sssom(catalog):
    merged = load_files([FIXTURES / "foreign-iris.sssom.tsv"], catalog)
    ms = _set(merged, "https://example.org/controlmap-tests/foreign-iris")
    text = write_sssom(ms, merged)
    for slot in ("record_id", "mapping_cardinality", "subject_category", "predicate_type", "object_source_version",
                 "review_date", "issue_tracker_item", "curation_rule", "mapping_tool_id", "subject_match_field",
                 "similarity_score", "similarity_measure", "author_id", "reviewer_id", "see_also", "ext_priority",
                 "publication_date", "creator_id", "issue_tracker", "mapping_set_confidence", "sssom_version",
                 "ext_reviewed_by_committee", "skos:closeMatch", "owl:equivalentClass", "\u2028"):
        assert slot in text, slot
    part, problems = resolve_set(parse_sssom(text, "again.sssom.tsv"), catalog)
    assert problems == []
    (back,) = part.mapping_sets
    assert back.mappings == ms.mappings
    before, after = dict(ms.extra), dict(back.extra)
    grown = ("curie_map", "extension_definitions")  # our own prefixes and extension slots are added
    assert {k: v for k, v in after.items() if k in before and k not in grown} == \
        {k: v for k, v in before.items() if k not in grown}
    assert before["extension_definitions"][0] in after["extension_definitions"]
    # ids were rewritten to our prefixes, so the file's synonyms of them (chk:, pms:) go; its other prefixes stay
    assert {k: v for k, v in before["curie_map"].items() if k not in ("chk", "pms")}.items() <= \
        after["curie_map"].items()
    assert "chk" not in after["curie_map"] and after["curie_map"]["MIC"] == before["curie_map"]["chk"]


def test_external_metadata_and_external_terms():
    parsed = read_sssom(FIXTURES / "widgets-gadgets.sssom.tsv")  # mapping_set_id only in the .sssom.yml
    assert parsed.mapping_set.id == "https://example.org/controlmap-tests/widgets-gadgets"
    merged = load_files([FIXTURES / "widgets-gadgets.sssom.tsv"], Catalog())
    ms = _set(merged, "https://example.org/controlmap-tests/widgets-gadgets")
    assert (ms.subject_framework, ms.object_framework) == ("widget@external", "gadget@external")
    assert merged.framework("widget").completeness == "external"
    assert merged.control("WIDGET:001").title == "left hinge"
    by_subject = {m.subject_id: m for m in ms.mappings}
    assert len(by_subject) == 4
    assert by_subject["WIDGET:001"].relation is Relation.EQUAL
    assert by_subject["WIDGET:002"].relation is Relation.NO_RELATIONSHIP  # predicate_modifier Not
    assert dict(by_subject["WIDGET:002"].extra)["predicate_modifier"] == "Not"
    assert by_subject["WIDGET:003"].relation is Relation.SUBSET_OF
    assert by_subject["WIDGET:004"].object_id == NO_TERM
    again = write_sssom(ms, merged)
    assert "predicate_modifier" in again and "https://example.org/widgets/catalogue" in again
    back, problems = resolve_set(parse_sssom(again, "again.sssom.tsv"), merged)
    assert problems == [] and back.mapping_sets[0].mappings == ms.mappings


def test_a_spreadsheet_saved_file_with_tab_padded_metadata_and_crlf_loads(catalog):
    assert b"\t\t\r\n" in (FIXTURES / "excel-saved.sssom.tsv").read_bytes()
    merged = load_files([FIXTURES / "excel-saved.sssom.tsv"], catalog)
    ms = _set(merged, "https://example.org/controlmap-tests/excel-saved")
    assert [(m.subject_id, m.relation, m.strength) for m in ms.mappings] == [
        ("MIC:MIC-01-01", Relation.EQUAL, 6), ("MIC:MIC-01-04", Relation.SUPERSET_OF, 10)]


def test_a_set_through_cm_load_takes_part_in_coverage(tmp_path):
    kg = cm.load(FIXTURES / "excel-saved.sssom.tsv")
    assert kg.catalog.mapping_sets_between("mic@2009", "jisq15001@2006")


def test_header_and_row_problems_are_reported_together():
    text = ("#mapping_set_id: https://example.org/x\n#colour: blue\n"
            "subject_id\tpredicate_id\tobject_id\tmapping_justification\tcolumn_typo\n"
            "A:1\tskos:exactMatch\tB:1\tsemapv:Guessing\tx\n")
    with pytest.raises(cm.DataError) as excinfo:
        parse_sssom(text, "t.sssom.tsv")
    assert [(p.row, p.column) for p in excinfo.value.problems] == [
        (None, "colour"), (3, "column_typo"), (4, "mapping_justification")]


def test_literal_mappings_are_refused_with_a_named_error():
    text = "#mapping_set_id: https://example.org/x\nsubject_label\tpredicate_id\tobject_id\tmapping_justification\n"
    with pytest.raises(UnsupportedFormatError) as excinfo:
        parse_sssom(text, "lit.sssom.tsv")
    assert "literal mappings" in str(excinfo.value)


def test_several_ids_in_one_cell_are_refused():
    text = ("#mapping_set_id: https://example.org/x\nsubject_id\tpredicate_id\tobject_id\tmapping_justification\n"
            "A:1\tskos:exactMatch\tB:1|B:2\tsemapv:ManualMappingCuration\n")
    with pytest.raises(cm.DataError, match="several ids"):
        parse_sssom(text, "t.sssom.tsv")

"""controlmap.io.sssom: shipped mapping sets, write/parse round trips, SKOS predicate direction, bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest

import controlmap as cm
from controlmap import Catalog, Control, Framework, Mapping, MappingSet, Provenance, Relation
from controlmap.io.sssom import parse_sssom, resolve_ids, write_sssom

DATA = Path(__file__).resolve().parents[2] / "data"
SHIPPED_SSSOM = sorted(DATA.glob("crosswalks/*.sssom.tsv")) + sorted(DATA.glob("mappings/*.sssom.tsv"))
NO_TERM = "sssom:NoTermFound"

# docs/curated-mappings.md and mapping-semantics.md: the relation a predicate states, subject to object
RELATION_OF_PREDICATE = {
    "skos:exactMatch": "equal",
    "skos:broadMatch": "subset_of",     # "A is a subset of B" is A skos:broadMatch B
    "skos:narrowMatch": "superset_of",
    "skos:relatedMatch": "intersects_with",
}


def _set_of(catalog: Catalog, path: Path) -> MappingSet:
    (ms,) = [s for s in catalog.mapping_sets if Path(s.origin).resolve() == path.resolve()]
    return ms


# -- the shipped files -----------------------------------------------------------------------------------
def test_every_shipped_file_is_loaded(catalog):
    assert SHIPPED_SSSOM
    assert sorted(Path(s.origin).resolve() for s in catalog.mapping_sets) == sorted(p.resolve() for p in SHIPPED_SSSOM)


@pytest.mark.parametrize("path", SHIPPED_SSSOM, ids=lambda p: p.name)
def test_no_row_of_a_shipped_file_is_dropped(catalog, shipped_editions, shipped_mapping_files, path):
    (raw,) = [f for f in shipped_mapping_files if f.path == path]
    ms = _set_of(catalog, path)
    assert ms.id == raw.meta["mapping_set_id"]
    assert (ms.subject_framework, ms.object_framework) == (raw.subject_key, raw.object_key)
    assert len(ms.mappings) == len(raw.rows)
    prefix_of_namespace = {f"https://w3id.org/controlmap/{ed.meta['id']}/{ed.meta['edition']}/": ed.meta["prefix"]
                           for ed in shipped_editions.values()}

    def expected_id(curie: str) -> str:
        if curie == NO_TERM:
            return curie
        prefix, local = curie.split(":", 1)
        return f"{prefix_of_namespace[raw.meta['curie_map'][prefix]]}:{local}"

    by_line = {int(m.origin.rpartition(":")[2]): m for m in ms.mappings}
    assert sorted(by_line) == [n for n, _ in raw.rows]
    for line, row in raw.rows:
        m = by_line[line]
        assert (m.subject_id, m.object_id) == (expected_id(row["subject_id"]), expected_id(row["object_id"]))
        assert m.strength == int(row["strength"] or 0)
        assert m.confidence == float(row["confidence"])
        assert m.group == row.get("mapping_group", "")


@pytest.mark.parametrize("path", SHIPPED_SSSOM, ids=lambda p: p.name)
def test_shipped_predicates_are_read_in_the_documented_direction(catalog, shipped_mapping_files, path):
    (raw,) = [f for f in shipped_mapping_files if f.path == path]
    rows = dict(raw.rows)
    for m in _set_of(catalog, path).mappings:
        row = rows[int(m.origin.rpartition(":")[2])]
        if NO_TERM in (row["subject_id"], row["object_id"]):
            assert m.relation is Relation.NO_RELATIONSHIP
        else:
            assert m.relation.value == RELATION_OF_PREDICATE[row["predicate_id"]]


@pytest.mark.parametrize("path", SHIPPED_SSSOM, ids=lambda p: p.name)
def test_write_then_parse_gives_back_every_shipped_set(catalog, path):
    ms = _set_of(catalog, path)
    text = write_sssom(ms, catalog)
    parsed = parse_sssom(text, "roundtrip.sssom.tsv")  # kind and completeness come from the text itself
    back, problems = resolve_ids(parsed, catalog)
    assert problems == []
    assert back == ms
    assert (back.kind, back.complete) == (ms.kind, ms.complete)


def test_written_rows_carry_the_provenance_of_both_controls(catalog):
    ms = _set_of(catalog, DATA / "mappings" / "mic_jisq15001-2006.sssom.tsv")
    lines = [line for line in write_sssom(ms, catalog).splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    for line, m in zip(lines[1:], ms.mappings, strict=True):
        row = dict(zip(header, line.split("\t"), strict=True))
        for side, cid in (("subject", m.subject_id), ("object", m.object_id)):
            expected = "" if cid == NO_TERM else catalog.control(cid).provenance.value
            assert row[f"{side}_provenance"] == expected


# -- direction on a small catalog ------------------------------------------------------------------------
A = Framework(id="aa", edition="1", prefix="A", title="甲")
B = Framework(id="bb", edition="2", prefix="B", title="乙")
SMALL = Catalog(
    frameworks=(A, B),
    controls=(Control("A:1", "aa@1", "1", None, "item", "入退室", provenance=Provenance.READ, order=1),
              Control("A:2", "aa@1", "2", None, "item", "監査", provenance=Provenance.RECONSTRUCTED, order=2),
              Control("B:x", "bb@2", "x", None, "item", "物理的対策", provenance=Provenance.READ, order=1),
              Control("B:y", "bb@2", "y", None, "item", "点検", provenance=Provenance.READ, order=2)),
)
META = f"""\
#curie_map:
#  A: {A.namespace}
#  B: {B.namespace}
#mapping_set_id: https://w3id.org/controlmap/mappings/test
#license: https://creativecommons.org/licenses/by/4.0/
#subject_source: {A.iri}
#object_source: {B.iri}
#other: complete=false
"""
COLUMNS = ("subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\tstrength\t"
           "subject_provenance\tobject_provenance\n")


@pytest.mark.parametrize(("relation", "predicate"), [
    ("subset_of", "skos:broadMatch"), ("superset_of", "skos:narrowMatch"),
    ("equal", "skos:exactMatch"), ("intersects_with", "skos:relatedMatch"),
])
def test_relation_is_written_as_subject_predicate_object(relation, predicate):
    ms = MappingSet("https://w3id.org/controlmap/mappings/test", "t", "aa@1", "bb@2",
                    (Mapping("A:1", "B:x", Relation(relation), 6, 0.8),))
    lines = [line for line in write_sssom(ms, SMALL).splitlines() if not line.startswith("#")]
    row = dict(zip(lines[0].split("\t"), lines[1].split("\t"), strict=True))
    assert (row["subject_id"], row["predicate_id"], row["object_id"]) == ("A:1", predicate, "B:x")


@pytest.mark.parametrize(("predicate", "relation"), list(RELATION_OF_PREDICATE.items()))
def test_predicate_is_read_as_the_subjects_relation_to_the_object(predicate, relation):
    text = META + COLUMNS + f"A:1\t{predicate}\tB:x\tsemapv:ManualMappingCuration\t0.9\t7\tR\tR\n"
    (m,) = parse_sssom(text, "t.sssom.tsv").mapping_set.mappings
    assert (m.subject_id, m.relation.value, m.object_id) == ("A:1", relation, "B:x")


def test_no_term_found_rows_state_no_relationship_and_round_trip():
    text = META + COLUMNS + ("sssom:NoTermFound\tskos:relatedMatch\tB:y\tsemapv:ManualMappingCuration\t1\t0\t\tR\n"
                             "A:2\tskos:relatedMatch\tsssom:NoTermFound\tsemapv:ManualMappingCuration\t1\t\tI\t\n")
    ms, problems = resolve_ids(parse_sssom(text, "t.sssom.tsv"), SMALL)
    assert problems == []
    assert [(m.subject_id, m.relation.value, m.object_id, m.strength) for m in ms.mappings] == [
        ("A:2", "no_relationship", NO_TERM, 0), (NO_TERM, "no_relationship", "B:y", 0)]
    back, problems = resolve_ids(parse_sssom(write_sssom(ms, SMALL), "again.sssom.tsv"), SMALL)
    assert (back, problems) == (ms, [])


# -- bad rows --------------------------------------------------------------------------------------------
def test_row_pointing_to_an_unknown_control_names_file_and_row(tmp_path, shipped_mapping_files):
    (raw,) = [f for f in shipped_mapping_files if f.path.name == "mic_jisq15001-2006.sssom.tsv"]
    text = raw.path.read_text(encoding="utf-8").replace("mappings/mic_jisq15001-2006", "mappings/user")
    lines = text.splitlines(keepends=True)
    target_line = raw.rows[5][0]
    subject = raw.rows[5][1]["subject_id"]
    lines[target_line - 1] = lines[target_line - 1].replace(subject, "MIC:MIC-99-99", 1)
    path = tmp_path / "user.sssom.tsv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(cm.DataError) as excinfo:
        cm.load(path)
    (problem,) = excinfo.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), target_line, "subject_id")
    assert str(problem) == f"{path}:{target_line}:subject_id: {problem.message}"
    assert "MIC:MIC-99-99" in problem.message


def test_every_bad_row_of_a_file_is_reported_with_its_column():
    header_line = META.count("\n") + 1
    text = META + COLUMNS + (
        "A:1\tskos:broadMatch\tB:x\tsemapv:ManualMappingCuration\t0.9\t11\tR\tR\n"      # strength 11
        "A:1\tcloseMatch\tB:y\tsemapv:ManualMappingCuration\t0.9\t5\tR\tR\n"            # not a CURIE
        "A:2\tskos:exactMatch\tB:y\tsemapv:Guessing\t0.9\t5\tI\tR\n"                    # unknown justification
        "A:2\tskos:exactMatch\tB:x\tsemapv:ManualMappingCuration\t1.5\t5\tI\tR\n"       # confidence above 1
        "A:2\tskos:exactMatch\tB:x\tsemapv:ManualMappingCuration\t0.5\t5\tX\tR\n"       # provenance X
    )
    with pytest.raises(cm.DataError) as excinfo:
        parse_sssom(text, "bad.sssom.tsv")
    first = header_line + 1
    assert [(p.file, p.row, p.column) for p in excinfo.value.problems] == [
        ("bad.sssom.tsv", first, "strength"),
        ("bad.sssom.tsv", first + 1, "predicate_id"),
        ("bad.sssom.tsv", first + 2, "mapping_justification"),
        ("bad.sssom.tsv", first + 3, "confidence"),
        ("bad.sssom.tsv", first + 4, "subject_provenance"),
    ]


def test_missing_required_column_is_reported_on_the_header_line():
    text = META + "subject_id\tobject_id\tmapping_justification\n"
    with pytest.raises(cm.DataError) as excinfo:
        parse_sssom(text, "bad.sssom.tsv")
    (problem,) = excinfo.value.problems
    assert (problem.row, problem.column) == (META.count("\n") + 1, "predicate_id")


def test_claimed_provenance_must_match_the_control():
    line = META.count("\n") + 2
    text = META + COLUMNS + "A:2\tskos:exactMatch\tB:x\tsemapv:ManualMappingCuration\t0.9\t8\tR\tR\n"
    _, problems = resolve_ids(parse_sssom(text, "t.sssom.tsv"), SMALL)
    assert [(p.file, p.row, p.column) for p in problems] == [("t.sssom.tsv", line, "subject_provenance")]
    assert "tagged [I]" in problems[0].message


def test_a_complete_set_must_have_a_row_for_every_assessable_object():
    text = (META.replace("complete=false", "complete=true") + COLUMNS
            + "A:1\tskos:exactMatch\tB:x\tsemapv:ManualMappingCuration\t0.9\t8\tR\tR\n")
    _, problems = resolve_ids(parse_sssom(text, "t.sssom.tsv"), SMALL)
    assert [(p.file, p.column) for p in problems] == [("t.sssom.tsv", "object_id")]
    assert "B:y" in problems[0].message


def test_ids_from_another_edition_are_rejected():
    text = META + COLUMNS + "B:x\tskos:exactMatch\tB:y\tsemapv:ManualMappingCuration\t0.9\t8\tR\tR\n"
    _, problems = resolve_ids(parse_sssom(text, "t.sssom.tsv"), SMALL)
    assert [(p.row, p.column) for p in problems] == [(META.count("\n") + 2, "subject_id")]
    assert "belongs to bb@2" in problems[0].message


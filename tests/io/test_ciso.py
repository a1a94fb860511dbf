"""CISO Assistant libraries: export of our editions and curated sets, import, round trip, coverage, bad files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import NO_TERM

import controlmap as cm
from controlmap.cli.main import main
from controlmap.export.ciso import ciso_library, write_ciso
from controlmap.io.ciso import parse_ciso_library, read_ciso

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ciso_library_sample.yaml"
# CISO Assistant's URN rule (backend/library/utils.py URN_REGEX)
URN = re.compile(r"^urn:([a-zA-Z0-9_-]+):([a-zA-Z0-9_-]+):([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9_-]+))?"
                 r":([0-9A-Za-z\[\]\(\)\-\._:]+)$")
CISO_WORDS = {"equal", "subset", "superset", "intersect", "not_related"}


def control_fields(c):
    return (c.id, c.notation, c.parent, c.title, c.summary, c.text, c.provenance, c.source_ref)


def mapping_fields(m):
    return (m.subject_id, m.object_id, m.relation, m.strength, m.comment, m.provenance)


@pytest.fixture(scope="module")
def library(catalog):
    return ciso_library(catalog, include_crosswalks=True)


def test_library_has_the_fields_ciso_assistant_reads(library):
    (doc,) = library.documents.values()
    assert {"urn", "locale", "ref_id", "name", "description", "copyright", "version", "provider", "packager",
            "objects"} <= set(doc)
    assert isinstance(doc["version"], int)
    for fw in doc["objects"]["frameworks"]:
        assert {"urn", "ref_id", "name", "description", "requirement_nodes"} <= set(fw)
        for node in fw["requirement_nodes"]:
            assert {"urn", "assessable", "depth", "ref_id", "name"} <= set(node)
            assert URN.match(node["urn"]) and node["urn"] == node["urn"].lower()
            assert re.match(r"^\[(R|I)\] ", node["annotation"])        # provenance stays visible
    for ms in doc["objects"]["requirement_mapping_sets"]:
        assert URN.match(ms["urn"]) and URN.match(ms["source_framework_urn"]) and URN.match(ms["target_framework_urn"])
        for row in ms["requirement_mappings"]:
            assert row["relationship"] in CISO_WORDS
            assert 0 <= row["strength_of_relationship"] <= 10
            assert row["rationale"] in {"syntactic", "semantic", "functional"}


def test_export_import_round_trip(tmp_path, catalog, library):
    (path,) = write_ciso(library, tmp_path / "lib.yaml")
    back = cm.load(path, shipped=False).catalog
    assert sorted(f.key for f in back.frameworks) == sorted(f.key for f in catalog.frameworks)
    for fw in back.frameworks:
        original = catalog.framework(fw.key)
        assert fw.prefix == original.prefix
        expected = [control_fields(c) for c in catalog.controls_of(original)]
        assert [control_fields(c) for c in back.controls_of(fw)] == expected
        assert {c.id for c in back.assessable(fw)} == {c.id for c in catalog.assessable(original)}
    pairs = {(s.subject_framework, s.object_framework): s for s in catalog.mapping_sets}
    assert len(back.mapping_sets) == len(catalog.mapping_sets)
    for ms in back.mapping_sets:
        original = pairs[(ms.subject_framework, ms.object_framework)]
        expected = sorted(mapping_fields(m) for m in original.mappings if NO_TERM not in (m.subject_id, m.object_id))
        assert sorted(mapping_fields(m) for m in ms.mappings) == expected


def test_what_the_format_cannot_carry_is_said(library, shipped_mapping_files):
    notes = " ".join(library.notes)
    for f in shipped_mapping_files:
        no_term = sum(1 for _, r in f.rows if NO_TERM in (r["subject_id"], r["object_id"]))
        if no_term:
            assert f"{f.meta['mapping_set_id']}: {no_term} row(s) against sssom:NoTermFound" in notes
    assert "combined relation is not carried" in notes


def test_relationship_direction_matches_ciso_assistant(catalog):
    ms = next(s for s in catalog.mapping_sets if s.id.endswith("/mic_jisq15001-2006"))
    row = next(m for m in ms.mappings if m.relation is cm.Relation.SUBSET_OF)
    out = ciso_library(catalog, ["mic", "jisq15001@2006"], reverse=True)
    (doc,) = out.documents.values()
    forward, backward = doc["objects"]["requirement_mapping_sets"]
    s_urn = f"urn:controlmap:risk:req_node:mic-2009:{catalog.control(row.subject_id).notation.lower()}"
    o_urn = f"urn:controlmap:risk:req_node:jisq15001-2006:{catalog.control(row.object_id).notation.lower()}"
    assert {"source_requirement_urn": s_urn, "target_requirement_urn": o_urn, "relationship": "subset"}.items() <= \
        next(r for r in forward["requirement_mappings"] if r["source_requirement_urn"] == s_urn
             and r["target_requirement_urn"] == o_urn).items()
    assert next(r for r in backward["requirement_mappings"] if r["source_requirement_urn"] == o_urn
                and r["target_requirement_urn"] == s_urn)["relationship"] == "superset"


def test_split_libraries_each_load_with_their_dependencies(tmp_path, catalog):
    out = ciso_library(catalog, split=True)
    paths = write_ciso(out, tmp_path / "libs")
    framework_files = [p for p in paths if "-mapping-" not in p.name]
    mapping_files = [p for p in paths if "-mapping-" in p.name]
    assert len(framework_files) == len(catalog.frameworks)
    assert len(mapping_files) == sum(1 for s in catalog.mapping_sets if s.kind == "curated")
    lib_urns = {yaml.safe_load(p.read_text(encoding="utf-8"))["urn"] for p in framework_files}
    for p in mapping_files:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
        assert set(doc["dependencies"]) <= lib_urns and len(doc["dependencies"]) == 2
        imported = read_ciso(p, catalog).catalog                      # refers to the loaded editions by URN
        assert len(imported.mapping_sets) == 1 and imported.mapping_sets[0].mappings


def test_fixture_library_loads_and_takes_part_in_coverage():
    kg = cm.load(FIXTURE)
    fw = kg.framework("sample_appi")
    assert (fw.edition, fw.prefix, fw.rights) == ("2025", "SAMPLE-APPI", "CC0 (controlmap test fixture)")
    nodes = kg.catalog.controls_of(fw)
    assert [c.notation for c in nodes] == ["1", "1.1", "1.2", "2", "2.1", "2.R"]
    assert kg.catalog.control("SAMPLE-APPI:1.1").parent == "SAMPLE-APPI:1"
    # assessable: false kept out
    assert [c.notation for c in kg.catalog.assessable(fw)] == ["1.1", "1.2", "2.1", "2.R"]
    point = kg.catalog.control("SAMPLE-APPI:1.2")
    assert (point.summary, point.text) == ("個人データの取扱状況を定期的に点検すること。",
                                           "点検の結果は記録し、責任者に報告する。")
    assert kg.catalog.control("SAMPLE-APPI:1.1").source_ref == "サンプル規程 第1条"
    result = cm.coverage(kg, source="sample_appi", target="jisq15001@2006", scope=None)
    statuses = {i.control.notation: i.status.value for i in result.items if i.status.value != "unassessed"}
    # equal 8 and superset (no strength given: 10) cover; subset 5 is partial; not_related adds nothing
    assert statuses == {"3.3.4": "covered", "3.4.5": "covered", "3.7.1": "partial"}
    assert kg.validate() == []                                   # our own checks and the SHACL shapes
    inferred = cm.coverage(kg, source="mic", target="sample_appi", scope=None)   # MIC -> JIS 2006 <- sample
    assert inferred.item("1.1").best is not None and inferred.item("1.1").best.inferred


def test_unread_parts_and_defaults_are_noted():
    imp = read_ciso(FIXTURE, cm.load().catalog)
    notes = " | ".join(imp.notes)
    assert "mapping rows without strength_of_relationship (defaulted): 1" in notes
    assert "requirement node typical_evidence (not read): 1" in notes
    assert "requirement node implementation_groups (not read): 4" in notes
    (ms,) = imp.catalog.mapping_sets
    assert "1 row(s) gave no strength_of_relationship" in ms.description
    assert "1 not_related row(s) between two requirements left out" in ms.description
    assert "not_related mapping rows (no coverage; not kept): 1" in notes
    assert "Import notes" in imp.catalog.frameworks[0].description


def test_bad_library_reports_every_problem_with_line_and_pointer(tmp_path, catalog):
    doc = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    rows = doc["objects"]["requirement_mapping_sets"][0]["requirement_mappings"]
    rows[0]["relationship"] = "equivalent"
    rows[1]["target_requirement_urn"] = "urn:controlmap:risk:req_node:jisq15001-2006:9.9"
    rows[2]["strength_of_relationship"] = 12
    doc["objects"]["framework"]["requirement_nodes"][2]["parent_urn"] = "urn:intuitem:risk:req_node:sample-appi-2025:9"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(cm.DataError) as err:
        read_ciso(path, catalog)
    got = {(p.column, p.message.split(" ")[0]) for p in err.value.problems}
    base = "/objects/requirement_mapping_sets/0/requirement_mappings"
    assert got == {
        (f"{base}/0/relationship", "relationship"),
        (f"{base}/1/target_requirement_urn", "unknown"),
        (f"{base}/2/strength_of_relationship", "strength_of_relationship"),
        ("/objects/framework/requirement_nodes/2/parent_urn", "parent_urn"),
    }
    text = path.read_text(encoding="utf-8").splitlines()
    for p in err.value.problems:                                # every problem names a real line of the file
        assert isinstance(p.row, int) and p.column.rsplit("/", 1)[1] in text[p.row - 1]


def test_unknown_framework_and_empty_library(catalog):
    doc = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    del doc["objects"]["framework"]
    with pytest.raises(cm.DataError, match="neither in this library nor loaded"):
        parse_ciso_library(doc, "x.yaml", catalog)
    with pytest.raises(cm.DataError, match="no framework, no requirement_mapping_sets"):
        parse_ciso_library({"urn": "urn:x:risk:library:y", "objects": {}}, "y.yaml", catalog)
    with pytest.raises(cm.DataError, match="missing library field 'objects'"):
        parse_ciso_library({"urn": "urn:x:risk:library:y"}, "z.yaml", catalog)


def test_framework_yaml_still_loads_as_before(kg):
    assert kg.framework("jisq15001@2017").prefix == "JISQ15001-2017"     # .yaml dispatch keeps framework files


def test_cli_export_and_import(tmp_path, capsys):
    target = tmp_path / "lib.yaml"
    assert main(["export-ciso", "-o", str(target)]) == 0
    assert "NoTermFound" in capsys.readouterr().out
    assert main(["import-ciso", str(FIXTURE), "-o", str(tmp_path / "imported")]) == 0
    out = capsys.readouterr().out
    assert "framework sample_appi@2025" in out and "mapping set sample_appi@2025 → jisq15001@2006: 3 rows" in out
    kg = cm.load(tmp_path / "imported" / "sample_appi" / "2025",
                 tmp_path / "imported" / "sample_appi-2025_jisq15001-2006.sssom.tsv")
    assert len(kg.catalog.controls_of("sample_appi@2025")) == 6
    assert kg.validate() == []

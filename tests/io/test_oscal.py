"""OSCAL in (catalog JSON/YAML -> framework) and out (candidates, editions, mapping collections), schema-validated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex
import yaml
from conftest import NO_TERM, read_sssom_file
from jsonschema import Draft7Validator, validators
from jsonschema.exceptions import ValidationError

import controlmap as cm
from controlmap.cli.main import main
from controlmap.export.oscal import candidates_catalog, framework_catalog, mapping_collection, oscal_id, write_oscal
from controlmap.io.oscal import parse_oscal_catalog, read_oscal

HERE = Path(__file__).resolve().parents[1]
SAMPLE = HERE / "fixtures" / "oscal_sample_catalog.json"
SCHEMA = json.loads((HERE / "schemas" / "oscal_complete_schema.json").read_text(encoding="utf-8"))
# the relationship vocabulary of the OSCAL 1.2 metaschema constraint layer (not expressed in the JSON Schema)
OSCAL_RELATIONSHIPS = {"equivalent-to", "equal-to", "subset-of", "superset-of", "intersects-with", "no-relationship"}


def _pattern(validator, pattern, instance, schema):
    # OSCAL's patterns use ECMA-262 \p{L}/\p{N}; the regex package understands them, re does not
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


OscalValidator = validators.extend(Draft7Validator, {"pattern": _pattern})


def schema_errors(document: dict) -> list[str]:
    """Errors against the model's own definition (readable paths), then against the whole schema."""
    (root,) = document
    definition = {"catalog": "oscal-catalog:catalog", "mapping-collection": "oscal-mapping:mapping-collection"}[root]
    sub = OscalValidator({"definitions": SCHEMA["definitions"], "$ref": f"#/definitions/oscal-complete-{definition}"})
    errors = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in sub.iter_errors(document[root])]
    errors += [e.message[:200] for e in OscalValidator(SCHEMA).iter_errors(document)]
    return errors


# -- OSCAL in ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample():
    return read_oscal(SAMPLE, framework_id="sample", prefix="SMP")


def test_sample_groups_controls_enhancements_and_levels(sample):
    c = sample.catalog
    by_id = {x.id: x for x in c.controls}
    assert [x.id for x in c.controls] == ["SMP:gv", "SMP:gv.po", "SMP:gv.po-1", "SMP:gv.po-1.1", "SMP:gv.po-1.2",
                                          "SMP:gv.po-2", "SMP:ac", "SMP:ac-3"]
    assert by_id["SMP:gv.po"].parent == "SMP:gv" and by_id["SMP:gv.po"].level == "group"      # nested group
    assert by_id["SMP:gv.po-1"].parent == "SMP:gv.po" and by_id["SMP:gv.po-1"].level == "control"
    assert by_id["SMP:gv.po-1.1"].parent == "SMP:gv.po-1" and by_id["SMP:gv.po-1.1"].level == "enhancement"
    assert by_id["SMP:gv.po-1.1"].notation == "GV.PO-1(1)"      # the label prop is what people read
    assert c.control("GV.PO-1(1)").id == "SMP:gv.po-1.1"
    assert all(x.provenance is cm.Provenance.READ for x in c.controls)
    fw = sample.framework
    assert (fw.key, fw.title, fw.publisher, fw.date) == ("sample@2.1", "Sample Privacy Control Catalog",
                                                          "Sample Standards Body", "2024-04-01")


def test_statement_parts_become_text_with_params_rendered(sample):
    text = sample.catalog.control("SMP:gv.po-1").text.splitlines()
    assert text[0] == ("a. Develop a privacy policy for [Assignment: organization name] and disseminate it to "
                       "[Assignment: organization-defined personnel or roles];")
    assert text[1] == ("b. Review the policy [Selection (one or more): annually; "
                       "after a [Assignment: significant change]]; and")
    assert text[2] == "  1. Publish changes within 30 days."
    assert text[3] == "c. Keep records of {{ insert: param, gv.po-1_prm_undefined }}."   # unknown: kept, counted
    assert sample.catalog.control("SMP:ac").text == "Limit access to personal data."      # group overview
    assert "guidance" not in sample.catalog.control("SMP:gv.po-1").text.lower()


def test_withdrawn_controls_are_kept_flagged_and_not_assessed(sample):
    c = sample.catalog
    assert c.control("SMP:gv.po-2").level == "withdrawn"
    assert c.control("SMP:gv.po-2").summary == "[withdrawn] moved to AC-3"
    assert c.control("SMP:gv.po-1.2").summary == "[withdrawn] incorporated into GV.PO-1(1)"
    assert [x.id for x in c.assessable(sample.framework)] == ["SMP:gv.po-1", "SMP:gv.po-1.1", "SMP:ac-3"]


def test_nothing_left_out_silently(sample):
    notes = " | ".join(sample.notes)
    for what in ("guidance parts: 1", "assessment-objective parts: 1", "back-matter resources: 1",
                 "withdrawn controls", "{{ insert }} markers"):
        assert what in notes
    assert "guidance parts: 1" in sample.framework.description


def test_yaml_catalog_reads_like_json(tmp_path, sample):
    path = tmp_path / "sample_catalog.yaml"
    path.write_text(yaml.safe_dump(json.loads(SAMPLE.read_text(encoding="utf-8")), allow_unicode=True),
                    encoding="utf-8")
    again = read_oscal(path, framework_id="sample", prefix="SMP")
    assert again.catalog.controls == sample.catalog.controls


def test_cm_load_reads_oscal_json_and_it_takes_part_in_coverage(tmp_path):
    mapping = tmp_path / "mic_sample.sssom.tsv"
    mapping.write_text(
        "#curie_map:\n#  MIC: https://w3id.org/controlmap/mic/2009/\n"
        "#  SMP: https://w3id.org/controlmap/oscal_sample/2.1/\n"
        "#mapping_set_id: https://example.org/mic_sample\n"
        "#subject_source: https://w3id.org/controlmap/mic/2009\n"
        "#object_source: https://w3id.org/controlmap/oscal_sample/2.1\n"
        "subject_id\tpredicate_id\tobject_id\tmapping_justification\tstrength\tconfidence\n"
        "MIC:MIC-07-01\tskos:exactMatch\tSMP:ac-3\tsemapv:ManualMappingCuration\t8\t0.9\n",
        encoding="utf-8")
    kg = cm.load(SAMPLE, mapping)
    fw = kg.framework("oscal_sample")
    assert kg.validate() == []
    assert fw.prefix == "OSCAL_SAMPLE-2.1" and fw.edition == "2.1"
    # the SSSOM file names SMP: for the namespace, so resolve it there
    result = cm.coverage(kg, source="mic", target="oscal_sample", scope=None)
    statuses = {i.control.notation: i.status.value for i in result.items}
    assert statuses == {"GV.PO-1": "unassessed", "GV.PO-1(1)": "unassessed", "AC-3": "covered"}


def test_generated_catalog_the_size_of_sp800_53_loads(tmp_path):
    families, per_family, enhancements = 20, 21, 2
    groups = []
    for f in range(families):
        controls = []
        for n in range(1, per_family + 1):
            cid = f"f{f:02d}-{n}"
            enh = [{"id": f"{cid}.{e}", "title": f"Enhancement {e}",
                    "parts": [{"id": f"{cid}.{e}_smt", "name": "statement", "prose": "Do more."}]}
                   for e in range(1, enhancements + 1)]
            control = {"id": cid, "title": f"Control {n}", "params": [{"id": f"{cid}_prm_1", "label": "frequency"}],
                       "parts": [{"id": f"{cid}_smt", "name": "statement",
                                  "prose": "Review {{ insert: param, " + cid + "_prm_1 }}."},
                                 {"id": f"{cid}_gdn", "name": "guidance", "prose": "Why."}],
                       "controls": enh}
            if n == per_family:
                control = {"id": cid, "title": f"Control {n}", "props": [{"name": "status", "value": "withdrawn"}]}
            controls.append(control)
        groups.append({"id": f"f{f:02d}", "class": "family", "title": f"Family {f}", "controls": controls})
    doc = {"catalog": {"uuid": "9b2e8c1d-4f3a-4b6c-8d7e-1a2b3c4d5e6f",
                       "metadata": {"title": "Generated", "version": "5", "last-modified": "2026-01-01T00:00:00Z",
                                    "oscal-version": "1.1.2"}, "groups": groups}}
    path = tmp_path / "big_catalog.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    kg = cm.load(path)
    fw = kg.framework("big")
    controls = kg.catalog.controls_of(fw)
    expected = families * (1 + (per_family - 1) * (1 + enhancements) + 1)
    assert len(controls) == expected > 1200
    assert sum(c.level == "withdrawn" for c in controls) == families
    assert kg.catalog.control("BIG-5:f03-4").text == "Review [Assignment: frequency]."
    result = cm.coverage(kg, source="mic", target="big", scope=None)
    assert len(result.items) == families * (per_family - 1) * (1 + enhancements)   # withdrawn not assessed


@pytest.mark.parametrize("text, where, message", [
    ('{"catalog": {"uuid": "x",\n "metadata": }', (2, "14"), "invalid JSON"),
    ('{"profile": {}}', (1, "/"), "not an OSCAL catalog"),
])
def test_bad_json_files_give_named_errors(tmp_path, text, where, message):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(cm.DataError, match=message) as err:
        read_oscal(path)
    p = err.value.problems[0]
    assert (p.file, p.row, p.column) == (str(path), *where)


def test_every_structural_problem_is_reported_with_its_json_pointer():
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    cat = doc["catalog"]
    del cat["metadata"]["title"]
    del cat["groups"][1]["controls"][0]["id"]
    cat["groups"][0]["groups"][0]["controls"][1]["id"] = "gv.po-1"          # duplicate
    cat["groups"][0]["groups"][0]["controls"][0]["controls"][0]["title"] = ""
    with pytest.raises(cm.DataError) as err:
        parse_oscal_catalog(doc, "bad.json")
    got = {(p.column, p.message.split(" (")[0]) for p in err.value.problems}
    assert got == {
        ("/catalog/metadata/title", "missing metadata.title"),
        ("/catalog/groups/1/controls/0/id", "a control needs an id"),
        ("/catalog/groups/0/groups/0/controls/1/id", "duplicate id 'gv.po-1'"),
        ("/catalog/groups/0/groups/0/controls/0/controls/0/title", "enhancement 'gv.po-1.1' has no title"),
    }


def test_a_party_name_that_yaml_reads_as_a_number_is_kept_as_text():
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    doc["catalog"]["metadata"]["parties"] = [{"name": 2024}, {"name": "NIST"}, {"name": ""}, "not a party"]
    assert parse_oscal_catalog(doc, "sample.json").framework.publisher == "2024, NIST"


def test_yaml_problems_name_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("catalog:\n  uuid: x\n  metadata:\n    title: T\n  controls:\n  - title: no id\n", encoding="utf-8")
    with pytest.raises(cm.DataError) as err:
        read_oscal(path)
    (p,) = err.value.problems
    assert (p.row, p.column) == (6, "/catalog/controls/0/id")


def test_xml_is_refused_with_a_way_forward(tmp_path):
    path = tmp_path / "catalog.xml"
    path.write_text("<catalog/>", encoding="utf-8")
    with pytest.raises(cm.DataError, match="convert it to JSON"):
        read_oscal(path)


def test_cm_load_refuses_json_that_is_not_an_oscal_catalog(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(cm.DataError, match="OSCAL catalogs"):
        cm.load(path)


# -- OSCAL out ---------------------------------------------------------------------------------
LAST_MODIFIED = "2026-11-26T00:00:00Z"


@pytest.fixture(scope="module")
def gaps(kg):
    return cm.gaps(kg, source="mic", against=["jisq15001", "govt_unified_std"])


def test_candidates_catalog_validates_and_carries_every_candidate(gaps, catalog):
    doc = candidates_catalog(gaps, catalog, last_modified=LAST_MODIFIED)
    assert schema_errors(doc) == []
    controls = [c for g in doc["catalog"]["groups"] for c in g["controls"]]
    assert len(controls) == len(gaps.candidates)
    first = gaps.candidates[0]
    (exported,) = [c for c in controls if {"name": "label", "value": first.id} in c["props"]]
    parts = {p["name"]: p["prose"] for p in exported["parts"]}
    assert parts["statement"] == first.check_question
    assert first.provenance_tags in parts["guidance"]
    link = {"rel": "reference", "text": f"{first.targets[0]} {first.target_titles[0]}"}
    assert link.items() <= exported["links"][0].items()


def test_adopted_items_only(gaps, catalog):
    chosen = [c.id for c in gaps.candidates[:2]]
    doc = candidates_catalog(gaps, catalog, only=chosen, last_modified=LAST_MODIFIED)
    assert schema_errors(doc) == []
    labels = [p["value"] for g in doc["catalog"]["groups"] for c in g["controls"] for p in c["props"]
              if p["name"] == "label"]
    assert labels == chosen
    with pytest.raises(cm.ExportError, match="unknown candidate"):
        candidates_catalog(gaps, catalog, only=["C-NOPE"])


def test_exports_are_stable(gaps, catalog):
    a = candidates_catalog(gaps, catalog, last_modified=LAST_MODIFIED)
    b = candidates_catalog(gaps, catalog, last_modified=LAST_MODIFIED)
    assert a == b


def test_every_shipped_edition_exports_validly_and_reads_back_the_same(catalog):
    for fw in catalog.frameworks:
        doc = framework_catalog(catalog, fw, last_modified=LAST_MODIFIED)
        assert schema_errors(doc) == [], fw.key
        back = parse_oscal_catalog(doc, f"{fw.key}.json")
        assert back.framework == fw
        fields = lambda c: (c.id, c.notation, c.parent, c.level, c.title, c.summary, c.text, c.provenance, c.source_ref)  # noqa: E731
        assert sorted(map(fields, back.catalog.controls)) == sorted(map(fields, catalog.controls_of(fw))), fw.key


def test_mapping_collections_validate_and_say_what_the_sssom_says(catalog, shipped_mapping_files):
    for f in shipped_mapping_files:
        set_id = f.meta["mapping_set_id"]
        ms = next(s for s in catalog.mapping_sets if s.id == set_id)
        doc = mapping_collection(ms, catalog, last_modified=LAST_MODIFIED)
        assert schema_errors(doc) == [], set_id
        (mapping,) = doc["mapping-collection"]["mappings"]
        assert {m["relationship"] for m in mapping["maps"]} <= OSCAL_RELATIONSHIPS
        single = [m for m in mapping["maps"] if len(m["sources"]) == 1 and "combined" not in m.get("remarks", "")]
        rows = [r for _, r in f.rows if NO_TERM not in (r["subject_id"], r["object_id"])]
        assert len(single) == len(rows)
        no_source = {r["object_id"] for _, r in f.rows if r["subject_id"] == NO_TERM}
        gaps = mapping.get("target-gap-summary", {}).get("unmapped-controls", [{}])[0].get("with-ids", [])
        assert len(gaps) == len(no_source)
        assert doc["mapping-collection"]["provenance"]["status"] == (
            "complete" if "complete=true" in str(f.meta.get("other", "")) else "not-complete")


def test_relationship_direction_is_kept(catalog):
    ms = next(s for s in catalog.mapping_sets if s.id.endswith("/mic_jisq15001-2006"))
    row = next(m for m in ms.mappings if m.relation is cm.Relation.SUBSET_OF)
    doc = mapping_collection(ms, catalog, last_modified=LAST_MODIFIED)
    maps = doc["mapping-collection"]["mappings"][0]["maps"]
    s_id = oscal_id(catalog.control(row.subject_id).notation)
    o_id = oscal_id(catalog.control(row.object_id).notation)
    found = [m["relationship"] for m in maps if m["sources"] == [{"type": "control", "id-ref": s_id}]
             and m["targets"] == [{"type": "control", "id-ref": o_id}]]
    assert found == ["subset-of"]     # subject (MIC) is a subset of the object (JIS clause)


def test_cli_import_and_export_oscal(tmp_path, capsys):
    out_dir = tmp_path / "sample"
    assert main(["import-oscal", str(SAMPLE), "--id", "sample", "--edition", "2.1", "-o", str(out_dir)]) == 0
    assert "withdrawn controls" in capsys.readouterr().out
    kg = cm.load(out_dir)
    assert len(kg.catalog.controls_of("sample@2.1")) == 8
    target = tmp_path / "cands.json"
    assert main(["export-oscal", "--source", "mic", "--against", "jisq15001", "-o", str(target)]) == 0
    assert schema_errors(json.loads(target.read_text(encoding="utf-8"))) == []
    target = tmp_path / "mc.json"
    assert main(["export-oscal", "--mapping-set", "mic_jisq15001-2006", "-o", str(target)]) == 0
    assert schema_errors(json.loads(target.read_text(encoding="utf-8"))) == []


def test_write_oscal_keeps_japanese_readable(tmp_path, catalog):
    path = write_oscal(framework_catalog(catalog, "jisq15001@2017", last_modified=LAST_MODIFIED), tmp_path / "j.json")
    assert "個人情報保護マネジメントシステム" in path.read_text(encoding="utf-8")


def test_shipped_mapping_file_reader_is_independent():
    # guard: the SSSOM rows compared above come from the csv-level reader in conftest
    f = read_sssom_file(Path(__file__).resolve().parents[2] / "data" / "mappings" / "mic_jisq15001-2006.sssom.tsv")
    assert f.rows and "subject_id" in f.header

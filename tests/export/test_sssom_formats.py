"""SSSOM/JSON and SSSOM/RDF out: the same rows as SSSOM TSV, read back (JSON) or counted in the graph (RDF)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

import controlmap as cm
from controlmap.cli import main
from controlmap.export.sssom import sssom_format, write_sssom_json, write_sssom_rdf, write_sssom_text
from controlmap.io.sssom import resolve_ids, write_sssom
from controlmap.io.sssom_json import parse_sssom_json

OWL = Namespace("http://www.w3.org/2002/07/owl#")
SSSOM = Namespace("https://w3id.org/sssom/")
VOCAB = Namespace("https://w3id.org/controlmap/vocab/")


def _same(a: cm.Mapping, b: cm.Mapping) -> bool:
    return replace(a, origin="") == replace(b, origin="")


@pytest.mark.parametrize("index", range(7))
def test_json_reads_back_to_the_same_rows(catalog, index):
    ms = sorted(catalog.mapping_sets, key=lambda s: s.id)[index]
    doc = json.loads(write_sssom_json(ms, catalog))
    assert len(doc["mappings"]) == len(ms.mappings)
    back, problems = resolve_ids(parse_sssom_json(doc, "again.sssom.json"), catalog)
    assert problems == []
    assert (back.id, back.complete, back.kind) == (ms.id, ms.complete, ms.kind)
    assert all(_same(a, b) for a, b in zip(back.mappings, ms.mappings, strict=True))


def test_json_keeps_extension_slots_in_other_and_foreign_other_text(catalog):
    (ms,) = [s for s in catalog.mapping_sets if s.mappings and any(m.group for m in s.mappings)][:1]
    first = replace(ms.mappings[0], extra=(("other", "kept=1 text"), ("ext_note", "a|b%")))
    ms = replace(ms, mappings=(first, *ms.mappings[1:]))
    doc = json.loads(write_sssom_json(ms, catalog))
    row = doc["mappings"][0]
    assert "strength" not in row and row["other"].startswith("kept=1 text|strength=")
    assert isinstance(row["confidence"], float) and isinstance(row["author_label"], list)
    grouped = next(r for r in doc["mappings"] if "mapping_group=" in r.get("other", ""))
    assert "combined_relation=" in grouped["other"]
    back, _ = resolve_ids(parse_sssom_json(doc, "x.json"), catalog)
    assert dict(back.mappings[0].extra)["other"] == "kept=1 text"
    assert dict(back.mappings[0].extra)["ext_note"] == "a|b%"


def test_rdf_has_one_axiom_per_row_with_iris_and_extension_values(catalog):
    (ms,) = [s for s in catalog.mapping_sets if s.id == "https://w3id.org/controlmap/mappings/mic_jisq15001-2006"]
    g = Graph().parse(data=write_sssom_rdf(ms, catalog), format="turtle")
    (root,) = g.subjects(RDF.type, SSSOM.MappingSet)
    assert root == URIRef(ms.id)
    axioms = list(g.objects(root, SSSOM.mappings))
    assert len(axioms) == len(ms.mappings)
    m = ms.mappings[0]
    fw = catalog.framework(ms.subject_framework)
    sources = {g.value(a, OWL.annotatedSource) for a in axioms}
    assert URIRef(fw.namespace + m.subject_id.split(":", 1)[1]) in sources
    strengths = sorted(int(g.value(a, VOCAB.strength)) for a in axioms)
    assert strengths == sorted(x.strength for x in ms.mappings)
    assert {str(g.value(a, SSSOM.mapping_justification)) for a in axioms} == {
        "https://w3id.org/semapv/vocab/ManualMappingCuration"}


def test_the_suffix_picks_the_serialisation(catalog):
    ms = catalog.mapping_sets[0]
    assert sssom_format("x.SSSOM.JSON") == "json"
    assert write_sssom_text(ms, catalog, "x.sssom.tsv") == write_sssom(ms, catalog)
    assert write_sssom_text(ms, catalog, "x.sssom.json") == write_sssom_json(ms, catalog)
    assert write_sssom_text(ms, catalog, "x.sssom.ttl") == write_sssom_rdf(ms, catalog)


def test_cli_carry_and_suggest_write_json_and_turtle(tmp_path, capsys):
    mappings = "https://w3id.org/controlmap/mappings/mic_jisq15001-2006"
    out = tmp_path / "carried.sssom.json"
    assert main(["editions", "carry", "--mappings", mappings, "--to", "jisq15001@2017", "-o", str(out),
                 "--date", "2026-11-26"]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["mappings"] and all(r["mapping_justification"] == "semapv:MappingChaining" for r in doc["mappings"])
    kg = cm.load(out)
    assert any(s.id.endswith("carried-jisq15001-2017") for s in kg.catalog.mapping_sets)
    ttl = tmp_path / "suggestions.sssom.ttl"
    assert main(["suggest", "--source", "mic", "--target", "govt_unified_std", "--top-k", "1", "-o", str(ttl)]) == 0
    g = Graph().parse(ttl, format="turtle")
    assert len(list(g.subjects(RDF.type, OWL.Axiom))) > 50
    capsys.readouterr()

"""The reference tools accept every file controlmap writes: sssom-py (SSSOM), compliance-trestle and NIST's schema
(OSCAL), and CISO Assistant's loader rules (CISO libraries)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ciso_loader_rules import refusals

import controlmap as cm
from controlmap.io.loader import load_files
from controlmap.io.sssom import write_sssom

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::ResourceWarning"),
              pytest.mark.filterwarnings("ignore::UserWarning"),
              pytest.mark.filterwarnings("ignore::FutureWarning")]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def sssom_py_accepts(path: Path, rows: int) -> None:
    """sssom-py parses the file keeping every row, and its JSON-schema and prefix-map validators pass."""
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    msdf = parse_sssom_table(str(path))
    assert len(msdf.df) == rows, path.name
    validate(msdf, [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness],
             fail_on_error=True)


def _write(tmp_path: Path, name: str, ms, catalog) -> Path:
    path = tmp_path / f"{name}.sssom.tsv"
    path.write_text(write_sssom(ms, catalog), encoding="utf-8")
    return path


def test_curated_sets_and_crosswalks_pass_sssom_py(tmp_path, catalog):
    for ms in catalog.mapping_sets:
        sssom_py_accepts(_write(tmp_path, ms.id.rsplit("/", 1)[-1], ms, catalog), len(ms.mappings))


def test_suggestions_pass_sssom_py(tmp_path, catalog):
    ms = cm.suggest_mappings(catalog, "mic", "govt_unified_std", top_k=2, date="2026-11-26")
    assert ms.mappings
    sssom_py_accepts(_write(tmp_path, "suggestions", ms, catalog), len(ms.mappings))


def test_carried_mappings_pass_sssom_py(tmp_path, catalog):
    carried = cm.carry_mappings(catalog, "https://w3id.org/controlmap/mappings/mic_jisq15001-2006", "jisq15001@2017")
    ms = carried.mapping_set
    assert ms.mappings
    sssom_py_accepts(_write(tmp_path, "carried", ms, catalog), len(ms.mappings))


@pytest.mark.parametrize("name", ["foreign-iris.sssom.tsv", "widgets-gadgets.sssom.tsv", "excel-saved.sssom.tsv"])
def test_other_peoples_sets_written_again_pass_sssom_py(tmp_path, catalog, name):
    merged = load_files([FIXTURES / "sssom" / name], catalog)
    (ms,) = [s for s in merged.mapping_sets if s.id.startswith("https://example.org/")]
    sssom_py_accepts(_write(tmp_path, "again", ms, merged), len(ms.mappings))


def _sssom_py_rows(msdf) -> list[tuple[str, str, str, str]]:
    cols = ["subject_id", "predicate_id", "object_id", "mapping_justification"]
    return sorted(tuple(str(v) for v in row) for row in msdf.df[cols].itertuples(index=False))


def _json_and_rdf_sets(catalog):
    yield from catalog.mapping_sets
    yield cm.suggest_mappings(catalog, "mic", "govt_unified_std", top_k=2, date="2026-11-26")
    yield cm.carry_mappings(catalog, "https://w3id.org/controlmap/mappings/mic_jisq15001-2006",
                            "jisq15001@2017").mapping_set


def test_sssom_json_and_rdf_we_write_parse_with_sssom_py(tmp_path, catalog):
    """sssom-py reads our SSSOM/JSON and SSSOM/RDF keeping every row, with the TSV's predicates and justifications."""
    from sssom.parsers import parse_sssom_json, parse_sssom_rdf, parse_sssom_table

    from controlmap.export.sssom import write_sssom_json, write_sssom_rdf

    for n, ms in enumerate(_json_and_rdf_sets(catalog)):
        reference = _sssom_py_rows(parse_sssom_table(str(_write(tmp_path, f"set{n}", ms, catalog))))
        assert len(reference) == len(ms.mappings)
        js = tmp_path / f"set{n}.sssom.json"
        js.write_text(write_sssom_json(ms, catalog), encoding="utf-8")
        ttl = tmp_path / f"set{n}.sssom.ttl"
        ttl.write_text(write_sssom_rdf(ms, catalog), encoding="utf-8")
        assert _sssom_py_rows(parse_sssom_json(str(js))) == reference, ms.id
        assert _sssom_py_rows(parse_sssom_rdf(str(ttl))) == reference, ms.id


def test_oscal_exports_parse_with_trestle(tmp_path, catalog):
    from trestle.oscal.catalog import Catalog as TrestleCatalog
    from trestle.oscal.mapping import MappingCollection

    from controlmap.export.oscal import framework_catalog, mapping_collection

    for fw in catalog.frameworks:
        path = tmp_path / f"{fw.id}-{fw.edition}.json"
        path.write_text(json.dumps(framework_catalog(catalog, fw, last_modified="2026-01-01T00:00:00Z")),
                        encoding="utf-8")
        parsed = TrestleCatalog.oscal_read(path)
        assert parsed is not None and parsed.metadata.title
    for ms in catalog.mapping_sets:
        path = tmp_path / "mapping.json"
        path.write_text(json.dumps(mapping_collection(ms, catalog, last_modified="2026-01-01T00:00:00Z")),
                        encoding="utf-8")
        assert MappingCollection.oscal_read(path) is not None


def test_the_candidates_catalog_parses_with_trestle(tmp_path, kg, catalog):
    """trestle reads the candidate (and adopted) items catalog with every candidate as a control and its props."""
    from trestle.oscal.catalog import Catalog as TrestleCatalog

    from controlmap.export.oscal import candidates_catalog

    result = cm.gaps(kg, "mic", ["jisq15001", "govt_unified_std"])
    assert result.candidates
    for only in (None, [result.candidates[0].id]):
        path = tmp_path / "candidates.json"
        path.write_text(json.dumps(candidates_catalog(result, catalog, only=only,
                                                      last_modified="2026-01-01T00:00:00Z")), encoding="utf-8")
        parsed = TrestleCatalog.oscal_read(path)
        controls = [c for g in parsed.groups or [] for c in g.controls or []]
        assert len(controls) == (len(result.candidates) if only is None else 1)
        labels = {p.value for c in controls for p in c.props or [] if p.name == "label"}
        assert labels == ({c.id for c in result.candidates} if only is None else set(only))
        for c in controls:
            names = {p.name for p in c.props or []}
            assert {"coverage-status", "priority"} <= names, c.id
            assert any(part.name == "statement" and part.prose for part in c.parts or []), c.id


def test_ciso_libraries_satisfy_ciso_assistants_loader(catalog):
    from controlmap.export.ciso import ciso_library

    (doc,) = ciso_library(catalog, include_crosswalks=True).documents.values()
    assert refusals(doc) == []
    split = ciso_library(catalog, split=True, reverse=True).documents
    frameworks = [d for d in split.values() if d["objects"].get("frameworks")]
    nodes = {n["urn"] for d in frameworks for f in d["objects"]["frameworks"] for n in f["requirement_nodes"]}
    for name, d in split.items():
        assert refusals(d, nodes if "requirement_mapping_sets" in d["objects"] else set()) == [], name


def test_the_loader_rules_checker_can_fail():
    assert "Library URN is badly formatted" in refusals({"urn": "urn:x", "name": "n", "version": "1.1",
                                                         "objects": {}})

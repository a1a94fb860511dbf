"""Other people's files load with the counts the files themselves give (EXPECTED.csv), or are refused by name."""

from __future__ import annotations

from collections import Counter

import pytest
from external_files import expected, external_file

from controlmap.errors import DataError, UnsupportedFormatError
from controlmap.io.loader import load_files
from controlmap.model import Catalog

SSSOM = [r for r in expected("sssom") if r["rows"]]
# file -> (error, words its message must hold): what is not supported, or what is wrong, and why
SSSOM_REFUSED = {
    "spec/schema/literals.sssom.tsv": (UnsupportedFormatError, "literal mappings"),
    "sssom-py/literals.sssom.tsv": (UnsupportedFormatError, "literal mappings"),
    "sssom-py/pre-standard-rdf.ttl": (UnsupportedFormatError, "SSSOM/RDF is not read"),
    "sssom-py/standard-rdf.ttl": (UnsupportedFormatError, "SSSOM/RDF is not read"),
    "sssom-py/bad_basic.tsv": (DataError, "unknown mapping_justification 'Lexical'"),
    "sssom-py/enm_example.tsv": (DataError, "unknown mapping_justification 'semapv:HumanCuration'"),
    "sssom-py/mondo-nando.sssom.tsv": (DataError, "holds several ids"),
    "sssom-py/basic_strict_fail.tsv": (DataError, "unknown SSSOM metadata key 'license_fail'"),
}


@pytest.mark.parametrize("row", SSSOM, ids=[r["file"] for r in SSSOM])
def test_sssom_fixture_loads_with_its_own_row_count_or_is_refused_by_name(row):
    path = external_file("sssom", row["file"])
    if row["file"] in SSSOM_REFUSED:
        error, words = SSSOM_REFUSED[row["file"]]
        with pytest.raises(error) as excinfo:
            load_files([path], Catalog())
        assert type(excinfo.value) is error and words in str(excinfo.value)
        assert all(p.file == str(path) for p in excinfo.value.problems)
        return
    catalog = load_files([path], Catalog())
    (ms,) = catalog.mapping_sets
    assert len(ms.mappings) == int(row["rows"])
    if row["sssom_py_rows"]:
        assert len(ms.mappings) == int(row["sssom_py_rows"])


def test_external_metadata_gives_the_mapping_set_id():
    catalog = load_files([external_file("sssom", "spec/external/example1.sssom.tsv")], Catalog())
    assert catalog.mapping_sets[0].id == "https://w3id.org/sssom/tutorial/example1.sssom.tsv"


CISO = {r["file"]: r for r in expected("ciso")}
FRAMEWORK_LIBRARIES = [f for f, r in CISO.items() if r["framework_urn"]]
MAPPING_LIBRARIES = {
    "mapping-nist-csf-2.0-to-iso27001-2022.yaml": ("nist-csf-2.0.yaml", "iso27001-2022.yaml"),
    "mapping-nist-sp-800-53-rev5-to-iso27001-2022.yaml": ("nist-sp-800-53-rev5.yaml", "iso27001-2022.yaml"),
}


@pytest.mark.parametrize("name", FRAMEWORK_LIBRARIES)
def test_ciso_framework_library_has_its_own_node_counts(name):
    row = CISO[name]
    catalog = load_files([external_file("ciso", name)], Catalog())
    (fw,) = catalog.frameworks
    assert fw.sources == (row["framework_urn"],)
    controls = catalog.controls_of(fw)
    assert len(controls) == int(row["requirement_nodes"])
    assert sum(c.level == "requirement" for c in controls) == int(row["assessable_nodes"])
    assert len({c.id for c in controls}) == len(controls)


def test_ciso_editions_come_from_the_framework_not_the_packaging_version():
    keys = {name: load_files([external_file("ciso", name)], Catalog()).frameworks[0].key
            for name in ("nist-csf-2.0.yaml", "nist-sp-800-53-rev5.yaml", "iso27001-2022.yaml")}
    assert keys == {"nist-csf-2.0.yaml": "nist_csf@2.0", "nist-sp-800-53-rev5.yaml": "nist_sp_800_53@rev5",
                    "iso27001-2022.yaml": "iso27001@2022"}
    oscal = load_files([external_file("oscal", "NIST_SP-800-53_rev5_catalog.json")], Catalog())
    assert oscal.frameworks[0].key == keys["nist-sp-800-53-rev5.yaml"]  # the same edition from both sources


def test_ens_nodes_without_ref_id_whose_urn_tails_repeat_get_distinct_ids():
    catalog = load_files([external_file("ciso", "ens-rd-311-2022.yaml")], Catalog())
    tails = Counter(c.notation for c in catalog.controls)
    assert max(tails.values()) > 1  # the same tail (…:1) under different parents
    assert len({c.id for c in catalog.controls}) == 1157


@pytest.mark.parametrize("name", list(MAPPING_LIBRARIES))
@pytest.mark.parametrize("mapping_first", [True, False])
def test_ciso_mapping_library_resolves_by_intuitem_urn_in_any_order(name, mapping_first):
    row = CISO[name]
    frameworks = [external_file("ciso", f) for f in MAPPING_LIBRARIES[name]]
    mapping = external_file("ciso", name)
    catalog = load_files([mapping, *frameworks] if mapping_first else [*frameworks, mapping], Catalog())
    assert len(catalog.mapping_sets) == int(row["mapping_sets"])
    assert sum(len(s.mappings) for s in catalog.mapping_sets) == int(row["requirement_mappings"])


def test_reference_control_library_loads_as_a_flat_edition():
    catalog = load_files([external_file("ciso", "key-reference-controls.yaml")], Catalog())
    assert len(catalog.controls) == 175
    assert {c.level for c in catalog.controls} == {"reference_control"}


def test_oscal_catalog_counts():
    (row,) = [r for r in expected("oscal") if r["file"] == "NIST_SP-800-53_rev5_catalog.json"]
    catalog = load_files([external_file("oscal", row["file"])], Catalog())
    levels = Counter(c.level for c in catalog.controls)
    assert len(catalog.controls) == int(row["nodes_incl_groups"])
    assert levels["group"] == int(row["groups"])
    assert levels["withdrawn"] == int(row["withdrawn"])
    assert levels["control"] + levels["enhancement"] + levels["withdrawn"] == int(row["controls"])


@pytest.mark.parametrize(("name", "words"), [
    ("NIST_SP-800-53_rev5_LOW-baseline_profile.json", "an OSCAL profile is not read"),
    ("NIST_CSF_v2.0_catalog.xml", "OSCAL XML (catalog) is not read"),
])
def test_oscal_profile_and_xml_are_refused_by_name(name, words):
    with pytest.raises(UnsupportedFormatError, match=words.replace("(", r"\(").replace(")", r"\)")):
        load_files([external_file("oscal", name)], Catalog())

"""A real pair through a real mapping library: NIST CSF 2.0 -> ISO/IEC 27001:2022 via CISO Assistant's library.

The frameworks and NIST's mapping are intuitem's CISO Assistant libraries (tests/fixtures/external/PROVENANCE.md);
the test skips without them. What the library says, read by hand from
``mapping-nist-csf-2.0-to-iso27001-2022.yaml``: two sets (CSF -> ISO and its ``-revert``), 343 rows each, 341
distinct pairs (two rows are repeated), **every row ``relationship: intersect``** and none with a
``strength_of_relationship``. So by our rules (docs/interop.md, "CISO Assistant libraries"):

* a row gets strength 5 (intersect without a strength), and ``intersects_with`` never covers a control — CISO
  Assistant, too, counts only ``equal``/``superset`` as full coverage — so a mapped ISO requirement is *partial*;
* the library has no notion of a complete set, so an ISO requirement no row reaches is *unassessed*, not a gap;
* hence no ISO requirement is covered and none is a gap: 90 partial (the 90 distinct targets of the CSF -> ISO
  rows) and 33 unassessed of 123 assessable ISO nodes (clauses 4-10 and the 93 Annex A controls).

The sample below (ten ISO targets) was checked by hand against the YAML rows and the titles of both sides.
"""

from __future__ import annotations

from collections import Counter

import pytest
import yaml
from external_files import external_file

import controlmap as cm

LIBRARIES = ("key-reference-controls.yaml", "nist-csf-2.0.yaml", "iso27001-2022.yaml",
             "mapping-nist-csf-2.0-to-iso27001-2022.yaml")
MAPPING = LIBRARIES[-1]

# ISO target -> (status, the CSF subcategories whose library rows it rests on); the reasoning per target:
SAMPLE = {
    # context of the organisation <- GV.OC-01 mission understood, GV.OC-02 stakeholders: overlap only, since 4.1
    # asks for the internal and external issues relevant to the ISMS, which CSF does not frame as such
    "4.1": ("partial", {"GV.OC-01", "GV.OC-02"}),
    # scope of the ISMS: CSF has no management-system scope; NIST's mapping has no row -> unassessed
    "4.3": ("unassessed", set()),
    # risk assessment process: GV.RM (risk strategy), GV.SC (supplier risk) and ID.RA (risk assessment) each hold
    # part of 6.1.2 (criteria, identification, analysis, evaluation); 13 rows, all intersect -> partial
    "6.1.2": ("partial", {"GV.OC-01", "GV.OC-02", "GV.RM-01", "GV.RM-02", "GV.RM-06", "GV.SC-04", "GV.SC-07",
                          "GV.SC-09", "GV.SC-10", "ID.RA-03", "ID.RA-04", "ID.RA-05", "ID.RA-08"}),
    # policies for information security <- the GV.PO policy rows plus risk strategy and oversight: partial
    "A.5.1": ("partial", {"GV.OV-01", "GV.OV-02", "GV.OV-03", "GV.RM-01", "GV.RM-02", "GV.RM-03", "GV.RM-04",
                          "GV.RM-05", "GV.RM-06", "GV.PO-01", "GV.PO-02", "GV.SC-01", "GV.SC-03", "PR.AA-05",
                          "PR.DS-01"}),
    # access control rules <- identities (PR.AA-01), authentication (-03), permissions (-05), data protection:
    # together close to A.5.15, but each row only intersects and there is no "combined" row -> partial
    "A.5.15": ("partial", {"PR.AA-01", "PR.AA-03", "PR.AA-05", "PR.DS-01", "PR.DS-02", "PR.DS-10"}),
    # cloud services: GV.SC-05..07 speak of suppliers in general, but NIST's mapping has no row -> unassessed
    "A.5.23": ("unassessed", set()),
    # awareness and training <- GV.RR-04 (HR practices), PR.AT-01/02 (awareness, role-based training): partial
    "A.6.3": ("partial", {"GV.RR-04", "PR.AT-01", "PR.AT-02"}),
    # technical vulnerabilities <- ID.RA-01 identifies and records vulnerabilities, PR.DS-01; A.8.8 also asks to
    # evaluate exposure and act, which these two rows do not say -> partial
    "A.8.8": ("partial", {"ID.RA-01", "PR.DS-01"}),
    # cryptography: CSF mentions protecting data (PR.DS) but not crypto rules or keys; no row -> unassessed
    "A.8.24": ("unassessed", set()),
    # nonconformity and corrective action <- ID.IM-01/02 improvements from evaluations and tests: partial
    "10.2": ("partial", {"ID.IM-01", "ID.IM-02"}),
}


@pytest.fixture(scope="module")
def pair():
    paths = [external_file("ciso", name) for name in LIBRARIES]
    kg = cm.load(*paths)
    return kg, paths[-1]


def _library_rows(path) -> dict[str, set[str]]:
    """ISO target clause -> CSF sources, read straight from the library's CSF -> ISO set (upper-cased ids)."""
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    (forward,) = [s for s in doc["objects"]["requirement_mapping_sets"]
                  if s["target_framework_urn"].endswith("iso27001-2022")]
    out: dict[str, set[str]] = {}
    for row in forward["requirement_mappings"]:
        assert row["relationship"] == "intersect" and "strength_of_relationship" not in row
        target = row["target_requirement_urn"].rsplit(":", 1)[1].upper()
        out.setdefault(target, set()).add(row["source_requirement_urn"].rsplit(":", 1)[1].upper())
    return out


def test_the_sample_rests_on_the_rows_of_the_library(pair):
    _, mapping = pair
    rows = _library_rows(mapping)
    assert len(rows) == 90
    for target, (_, sources) in SAMPLE.items():
        assert rows.get(target, set()) == sources, target


def test_csf_to_iso_coverage_gives_the_statuses_checked_by_hand(pair):
    kg, _ = pair
    result = cm.coverage(kg, source="nist_csf@2.0", target="iso27001@2022")
    assert result.counts() == {"covered": 0, "partial": 90, "gap": 0, "unassessed": 33, "not_applicable": 0}
    by_clause = {item.control.id.split(":", 1)[1]: item for item in result.items}
    for target, (status, sources) in SAMPLE.items():
        item = by_clause[target]
        assert item.status.value == status, target
        assert {s.split(":", 1)[1] for s in item.sources} == sources, target
        if status == "partial":
            assert item.best is not None and item.best.relation is cm.Relation.INTERSECTS_WITH
            assert item.best.strength == 5
            assert item.best.steps[0].mapping_set == "urn:intuitem:risk:req_mapping_set:nist-csf-2.0-to-iso27001-2022"


def test_csf_to_iso_gaps_propose_one_candidate_per_partial_requirement(pair):
    kg, _ = pair
    result = cm.gaps(kg, source="nist_csf@2.0", against=["iso27001@2022"])
    assert result.coverages[0].counts()["partial"] == 90
    assert len(result.candidates) == 90
    assert all(c.status.value == "partial" for c in result.candidates)
    assert {t.split(":", 1)[1] for c in result.candidates for t in c.targets} >= {
        t for t, (status, _) in SAMPLE.items() if status == "partial"}


def test_the_revert_set_reads_iso_to_csf_the_same_way(pair):
    kg, _ = pair
    counts = cm.coverage(kg, source="iso27001@2022", target="nist_csf@2.0").counts()
    assert counts == {"covered": 0, "partial": 106, "gap": 0, "unassessed": 0, "not_applicable": 0}


def _node_kinds(elements) -> Counter:
    return Counter(n["cm"]["kind"] for n in elements["nodes"])


def test_the_csf_iso_network_thins_and_collapses_to_its_functions_and_clauses(pair):
    from controlmap.export.network_data import network_elements
    from controlmap.export.network_filter import collapse_sections, only_status

    kg, _ = pair
    el = network_elements(kg.catalog, cm.gaps(kg, "nist_csf@2.0", ["iso27001@2022"]))
    assert _node_kinds(el) == {"target": 123, "source": 106, "section": 17}
    assert _node_kinds(only_status(el, ["gap", "partial"])) == {"source": 106, "target": 90, "section": 17}
    assert _node_kinds(only_status(el, ["unassessed"])) == {"target": 33, "section": 7}
    col = collapse_sections(el)
    assert _node_kinds(col) == {"group": 17}  # 6 CSF functions, ISO clauses 4-10 and Annex A.5-A.8
    assert sum(n["cm"]["members"] for n in col["nodes"]) == 229

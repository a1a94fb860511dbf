"""controlmap.queries.shape_checks: the direct checks agree with pyshacl over the shipped shapes, on the shipped
data, on other people's catalogs and on deliberately broken catalogs; and validate only runs pyshacl on doubt."""

from __future__ import annotations

import math
import os
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib.namespace import RDF

import controlmap as cm
from controlmap import Catalog, Control, Framework, Mapping, MappingSet, Provenance, Relation
from controlmap.model import NO_TERM, Answer, SelfCheckStatus
from controlmap.queries import shape_checks
from controlmap.queries.shape_checks import SHAPES_SHA256, shapes_digest, surely_conforms
from controlmap.queries.validation import catalog_shacl_problems, shacl_problems
from controlmap.rdfterms import NO_TERM_IRI, control_iri
from controlmap.vocab import CM
from controlmap.workflows.validate import validate_paths

A = Framework(id="aa", edition="1", prefix="A", title="甲", levels=("chapter", "item"))
B = Framework(id="bb", edition="1", prefix="B", title="乙", levels=("item",))
C = Framework(id="cc", edition="1", prefix="C", title="丙")  # no controls: free to break
CONTROLS = (
    Control("A:1", "aa@1", "1", None, "chapter", "一", provenance=Provenance.READ, order=1, origin="a.csv:2"),
    Control("A:1.1", "aa@1", "1.1", "A:1", "item", "一の一", summary="要約", order=2, origin="a.csv:3"),
    Control("B:1", "bb@1", "1", None, "item", "壱", provenance=Provenance.READ, origin="b.csv:2"),
    Control("B:2", "bb@1", "2", None, "item", "弐", origin="b.csv:3"),
)
MAPPINGS = (
    Mapping("A:1.1", "B:1", Relation.EQUAL, 8, confidence=0.9, origin="m.tsv:5"),
    Mapping(NO_TERM, "B:2", Relation.NO_RELATIONSHIP, 0, origin="m.tsv:6"),
    Mapping("A:1", "B:1", Relation.SUBSET_OF, 4, group="G", combined_relation=Relation.EQUAL, combined_strength=9,
            origin="m.tsv:7"),
)
SET = MappingSet("https://example.org/sets/a_b", "甲→乙", "aa@1", "bb@1", MAPPINGS, origin="m.tsv")
ANSWERS = tuple(Answer(c.id, s) for c, s in zip(CONTROLS, SelfCheckStatus, strict=True))
BASE = Catalog(frameworks=(A, B, C), controls=CONTROLS, mapping_sets=(SET,), answers=ANSWERS)


def _with(**parts) -> Catalog:
    """BASE with ``frameworks``/``controls``/``mapping_sets``/``answers`` replaced."""
    return Catalog(**{"frameworks": BASE.frameworks, "controls": BASE.controls, "mapping_sets": BASE.mapping_sets,
                      "answers": BASE.answers} | parts)


def _framework_c(**changes) -> Catalog:
    return _with(frameworks=(A, B, replace(C, **changes)))


def _control(cid: str, **changes) -> Catalog:
    return _with(controls=tuple(replace(c, **changes) if c.id == cid else c for c in CONTROLS))


def _mapping(i: int, **changes) -> Catalog:
    rows = tuple(replace(m, **changes) if n == i else m for n, m in enumerate(MAPPINGS))
    return _with(mapping_sets=(replace(SET, mappings=rows),))


def _pyshacl(catalog: Catalog) -> list:
    return shacl_problems(cm.to_rdf(catalog), catalog)


def test_the_direct_checks_were_written_for_the_shipped_shapes():
    # a changed shapes.ttl: state its constraints in shape_checks.py, add broken cases below, then the new digest
    assert shapes_digest() == SHAPES_SHA256


def test_a_different_shapes_file_is_left_to_pyshacl(monkeypatch):
    monkeypatch.setattr(shape_checks, "SHAPES_SHA256", "0" * 64)
    assert not surely_conforms(BASE)


def test_the_node_iris_are_those_to_rdf_writes(catalog):
    frameworks = {f.key: f for f in catalog.frameworks}
    assert all(shape_checks._control_iri(frameworks[c.framework], c.notation)
               == str(control_iri(frameworks[c.framework], c.notation)) for c in catalog.controls)
    for cat in (catalog, BASE):
        written = {str(n) for n in cm.to_rdf(cat).subjects(RDF.type, CM.Mapping)}
        assert written == {shape_checks._mapping_iri(s, m) for s in cat.mapping_sets for m in s.mappings}
    assert str(NO_TERM_IRI) == shape_checks.NO_TERM_IRI


def test_the_shipped_data_conforms_by_both(catalog):
    assert surely_conforms(catalog) and _pyshacl(catalog) == []


CONFORMING = {
    "base (answers of every status, a no_relationship row, a group)": BASE,
    "no_relationship with NoTermFound as the object": _mapping(1, subject_id="B:2", object_id=NO_TERM),
    "completeness left out": _framework_c(completeness=""),
    "completeness reconstructed": _framework_c(completeness="reconstructed"),
    "strength 0 and 10, confidence 0 and 1": _with(mapping_sets=(replace(SET, mappings=(
        replace(MAPPINGS[0], strength=0, confidence=0.0), replace(MAPPINGS[2], strength=10, confidence=1.0),
        MAPPINGS[1])),)),
    "no summary, order 0": _control("A:1.1", summary="", order=0),
    "a complete set of kind crosswalk": _with(mapping_sets=(replace(SET, complete=True, kind="crosswalk"),)),
}


@pytest.mark.parametrize("name", CONFORMING)
def test_conforming_catalogs_conform_by_both(name):
    assert surely_conforms(CONFORMING[name]) and _pyshacl(CONFORMING[name]) == []


BROKEN = {
    "framework without title": _framework_c(title=""),
    "framework id with a dash": _framework_c(id="c-c"),
    "framework id in capitals": _framework_c(id="Cc"),
    "prefix starting with a digit": _framework_c(prefix="1C"),
    "prefix with a space": _framework_c(prefix="C C"),
    "unknown completeness": _framework_c(completeness="most"),
    "edition as a number": _framework_c(edition=1),
    "control without title": _control("B:1", title=""),
    "control without notation": _control("B:2", notation=""),
    "control without level": _control("B:1", level=""),
    "narrower control in another edition": _control("B:2", parent="A:1"),
    "strength 11": _mapping(0, strength=11),
    "strength -1": _mapping(0, strength=-1),
    "no strength": _mapping(0, strength=None),
    "confidence 1.5": _mapping(0, confidence=1.5),
    "confidence -0.5": _mapping(0, confidence=-0.5),
    "no_relationship between two controls": _mapping(0, relation=Relation.NO_RELATIONSHIP),
    "equal with NoTermFound": _mapping(1, relation=Relation.EQUAL),
    "combined relation no_relationship": _mapping(2, combined_relation=Relation.NO_RELATIONSHIP),
    "combined strength 11": _mapping(2, combined_strength=11),
    "unknown set kind": _with(mapping_sets=(replace(SET, kind="guessed"),)),
    "a framework and a set on one IRI": _with(mapping_sets=(replace(SET, id=C.iri),)),
    "a framework edition on a control's IRI": _framework_c(id="aa", edition="1/1"),   # …/aa/1/1 is A:1's
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_catalogs_are_left_to_pyshacl_which_reports_them(name):
    catalog = BROKEN[name]
    assert not surely_conforms(catalog)
    problems = _pyshacl(catalog)
    assert problems and catalog_shacl_problems(catalog) == problems


def test_a_nan_confidence_is_left_to_pyshacl():
    # (pyshacl itself then fails comparing NaN with 0, as validate did before the direct checks)
    assert not surely_conforms(_mapping(0, confidence=math.nan))
    assert not surely_conforms(_mapping(0, confidence=math.inf))


def test_a_doubt_that_is_no_violation_is_still_settled_by_pyshacl():
    twice = _with(mapping_sets=(replace(SET, mappings=(*MAPPINGS, MAPPINGS[0])),))  # one node, same triples
    assert not surely_conforms(twice) and catalog_shacl_problems(twice) == _pyshacl(twice) == []


def test_validate_builds_no_rdf_graph_when_the_direct_checks_settle_it():
    kg, problems = validate_paths([], cache=False)
    assert kg is not None and problems == [] and "rdf" not in kg.__dict__


@pytest.mark.parametrize("rel", ["ciso/nist-sp-800-53-rev5.yaml", "oscal/NIST_SP-800-53_rev5_catalog.json"])
def test_other_peoples_sp_800_53_conforms_by_both(rel):
    env = os.environ.get("CONTROLMAP_EXTERNAL_FIXTURES")
    path = Path(env) / rel if env else None
    if path is None or not path.is_file():
        pytest.skip(f"{rel} not found (set CONTROLMAP_EXTERNAL_FIXTURES; tests/fixtures/external/PROVENANCE.md)")
    catalog = cm.load(path).catalog
    assert surely_conforms(catalog) and _pyshacl(catalog) == []


def test_kg_validate_checks_a_graph_already_built_with_pyshacl():
    kg = cm.KnowledgeGraph(BASE)
    assert kg.validate() == [] and "rdf" not in kg.__dict__          # settled on the catalog
    (node,) = kg.rdf.subjects(RDF.type, CM.MappingSet)
    kg.rdf.remove((node, CM.setKind, None))                            # a change only the graph holds
    assert [p.column for p in kg.validate()] == ["cm:setKind"]

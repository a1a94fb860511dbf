"""controlmap.validation: the shipped SHACL shapes and controlmap's own checks, as file:row:column Problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS, XSD

import controlmap as cm
from controlmap import Catalog, Control, Framework, Mapping, MappingSet, Provenance, Relation
from controlmap.queries.validation import own_checks, shacl_problems, validate_catalog
from controlmap.resources import shapes_graph

CM = Namespace("https://w3id.org/controlmap/vocab/")
SH = Namespace("http://www.w3.org/ns/shacl#")
CONTROLS = """\
id,parent,level,title,summary,source_ref,provenance
MIC-01,,chapter,セキュリティ組織・体制,,告示334号,R
MIC-01-01,MIC-01,item,統括責任者の設置,,例規,R
MIC-01-02,MIC-01,item,システム管理者の設置,,例規,I
"""


def test_shapes_cover_the_classes_we_write():
    targets = set(shapes_graph().objects(None, SH.targetClass))
    assert {CM.Framework, CM.Control, CM.Mapping, CM.MappingSet, CM.SelfCheckAnswer} <= targets


def test_exported_turtle_of_the_shipped_data_conforms(kg, catalog):
    turtle = kg.rdf.serialize(format="turtle")
    assert validate_catalog(catalog, Graph().parse(data=turtle, format="turtle")) == []


def test_shipped_catalog_passes_own_checks(catalog):
    assert own_checks(catalog) == []


# -- SHACL finds what is wrong and names the data row ------------------------------------------------------
@pytest.fixture
def demo(write_framework):
    yaml_path, csv_path = write_framework(CONTROLS)
    catalog = cm.load(yaml_path, shipped=False).catalog
    return catalog, cm.to_rdf(catalog), csv_path


def _node(g: Graph, notation: str) -> URIRef:
    (node,) = g.subjects(SKOS.notation, Literal(notation))
    return node


def test_small_demo_conforms(demo):
    catalog, g, _ = demo
    assert shacl_problems(g, catalog) == []


def test_control_without_provenance_is_reported_at_its_csv_row(demo):
    catalog, g, csv_path = demo
    g.remove((_node(g, "MIC-01-02"), CM.provenance, None))
    (problem,) = shacl_problems(g, catalog)
    assert (Path(problem.file), problem.row, problem.column) == (csv_path, 4, "cm:provenance")
    assert str(problem).startswith(f"{csv_path}:4:cm:provenance: SHACL: every control carries its provenance tag")


def test_empty_title_violates_the_shapes(demo):
    catalog, g, csv_path = demo
    node = _node(g, "MIC-01-01")
    g.remove((node, SKOS.prefLabel, None))
    g.add((node, SKOS.prefLabel, Literal("", lang="ja")))
    (problem,) = shacl_problems(g, catalog)
    assert (Path(problem.file), problem.row, problem.column) == (csv_path, 3, "skos:prefLabel")


def test_broader_across_editions_violates_the_shapes():
    a = Framework(id="aa", edition="1", prefix="A", title="甲")
    b = Framework(id="bb", edition="1", prefix="B", title="乙")
    controls = (Control("A:1", "aa@1", "1", None, "item", "一", provenance=Provenance.READ, origin="a.csv:2"),
                Control("B:1", "bb@1", "1", "A:1", "item", "壱", provenance=Provenance.READ, origin="b.csv:7"))
    catalog = Catalog(frameworks=(a, b), controls=controls)
    (problem,) = shacl_problems(cm.to_rdf(catalog), catalog)
    assert (problem.file, problem.row) == ("b.csv", 7)
    assert "skos:broader points into another framework edition" in problem.message


def _mapping_graph(**mapping_kw) -> Graph:
    a = Framework(id="aa", edition="1", prefix="A", title="甲", levels=("item",))
    b = Framework(id="bb", edition="1", prefix="B", title="乙", levels=("item",))
    controls = (Control("A:1", "aa@1", "1", None, "item", "一", provenance=Provenance.READ),
                Control("B:1", "bb@1", "1", None, "item", "壱", provenance=Provenance.READ))
    m = Mapping(**({"subject_id": "A:1", "object_id": "B:1", "relation": Relation.EQUAL, "strength": 8} | mapping_kw))
    ms = MappingSet("https://w3id.org/controlmap/mappings/a_b", "甲→乙", "aa@1", "bb@1", (m,))
    return cm.to_rdf(Catalog(frameworks=(a, b), controls=controls, mapping_sets=(ms,)))


def test_valid_mapping_conforms():
    assert shacl_problems(_mapping_graph()) == []


def test_strength_outside_0_to_10_violates_the_shapes():
    g = _mapping_graph()
    (mapping,) = g.subjects(RDF.type, CM.Mapping)
    g.set((mapping, CM.strength, Literal(11, datatype=XSD.integer)))
    assert [p.column for p in shacl_problems(g)] == ["cm:strength"]


def test_no_relationship_between_two_controls_violates_the_shapes():
    problems = shacl_problems(_mapping_graph(relation=Relation.NO_RELATIONSHIP, strength=0))
    assert len(problems) == 1 and "no_relationship goes with sssom:NoTermFound" in problems[0].message


# -- own checks ------------------------------------------------------------------------------------------
FW = Framework(id="demo", edition="1", prefix="D", title="例")
OTHER = Framework(id="other", edition="1", prefix="O", title="他")


def _control(cid, parent=None, fw="demo@1", row=2):
    return Control(cid, fw, cid.split(":")[1], parent, "item", cid, provenance=Provenance.READ,
                   origin=f"x.csv:{row}")


def test_own_checks_find_cycles_and_unknown_parents():
    cat = Catalog(frameworks=(FW,), controls=(_control("D:1", "D:2", row=2), _control("D:2", "D:1", row=3),
                                             _control("D:3", "D:9", row=4)))
    got = [(p.file, p.row, p.column, p.message.split(" ")[0]) for p in own_checks(cat)]
    assert got == [("x.csv", 2, "parent", "hierarchy"), ("x.csv", 3, "parent", "hierarchy"),
                   ("x.csv", 4, "parent", "unknown")]


def test_own_checks_find_mapping_ends_outside_their_editions_and_group_disagreement():
    controls = (_control("D:1"), _control("D:2", row=3), _control("O:1", fw="other@1"),
                _control("O:2", fw="other@1", row=3))
    rows = (
        Mapping("O:2", "O:1", Relation.EQUAL, 8, origin="m.sssom.tsv:20"),  # subject from the object edition
        Mapping("D:1", "O:1", Relation.SUBSET_OF, 4, group="G1", combined_relation=Relation.EQUAL,
                combined_strength=8, origin="m.sssom.tsv:21"),
        Mapping("D:2", "O:1", Relation.SUBSET_OF, 4, group="G1", combined_relation=Relation.SUPERSET_OF,
                combined_strength=8, origin="m.sssom.tsv:22"),
    )
    ms = MappingSet("s", "t", "demo@1", "other@1", rows, complete=True, origin="m.sssom.tsv")
    problems = own_checks(Catalog(frameworks=(FW, OTHER), controls=controls, mapping_sets=(ms,)))
    got = {(p.file, p.row, p.column) for p in problems}
    assert got == {("m.sssom.tsv", 20, "subject_id"),          # O:2 is not a control of demo@1
                   ("m.sssom.tsv", None, "mapping_group"),     # G1 rows disagree
                   ("m.sssom.tsv", None, "object_id")}         # complete, but O:2 has no row

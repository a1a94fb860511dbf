"""controlmap.graph.rdf and controlmap.io.rdf: the SKOS graph, round trips through every format, bad RDF."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

import controlmap as cm
from controlmap import Answer, Catalog, Control, Framework, Mapping, MappingSet, Provenance, Relation, SelfCheckStatus
from controlmap.export.rdf import write_rdf
from controlmap.io.rdf import read_rdf

CM = Namespace("https://w3id.org/controlmap/vocab/")
BASE = "https://w3id.org/controlmap/"
NO_TERM = "sssom:NoTermFound"
# rdflib 7.6's JSON-LD parser warns about its own use of ConjunctiveGraph; nothing we can change
JSONLD_WARNING = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
FORMATS = [pytest.param("turtle", id="turtle"), pytest.param("nt", id="nt"),
           pytest.param("json-ld", id="json-ld", marks=JSONLD_WARNING)]


def _reparse(graph: Graph, fmt: str) -> Graph:
    return Graph().parse(data=graph.serialize(format=fmt), format=fmt)


# -- a small catalog with everything the shipped data lacks (answers, groups, odd clause numbers) -------------
def small_catalog() -> Catalog:
    a = Framework(id="aa", edition="1", prefix="A", title="甲", levels=("chapter", "item"), is_default=True,
                  sources=("https://example.org/src",), date="2009", description="説明", rights="権利",
                  source_ref="告示 [R]", publisher="総務省", edition_label="第1版", completeness="partial")
    b = Framework(id="bb", edition="2021", prefix="B-R3", title="乙", assessable_levels=("item",))
    controls = (
        Control("A:1", "aa@1", "1", None, "chapter", "組織", provenance=Provenance.READ, order=1),
        Control("A:1.1", "aa@1", "1.1", "A:1", "item", "責任者（ＡＢＣ）", summary="要約", source_ref="箇条1.1",
                text="本文\n二行目", order=2),
        Control("B-R3:6.1.1(1)", "bb@2021", "6.1.1(1)", None, "item", "規定", order=1),
        Control("B-R3:附則 1", "bb@2021", "附則 1", None, "item", "附則", provenance=Provenance.READ, order=2),
        Control("B-R3:x/y#z", "bb@2021", "x/y#z", None, "item", "記号入り", order=3),
    )
    ms = MappingSet(
        id="https://w3id.org/controlmap/mappings/a_b", title="甲→乙", subject_framework="aa@1",
        object_framework="bb@2021", complete=True, license="https://creativecommons.org/licenses/by/4.0/",
        version="v1", creators=("z", "a"), description="説明", kind="curated",
        mappings=(
            Mapping("A:1.1", "B-R3:6.1.1(1)", Relation.SUBSET_OF, 6, 0.85, group="G1", author="me",
                    combined_relation=Relation.EQUAL, combined_strength=8, comment="理由", date="2026-01-01"),
            Mapping("A:1", "B-R3:6.1.1(1)", Relation.SUBSET_OF, 5, 0.3, group="G1",
                    combined_relation=Relation.EQUAL, combined_strength=8, reviewer="rv"),
            Mapping(cm.NO_TERM, "B-R3:附則 1", Relation.NO_RELATIONSHIP, 0, 1.0, provenance=Provenance.READ),
            Mapping("A:1.1", "B-R3:x/y#z", Relation.SUPERSET_OF, 7, 0.5, change_type="split"),
            Mapping("A:1", "B-R3:x/y#z", Relation.INTERSECTS_WITH, 3, 0.4,
                    justification="semapv:LexicalSimilarityThresholdMatching"),
        ))
    answers = (Answer("A:1.1", SelfCheckStatus.NOT_APPLICABLE, note="対象外"),
               Answer("A:1", SelfCheckStatus.OPERATING))
    return Catalog(frameworks=(a, b), controls=controls, mapping_sets=(ms,), answers=answers)


# -- round trips -----------------------------------------------------------------------------------------
def test_from_rdf_inverts_to_rdf_on_the_shipped_catalog(catalog):
    assert cm.from_rdf(cm.to_rdf(catalog)) == catalog


@pytest.mark.parametrize("fmt", FORMATS)
def test_shipped_catalog_round_trips_through_text(catalog, kg, fmt):
    assert cm.from_rdf(_reparse(kg.rdf, fmt)) == catalog


@pytest.mark.parametrize("fmt", FORMATS)
def test_small_catalog_with_answers_round_trips(fmt):
    cat = small_catalog()
    assert cm.from_rdf(_reparse(cm.to_rdf(cat), fmt)) == cat


@pytest.mark.parametrize("suffix", [".ttl", ".nt", pytest.param(".jsonld", marks=JSONLD_WARNING)])
def test_written_file_loads_back_through_controlmap_load(tmp_path, suffix):
    cat = small_catalog()
    path = write_rdf(cm.to_rdf(cat), tmp_path / f"graph{suffix}")
    assert cm.load(path, shipped=False).catalog == cat


# -- what the graph says ---------------------------------------------------------------------------------
def test_control_iris_and_skos_hierarchy():
    g = cm.to_rdf(small_catalog())
    a1, a11 = URIRef(BASE + "aa/1/1"), URIRef(BASE + "aa/1/1.1")
    scheme = URIRef(BASE + "aa/1")
    assert (a11, SKOS.broader, a1) in g and (a1, SKOS.narrower, a11) in g
    assert (a1, SKOS.topConceptOf, scheme) in g and (scheme, SKOS.hasTopConcept, a1) in g
    assert (a11, SKOS.topConceptOf, scheme) not in g
    assert (a11, SKOS.prefLabel, Literal("責任者（ＡＢＣ）", lang="ja")) in g
    assert (a1, CM.provenance, CM.ReadInSource) in g and (a11, CM.provenance, CM.Reconstructed) in g
    assert (URIRef(BASE + "bb/2021/6.1.1(1)"), RDF.type, SKOS.Concept) in g
    assert (URIRef(BASE + "bb/2021/%E9%99%84%E5%89%87%201"), SKOS.notation, Literal("附則 1")) in g


def test_subset_of_is_broad_match_and_superset_of_is_narrow_match():
    g = cm.to_rdf(small_catalog())
    a1, a11 = URIRef(BASE + "aa/1/1"), URIRef(BASE + "aa/1/1.1")
    clause, odd = URIRef(BASE + "bb/2021/6.1.1(1)"), URIRef(BASE + "bb/2021/x%2Fy%23z")
    assert (a11, SKOS.broadMatch, clause) in g  # A:1.1 subset_of B:6.1.1(1)
    assert (a11, SKOS.narrowMatch, clause) not in g and (clause, SKOS.broadMatch, a11) not in g
    assert (a11, SKOS.narrowMatch, odd) in g  # A:1.1 superset_of B:x/y#z
    assert (a1, SKOS.relatedMatch, odd) not in g  # a machine suggestion is not asserted


def _concepts(g: Graph) -> dict[tuple[str, str], URIRef]:
    """(edition key, clause number) -> node, read from the graph's own skos:notation and cm: data."""
    keys = {s: f"{g.value(s, CM.frameworkId)}@{g.value(s, CM.edition)}" for s in g.subjects(RDF.type, CM.Framework)}
    return {(keys[g.value(n, SKOS.inScheme)], str(g.value(n, SKOS.notation))): n
            for n in g.subjects(RDF.type, CM.Control)}


def test_shipped_mappings_are_skos_matches_in_the_documented_direction(kg, catalog):
    g = kg.rdf
    node = _concepts(g)
    predicate = {Relation.EQUAL: SKOS.exactMatch, Relation.SUBSET_OF: SKOS.broadMatch,
                 Relation.SUPERSET_OF: SKOS.narrowMatch, Relation.INTERSECTS_WITH: SKOS.relatedMatch}
    expected = set()
    for ms in catalog.mapping_sets:
        for m in ms.mappings:
            if m.relation is Relation.NO_RELATIONSHIP:
                continue
            s = node[(ms.subject_framework, catalog.control(m.subject_id).notation)]
            o = node[(ms.object_framework, catalog.control(m.object_id).notation)]
            expected.add((s, predicate[m.relation], o))
    assert any(p == SKOS.broadMatch for _, p, _ in expected)
    assert any(p == SKOS.narrowMatch for _, p, _ in expected)
    matches = {t for p in predicate.values() for t in g.triples((None, p, None))}
    assert matches == expected


def test_every_shipped_control_keeps_its_provenance_in_the_graph(kg, shipped_editions):
    node = _concepts(kg.rdf)
    tag = {"R": CM.ReadInSource, "I": CM.Reconstructed}
    for key, ed in shipped_editions.items():
        for _, row in ed.rows:
            assert kg.rdf.value(node[(key, row["id"])], CM.provenance) == tag[row["provenance"]]


def test_every_shipped_control_is_one_concept_with_a_japanese_label(kg, catalog):
    g = kg.rdf
    assert len(set(g.subjects(RDF.type, CM.Control))) == len(catalog.controls)
    labels = Counter(o.language for o in g.objects(None, SKOS.prefLabel))
    assert labels == Counter({"ja": len(catalog.controls)})


def test_answers_become_earl_assertions():
    g = cm.to_rdf(small_catalog())
    earl = Namespace("http://www.w3.org/ns/earl#")
    outcome = {g.value(a, earl.test): g.value(g.value(a, earl.result), earl.outcome)
               for a in g.subjects(RDF.type, earl.Assertion)}
    assert outcome == {URIRef(BASE + "aa/1/1"): earl.passed, URIRef(BASE + "aa/1/1.1"): earl.inapplicable}


# -- bad RDF ---------------------------------------------------------------------------------------------
def test_malformed_turtle_reports_line_and_column(tmp_path):
    lines = ["@prefix ex: <http://example.org/> .", "ex:a ex:b ex:c .", "ex:a ex:b", "    ex:d ex:e ."]
    path = tmp_path / "bad.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(cm.DataError) as excinfo:
        cm.load(path, shipped=False)
    (problem,) = excinfo.value.problems
    column = str(lines[3].index("ex:e") + 1)  # "ex:a ex:b ex:d" is a statement; "ex:e" is where it breaks
    assert (problem.file, problem.row, problem.column) == (str(path), 4, column)
    assert str(problem).startswith(f"{path}:4:{column}: malformed turtle")


def test_malformed_json_ld_reports_line_and_column(tmp_path):
    lines = ['{"@id": "http://example.org/a",', ' "http://example.org/b": [1,,2]}']
    path = tmp_path / "bad.jsonld"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(cm.DataError) as excinfo:
        read_rdf(path)
    (problem,) = excinfo.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), 2, str(lines[1].index(",,") + 2))


def test_unknown_rdf_suffix(tmp_path):
    with pytest.raises(cm.ExportError, match="unknown RDF suffix"):
        write_rdf(Graph(), tmp_path / "graph.txt")
    (tmp_path / "graph.owx").write_text("", encoding="utf-8")
    with pytest.raises(cm.DataError, match="unknown file type"):
        cm.load(tmp_path / "graph.owx", shipped=False)


def test_from_rdf_reports_a_control_without_provenance():
    g = cm.to_rdf(small_catalog())
    g.remove((URIRef(BASE + "aa/1/1.1"), CM.provenance, None))
    with pytest.raises(cm.DataError) as excinfo:
        cm.from_rdf(g)
    assert [(p.file, p.column) for p in excinfo.value.problems] == [(BASE + "aa/1/1.1", "cm:provenance")]

"""The shipped SPARQL queries: standard SPARQL 1.1, and the same statuses as the coverage engine.

Run on the graph controlmap builds (``kg.rdf``), on the exported Turtle read back, and, when
pyoxigraph is installed, in Oxigraph on that Turtle.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

import controlmap as cm
from controlmap.queries.sparql_runner import prepare, run_direct_coverage, run_gaps
from controlmap.resources import query_text
from controlmap.workflows.validate import export_rdf

QUERIES = ["direct_coverage", "gaps"]
PAIRS = [
    ("mic", "jisq15001@2006"),
    ("mic", "govt_unified_std@2021"),
    ("jisq15001@2006", "govt_unified_std@2021"),
]
STANDARD_PREFIXES = {
    "https://w3id.org/controlmap/vocab/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2004/02/skos/core#", "https://w3id.org/sssom/", "https://w3id.org/semapv/vocab/",
}


def _engine(kg, source, target) -> dict[str, str]:
    result = cm.coverage(kg, source=source, target=target, scope=None, max_hops=1)
    return {item.control.id: item.status.value for item in result.items}


@pytest.fixture(scope="module")
def exported(kg, tmp_path_factory) -> Graph:
    path = export_rdf(kg, tmp_path_factory.mktemp("export") / "controlmap.ttl")
    return Graph().parse(path, format="turtle")


@pytest.fixture(scope="module")
def engine_statuses(kg) -> dict[tuple[str, str], dict[str, str]]:
    return {pair: _engine(kg, *pair) for pair in PAIRS}


# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", QUERIES)
def test_query_is_plain_sparql_11(name):
    text = query_text(name)
    query = prepareQuery(text)  # rdflib's SPARQL 1.1 parser
    nodes = []

    def walk(node):
        if isinstance(node, CompValue):
            nodes.append(node.name)
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    walk(query.algebra)
    assert "SelectQuery" in nodes
    assert not [n for n in nodes if n in ("Function", "ServiceGraphPattern")]  # no extension functions, no SERVICE
    body = re.sub(r"(?m)(^|\s)#[^\n]*", " ", text)  # comments; a "#" inside an IRI stays
    prefixes = set(re.findall(r"PREFIX\s+\w*:\s*<([^>]+)>", body))
    assert prefixes <= STANDARD_PREFIXES
    used = set(re.findall(r"\b([a-z]+):[A-Za-z]", re.sub(r"<[^>]*>", "", body)))
    assert used <= {"cm", "rdf", "skos", "sssom", "semapv"}


@pytest.mark.parametrize("name", QUERIES)
def test_query_marks_one_parameter_row(name):
    assert len(re.findall(r"#\s*@parameters", query_text(name))) == 1


def test_prepare_validates_parameters():
    ok = dict(source="https://w3id.org/controlmap/mic/2009", target="https://w3id.org/controlmap/jisq15001/2006",
              minStrength=1)
    row = "(<https://w3id.org/controlmap/mic/2009> <https://w3id.org/controlmap/jisq15001/2006> 1)"
    assert row in prepare("gaps", **ok)
    for bad in ("mic", "https://x/a b", "https://x/>} DROP ALL {<x:y", 'urn:x"'):
        with pytest.raises(ValueError, match="not an absolute IRI"):
            prepare("gaps", **{**ok, "source": bad})
    with pytest.raises(TypeError, match="missing: minStrength"):
        prepare("gaps", source=ok["source"], target=ok["target"])
    with pytest.raises(TypeError, match="unknown: threshold"):
        prepare("gaps", **ok, threshold=7)
    with pytest.raises(TypeError):
        prepare("gaps", **{**ok, "minStrength": True})
    with pytest.raises(ValueError, match="threshold"):
        run_direct_coverage(Graph(), ok["source"], ok["target"], threshold=11)


# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_direct_coverage_matches_engine(kg, engine_statuses, source, target):
    expected = engine_statuses[(source, target)]
    got = run_direct_coverage(kg.rdf, kg.framework(source).iri, kg.framework(target).iri)
    assert got == expected
    assert len(set(expected.values())) >= 2  # the comparison is not trivially all-one-status


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_gaps_match_engine(kg, engine_statuses, source, target):
    expected = sorted(cid for cid, status in engine_statuses[(source, target)].items() if status == "gap")
    assert expected
    assert run_gaps(kg.rdf, kg.framework(source).iri, kg.framework(target).iri) == expected


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_queries_run_on_the_exported_turtle(kg, exported, engine_statuses, source, target):
    expected = engine_statuses[(source, target)]
    s_iri, t_iri = kg.framework(source).iri, kg.framework(target).iri
    assert run_direct_coverage(exported, s_iri, t_iri) == expected
    assert run_gaps(exported, s_iri, t_iri) == sorted(c for c, s in expected.items() if s == "gap")


def test_threshold_moves_controls_between_covered_and_partial(kg):
    s_iri, t_iri = kg.framework("mic").iri, kg.framework("govt_unified_std@2021").iri
    for threshold in (1, 10):
        result = cm.coverage(kg, source="mic", target="govt_unified_std@2021", scope=None, max_hops=1,
                             threshold=threshold)
        assert run_direct_coverage(kg.rdf, s_iri, t_iri, threshold=threshold) == {
            i.control.id: i.status.value for i in result.items}


def test_queries_give_the_same_answers_in_oxigraph(kg, engine_statuses, tmp_path):
    ox = pytest.importorskip("pyoxigraph")
    path = export_rdf(kg, tmp_path / "controlmap.ttl")
    store = ox.Store()
    with path.open("rb") as fh:
        store.load(fh, format=ox.RdfFormat.TURTLE)
    for (source, target), expected in engine_statuses.items():
        s_iri, t_iri = kg.framework(source).iri, kg.framework(target).iri
        text = prepare("direct_coverage", source=s_iri, target=t_iri, threshold=7, minStrength=1)
        assert {r["id"].value: r["status"].value for r in store.query(text)} == expected
        text = prepare("gaps", source=s_iri, target=t_iri, minStrength=1)
        assert [r["id"].value for r in store.query(text)] == sorted(c for c, s in expected.items() if s == "gap")

"""The peers queries read each statement only from the graph of the municipality it belongs to.

Municipality A may write anything into its own graph (the proxy lets it). Here A adds, to its own
graph, statements about B's items: a fake target with a spreadsheet formula as its id, a spoofed title,
an extra adopter, a publication of a third municipality. The peers result must not change.
"""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from controlmap.graph.publication import AdoptedItem, candidate_iri, publication_graph
from controlmap.municipality import graph_iri
from controlmap.store import open_store
from controlmap.vocab import CM
from controlmap.workflows.peers import peers
from controlmap.workflows.publish import publish

A, B, C = "131156", "131016", "011002"
SHARED = AdoptedItem("MIC-ADD-01", "情報の格付", "情報を格付しているか。", ("GUS-R3:1.2(1)",), "", "C-GUS-R3-1.2(1)")
OWN_B = AdoptedItem("MIC-ADD-02", "千代田独自の項目", "独自に点検しているか。", ("GUS-R3:1.2(1)",))
FAKE_ID = "FAKE:1 =cmd|' /C calc'!A0"


def spoof(a_graph: Graph) -> Graph:
    """A's own publication plus statements about B's items, written in A's graph."""
    g = Graph()
    for t in a_graph:
        g.add(t)
    b_item, b_own = URIRef(f"{graph_iri(B)}/item/MIC-ADD-01"), URIRef(f"{graph_iri(B)}/item/MIC-ADD-02")
    fake = URIRef("https://w3id.org/controlmap/fake/1")
    mapping = URIRef(f"{b_item}/mapping/9")
    g.add((mapping, RDF.type, CM.Mapping))
    g.add((mapping, CM.subject, b_item))
    g.add((mapping, CM.object, fake))
    g.add((fake, DCTERMS.identifier, Literal(FAKE_ID)))
    g.add((fake, SKOS.prefLabel, Literal("=HYPERLINK(\"http://evil\")")))
    g.add((b_item, DCTERMS.title, Literal("偽のタイトル")))
    g.add((b_item, CM.checkQuestion, Literal("偽の点検内容")))
    g.add((b_own, RDF.type, CM.AdditionalItem))  # B's own item, claimed in A's graph: an extra adopter
    a_item = URIRef(f"{graph_iri(A)}/item/MIC-ADD-09")
    g.add((a_item, RDF.type, CM.AdditionalItem))
    g.add((a_item, PROV.wasDerivedFrom, b_own))  # "derived" from B's own item: another extra adopter
    g.add((URIRef(graph_iri(C)), RDF.type, CM.Publication))  # C never published
    g.add((URIRef(graph_iri(C) + "/item/X"), RDF.type, CM.AdditionalItem))
    b_targets = URIRef(f"{graph_iri(B)}/item/MIC-ADD-02/mapping/5")
    g.add((b_targets, CM.subject, b_own))
    g.add((b_targets, CM.object, fake))
    g.add((a_item, PROV.wasDerivedFrom, candidate_iri("C-GUS-R3-1.2(1)")))
    return g


@pytest.fixture(params=["memory", "oxigraph"])
def store(request, tmp_path):
    s = open_store() if request.param == "memory" else open_store(tmp_path / "db")
    yield s
    s.close()


def test_statements_about_another_municipality_in_ones_own_graph_change_nothing(store, kg):
    publish(store, A, [SHARED], catalog=kg)
    publish(store, B, [SHARED, OWN_B], catalog=kg)
    before = peers(store, C, catalog=kg)
    honest = peers(store, C)  # without a catalog: ids and titles as published
    store.replace_graph(graph_iri(A), spoof(publication_graph(A, [SHARED], catalog=kg)))
    after = peers(store, C, catalog=kg)
    records = after.to_records()
    assert FAKE_ID not in str(records) and "偽" not in str(records) and "evil" not in str(records)
    own = next(i for i in after.items if i.key == f"{B}/MIC-ADD-02")
    assert own.adopters == 1 and own.title == "千代田独自の項目"
    assert after.municipalities == 2
    # A's extra item MIC-ADD-09 is A's own (of a candidate A adopted already): no count moves
    assert records == before.to_records()
    assert peers(store, C).to_records() == honest.to_records()

"""Municipality codes, what a publication holds, and that personal data never reaches the shared server."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from servers.kb import KB_SERVERS, kb_server

import controlmap as cm
from controlmap.cli.main import main
from controlmap.errors import DataError, MunicipalityCodeError
from controlmap.graph.publication import AdoptedItem, adopted_items, coverage_summary, publication_graph
from controlmap.municipality import check_digit, graph_iri, municipality_code
from controlmap.store import MemoryStore, RemoteStore
from controlmap.workflows.publish import publish

CMV = Namespace("https://w3id.org/controlmap/vocab/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


@pytest.fixture(scope="module")
def result(kg):
    return cm.gaps(kg, source="mic", against=["jisq15001", "govt_unified_std"])


@pytest.fixture(scope="module", params=KB_SERVERS)
def server(request, tmp_path_factory):
    """The shared-KB server: Oxigraph and Virtuoso 7 in turn, each on 127.0.0.1 with its own data folder."""
    with kb_server(request.param, tmp_path_factory.mktemp(f"oxigraph-publish-{request.param}")) as srv:
        yield srv


# --- 全国地方公共団体コード ----------------------------------------------------------------------------

# 杉並区 札幌市 千代田区 大阪市 那覇市
@pytest.mark.parametrize("code", ["131156", "011002", "131016", "271004", "472018"])
def test_well_known_codes_are_valid(code):
    assert municipality_code(code) == code
    assert check_digit(code[:5]) == code[5]


@pytest.mark.parametrize("bad", ["131157", "13115", "1311566", "abcdef", "", "481009", "13115６x"])
def test_bad_codes_are_refused(bad):
    with pytest.raises(MunicipalityCodeError):
        municipality_code(bad)


def test_full_width_and_integer_codes_are_normalised():
    assert municipality_code("１３１１５６") == "131156"
    assert municipality_code(11002) == "011002"
    assert graph_iri("131156") == "https://w3id.org/controlmap/municipality/131156"


# --- what is published --------------------------------------------------------------------------------

def test_publication_links_items_to_the_reference_controls(kg, result):
    candidates = result.candidates[:5]
    items = adopted_items(candidates)
    g = publication_graph("131156", items, coverage_summary(result, items), catalog=kg)
    reference = kg.rdf
    for c, it in zip(candidates, items, strict=True):
        node = URIRef(f"{graph_iri('131156')}/item/{it.id}")
        assert (node, RDF.type, CMV.AdditionalItem) in g
        mapped = {o for m in g.subjects(CMV.subject, node) for o in g.objects(m, CMV.object)}
        # every object is the IRI of the same control in the reference knowledge graph
        ids = {str(o) for t in mapped for o in reference.objects(t, SKOS.notation)}
        assert len(mapped) == len(c.targets) and all((t, RDF.type, SKOS.Concept) in reference for t in mapped)
        assert ids == {kg.catalog.control(t).notation for t in c.targets}


def test_coverage_summary_counts_match_the_gap_analysis(kg, result):
    items = adopted_items(result.candidates[:4])
    rows = coverage_summary(result, items)
    for row, cov in zip(rows, result.coverages, strict=True):
        assert {k: row[k] for k in ("covered", "partial", "gap", "unassessed", "not_applicable")} == cov.counts()
        open_ids = {i.control.id for i in cov.items if i.status.value in ("gap", "partial")}
        assert row["closed"] == len(open_ids & {t for i in items for t in i.targets})


def test_every_cm_term_published_is_declared_in_the_vocabulary(kg, result):
    from importlib.resources import files

    vocab = Graph().parse(data=files("controlmap").joinpath("resources/vocab.ttl").read_text("utf-8"), format="turtle")
    items = adopted_items(result.candidates[:3])
    g = publication_graph("131156", items, coverage_summary(result, items), catalog=kg)
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(str(CMV))}
    assert used and all((t, None, None) in vocab for t in used)


def test_unknown_targets_and_duplicates_are_reported_together(kg):
    items = [AdoptedItem("MIC-ADD-01", "a", "aか。", ("NOPE:1",)),
             AdoptedItem("MIC-ADD-01", "b", "bか。", ("GUS-R3:1.2(1)",)),
             AdoptedItem("MIC-ADD-02", "c", "cか。", ())]
    with pytest.raises(DataError) as info:
        publication_graph("131156", items, catalog=kg)
    text = str(info.value)
    assert "NOPE:1" in text and "same id" in text and "MIC-ADD-02" in text and len(info.value.problems) == 3


SECRETS = ["議事録 p.3 に記載", "山田太郎", "yamada@city.example.jp", "03-1234-5678", "Ｉシート回答: 整備していない"]


def personal_records(result):
    """Decision-like records holding evidence, staff names and contact data beside the shareable fields."""
    out = []
    for n, c in enumerate(result.candidates[:3], start=1):
        out.append({"id": f"MIC-ADD-{n:02d}", "candidate_id": c.id, "title": c.title,
                    "check_question": c.check_question,
                    "targets": "; ".join(c.targets), "reason": "委員会で必要と判断した。",
                    "evidence": SECRETS[0], "reviewer": SECRETS[1], "staff": SECRETS[1], "email": SECRETS[2],
                    "phone": SECRETS[3], "answer": SECRETS[4], "notes": f"{SECRETS[1]} {SECRETS[2]}"})
    return out


def all_text_on_server(url: str) -> str:
    rows = RemoteStore(url).select("SELECT ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
    return "\n".join(str(v) for r in rows for v in r.values())


def test_personal_data_never_reaches_the_server(kg, result, server):
    records = personal_records(result)
    publish(RemoteStore(server.url), "131156", records, catalog=kg)
    text = all_text_on_server(server.url)
    assert "委員会で必要と判断した。" in text  # the reason is shared
    for secret in SECRETS:
        assert secret not in text
    held = RemoteStore(server.url).get_graph(graph_iri("131156"))
    assert {str(o) for o in held.objects(None, URIRef("http://purl.org/dc/terms/identifier"))} >= {
        "MIC-ADD-01", "MIC-ADD-02", "MIC-ADD-03"}


def test_personal_data_in_shared_fields_is_refused_and_nothing_is_sent(kg, result, server):
    store = RemoteStore(server.url)
    publish(store, "131016", personal_records(result)[:1], catalog=kg)
    before = set(store.get_graph(graph_iri("131016")))
    for leak in ("連絡先 yamada@city.example.jp", "内線 03-1234-5678", "山田太郎の提案"):
        records = personal_records(result)
        records[0]["reason"] = leak
        with pytest.raises(DataError):
            publish(store, "131016", records, catalog=kg, forbidden=["山田太郎"])
    assert set(store.get_graph(graph_iri("131016"))) == before  # the previous publication stays


def test_decisions_published_through_the_cli_leave_out_names(kg, result, server, tmp_path, capsys):
    from controlmap.workflows.decisions import Decisions, register, transition, write_decisions

    decisions = register(Decisions(), result.candidates[:2], day="2026-10-01")
    for c in result.candidates[:2]:
        decisions = transition(decisions, c.id, "under_review", reviewer="佐藤花子", day="2026-10-02")
        decisions = transition(decisions, c.id, "adopted", reviewer="佐藤花子",
                               reason="佐藤花子さんの報告(sato@city.example.jp)を受けて採択", day="2026-10-03")
    path = write_decisions(decisions, tmp_path / "decisions.yaml")
    assert main(["publish", "--municipality", "011002", "--store", server.url, "--decisions", str(path)]) == 0
    assert "published 2 adopted items of 011002" in capsys.readouterr().out
    text = all_text_on_server(server.url)
    assert "MIC-ADD-01" in text
    for secret in ("佐藤", "花子", "sato@city.example.jp"):
        assert secret not in text


def test_cli_dry_run_writes_turtle_and_sends_nothing(tmp_path, server, capsys):
    out = tmp_path / "pub.ttl"
    ids = [c.id for c in cm.gaps(cm.load(), source="mic", against=["govt_unified_std"]).candidates[:2]]
    args = ["publish", "--municipality", "472018", "--store", server.url, "--dry-run", "-o", str(out)]
    for i in ids:
        args += ["--adopt", i]
    assert main(args) == 0
    g = Graph().parse(out, format="turtle")
    assert {str(o) for o in g.objects(None, CMV.municipalityCode)} == {"472018"}
    assert graph_iri("472018") not in RemoteStore(server.url).graphs()
    items = tmp_path / "items.json"
    items.write_text(json.dumps([{"title": "独自", "check_question": "独自か。", "targets": ["NOPE:9"]}]), "utf-8")
    assert main(["publish", "--municipality", "472018", "--store", server.url, "--items", str(items)]) == 1
    assert "NOPE:9" in capsys.readouterr().out
    assert main(["publish", "--municipality", "472019", "--store", server.url, "--adopt", ids[0]]) == 2


def test_memory_store_is_the_default_and_behaves_the_same(kg, result):
    store = MemoryStore()
    publish(store, "131156", adopted_items(result.candidates[:2]), catalog=kg)
    assert store.graphs() == [graph_iri("131156")]


def test_cli_commands_are_registered():
    proc = subprocess.run([sys.executable, "-m", "controlmap.cli", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert all(name in proc.stdout for name in ("publish", "peers", "serve-local"))

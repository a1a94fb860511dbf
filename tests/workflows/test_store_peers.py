"""The peers query agrees with counting the published lists by hand, on memory, on disk and on the server."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter

import pytest
from servers.kb import KB_SERVERS, kb_server

import controlmap as cm
from controlmap.cli.main import main
from controlmap.graph.publication import AdoptedItem, adopted_items, coverage_summary
from controlmap.store import open_store
from controlmap.workflows.peers import peers
from controlmap.workflows.publish import publish

CODES = ["131156", "131016", "011002", "271004", "472018", "141003"]  # 141003 横浜市


@pytest.fixture(scope="module")
def result(kg):
    return cm.gaps(kg, source="mic", against=["jisq15001", "govt_unified_std"])


@pytest.fixture(scope="module")
def lists(result):
    """What each municipality adopted: random candidates, plus one own item for two of them."""
    rnd = random.Random(7)
    out = {}
    for code in CODES[:-1]:  # the last code publishes nothing
        picked = rnd.sample(list(result.candidates), rnd.randint(4, 12))
        items = list(adopted_items(picked))
        if code in ("131156", "472018"):
            items.append(AdoptedItem(f"MIC-ADD-{len(items) + 1:02d}", f"独自項目 | <b>{code}</b>",
                                     "=1+1 を点検しているか。",
                                     ("JISQ15001-2006:3.3.1",) if code == "131156" else (picked[0].targets[0],)))
        out[code] = items
    return out


@pytest.fixture(scope="module", params=KB_SERVERS)
def server(request, tmp_path_factory):
    """The shared-KB server: Oxigraph and Virtuoso 7 in turn, each on 127.0.0.1 with its own data folder."""
    with kb_server(request.param, tmp_path_factory.mktemp(f"peers-{request.param}")) as srv:
        yield srv


@pytest.fixture(params=["memory", "oxigraph", "remote"])
def store(request, kg, result, lists, server, tmp_path):
    s = {"memory": lambda: open_store(), "oxigraph": lambda: open_store(tmp_path / "db"),
         "remote": lambda: open_store(server.url)}[request.param]()
    for code, items in lists.items():
        publish(s, code, items, coverage_summary(result, items), catalog=kg)
    yield s
    s.close()


def item_key(code: str, item: AdoptedItem) -> str:
    return item.candidate_id or f"{code}/{item.id}"


@pytest.mark.parametrize("asker", ["131156", "141003", None])
def test_peers_match_an_independent_count(store, kg, lists, asker):
    counts = Counter(item_key(code, i) for code, items in lists.items() for i in items)
    targets: dict[str, set[str]] = {}
    for code, items in lists.items():
        for i in items:
            targets.setdefault(item_key(code, i), set()).update(i.targets)
    own = {item_key(asker, i) for i in lists.get(asker, [])} if asker else set()

    answer = peers(store, asker, catalog=kg)
    assert answer.municipalities == len(lists)
    assert {i.key: i.adopters for i in answer.items} == dict(counts)
    assert {i.key: set(i.targets) for i in answer.items} == targets
    assert [i.adopters for i in answer.items] == sorted((i.adopters for i in answer.items), reverse=True)
    if asker is None:
        assert all(i.adopted_here is None for i in answer.items) and answer.lacking == ()
    else:
        assert {i.key for i in answer.lacking} == set(counts) - own
        closed_here = {t for k in own for t in targets[k]}
        expected = {t for k in set(counts) - own for t in targets[k]} - closed_here
        assert set(answer.lacking_targets) == expected
        assert answer.published is (asker in lists)
    # the same answer without the local catalog: ids, titles and [R]/[I] as the publishers wrote them
    assert peers(store, asker) == answer


def test_peer_items_keep_provenance_tags(store, kg):
    answer = peers(store, catalog=kg)
    for item in answer.items:
        expected = {kg.catalog.control(t).provenance.tag for t in item.targets}
        assert set(item.provenance_tags.replace("][", "] [").split()) == expected


def test_tables_escape_text(store, kg):
    answer = peers(store, "131156", catalog=kg)
    md = answer.to_markdown()
    assert "独自項目 \\| <b>131156</b>" in md and "| 採用自治体数 |" in md
    html = answer.to_html()
    assert "<b>" not in html and "&lt;b&gt;131156&lt;/b&gt;" in html


def test_cli_peers_formats(server, kg, result, lists, capsys):
    with open_store(server.url) as s:
        for code, items in lists.items():
            publish(s, code, items, catalog=kg)
    assert main(["peers", "--store", server.url, "--municipality", "141003", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and all(r["adopted_here"] == "no" for r in rows)
    assert any(r["check_question"].startswith("'=1+1") for r in rows)  # spreadsheet formulas neutralised
    assert main(["peers", "--store", server.url, "--municipality", "131156", "--lacking"]) == 0
    out = capsys.readouterr().out
    assert "municipalities have published" in out and "[R] read in a cited source" in out


def test_committee_report_shows_the_peers_table(server, kg, lists, tmp_path, capsys):
    with open_store(server.url) as s:
        for code, items in lists.items():
            publish(s, code, items, catalog=kg)
    out = tmp_path / "report.html"
    assert main(["report", "--source", "mic", "--against", "govt_unified_std", "-o", str(out),
                 "--store", server.url, "--municipality", "131156"]) == 0
    page = out.read_text(encoding="utf-8")
    assert '<section id="peers"' in page and "他団体が採用した追加点検項目" in page
    assert "&lt;b&gt;131156&lt;/b&gt;" in page and "<b>131156</b>" not in page
    expected = peers(open_store(server.url), "131156", catalog=kg)
    assert page.count("<tr><td>") - page.split('<section id="peers"')[0].count("<tr><td>") == len(expected.items)
    plain = tmp_path / "plain.html"
    assert main(["report", "--source", "mic", "--against", "govt_unified_std", "-o", str(plain)]) == 0
    assert '<section id="peers"' not in plain.read_text(encoding="utf-8")

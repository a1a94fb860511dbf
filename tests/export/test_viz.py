"""The committee network (controlmap.viz): nodes, statuses, edges, offline HTML, escaping, Jupyter display."""

from __future__ import annotations

import html
import itertools
import json
import re

import pytest

import controlmap as cm
from controlmap.model import Catalog, Control, Framework, Mapping, MappingSet, Provenance, Relation
from controlmap.workflows.kg import KnowledgeGraph

AGAINST = ["jisq15001", "govt_unified_std"]
EDITIONS = ["mic@2009", "jisq15001@2006", "govt_unified_std@2021"]
# SSSOM predicate -> relation, as docs/mapping-semantics.md states it
PREDICATES = {"skos:exactMatch": "equal", "skos:broadMatch": "subset_of", "skos:narrowMatch": "superset_of",
              "skos:relatedMatch": "intersects_with"}
RANK = {"equal": 4, "superset_of": 3, "subset_of": 2, "intersects_with": 1}
XSS_TITLE = "<script>window.__xss = 1</script>"
XSS_REQ = '<img src=x onerror="window.__xss = 2">'


def hostile_kg() -> KnowledgeGraph:
    """A three-framework-free catalog whose texts try to inject markup into the pages."""
    src = Framework(id="chk", edition="1", prefix="CHK", title="点検表 <b>太字</b>")
    ref = Framework(id="ref", edition="1", prefix="REF", title="基準 </script><script>window.__xss = 3</script>")
    controls = (
        Control("CHK:1", "chk@1", "1", None, "chapter", "章 <i>一</i>"),
        Control("CHK:1.1", "chk@1", "1.1", "CHK:1", "item", XSS_TITLE, summary='=HYPERLINK("x")'),
        Control("CHK:1.2", "chk@1", "1.2", "CHK:1", "item", "アクセス権限の見直し"),
        Control("REF:A", "ref@1", "A", None, "section", "節 A & B"),
        Control("REF:A.1", "ref@1", "A.1", "REF:A", "requirement", XSS_REQ, provenance=Provenance.READ),
        Control("REF:A.2", "ref@1", "A.2", "REF:A", "requirement", "記録の保存", provenance=Provenance.READ),
        Control("REF:A.3", "ref@1", "A.3", "REF:A", "requirement", "権限の棚卸し"),
    )
    ms = MappingSet(id="urn:test:chk-ref", title="<i>set</i>", subject_framework="chk@1", object_framework="ref@1",
                    complete=True, mappings=(
                        Mapping("CHK:1.1", "REF:A.1", Relation.SUBSET_OF, strength=5,
                                comment="</script><script>window.__xss = 4</script>"),
                        Mapping("CHK:1.2", "REF:A.3", Relation.EQUAL, strength=9),
                    ))
    return KnowledgeGraph(Catalog(frameworks=(src, ref), controls=controls, mapping_sets=(ms,)))


@pytest.fixture(scope="module")
def result(kg):
    return cm.gaps(kg, "mic", AGAINST)


@pytest.fixture(scope="module")
def net(kg, result):
    return cm.viz.network(kg, result)


@pytest.fixture(scope="module")
def page(net):
    return cm.viz.to_html(net)


def _controls(net):
    return {n["id"]: n for n in net.nodes if n["cm"]["kind"] != "section"}


def _chain(edition, local):
    """The control and its ancestors, read from the shipped CSV's parent column."""
    parent = {r["id"]: r["parent"] for _, r in edition.rows}
    out = [local]
    while parent.get(out[-1]):
        out.append(parent[out[-1]])
    return out


def test_nodes_are_checklist_items_and_assessable_targets(net, shipped_editions):
    expected = set().union(*(shipped_editions[k].assessable_ids for k in EDITIONS))
    assert set(_controls(net)) == expected


def test_section_hubs_group_the_controls(net, shipped_editions):
    """Targets hang under their second-level ancestor, checklist items under their chapter (from the CSVs)."""
    hubs = {n["id"] for n in net.nodes if n["cm"]["kind"] == "section"}
    member = {e["from"]: e["to"] for e in net.edges if e["cm"]["kind"] == "member"}
    for key in EDITIONS:
        ed = shipped_editions[key]
        for cid in ed.assessable_ids:
            chain = _chain(ed, cid.split(":", 1)[1])
            head = chain[-1] if key.startswith("mic") or len(chain) == 1 else chain[-2]
            head_id = ed.control_id(head)
            if head_id == cid:
                assert cid not in member
            else:
                assert member[cid] == head_id
                assert head_id in hubs
    assert hubs == set(member.values())


def test_targets_carry_their_coverage_status_and_colour(kg, net):
    nodes = _controls(net)
    for target in AGAINST:
        for item in cm.coverage(kg, "mic", target).items:
            node = nodes[item.control.id]
            assert node["cm"]["status"] == item.status.value
            assert node["cm"]["explanation"] == item.explanation
            assert node["color"]["background"] == cm.viz.STATUS_COLORS[item.status.value]
    sizes = {n["cm"]["status"]: n["size"] for n in nodes.values()}
    assert sizes["gap"] > sizes["covered"] > sizes["not_applicable"]
    assert {n["cm"]["status"] for n in nodes.values()} >= {"source", "covered", "partial", "gap", "not_applicable"}


def test_tooltip_data_names_id_title_provenance_and_candidate(net, result, shipped_editions):
    nodes = _controls(net)
    rows = {shipped_editions[k].control_id(r["id"]): r for k in EDITIONS for _, r in shipped_editions[k].rows}
    for cid, node in nodes.items():
        info = node["cm"]
        assert info["title"] == rows[cid]["title"]
        assert info["summary"] == rows[cid]["summary"]
        assert info["provenance"] == f"[{rows[cid]['provenance']}]"
        assert cid.endswith(info["display"])
    for cand in result.candidates:
        for target in cand.targets:
            assert nodes[target]["cm"]["candidate"]["id"] == cand.id
            assert nodes[target]["cm"]["candidate"]["question"] == cand.check_question


def test_partial_targets_carry_the_path_of_their_explanation(net):
    pairs = {frozenset((e["from"], e["to"])) for e in net.edges if e["cm"]["kind"] == "mapping"}
    partial = [n for n in _controls(net).values() if n["cm"]["status"] == "partial"]
    assert partial
    for node in partial:
        path = node["cm"]["path"]
        assert path, node["id"]
        assert node["id"] in {b for _, b in path}
        assert {a for a, _ in path} & {n for n in net.node_ids if n.startswith("MIC:")}
        for a, b in path:
            assert frozenset((a, b)) in pairs


def test_edges_follow_the_shipped_mapping_rows(net, shipped_mapping_files, shipped_editions):
    drawn = set(_controls(net)) | {n["id"] for n in net.nodes}
    strongest: dict[tuple[str, str], tuple[int, int, str]] = {}
    for f in shipped_mapping_files:
        for _, row in f.rows:
            rel = PREDICATES.get(row["predicate_id"])
            if rel is None or row["subject_id"] not in drawn or row["object_id"] not in drawn:
                continue
            key = (row["subject_id"], row["object_id"])
            strongest[key] = max(strongest.get(key, (0, -1, "")), (RANK[rel], int(row["strength"]), rel))
    edges = {(e["from"], e["to"]): e for e in net.edges if e["cm"]["kind"] == "mapping"}
    assert set(edges) == set(strongest)
    for key, (_, strength, rel) in strongest.items():
        edge = edges[key]
        assert edge["cm"]["relation"] == rel and edge["cm"]["strength"] == strength
        assert edge["dashes"] == cm.viz.EDGE_STYLES[rel]["dashes"]
        assert edge["color"]["color"] == cm.viz.EDGE_STYLES[rel]["color"]
    by_strength = sorted((e["cm"]["strength"], e["width"]) for e in edges.values())
    for (s1, w1), (s2, w2) in itertools.pairwise(by_strength):
        assert (w1 < w2) if s1 < s2 else (w1 == w2)


def test_layout_is_stabilised_then_frozen(net, page):
    assert net.options["physics"]["enabled"] is True
    assert net.options["physics"]["stabilization"]["enabled"] is True
    assert "stabilizationIterationsDone" in page and "physics: {enabled: false}" in page
    assert all("x" in n and "y" in n for n in net.nodes)  # seeded positions: the same layout every time


def test_page_is_offline(page):
    assert "vis.Network" in page and "vis-network" in page  # vis-network is inlined
    assert not re.search(r"<(link|iframe|img|embed|object)\b", page, re.I)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page, re.I)
    assert "@import" not in page and "sourceMappingURL" not in page
    assert "cdnjs" not in page and "jsdelivr" not in page


def test_page_shows_japanese_legend_and_filters(page, kg):
    assert '<html lang="ja">' in page
    for label in ("充足", "部分的", "不足(ギャップ)", "未評価", "対象外", "点検項目"):
        assert label in page
    for key in EDITIONS:
        assert f'name="framework" value="{key}"' in page
    assert 'id="filter-section"' in page and '<option value="GUS-R3:1.2">' in page


def test_text_from_data_is_escaped():
    kg = hostile_kg()
    net = cm.viz.network(kg, "chk", ["ref"], scope=None)
    page = cm.viz.to_html(net)
    for raw in (XSS_TITLE, XSS_REQ, "<script>window.__xss = 3", "<script>window.__xss = 4", "<b>太字</b>"):
        assert raw not in page
    assert "&lt;b&gt;太字&lt;/b&gt;" in page  # the heading holds the checklist title, as text
    data = json.loads(re.search(r"var NODES = (.*?);\n", page).group(1))
    assert {n["cm"]["title"] for n in data} >= {XSS_TITLE, XSS_REQ}  # the data survive, as text for the page


def test_network_is_a_pyvis_network_whose_own_writer_stays_offline(net, page, tmp_path, monkeypatch):
    from pyvis.network import Network

    assert isinstance(net, Network)
    assert net.generate_html() == page
    monkeypatch.chdir(tmp_path)
    net.write_html("own.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["own.html"]  # no lib/ folder copied next to it
    assert "cdnjs" not in (tmp_path / "own.html").read_text(encoding="utf-8")


def test_jupyter_display_is_a_sandboxed_iframe_and_writes_nothing(kg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    net = cm.viz.network(kg, "mic", ["jisq15001"])
    shown = net._repr_html_()
    assert shown.startswith("<iframe") and 'sandbox="allow-scripts"' in shown
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', shown).group(1))
    assert srcdoc == cm.viz.to_html(net)
    assert list(tmp_path.iterdir()) == []


def test_a_coverage_result_draws_one_reference_framework(kg, shipped_editions):
    net = cm.viz.network(kg, cm.coverage(kg, "mic", "jisq15001"))
    expected = shipped_editions["mic@2009"].assessable_ids | shipped_editions["jisq15001@2006"].assessable_ids
    assert set(_controls(net)) == expected


def test_no_scope_leaves_nothing_not_applicable(kg):
    net = cm.viz.network(kg, "mic", ["jisq15001"], scope=None)
    assert "not_applicable" not in {n["cm"]["status"] for n in net.nodes}


def test_unknown_framework_is_an_error(kg):
    with pytest.raises(cm.UnknownFrameworkError, match="nope"):
        cm.viz.network(kg, "mic", ["nope"])


def test_any_pyvis_network_gets_the_offline_page():
    from pyvis.network import Network

    plain = Network(heading="<b>見出し</b>")
    plain.add_node(1, label="一")
    plain.add_node(2, label="二")
    plain.add_edge(1, 2)
    page = cm.viz.to_html(plain)
    assert "&lt;b&gt;見出し&lt;/b&gt;" in page and "<b>見出し" not in page
    assert not re.search(r"<(link|script[^>]*\bsrc)\b", page, re.I) and "cdnjs" not in page

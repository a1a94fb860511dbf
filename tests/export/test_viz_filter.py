"""cm.viz at hundreds-thousands of nodes: --only-status keeps some statuses, --collapse-sections one node a section."""

from __future__ import annotations

from collections import Counter

import pytest

import controlmap as cm
from controlmap.cli import main
from controlmap.export.network_data import network_elements
from controlmap.export.network_filter import collapse_sections, only_status


@pytest.fixture(scope="module")
def shipped(kg):
    result = cm.gaps(kg, "mic", ["jisq15001", "govt_unified_std"])
    return result, network_elements(kg.catalog, result)


def _kinds(elements) -> Counter:
    return Counter(n["cm"]["kind"] for n in elements["nodes"])


def test_the_full_network_of_the_shipped_data(shipped):
    result, el = shipped
    assert _kinds(el) == {"target": 168, "source": 117, "section": 39}
    assert sum(c.counts()["gap"] + c.counts()["partial"] for c in result.coverages) == 81


def test_only_gap_and_partial_keeps_those_targets_and_what_they_touch(shipped):
    _, el = shipped
    thin = only_status(el, ["gap", "partial"])
    assert _kinds(thin) == {"target": 83, "source": 71, "section": 34}
    wanted = {n["id"] for n in thin["nodes"] if n["cm"]["kind"] == "target" and n["cm"]["status"] in ("gap", "partial")}
    assert len(wanted) == 81
    on_paths = {x for n in thin["nodes"] if n["id"] in wanted for pair in n["cm"]["path"] for x in pair}
    for n in thin["nodes"]:
        if n["cm"]["kind"] == "target" and n["id"] not in wanted:
            assert n["id"] in on_paths  # a covered control kept only as a step of a gap/partial explanation
    ids = {n["id"] for n in thin["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in thin["edges"])
    touching = {x for e in el["edges"] if e["cm"]["kind"] == "mapping" and (e["from"] in wanted or e["to"] in wanted)
                for x in (e["from"], e["to"])}
    assert {n["id"] for n in thin["nodes"] if n["cm"]["kind"] == "source"} == {
        x for x in touching | on_paths if x.startswith("MIC:")}
    assert sum(f["count"] for f in thin["frameworks"]) == 83 + 71


def test_collapsed_sections_hold_the_counts_of_their_members(shipped):
    _, el = shipped
    col = collapse_sections(el)
    assert _kinds(col) == {"group": 54} and len(col["edges"]) == 106
    members = Counter(n["cm"]["section"] for n in el["nodes"] if n["cm"]["kind"] != "section")
    assert {n["id"]: n["cm"]["members"] for n in col["nodes"]} == dict(members)
    gap_sections = {n["cm"]["section"] for n in el["nodes"] if n["cm"].get("status") == "gap"}
    assert {n["id"] for n in col["nodes"] if n["cm"]["status"] == "gap"} == gap_sections
    assert sum(n["cm"]["counts"].get("gap", 0) for n in col["nodes"]) == 20
    assert len(collapse_sections(only_status(el, ["gap", "partial"]))["nodes"]) == 39


def test_viz_network_and_the_cli_take_the_options(kg, tmp_path, capsys):
    net = cm.viz.network(kg, "mic", ["jisq15001", "govt_unified_std"], only_status="gap,partial",
                         collapse_sections=True)
    assert len(net.nodes) == 39
    out = tmp_path / "big.html"
    assert main(["viz", "--source", "mic", "--against", "jisq15001", "--against", "govt_unified_std",
                 "--only-status", "gap", "--collapse-sections", "-o", str(out)]) == 0
    assert "nodes" in capsys.readouterr().out and out.stat().st_size > 0
    with pytest.raises(cm.ControlmapError, match="gaps is not a status"):
        cm.viz.network(kg, "mic", ["jisq15001"], only_status="gaps")


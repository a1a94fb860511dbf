"""Scope merge groups: the candidates of a curated group become one (統合) that cites every target, keeps the
primary's id and is capped at the group's priority level; nothing is dropped; bad groups are named."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

import controlmap as cm
from controlmap import Catalog, Control, Framework, Mapping, MappingSet, Provenance, Relation, Status
from controlmap.errors import DataError
from controlmap.export.render import candidate_table, priority_level
from controlmap.io.scope import parse_scope
from controlmap.model import MergeGroup, Scope
from controlmap.queries.candidates import gaps

SCOPE_FILE = Path(__file__).resolve().parents[2] / "data" / "scope" / "juki_net.yaml"
AGAINST = ["jisq15001", "govt_unified_std"]


@pytest.fixture(scope="module")
def shipped_groups() -> list[dict]:
    return yaml.safe_load(SCOPE_FILE.read_text(encoding="utf-8"))["merge"]


def test_the_shipped_group_merges_the_three_classification_candidates(kg, shipped_groups):
    (m01,) = shipped_groups
    scope = kg.scope("juki_net")
    with_merge = cm.gaps(kg, source="mic", against=AGAINST, scope=scope)
    without = cm.gaps(kg, source="mic", against=AGAINST, scope=dataclasses.replace(scope, merges=()))
    merged = [c for c in with_merge.candidates if c.merge_group]
    assert [c.id for c in merged] == ["C-" + m01["primary"].replace(":", "-")]
    c = merged[0]
    assert c.targets == tuple(m01["controls"]) and c.title == m01["title"]
    parts = [p for p in without.candidates if set(p.targets) & set(m01["controls"])]
    assert sorted(c.merged_from) == sorted(p.id for p in parts) and len(parts) == 3
    assert c.merged_from[0] == c.id  # primary first
    assert len(with_merge.candidates) == len(without.candidates) - 2
    # nothing dropped: every target cited before is cited after, exactly once
    cited = sorted(t for x in with_merge.candidates for t in x.targets)
    assert cited == sorted(t for x in without.candidates for t in x.targets)
    # priority computed as usual, then capped at 中
    assert max(p.priority for p in parts) >= 60 and priority_level(c.priority) == m01["priority_level"] == "中"
    assert c.priority == 59 and c.priority_factors["cap"] == 59
    assert c.status is (Status.GAP if all(p.status is Status.GAP for p in parts) else Status.PARTIAL)
    assert c.reason.startswith("統合(M01") and all(p.reason in c.reason for p in parts)
    row = next(r for r in candidate_table(with_merge, catalog=kg.catalog) if r["ID"] == c.id)
    assert row["統合"] == "統合 M01: " + ", ".join(c.merged_from)


def _catalog(n_items: int, provenance=Provenance.READ) -> Catalog:
    chk = Framework(id="chk", edition="1", prefix="CHK", title="chk")
    ref = Framework(id="ref", edition="1", prefix="REF", title="ref")
    controls = (Control(id="CHK:1", framework=chk.key, notation="1", parent=None, level="item", title="点検",
                        summary="点検すること。", provenance=Provenance.READ, order=1),
                *(Control(id=f"REF:{i}", framework=ref.key, notation=str(i), parent=None, level="item",
                          title=f"要求{i}", summary=f"要求{i}を定めること。", provenance=provenance, order=i + 1)
                  for i in range(1, n_items + 1)))
    rows = tuple(Mapping(cm.NO_TERM, f"REF:{i}", Relation.NO_RELATIONSHIP) for i in range(1, n_items + 1))
    sets = (MappingSet(id="https://example.org/chk-ref", title="", subject_framework=chk.key,
                       object_framework=ref.key, mappings=rows, complete=True),)
    return Catalog(frameworks=(chk, ref), controls=controls, mapping_sets=sets)


def test_a_group_merges_what_exists_and_a_lone_member_stays_as_it_is():
    cat = _catalog(4)
    group = MergeGroup("M1", "まとめ", ("REF:2", "REF:3", "REF:9"), primary="REF:9", priority_level="低",
                       reason="同じことを問う")
    lone = MergeGroup("M2", "一つだけ", ("REF:4", "REF:8"), primary="REF:4", reason="x")
    result = gaps(cat, "chk", ["ref"], scope=Scope("s", "", merges=(group, lone)), max_hops=1)
    by_id = {c.id: c for c in result.candidates}
    assert set(by_id) == {"C-REF-1", "C-REF-2", "C-REF-4"}  # REF:9 has no candidate: first member present
    merged = by_id["C-REF-2"]
    assert merged.targets == ("REF:2", "REF:3") and merged.merged_from == ("C-REF-2", "C-REF-3")
    assert merged.priority == 29 and priority_level(merged.priority) == "低"
    assert by_id["C-REF-4"].merge_group == "" and by_id["C-REF-4"].priority == 80
    assert by_id["C-REF-1"].priority == 80 and by_id["C-REF-1"].responsibility == ("市区町村",)


def test_a_merged_candidate_takes_the_evidence_of_all_its_targets():
    cat = _catalog(2, provenance=Provenance.RECONSTRUCTED)
    group = MergeGroup("M1", "", ("REF:1", "REF:2"), primary="REF:2", reason="x")
    (c,) = gaps(cat, "chk", ["ref"], scope=Scope("s", "", merges=(group,)), max_hops=1).candidates
    assert c.id == "C-REF-2" and c.targets == ("REF:2", "REF:1") and c.title == "要求2"
    assert c.priority_factors["E"] == 0.7 and c.priority == round(100 * 1.0 * 0.7 * 0.8)


def test_bad_merge_groups_are_named(catalog):
    doc = {"id": "s",
           "not_applicable": [{"control": "GUS-R3:1.3", "reason": "定義"}],
           "merge": [
               {"id": "M1", "controls": ["GUS-R3:1.2(1)", "GUS-R3:3.1.1(1)"], "primary": "GUS-R3:1.2(2)",
                "reason": "x"},
               {"id": "M1", "controls": ["GUS-R3:1.2(1)"], "primary": "GUS-R3:1.2(1)", "reason": "x"},
               {"id": "M3", "controls": ["GUS-R3:1.3", "GUS-R3:3.1.1(3)"], "primary": "GUS-R3:1.3",
                "priority_level": "最高"},
               {"controls": ["GUS-R3:2.1.1(3)", "GUS-R3:9.9"], "primary": "GUS-R3:2.1.1(3)", "reason": "x"}]}
    with pytest.raises(DataError) as err:
        parse_scope(doc, "s.yaml", catalog)
    text = str(err.value)
    for expected in ("merge[1]:primary: GUS-R3:1.2(2) is not one of the group's controls",
                     "merge[2]:id: merge group M1 is defined twice",
                     "merge[2]:controls: a merge group names at least two controls",
                     "merge[2]:controls: GUS-R3:1.2(1) is already in merge group M1",
                     "merge[3]:priority_level: unknown priority level '最高'",
                     "merge[3]:reason: every merge group needs a reason",
                     "merge[3]:controls: GUS-R3:1.3 is not_applicable",
                     "merge[4]:id: every merge group needs an id",
                     "merge[4]:controls:"):
        assert expected in text, expected

"""The fourth framework, 総務省ガイドライン 対策基準(例文) lg_guideline@2023: its counts against the shipped CSV and
the figures its provenance file states, every [R] row explained there, its complete mapping sets, and the gaps run
against four frameworks; and the example files for loading a municipality's own 対策基準."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import controlmap as cm
from controlmap.cli.main import main
from controlmap.model import Provenance

DATA = Path(__file__).resolve().parents[2] / "data"
KEY = "lg_guideline@2023"
PROVENANCE = DATA / "provenance" / "lg_guideline.provenance.md"


@pytest.fixture(scope="module")
def edition(shipped_editions):
    return shipped_editions[KEY]


@pytest.fixture(scope="module")
def stated() -> dict[str, int]:
    """The counts the provenance file states in its first lines (``35 controls: 9 sections, 26 items; 32 [R] …``)."""
    head = " ".join(PROVENANCE.read_text(encoding="utf-8").splitlines()[:6])
    patterns = {"controls": r"(\d+) controls", "section": r"(\d+) sections", "item": r"(\d+) items",
                "R": r"(\d+) `\[R\]`", "I": r"(\d+) `\[I\]`", "assessable": r"(\d+) assessable"}
    out = {}
    for key, pattern in patterns.items():
        m = re.search(pattern, head)
        assert m, f"the provenance file no longer states {key}"
        out[key] = int(m.group(1))
    return out


def test_the_csv_has_the_counts_the_provenance_file_states(edition, stated):
    rows = [r for _, r in edition.rows]
    levels = Counter(r["level"] for r in rows)
    tags = Counter(r["provenance"] for r in rows)
    assert len(rows) == stated["controls"] == 35
    assert (levels["section"], levels["item"]) == (stated["section"], stated["item"]) == (9, 26)
    assert (tags["R"], tags["I"]) == (stated["R"], stated["I"]) == (32, 3)
    assert len(edition.assessable_ids) == stated["assessable"] == 29


def test_the_loaded_framework_matches_the_csv(catalog, edition):
    fw = catalog.framework("lg_guideline")
    controls = catalog.controls_of(fw.key)
    assert fw.key == KEY and fw.prefix == "LGG-R5"
    assert [c.id for c in controls] == edition.ids
    assert {c.id for c in catalog.assessable(fw)} == edition.assessable_ids
    by_id = {edition.control_id(r["id"]): r for _, r in edition.rows}
    for c in controls:
        assert c.provenance is Provenance(by_id[c.id]["provenance"]), c.id
        assert c.title == by_id[c.id]["title"]


def test_the_provenance_file_explains_every_row_with_its_tag_and_source(edition):
    text = PROVENANCE.read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        m = re.match(r"\| `([^`]+)` \| (.*?) \| `\[([RI])\]` \| (.*) \|$", line)
        if m:
            table[m.group(1)] = m.groups()[1:]
    policies = ("日向市情報セキュリティポリシー", "北見市情報セキュリティ対策基準", "三股町")
    for line, r in edition.rows:
        assert r["id"] in table, f"controls.csv:{line}: row {r['id']} is not in the provenance file"
        title, tag, read_in = table[r["id"]]
        assert (title, tag, read_in) == (r["title"], r["provenance"], r["source_ref"]), r["id"]
        if tag == "R":
            named = [p for p in policies if p in read_in]
            assert named and all(p in text.split("## Every row")[0] for p in named), r["id"]
    inferred = sorted(r["id"] for _, r in edition.rows if r["provenance"] == "I")
    assert inferred == ["2-9-1", "2-9-2", "2-9-3"]


def test_the_mapping_sets_are_complete_for_the_new_framework(shipped_mapping_files, edition):
    by_name = {f.path.name: f for f in shipped_mapping_files}
    mic = by_name["mic_lg_guideline-2023.sssom.tsv"]
    onward = by_name["lg_guideline-2023_govt_unified_std-2021.sssom.tsv"]
    assert (len(mic.rows), len(onward.rows)) == (132, 126)
    assert "complete=true" in str(mic.meta.get("other"))
    assert {r["object_id"] for _, r in mic.rows} >= edition.assessable_ids
    assert {r["subject_id"] for _, r in onward.rows} - {cm.NO_TERM} <= set(edition.ids)
    groups = {r["mapping_group"] for _, r in mic.rows if r["mapping_group"]}
    assert len(groups) == 10


def test_gaps_against_four_frameworks_on_the_shipped_data(kg, capsys):
    assert main(["gaps", "--source", "mic", "--against", "jisq15001", "--against", "govt_unified_std",
                 "--against", "lg_guideline"]) == 0
    out = capsys.readouterr().out
    assert "lg_guideline@2023" in out and "govt_unified_std@2021" in out
    result = cm.gaps(kg, source="mic", against=["jisq15001", "govt_unified_std", "lg_guideline"])
    assert result.against == ("jisq15001@2006", "govt_unified_std@2021", KEY)
    lg = result.coverages[2].counts()
    assert sum(lg.values()) == 29 and lg["unassessed"] == 0
    assert lg["not_applicable"] == 1  # 2-8-3 クラウドサービス, as 統一基準 4.2.x
    assert any(KEY in c.frameworks for c in result.candidates)


def test_a_municipality_loads_its_own_policy_in_the_same_shape(capsys):
    own = DATA / "examples" / "own_taisaku_kijun.yaml"
    rows = DATA / "examples" / "own_policy_lg_guideline.sssom.tsv"
    kg = cm.load(own, rows)
    policy = kg.catalog.framework("own_policy")
    assert policy.prefix == "OWN2025" and kg.catalog.controls_of(policy.key)
    result = cm.coverage(kg, source="own_policy", target="lg_guideline", scope=None)
    counts = result.counts()
    assert len(result.items) == 29 and counts["covered"] >= 1 and counts["unassessed"] >= 1  # a partial example
    assert main(["coverage", "--source", "own_policy", "--target", "lg_guideline", "--no-scope",
                 "--load", str(own), "--load", str(rows)]) == 0
    out = capsys.readouterr().out
    assert "own_policy@2025 → lg_guideline@2023" in out and "OWN2025:第20条" in out

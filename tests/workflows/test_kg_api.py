"""The public API: ``import controlmap as cm; kg = cm.load()`` and what it holds, against the shipped files."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import controlmap as cm

REPO = Path(__file__).resolve().parents[2]
# issue 2: the editions picked when only a framework id is given
DEFAULT_EDITIONS = {"jisq15001": "jisq15001@2006", "govt_unified_std": "govt_unified_std@2021", "mic": "mic@2009"}


def test_public_names_exist_and_are_listed_once():
    assert len(cm.__all__) == len(set(cm.__all__))
    missing = [name for name in cm.__all__ if not hasattr(cm, name)]
    assert missing == []
    for name in ("load", "KnowledgeGraph", "Catalog", "Control", "Relation", "DataError", "Problem",
                 "UnknownFrameworkError", "to_rdf", "from_rdf", "to_networkx"):
        assert name in cm.__all__


def test_import_controlmap_leaves_heavy_libraries_unloaded():
    heavy = ["rdflib", "pandas", "pyvis", "openpyxl"]
    code = f"import sys, controlmap; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "[]"


def test_load_returns_a_knowledge_graph_of_every_shipped_edition(kg, shipped_editions):
    assert isinstance(kg, cm.KnowledgeGraph)
    assert {f.key for f in kg.frameworks} == set(shipped_editions)
    assert len(kg.catalog.controls) == sum(len(ed.rows) for ed in shipped_editions.values())


@pytest.mark.parametrize(("name", "key"), list(DEFAULT_EDITIONS.items()))
def test_default_editions(kg, shipped_editions, name, key):
    assert kg.framework(name).key == key
    defaults = [k for k, ed in shipped_editions.items() if ed.meta["id"] == name and ed.meta.get("default")]
    assert defaults == [key]


def test_every_shipped_edition_is_reachable_by_id_at_edition(kg, shipped_editions):
    for key in shipped_editions:
        assert kg.framework(key).key == key


@pytest.mark.parametrize("name", ["nope", "jisq15001@1999", "mic@2010", ""])
def test_unknown_framework_or_edition(kg, name):
    with pytest.raises(cm.UnknownFrameworkError):
        kg.framework(name)


def test_unknown_edition_message_lists_the_editions(kg, shipped_editions):
    editions = sorted(ed.meta["edition"] for ed in shipped_editions.values() if ed.meta["id"] == "jisq15001")
    with pytest.raises(cm.UnknownFrameworkError) as excinfo:
        kg.framework("jisq15001@1999")
    assert str(excinfo.value).endswith("jisq15001 has editions: " + ", ".join(editions))


def test_mic_edition_has_12_chapters_and_117_items(kg, shipped_editions):
    levels = Counter(c.level for c in kg.catalog.controls_of("mic"))
    assert levels == Counter({"chapter": 12, "item": 117})
    assert Counter(row["level"] for _, row in shipped_editions["mic@2009"].rows) == levels
    assert len(kg.catalog.assessable("mic")) == 117


def test_every_control_matches_its_csv_row_and_keeps_its_provenance(kg, shipped_editions):
    catalog = kg.catalog
    for key, ed in shipped_editions.items():
        got = catalog.controls_of(key)
        assert [c.id for c in got] == ed.ids  # document order, nothing dropped
        for c, (line, row) in zip(got, ed.rows, strict=True):
            assert (c.title, c.level, c.summary, c.source_ref) == (row["title"], row["level"], row["summary"],
                                                                  row["source_ref"])
            assert c.parent == (ed.control_id(row["parent"]) if row["parent"] else None)
            assert c.provenance.value == row["provenance"]
            assert c.provenance.tag == f"[{row['provenance']}]"
            assert c.origin == f"{ed.csv_path}:{line}"


def test_assessable_controls_are_leaves_or_of_an_assessable_level(kg, shipped_editions):
    for key, ed in shipped_editions.items():
        assert {c.id for c in kg.catalog.assessable(key)} == ed.assessable_ids


def test_controls_frame_of_the_default_jis_edition(kg, shipped_editions):
    df = kg.controls("jisq15001")
    ed = shipped_editions["jisq15001@2006"]
    assert df.index.name == "id"
    assert list(df.index) == ed.ids
    assert list(df["title"]) == [row["title"] for _, row in ed.rows]
    assert list(df["provenance"]) == [row["provenance"] for _, row in ed.rows]
    assert {i for i, ok in df["assessable"].items() if ok} == ed.assessable_ids
    top = [ed.control_id(row["id"]) for _, row in ed.rows if not row["parent"]]
    assert set(df.index[df["parent"].isna()]) == set(top)


def test_mappings_frame_has_one_row_per_mapping_row(kg, shipped_mapping_files):
    assert len(kg.mappings()) == sum(len(f.rows) for f in shipped_mapping_files)
    (f,) = [f for f in shipped_mapping_files if f.path.name == "mic_jisq15001-2006.sssom.tsv"]
    assert len(kg.mappings("mic", "jisq15001")) == len(f.rows)


def test_frameworks_frame_counts_and_r_share(kg, shipped_editions):
    df = kg.frameworks_frame()
    for key, ed in shipped_editions.items():
        prov = Counter(row["provenance"] for _, row in ed.rows)
        assert (df.loc[key, "controls"], df.loc[key, "R"], df.loc[key, "I"]) == (len(ed.rows), prov["R"], prov["I"])
        assert df.loc[key, "share_R"] == pytest.approx(prov["R"] / len(ed.rows), abs=5e-4)


def test_shipped_data_validates(kg):
    assert kg.validate() == []


def test_load_adds_user_files_and_reports_every_problem_together(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("id: extra\nedition: '1'\nprefix: EX\ntitle: 追加\ncontrols:\n"
                    "  - {id: '1', title: 一, provenance: R}\n", encoding="utf-8")
    assert cm.load(good).framework("extra").key == "extra@1"
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nedition: '1'\nprefix: BD\ntitle: 壊れ\ncontrols:\n"
                   "  - {id: '1', title: '', provenance: R}\n", encoding="utf-8")
    with pytest.raises(cm.DataError) as excinfo:
        cm.load(bad, tmp_path / "missing.sssom.tsv")
    assert {(Path(p.file).name, p.column) for p in excinfo.value.problems} == {
        ("bad.yaml#controls", "title"), ("missing.sssom.tsv", None)}


def test_a_second_copy_of_an_edition_is_reported_at_its_rows(tmp_path, shipped_editions):
    ed = shipped_editions["mic@2009"]
    copy = tmp_path / "mic_copy"
    copy.mkdir()
    (copy / "controls.csv").write_bytes(ed.csv_path.read_bytes())
    meta = (ed.csv_path.parent / "framework.yaml").read_text(encoding="utf-8")
    (copy / "framework.yaml").write_text(meta.replace("edition: '2009'", "edition: '2010'")
                                         .replace("default: true", "default: false"), encoding="utf-8")
    with pytest.raises(cm.DataError) as excinfo:
        cm.load(copy / "framework.yaml")
    duplicates = [p for p in excinfo.value.problems if p.column == "id"]
    assert [(Path(p.file), p.row) for p in duplicates] == [(copy / "controls.csv", line) for line, _ in ed.rows]
    assert any(p.column == "prefix" for p in excinfo.value.problems)

"""cm.load on folders: a folder with nothing controlmap reads is an error naming it, never an empty load."""

from __future__ import annotations

import pytest

import controlmap as cm


@pytest.mark.parametrize("content", [{}, {"notes.txt": "memo"}, {"adopted-items.csv": "id\r\nMIC-ADD-01\r\n"}])
def test_a_folder_with_nothing_to_load_is_refused_by_name(tmp_path, content):
    folder = tmp_path / "from-another-ward"
    folder.mkdir()
    for name, text in content.items():
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(cm.DataError) as err:
        cm.load(folder)
    (problem,) = err.value.problems
    assert problem.file == str(folder)
    assert "nothing to load in this folder" in problem.message


def test_a_data_directory_still_loads_as_one(tmp_path):
    """A folder laid out as data/ (<framework>/<edition>/framework.yaml) is read as a data directory."""
    edition = tmp_path / "data" / "wardrules" / "2026"
    edition.mkdir(parents=True)
    (edition / "framework.yaml").write_text(
        "id: wardrules\nedition: '2026'\nprefix: WARD\ntitle: 区の独自規程\nlevels: [item]\n"
        "source_ref: 区の規程 [R]\ncontrols: controls.csv\n", encoding="utf-8")
    (edition / "controls.csv").write_text(
        "id,parent,level,title,summary,source_ref,provenance\n1,,item,端末の施錠,離席時は端末を施錠する。,区の規程,R\n",
        encoding="utf-8")
    kg = cm.load(tmp_path / "data")
    assert [c.notation for c in kg.catalog.controls_of("wardrules@2026")] == ["1"]

"""The notebooks in notebooks/: committed without outputs, public API only, and they run top to bottom."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
# modules of controlmap a notebook may import besides the package itself (documented, public)
PUBLIC_MODULES = {"controlmap", "controlmap.export"}

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # the new paths: no DeprecationWarning from jupyter_core


def _read(path: Path):
    import nbformat

    return nbformat.read(path, as_version=4)


def _code(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def test_the_three_kinds_of_notebook_are_there():
    names = [p.name for p in NOTEBOOKS]
    assert any("explore" in n for n in names)
    assert any("committee" in n for n in names)
    assert any("export" in n for n in names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    import nbformat

    nb = _read(path)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_uses_only_the_public_api(path):
    import controlmap

    for source in _code(_read(path)):
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("controlmap"):
                assert node.module in PUBLIC_MODULES, node.module
                assert all(not a.name.startswith("_") for a in node.names)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("controlmap"):
                        assert alias.name in PUBLIC_MODULES, alias.name
            elif isinstance(node, ast.Attribute):
                assert not node.attr.startswith("_"), f"private name {node.attr} in {path.name}"
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "cm"):
                assert node.attr in controlmap.__all__, f"cm.{node.attr} is not in controlmap.__all__"


def _run(path: Path, cwd: Path):
    from nbclient import NotebookClient

    nb = _read(path)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def _html_outputs(nb) -> list[str]:
    return [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if o.get("output_type") in ("execute_result", "display_data") and "text/html" in o.get("data", {})]


def _errors(nb) -> list[str]:
    return [o.get("ename", "") + ": " + o.get("evalue", "") for c in nb.cells if c.cell_type == "code"
            for o in c.outputs if o.get("output_type") == "error" or o.get("name") == "stderr"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_top_to_bottom_on_the_shipped_data(path, tmp_path, monkeypatch):
    monkeypatch.setenv("CONTROLMAP_OUT", str(tmp_path / "out"))
    nb = _run(path, tmp_path)
    assert _errors(nb) == []
    html = _html_outputs(nb)
    if "export" in path.stem:
        written = sorted(p.name for p in (tmp_path / "out").iterdir())
        assert written == ["candidates.csv", "candidates.json", "candidates.md", "candidates.xlsx",
                           "committee.html", "report.html"]
        assert 'href="committee.html#node=' in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    else:
        assert any("<table" in h for h in html)  # coverage / candidate results render as tables
        assert any(h.startswith("<iframe") and "vis.Network" in h for h in html)  # the network, inline
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["out"])  # nothing written beside the notebook

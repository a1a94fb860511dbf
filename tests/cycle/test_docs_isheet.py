"""The Python example of docs/isheet.md runs as written, on a filled I-sheet and a survey export."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from isheet_fill import fill
from test_isheet_cycle import _answers_cp932

import controlmap as cm

DOC = Path(__file__).resolve().parents[2] / "docs" / "isheet.md"


def _example() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## The same in Python"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_python_example_of_the_isheet_guide_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    cm.isheet.write_isheet(cm.isheet.new_isheet(cm.load(), 2026), "isheet-2026.xlsx")
    fill(tmp_path / "isheet-2026.xlsx", day=date(2026, 6, 1))
    _answers_cp932(tmp_path / "answers.csv")
    exec(compile(_example(), str(DOC), "exec"), {})
    assert "# I-sheet 引継ぎ: 2026年度 → 2027年度" in capsys.readouterr().out
    assert cm.decisions.read_decisions("decisions.yaml")["C-JISQ15001-2006-3.6"].state.value == "under_review"
    assert cm.isheet.read_isheet("isheet-2027.xlsx", strict=False).year == 2027
    assert (tmp_path / "shared" / "adopted-items.csv").exists()


def test_the_namespaces_offer_the_cycle_and_its_files():
    for name, wanted in {
        "isheet": ("new_isheet", "read_isheet", "write_isheet", "check_isheet", "diff_isheets", "diff_markdown"),
        "decisions": ("read_decisions", "write_decisions", "register", "transition", "decide", "TransitionError"),
        "survey": ("questionnaire", "write_questionnaire", "read_answers", "aggregate", "read_proposals"),
        "review": ("accept", "read_reviewed", "read_rejections", "write_rejections", "append_curated"),
        "sharing": ("scrub", "shared_records", "export_shared"),
    }.items():
        namespace = getattr(cm, name)
        assert namespace.__name__ == f"controlmap.workflows.{name}"
        assert set(wanted) <= set(namespace.__all__) and all(hasattr(namespace, w) for w in wanted)

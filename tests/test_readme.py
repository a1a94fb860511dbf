"""The README tells the truth about the shipped data: the main job's summary and the Python example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import controlmap as cm
from controlmap.export.text import gap_summary_text

README = Path(__file__).resolve().parents[1] / "README.md"
_ROW = re.compile(r"^(\S+@\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+\.\d%|—)$")
_CANDIDATES = re.compile(r"追加点検項目の候補 (\d+) 件: 高 (\d+) / 中 (\d+) / 低 (\d+)")


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else None]


def _blocks(section: str, language: str | None = None) -> list[str]:
    """The fenced code blocks of a section (only those of ``language`` when given), without the fences."""
    blocks: list[str] = []
    lines: list[str] | None = None
    fence_language = ""
    for line in section.splitlines():
        if line.startswith("```"):
            if lines is None:
                lines, fence_language = [], line[3:].strip()
                continue
            if language is None or fence_language == language:
                blocks.append("\n".join(lines) + "\n")
            lines = None
        elif lines is not None:
            lines.append(line)
    return blocks


def _figures(text: str) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...] | None]:
    """(framework -> covered, partial, gap, unassessed, not applicable, coverage %) and the candidate counts."""
    rows = {m.group(1): m.groups()[1:] for line in text.splitlines() if (m := _ROW.match(line.strip()))}
    found = _CANDIDATES.search(text)
    return rows, found.groups() if found else None


@pytest.fixture(scope="module")
def summary() -> str:
    return gap_summary_text(cm.gaps(cm.load(), "mic", ["jisq15001", "govt_unified_std"]))


@pytest.fixture(scope="module")
def readme_summary() -> str:
    blocks = [b for b in _blocks(_section("The main job")) if "追加点検項目の候補" in b]
    assert len(blocks) == 1, "README's main job shows one summary block"
    return blocks[0]


def test_the_main_job_figures_are_those_of_the_shipped_data(summary, readme_summary):
    rows, candidates = _figures(readme_summary)
    assert set(rows) == {"jisq15001@2006", "govt_unified_std@2021"} and candidates is not None
    assert (rows, candidates) == _figures(summary), "update README's main job summary: the figures moved"


def test_the_main_job_summary_lines_are_printed_as_shown(summary, readme_summary):
    shown = [line for line in readme_summary.splitlines() if line.strip() and line.strip() != "…"]
    printed = summary.splitlines()
    assert shown == printed[:len(shown)]


def test_the_python_example_runs():
    code = _blocks(_section("Python"), "python")[0]
    namespace: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), namespace)  # the README's own example, on the shipped data
    assert isinstance(namespace["result"], cm.GapResult)

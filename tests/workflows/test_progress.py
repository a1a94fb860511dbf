"""Progress bars: silent for small work and for a stream that is no terminal; shown when forced or asked for."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

import controlmap as cm
from controlmap.io.loader import load_data_dir
from controlmap.workflows.progress import LOAD_ROWS, Progress, wanted

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import synth


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """A synthetic data directory of 60,000 mapping rows (more than LOAD_ROWS)."""
    cw = synth.generate(synth.Size("progress", 4, 400, 60_000, 12))
    return synth.write_data_dir(cw, tmp_path_factory.mktemp("large") / "data")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return synth.write_data_dir(synth.generate("tiny"), tmp_path_factory.mktemp("small") / "data")


def _load(root: Path, stream: io.StringIO, force: bool | None = None) -> str:
    with Progress("loading mappings", "file", LOAD_ROWS, force=force, stream=stream) as bar:
        catalog = load_data_dir(root, progress=bar.on_mapping_file())
    assert catalog.mapping_sets
    return stream.getvalue()


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv("CONTROLMAP_PROGRESS", raising=False)


def test_a_large_load_on_a_stream_that_is_no_terminal_prints_nothing(large):
    assert _load(large, Pipe()) == ""


def test_a_large_load_on_a_terminal_shows_files_and_rows(large):
    out = _load(large, Terminal())
    assert "loading mappings" in out and "/12 " in out and "rows=" in out


def test_a_small_load_on_a_terminal_stays_silent(small):
    assert _load(small, Terminal()) == ""


def test_force_shows_a_bar_on_a_pipe(large):
    assert "loading mappings" in _load(large, Pipe(), force=True)


def test_the_environment_turns_the_bar_on_and_off(monkeypatch, capsys, small):
    monkeypatch.setenv("CONTROLMAP_PROGRESS", "1")
    cm.load(data_dir=small)
    assert "loading mappings" in capsys.readouterr().err
    monkeypatch.setenv("CONTROLMAP_PROGRESS", "0")
    assert not wanted(10 * LOAD_ROWS, LOAD_ROWS, stream=Terminal())
    assert _load(small, Terminal()) == ""


def test_load_with_progress_false_is_silent_even_when_the_environment_asks(monkeypatch, capsys, small):
    monkeypatch.setenv("CONTROLMAP_PROGRESS", "1")
    cm.load(data_dir=small, progress=False)
    assert capsys.readouterr().err == ""

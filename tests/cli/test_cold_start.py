"""Building the ``controlmap`` parser (``--help``, and the start of every command) loads no heavy library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEAVY = ["numpy", "networkx", "openpyxl", "pandas", "pyoxigraph", "pyshacl", "pyvis", "rdflib", "scipy", "yaml"]


def test_building_the_parser_imports_no_heavy_library():
    code = ("import sys; from controlmap.cli.main import build_parser; build_parser(); "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.strip() == "[]"


def test_help_names_the_default_rejections_file(capsys):
    from controlmap.cli.main import main
    from controlmap.model import REJECTIONS_NAME

    with pytest.raises(SystemExit):
        main(["suggest", "--help"])
    assert f"default: {REJECTIONS_NAME} beside the output" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("module", ["controlmap", "controlmap.cli"])
def test_python_dash_m_runs_the_command_line(module):
    done = subprocess.run([sys.executable, "-m", module, "frameworks"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "jisq15001@2017" in done.stdout
    bad = subprocess.run([sys.executable, "-m", module, "gaps", "--source", "mic", "--against", "no_such_framework"],
                         capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == 2 and "no_such_framework" in bad.stderr

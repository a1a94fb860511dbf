"""deploy/make_proxy.py: codes checked, passwords kept across runs, rules match what controlmap sends."""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from controlmap.municipality import graph_iri
from controlmap.store import RemoteStore

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "make_proxy.py"


def load_script():
    spec = importlib.util.spec_from_file_location("make_proxy", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


def passwords(out: Path) -> dict[str, str]:
    with (out / "new-credentials.csv").open(encoding="utf-8") as fh:
        return {r["user"]: r["password"] for r in csv.DictReader(fh)}


def test_rules_use_exactly_the_query_string_controlmap_sends():
    script = load_script()
    store = RemoteStore("http://127.0.0.1:9")
    for code in ("131156", "011002", "472018"):
        sent = urllib.parse.urlsplit(store._graph_url(graph_iri(code))).query
        assert script.graph_args(code) == sent
        assert script.graph_iri(code) == graph_iri(code)


def test_rerun_keeps_passwords_and_rotate_replaces_one(tmp_path):
    out = tmp_path / "proxy"
    assert run("--codes", "131156", "131016", "--out", str(out)).returncode == 0
    first = passwords(out)
    hashes = (out / "htpasswd").read_text(encoding="utf-8")
    (out / "new-credentials.csv").unlink()  # handed out and deleted, as the docs say
    done = run("--codes", "131156", "131016", "011002", "--out", str(out), "--rotate", "131016")
    assert done.returncode == 0
    second = passwords(out)
    assert set(second) == {"011002", "131016"} and second["131016"] != first["131016"]
    now = (out / "htpasswd").read_text(encoding="utf-8")
    line = next(x for x in hashes.splitlines() if x.startswith("131156:"))
    assert line in now.splitlines()  # kept, not re-hashed
    conf = (out / "nginx.conf").read_text(encoding="utf-8")
    for code in ("131156", "131016", "011002"):
        assert '"graph=' + urllib.parse.quote(graph_iri(code), safe="") + f'" {code};' in conf
        assert f'"{code}|{code}" 1;' in conf
    done = run("--codes", "131156", "--out", str(out))
    assert "removed users: 011002, 131016" in done.stdout


@pytest.mark.parametrize("bad", ["131157", "13115", "abc"])
def test_bad_codes_stop_the_script(tmp_path, bad):
    done = run("--codes", bad, "--out", str(tmp_path / "p"))
    assert done.returncode != 0 and bad in done.stderr
    assert not (tmp_path / "p" / "nginx.conf").exists()

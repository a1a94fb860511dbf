"""Shared fixtures: the shipped knowledge graph, and the shipped files read independently of controlmap.

The ``shipped_*`` fixtures read ``data/`` with the csv and yaml modules only, so that tests compare
what controlmap loads against what the files say, never against controlmap's own output.
"""

from __future__ import annotations

import csv
import http.server
import os
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

import controlmap

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
BASE_IRI = "https://w3id.org/controlmap/"
NO_TERM = "sssom:NoTermFound"
# `validate` keeps SHACL findings in the user cache: tests (and the CLI they start) keep theirs in a temporary one
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="controlmap-test-cache-")


@dataclass
class ShippedEdition:
    """One ``data/<framework>/<edition>/`` directory as the files state it."""

    key: str
    meta: dict
    csv_path: Path
    rows: list[tuple[int, dict[str, str]]]  # (line number in the CSV, row)

    def control_id(self, local: str) -> str:
        return f"{self.meta['prefix']}:{local}"

    @property
    def ids(self) -> list[str]:
        return [self.control_id(r["id"]) for _, r in self.rows]

    @property
    def assessable_ids(self) -> set[str]:
        parents = {r["parent"] for _, r in self.rows if r["parent"]}
        levels = set(self.meta.get("assessable_levels") or ())
        return {self.control_id(r["id"]) for _, r in self.rows if r["id"] not in parents or r["level"] in levels}


@dataclass
class ShippedMappingFile:
    """One SSSOM TSV file: its metadata block and its rows with their line numbers."""

    path: Path
    meta: dict
    header: list[str]
    header_line: int
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    @property
    def subject_key(self) -> str:
        return _scheme_key(self.meta["subject_source"])

    @property
    def object_key(self) -> str:
        return _scheme_key(self.meta["object_source"])


def _scheme_key(iri: str) -> str:
    fid, edition = iri.removeprefix(BASE_IRI).strip("/").split("/")
    return f"{fid}@{edition}"


def read_csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return [(reader.line_num, row) for row in reader]


def read_sssom_file(path: Path) -> ShippedMappingFile:
    lines = path.read_text(encoding="utf-8").splitlines()
    meta_text = "\n".join(line[1:] for line in lines if line.startswith("#"))
    body = [(n, line) for n, line in enumerate(lines, start=1) if not line.startswith("#") and line.strip()]
    header_line, header_text = body[0]
    header = header_text.split("\t")
    out = ShippedMappingFile(path, yaml.safe_load(meta_text), header, header_line)
    out.rows = [(n, dict(zip(header, line.split("\t"), strict=True))) for n, line in body[1:]]
    return out


@pytest.fixture(scope="session")
def kg() -> controlmap.KnowledgeGraph:
    return controlmap.load()


@pytest.fixture(scope="session")
def catalog(kg) -> controlmap.Catalog:
    return kg.catalog


@pytest.fixture(scope="session")
def shipped_editions() -> dict[str, ShippedEdition]:
    """Every shipped edition keyed ``id@edition``, read with yaml and csv only."""
    out = {}
    for meta_path in sorted(DATA.glob("*/*/framework.yaml")):
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        key = f"{meta['id']}@{meta['edition']}"
        csv_path = meta_path.parent / meta["controls"]
        out[key] = ShippedEdition(key, meta, csv_path, read_csv_rows(csv_path))
    assert len(out) >= 3, "the shipped data directory was not found"
    return out


@pytest.fixture(scope="session")
def shipped_mapping_files() -> list[ShippedMappingFile]:
    files = sorted(DATA.glob("crosswalks/*.sssom.tsv")) + sorted(DATA.glob("mappings/*.sssom.tsv"))
    assert files, "no shipped SSSOM files found"
    return [read_sssom_file(p) for p in files]


DEMO_META = """\
id: demo
edition: '1'
prefix: DEMO
title: 例示用の点検表
levels: [chapter, item]
controls: {controls}
"""


@pytest.fixture
def write_framework(tmp_path):
    """Write ``framework.yaml`` plus a controls file (text or raw bytes) into a fresh directory.

    Returns ``(yaml_path, controls_path)``; the controls path is resolved as controlmap resolves it.
    """
    counter = iter(range(1000))

    def write(controls: str | bytes, *, name: str = "controls.csv", encoding: str = "utf-8",
              meta: str = DEMO_META) -> tuple[Path, Path]:
        folder = tmp_path / f"fw{next(counter)}"
        folder.mkdir()
        data = controls if isinstance(controls, bytes) else textwrap.dedent(controls).encode(encoding)
        (folder / name).write_bytes(data)
        (folder / "framework.yaml").write_text(meta.format(controls=name), encoding="utf-8")
        return folder / "framework.yaml", (folder / name).resolve()

    return write


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records the path of every request and answers with a JSON-LD context
    (network-hardening tests point attack files and queries at it and expect no request)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            body = b'{"@context": {"t": "http://purl.org/dc/terms/title"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

"""The shared knowledge base's SPARQL server for tests: Oxigraph or Virtuoso 7 on 127.0.0.1, own data folder.

    @pytest.fixture(scope="module", params=KB_SERVERS)
    def server(request, tmp_path_factory):
        with kb_server(request.param, tmp_path_factory.mktemp(request.param)) as srv:
            yield srv            # srv.url: the --store URL (virtuoso+http://… for Virtuoso), srv.kind

A Virtuoso run is skipped (with the reason) where Debian's virtuoso-opensource is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from servers.virtuoso import ISQL, VIRTUOSO_T, VirtuosoServer

from controlmap.store.server import OxigraphServer

KB_SERVERS = ("oxigraph", "virtuoso")


@dataclass(frozen=True)
class KbServer:
    kind: str
    url: str       # what --store / open_store take
    base: str      # the plain http:// base URL


@contextmanager
def kb_server(kind: str, directory: Path) -> Iterator[KbServer]:
    if kind == "oxigraph":
        with OxigraphServer(directory / "db") as srv:
            yield KbServer(kind, srv.url, srv.url)
        return
    if VIRTUOSO_T is None or ISQL is None:
        pytest.skip("Virtuoso 7 not installed (Debian: apt-get install virtuoso-opensource)")
    with VirtuosoServer(directory / "virtuoso") as v:
        yield KbServer(kind, f"virtuoso+{v.base}", v.base)

"""Knowledge-base store adapters: memory, Oxigraph on disk, any SPARQL 1.1 server, a local server.

This package may import only the core modules (``controlmap.errors``, ``controlmap.model``, ...).
Publishing and asking peers are use cases in :mod:`controlmap.workflows`.

>>> from controlmap.store import open_store
>>> open_store()                       # the default: in memory, for one analyst
<MemoryStore memory:>
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import StoreRequestError
from .base import Row, Store
from .embedded import OxigraphStore
from .endpoints import split_server
from .memory import MemoryStore
from .remote import RemoteStore

__all__ = ["MemoryStore", "OxigraphStore", "RemoteStore", "Row", "Store", "open_store"]


def open_store(url_or_path: str | Path | Store | None = None, **options: Any) -> Store:
    """The store named by an option or URL.

    ``None``, ``""`` or ``"memory:"``
        :class:`MemoryStore` (the default).
    ``"oxigraph:DIR"``, or a directory path
        :class:`OxigraphStore` on disk (``pip install 'controlmap[store]'``).
    ``"http://..."`` / ``"https://..."``
        :class:`RemoteStore`, any SPARQL 1.1 server; ``options`` go to it (``user``, ``password``,
        ``timeout``, ``retries``, ``server``, ``protocol``, endpoint URLs).
    ``"virtuoso+http://..."``, ``"fuseki+http://.../ds"``, ``"graphdb+http://.../repositories/id"``
        :class:`RemoteStore` with that server's endpoint layout (``controlmap.store.endpoints.LAYOUTS``).

    Examples
    --------
    >>> open_store("http://131156:secret@127.0.0.1:8080", timeout=5).url
    'http://127.0.0.1:8080'
    >>> open_store("virtuoso+http://127.0.0.1:8890").query_endpoint
    'http://127.0.0.1:8890/sparql'
    >>> open_store("ftp://example.org/kb")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    controlmap.errors.StoreRequestError: 'ftp://example.org/kb': a store is memory:, oxigraph:DIR, ...
    """
    if isinstance(url_or_path, Store):
        return url_or_path
    if url_or_path is None or str(url_or_path) in ("", "memory", "memory:"):
        return MemoryStore()
    if isinstance(url_or_path, Path):
        return OxigraphStore(url_or_path)
    text = str(url_or_path)
    if text.startswith(("http://", "https://")) or split_server(text)[0] is not None:
        return RemoteStore(text, **options)
    if text.startswith("oxigraph:"):
        return OxigraphStore(text.removeprefix("oxigraph:").removeprefix("//"))
    if "://" in text:
        raise StoreRequestError(
            f"{text!r}: a store is memory:, oxigraph:DIR, a directory or an [server+]http(s) URL")
    return OxigraphStore(text)

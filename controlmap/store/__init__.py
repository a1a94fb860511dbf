"""Knowledge-base stores (memory, Oxigraph on disk, any SPARQL 1.1 server) and the shared municipal knowledge base.

>>> from controlmap.store import open_store
>>> open_store()                       # the default: in memory, for one analyst
<MemoryStore memory:>
"""

from __future__ import annotations

from pathlib import Path

from ..errors import StoreRequestError
from .base import Row, Store
from .codes import check_digit, graph_iri, municipality_code, municipality_of_graph
from .embedded import OxigraphStore
from .memory import MemoryStore
from .peers import PeerItem, PeersResult, peers
from .publish import AdoptedItem, adopted_items, check_publication, coverage_summary, publication_graph, publish
from .remote import RemoteStore

__all__ = [
    "AdoptedItem",
    "MemoryStore",
    "OxigraphStore",
    "PeerItem",
    "PeersResult",
    "RemoteStore",
    "Row",
    "Store",
    "adopted_items",
    "check_digit",
    "check_publication",
    "coverage_summary",
    "graph_iri",
    "municipality_code",
    "municipality_of_graph",
    "open_store",
    "peers",
    "publication_graph",
    "publish",
]


def open_store(url_or_path: "str | Path | Store | None" = None, **options) -> Store:
    """The store named by an option or URL.

    ``None``, ``""`` or ``"memory:"``
        :class:`MemoryStore` (the default).
    ``"oxigraph:DIR"``, or a directory path
        :class:`OxigraphStore` on disk (``pip install 'controlmap[store]'``).
    ``"http://..."`` / ``"https://..."``
        :class:`RemoteStore`, any SPARQL 1.1 server; ``options`` go to it (``user``, ``password``,
        ``timeout``, ``retries``, endpoint URLs).

    Examples
    --------
    >>> open_store("http://131156:secret@127.0.0.1:8080", timeout=5).url
    'http://127.0.0.1:8080'
    >>> open_store("ftp://example.org/kb")
    Traceback (most recent call last):
    ...
    controlmap.errors.StoreRequestError: 'ftp://example.org/kb': a store is memory:, oxigraph:DIR, a directory or an http(s) URL
    """
    if isinstance(url_or_path, Store):
        return url_or_path
    if url_or_path is None or str(url_or_path) in ("", "memory", "memory:"):
        return MemoryStore()
    if isinstance(url_or_path, Path):
        return OxigraphStore(url_or_path)
    text = str(url_or_path)
    if text.startswith(("http://", "https://")):
        return RemoteStore(text, **options)
    if text.startswith("oxigraph:"):
        return OxigraphStore(text.removeprefix("oxigraph:").removeprefix("//"))
    if "://" in text:
        raise StoreRequestError(f"{text!r}: a store is memory:, oxigraph:DIR, a directory or an http(s) URL")
    return OxigraphStore(text)

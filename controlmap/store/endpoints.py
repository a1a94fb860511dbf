"""SPARQL endpoint layouts of the servers controlmap was tried with, and how a store URL names one.

``open_store("virtuoso+http://host:8890")`` or ``--store fuseki+http://host:3030/ds`` pick a layout; a plain
``http(s)://`` URL is Oxigraph's layout (``/query``, ``/update``, ``/store``), and explicit endpoint URLs
override any layout. Queries and updates are sent form-encoded (``query=`` / ``update=``, SPARQL 1.1 Protocol
2.1.2 / 2.2.1), which every server answers; Virtuoso 7 never answers a direct ``application/sparql-query`` POST.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LAYOUTS", "Layout", "split_server"]


@dataclass(frozen=True)
class Layout:
    """Paths under the base URL, and what the server needs told apart from the SPARQL 1.1 defaults."""

    name: str
    query: str
    update: str
    store: str
    #: IRIs of graphs the server keeps for itself (listed by ``GRAPH ?g``), never ours
    system_graphs: tuple[str, ...] = ()


LAYOUTS: dict[str, Layout] = {
    "oxigraph": Layout("oxigraph", "/query", "/update", "/store"),
    "fuseki": Layout("fuseki", "/query", "/update", "/data"),  # under the dataset URL: http://host:3030/ds
    "virtuoso": Layout("virtuoso", "/sparql", "/sparql", "/sparql-graph-crud", system_graphs=(
        "http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://localhost:", "http://localuriqaserver/",
        "urn:activitystreams-owl:",
        "http://www.w3.org/2002/07/owl#")),
    "graphdb": Layout("graphdb", "", "/statements", "/rdf-graphs/service"),  # under /repositories/<id>
}


def split_server(url: str) -> tuple[str | None, str]:
    """``(layout name or None, http(s) URL)`` of a store URL such as ``virtuoso+http://host:8890``.

    >>> split_server("virtuoso+http://127.0.0.1:8890"), split_server("https://kb.example.lg.jp")
    (('virtuoso', 'http://127.0.0.1:8890'), (None, 'https://kb.example.lg.jp'))
    """
    head, sep, rest = url.partition("+")
    if sep and head.lower() in LAYOUTS and rest.startswith(("http://", "https://")):
        return head.lower(), rest
    return None, url

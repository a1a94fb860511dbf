"""The Store interface every back end implements: named graphs in, SPARQL results out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import StoreRequestError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = ["Row", "Store", "check_graph_iri", "insert_data_update"]

Row = dict[str, "Node"]


def check_graph_iri(iri: str) -> str:
    """``iri`` when it is an absolute http(s) IRI that is safe to write between ``<`` and ``>`` in SPARQL.

    >>> check_graph_iri("https://w3id.org/controlmap/municipality/131156")
    'https://w3id.org/controlmap/municipality/131156'
    >>> check_graph_iri("https://x/> } ; DROP ALL ; #")
    Traceback (most recent call last):
    ...
    controlmap.errors.StoreRequestError: not a graph IRI: 'https://x/> } ; DROP ALL ; #'
    """
    text = str(iri)
    bad = set('<>"{}|^`\\ \t\r\n')
    if not text.startswith(("http://", "https://", "urn:")) or any(ch in bad for ch in text):
        raise StoreRequestError(f"not a graph IRI: {text!r}")
    return text


def insert_data_update(graph_iri: str, graph: Graph) -> str:
    """One SPARQL Update that replaces ``graph_iri`` with ``graph``: DROP then INSERT DATA, atomic in one request."""
    body = graph.serialize(format="nt")
    iri = check_graph_iri(graph_iri)
    return f"DROP SILENT GRAPH <{iri}> ;\nINSERT DATA {{ GRAPH <{iri}> {{\n{body}}} }}"


class Store(ABC):
    """Named graphs of a knowledge base on one back end.

    Every back end offers the same operations; :func:`controlmap.store.open_store` picks one.
    ``replace_graph`` is atomic: readers see the old graph or the new one, never a mix or nothing,
    also when the writer dies midway.
    """

    url: str = ""

    @abstractmethod
    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        """Replace the named graph ``graph_iri`` with the triples of ``graph`` in one atomic step."""

    @abstractmethod
    def get_graph(self, graph_iri: str) -> Graph:
        """The triples of a named graph (empty when it does not exist)."""

    @abstractmethod
    def delete_graph(self, graph_iri: str) -> None:
        """Remove a named graph; removing a missing graph is not an error."""

    @abstractmethod
    def select(self, query: str) -> list[Row]:
        """Run a SPARQL SELECT; each row maps a variable name to an rdflib term (unbound names left out)."""

    @abstractmethod
    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update (a shared server behind the proxy refuses this to municipalities)."""

    def graphs(self) -> list[str]:
        """The IRIs of every non-empty named graph, sorted."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r["g"]) for r in rows if "g" in r)

    def close(self) -> None:  # noqa: B027 - most stores hold nothing to release; those that do override it
        """Release files or connections; the store is unusable afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


def rows_from_vars(variables: Iterable[str], solutions: Iterable) -> list[Row]:
    """Rows from variable names and solutions (mappings name -> term or None), unbound names left out."""
    names = list(variables)
    out = []
    for sol in solutions:
        row = {}
        for name in names:
            value = sol.get(name)
            if value is not None:
                row[name] = value
        out.append(row)
    return out

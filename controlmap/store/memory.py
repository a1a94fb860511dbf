"""MemoryStore: named graphs in an rdflib Dataset in this process (the default for one analyst)."""

from __future__ import annotations

import threading
import warnings
from contextlib import contextmanager

from rdflib import Dataset, Graph, URIRef

from ..errors import StoreRequestError
from .base import Row, Store, check_graph_iri, rows_from_vars

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    """An in-memory store; nothing is written to disk.

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> store = MemoryStore()
    >>> g = Graph(); _ = g.add((URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("一")))
    >>> store.replace_graph("urn:x:g", g)
    >>> store.graphs(), len(store.get_graph("urn:x:g"))
    (['urn:x:g'], 1)
    """

    def __init__(self) -> None:
        self.url = "memory:"
        self._dataset = Dataset(default_union=False)
        self._lock = threading.RLock()

    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        iri = URIRef(check_graph_iri(graph_iri))
        triples = list(graph)  # read the whole input before touching the store
        with self._lock, _quiet():
            target = self._dataset.graph(iri)
            target.remove((None, None, None))
            for triple in triples:
                target.add(triple)

    def get_graph(self, graph_iri: str) -> Graph:
        iri = URIRef(check_graph_iri(graph_iri))
        out = Graph()
        with self._lock, _quiet():
            for triple in self._dataset.graph(iri):
                out.add(triple)
        return out

    def delete_graph(self, graph_iri: str) -> None:
        iri = URIRef(check_graph_iri(graph_iri))
        with self._lock, _quiet():
            self._dataset.remove_graph(self._dataset.graph(iri))

    def select(self, query: str) -> list[Row]:
        with self._lock, _quiet():
            try:
                result = self._dataset.query(query)
                if result.type != "SELECT":
                    raise StoreRequestError("select() needs a SELECT query", url=self.url)
                return rows_from_vars([str(v) for v in result.vars or ()], [_by_name(r) for r in result])
            except StoreRequestError:
                raise
            except Exception as err:  # rdflib raises pyparsing / its own errors
                raise StoreRequestError(f"SPARQL query failed: {err}", url=self.url) from err

    def update(self, update: str) -> None:
        with self._lock, _quiet():
            try:
                self._dataset.update(update)
            except Exception as err:
                raise StoreRequestError(f"SPARQL update failed: {err}", url=self.url) from err


def _by_name(row) -> dict:
    return {str(k): v for k, v in row.asdict().items()}


@contextmanager
def _quiet():
    """Silence rdflib 7's own deprecation warning raised inside Dataset.query/update (not our call)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Dataset\.\w+ is deprecated", category=DeprecationWarning)
        yield

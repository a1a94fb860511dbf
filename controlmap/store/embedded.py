"""OxigraphStore: named graphs in an Oxigraph database on disk (pyoxigraph), for graphs too large for memory."""

from __future__ import annotations

import threading
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from ..errors import ExportError, StoreRequestError, StoreUnavailableError
from .base import Row, Store, check_graph_iri, insert_data_update

__all__ = ["OxigraphStore", "from_oxigraph_term"]


def _pyoxigraph():
    try:
        import pyoxigraph
    except ImportError as err:  # pragma: no cover - depends on the installed extras
        raise ExportError("the on-disk store needs pyoxigraph: pip install 'controlmap[store]'") from err
    return pyoxigraph


def from_oxigraph_term(term):
    """The rdflib term for a pyoxigraph term (None stays None)."""
    if term is None:
        return None
    ox = _pyoxigraph()
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreRequestError(f"unsupported term in a result: {term!r}")


class OxigraphStore(Store):
    """An Oxigraph database in a directory; one process may open it at a time.

    Every write is one SPARQL Update, which Oxigraph runs as a transaction, so ``replace_graph`` is atomic.

    Examples
    --------
    >>> import tempfile
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph(); _ = g.add((URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("一")))
    >>> with tempfile.TemporaryDirectory() as d, OxigraphStore(d) as store:
    ...     store.replace_graph("urn:x:g", g)
    ...     store.graphs()
    ['urn:x:g']
    """

    def __init__(self, path: str | Path):
        ox = _pyoxigraph()
        self.path = Path(path)
        self.url = f"oxigraph:{self.path}"
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self._store = ox.Store(str(self.path))
        except OSError as err:
            raise StoreUnavailableError(
                f"cannot open the Oxigraph database in {self.path}: {err} "
                "(is another process using it? Only one process may open an on-disk store)", url=self.url) from err
        self._lock = threading.RLock()

    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        self.update(insert_data_update(graph_iri, graph))

    def get_graph(self, graph_iri: str) -> Graph:
        ox = _pyoxigraph()
        node = ox.NamedNode(check_graph_iri(graph_iri))
        out = Graph()
        with self._lock:
            if not self._store.contains_named_graph(node):
                return out
            data = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node)
        if data:
            out.parse(data=data.decode("utf-8"), format="nt")
        return out

    def delete_graph(self, graph_iri: str) -> None:
        self.update(f"DROP SILENT GRAPH <{check_graph_iri(graph_iri)}>")

    def select(self, query: str) -> list[Row]:
        ox = _pyoxigraph()
        with self._lock:
            try:
                solutions = self._store.query(query)
            except (SyntaxError, ValueError, OSError) as err:
                raise StoreRequestError(f"SPARQL query failed: {err}", url=self.url) from err
            if not isinstance(solutions, ox.QuerySolutions):
                raise StoreRequestError("select() needs a SELECT query", url=self.url)
            names = [v.value for v in solutions.variables]
            rows = []
            for sol in solutions:
                row = {}
                for name in names:
                    value = sol[name]
                    if value is not None:
                        row[name] = from_oxigraph_term(value)
                rows.append(row)
            return rows

    def update(self, update: str) -> None:
        with self._lock:
            try:
                self._store.update(update)
            except (SyntaxError, ValueError, OSError) as err:
                raise StoreRequestError(f"SPARQL update failed: {err}", url=self.url) from err

    def close(self) -> None:
        with self._lock:
            store = getattr(self, "_store", None)
            if store is not None:
                store.flush()
                self._store = None

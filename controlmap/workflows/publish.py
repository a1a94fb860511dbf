"""Publish a municipality's adopted items to a store: build the publication graph, check it, replace the graph."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from rdflib import Graph

from ..graph.publication import check_publication, publication_graph
from ..model import Catalog, HasCatalog
from ..municipality import graph_iri
from ..store.base import Store

__all__ = ["publish"]


def publish(store: Store, municipality: str | int, items: Iterable[Any], coverage: Iterable[Mapping] = (), *,
            catalog: HasCatalog | Catalog, modified: datetime | None = None,
            forbidden: Iterable[str] = ()) -> Graph:
    """Replace the municipality's graph in ``store`` with its publication, atomically; returns what was sent.

    Nothing is sent when the publication fails :func:`~controlmap.graph.publication.check_publication`;
    the previous graph stays.

    >>> import controlmap as cm
    >>> from controlmap.graph.publication import AdoptedItem
    >>> store = cm.open_store()
    >>> item = AdoptedItem(id="MIC-ADD-01", candidate_id="C-JISQ15001-2006-3.6", title="苦情の受付",
    ...                    check_question="苦情を受け付けているか。", targets=("JISQ15001-2006:3.6",))
    >>> len(publish(store, "131156", [item], catalog=cm.load())) > 0
    True
    """
    graph = publication_graph(municipality, items, coverage, catalog=catalog, modified=modified)
    check_publication(graph, forbidden=forbidden)
    store.replace_graph(graph_iri(municipality), graph)
    return graph

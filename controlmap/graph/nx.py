"""Catalog -> NetworkX MultiDiGraph: controls and editions as nodes, hierarchy and mappings as edges."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import NO_TERM, Catalog

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["to_networkx"]


def to_networkx(catalog: Catalog) -> nx.MultiDiGraph:
    """A MultiDiGraph of the catalog.

    Nodes are control ids (``kind="control"``) and edition keys (``kind="framework"``), with
    ``framework``, ``level``, ``title``, ``notation`` and ``provenance``. Edges run child -> parent
    (``kind="hierarchy"``, ``relation="broader"``) and subject -> object (``kind="mapping"``, with
    ``relation``, ``strength``, ``confidence``, ``mapping_set`` and ``curated``). Rows that state no
    relationship (``sssom:NoTermFound`` on one side) have no edge to draw and are left out.

    Examples
    --------
    >>> from controlmap.model import Catalog, Control, Framework
    >>> fw = Framework(id="demo", edition="1", prefix="D", title="例")
    >>> cs = (Control("D:1", "demo@1", "1", None, "part", "組織"),
    ...       Control("D:1.1", "demo@1", "1.1", "D:1", "item", "責任者"))
    >>> g = to_networkx(Catalog(frameworks=(fw,), controls=cs))
    >>> sorted(g.successors("D:1.1"))
    ['D:1']
    """
    import networkx as nx

    g = nx.MultiDiGraph()
    for f in catalog.frameworks:
        g.add_node(f.key, kind="framework", framework=f.key, level="framework", title=f.title,
                   notation=f.edition_label or f.edition, provenance="")
    for c in catalog.controls:
        g.add_node(c.id, kind="control", framework=c.framework, level=c.level, title=c.title,
                   notation=c.notation, provenance=c.provenance.value, summary=c.summary)
        g.add_edge(c.id, c.parent if c.parent else c.framework, kind="hierarchy", relation="broader",
                   strength=None, confidence=None)
    for ms in catalog.mapping_sets:
        for m in ms.mappings:
            if NO_TERM in (m.subject_id, m.object_id):
                continue
            g.add_edge(m.subject_id, m.object_id, kind="mapping", relation=m.relation.value,
                       strength=m.strength, confidence=m.confidence, mapping_set=ms.id,
                       curated=m.is_curated, group=m.group or None)
    return g

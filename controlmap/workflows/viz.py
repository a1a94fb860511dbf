"""The committee network of a knowledge graph: run the gap query when given names, then draw it (``cm.viz``).

One node per control, grouped by framework and section and coloured by coverage status; the page works
offline (every script inline) and is written where the committee opens it:

>>> import tempfile
>>> from collections import Counter
>>> from pathlib import Path
>>> import controlmap as cm
>>> net = cm.viz.network(cm.load(), "mic", ["jisq15001"])
>>> Counter(n["cm"]["status"] for n in net.nodes if n["cm"]["status"] in ("gap", "partial", "covered"))
Counter({'partial': 22, 'gap': 7, 'covered': 5})
>>> saved = Path(tempfile.mkdtemp(), "committee.html")
>>> _ = saved.write_text(cm.viz.to_html(net), encoding="utf-8")
>>> "JISQ15001-2006:3.6" in saved.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..export.network import (
    EDGE_STYLES,
    FONT_STACK,
    SOURCE_COLOR,
    STATUS_COLORS,
    build_network,
    inline_html,
    network_elements,
    to_html,
)
from ..results import CoverageResult, GapResult
from .kg import KnowledgeGraph, gaps

if TYPE_CHECKING:
    from pyvis.network import Network

    from ..scope import ScopeLike

# cm.viz is the committee's namespace: the drawing constants and helpers of export.network are part of it
__all__ = ["DEFAULT_AGAINST", "EDGE_STYLES", "FONT_STACK", "SOURCE_COLOR", "STATUS_COLORS", "inline_html", "network",
           "network_elements", "query", "to_html"]

DEFAULT_AGAINST = ("jisq15001", "govt_unified_std", "lg_guideline")


def query(kg: KnowledgeGraph, source: str | GapResult | CoverageResult, against: list[str] | tuple[str, ...],
          **options: object) -> GapResult | CoverageResult:
    """``source`` as it is when it is a result already, else the gap query for its name against ``against``."""
    if isinstance(source, GapResult | CoverageResult):
        return source
    return gaps(kg, source, list(against), **options)  # type: ignore[arg-type]


def network(kg: KnowledgeGraph, source: str | GapResult | CoverageResult = "mic",
            against: list[str] | tuple[str, ...] = DEFAULT_AGAINST, *, scope: ScopeLike = "juki_net",
            threshold: int = 7, max_hops: int = 2, heading: str | None = None, height: str = "100%",
            only_status: Iterable[str] | str | None = None, collapse_sections: bool = False) -> Network:
    """The committee network as a pyvis Network: controls grouped by framework and section, coloured by status.

    ``source`` names the checklist (then ``against``, ``scope``, ``threshold`` and ``max_hops`` run
    :func:`controlmap.gaps`), or is a GapResult / CoverageResult already computed on ``kg``. The
    Network renders the offline page of :func:`to_html` (also through pyvis's own ``generate_html``
    and ``write_html``) and shows inline in Jupyter. Nothing is written to disk. For hundreds or
    thousands of controls, ``only_status="gap,partial"`` keeps those target controls and the checklist
    items they touch, and ``collapse_sections=True`` draws one node per section with its counts per status.

    Examples
    --------
    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> net = network(kg, cm.gaps(kg, "mic", ["jisq15001"]))
    >>> net.get_node("JISQ15001-2006:3.6")["cm"]["status"]
    'gap'
    >>> "https://" in to_html(net).split("<script", 1)[0]
    False
    >>> len(network(kg, cm.gaps(kg, "mic", ["jisq15001"]), collapse_sections=True).nodes) < len(net.nodes)
    True
    """
    from ..export.network_filter import parse_statuses

    result = query(kg, source, against, scope=scope, threshold=threshold, max_hops=max_hops)
    only = None if only_status is None else parse_statuses(only_status)
    return build_network(kg.catalog, result, heading=heading, height=height, only_status=only,
                         collapse_sections=collapse_sections)

"""The committee report of a knowledge graph: run the gap query when given names, render the page (``cm.committee``).

The page holds one card per candidate additional check item of :func:`controlmap.gaps`, and links every
control to the network page of :mod:`controlmap.viz`; save it where the committee reads it:

>>> import tempfile
>>> from pathlib import Path
>>> import controlmap as cm
>>> kg = cm.load()
>>> page = cm.committee.report_html(kg, "mic", ["jisq15001"], generated="2026-04-01")
>>> page.count('class="cand"') == len(cm.gaps(kg, "mic", ["jisq15001"]).candidates) == 29
True
>>> saved = Path(tempfile.mkdtemp(), "committee-report.html")
>>> _ = saved.write_text(page, encoding="utf-8")
>>> "C-JISQ15001-2006-3.6" in saved.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..export.network import as_gap_result
from ..export.report_page import ReportPage, heatmap, node_href, render_report
from ..results import GapResult
from .kg import KnowledgeGraph
from .viz import DEFAULT_AGAINST, query

if TYPE_CHECKING:
    from ..scope import ScopeLike
    from .peers import PeersResult

__all__ = ["ReportPage", "heatmap", "node_href", "report", "report_html"]


def report_html(kg: KnowledgeGraph, source: str | GapResult = "mic",
                against: list[str] | tuple[str, ...] = DEFAULT_AGAINST, *, scope: ScopeLike = "juki_net",
                threshold: int = 7, max_hops: int = 2, network_href: str = "committee.html",
                title: str | None = None, generated: str | None = None, peers: PeersResult | None = None) -> str:
    """The committee report as one self-contained HTML page (no script, style or font fetched; A4 print CSS).

    It shows coverage per reference framework and section as bars, a heatmap of checklist chapters ×
    reference sections, every candidate additional check item with its reason and [R]/[I]
    provenance, and the controls excluded by the scope with their reasons. Control ids link to
    ``network_href#node=ID`` (the page of :func:`controlmap.viz.to_html`). ``source`` is a checklist
    name (then :func:`controlmap.gaps` runs with the other arguments) or a GapResult computed on
    ``kg``. Every text from the data is HTML-escaped. Nothing is written to disk. ``peers`` (a
    :class:`controlmap.workflows.peers.PeersResult`) adds the table of items other municipalities adopted.

    Examples
    --------
    >>> import controlmap as cm
    >>> page = report_html(cm.load(), "mic", ["jisq15001"], generated="2024-04-01")
    >>> "@page" in page and 'href="committee.html#node=JISQ15001-2006%3A3.6"' in page
    True
    """
    result = as_gap_result(query(kg, source, against, scope=scope, threshold=threshold, max_hops=max_hops))
    return render_report(kg.catalog, result, network_href=network_href, title=title, generated=generated,
                         peers=peers)


def report(kg: KnowledgeGraph, source: str | GapResult = "mic",
           against: list[str] | tuple[str, ...] = DEFAULT_AGAINST, **options: object) -> ReportPage:
    """:func:`report_html` as a :class:`ReportPage`, which Jupyter displays inline; same arguments.

    >>> import controlmap as cm
    >>> page = report(cm.load(), "mic", ["jisq15001"], generated="2024-04-01")
    >>> page._repr_html_().startswith("<iframe") and str(page).startswith("<!DOCTYPE html>")
    True
    """
    page = report_html(kg, source, against, **options)  # type: ignore[arg-type]
    return ReportPage(html=page, title=str(options.get("title") or "committee report"))

"""Write the committee's two offline HTML pages: the interactive network and the printable report."""

from __future__ import annotations

from pathlib import Path

from ..errors import ExportError
from ..export.files import write_text
from ..export.network import build_network, to_html
from ..export.report_page import render_report
from ..results import GapResult
from .kg import KnowledgeGraph
from .peers import PeersResult

__all__ = ["write_network_page", "write_report_page"]


def _html_path(path: str | Path) -> Path:
    p = Path(path)
    if p.suffix.lower() not in (".html", ".htm"):
        raise ExportError(f"{p}: the page is HTML; give a file name ending in .html")
    return p


def write_network_page(kg: KnowledgeGraph, result: GapResult, path: str | Path, *,
                       only_status: list[str] | None = None, collapse_sections: bool = False
                       ) -> tuple[Path, int, int]:
    """Write the offline network page of ``result`` (thinned as ``cm.viz.network`` does); path, node/edge counts."""
    net = build_network(kg.catalog, result, only_status=only_status, collapse_sections=collapse_sections)
    return write_text(_html_path(path), to_html(net)), len(net.nodes), len(net.edges)


def write_report_page(kg: KnowledgeGraph, result: GapResult, path: str | Path, *,
                      network_href: str = "committee.html", title: str | None = None,
                      peers: PeersResult | None = None) -> Path:
    """Write the committee report of ``result``; its control links point at ``network_href``."""
    page = render_report(kg.catalog, result, network_href=network_href, title=title, peers=peers)
    return write_text(_html_path(path), page)

"""Commands ``viz`` (the interactive network page) and ``report`` (the printable committee report)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .cli import add_query_options

if TYPE_CHECKING:
    from .kg import KnowledgeGraph
    from .results import GapResult

__all__ = ["register", "write_network_page", "write_report_page"]


def _write(path: Path, text: str) -> Path:
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"{path}: the page is HTML; give a file name ending in .html")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_network_page(kg: "KnowledgeGraph", result: "GapResult", path: str | Path) -> tuple[Path, int, int]:
    """Write the offline network page of ``result``; returns the path and the node and edge counts."""
    from .viz import network, to_html

    net = network(kg, result)
    return _write(Path(path), to_html(net)), len(net.nodes), len(net.edges)


def write_report_page(kg: "KnowledgeGraph", result: "GapResult", path: str | Path, *,
                      network_href: str = "committee.html", title: str | None = None, peers=None) -> Path:
    """Write the committee report of ``result``; its control links point at ``network_href``."""
    from .committee import report_html

    return _write(Path(path), report_html(kg, result, network_href=network_href, title=title, peers=peers))


def _query(args: argparse.Namespace):
    from .kg import gaps, load

    kg = load(*args.files)
    result = gaps(kg, args.source, args.against, scope=None if args.no_scope else args.scope,
                  threshold=args.threshold, max_hops=args.max_hops)
    return kg, result


def cmd_viz(args: argparse.Namespace) -> int:
    kg, result = _query(args)
    path, n_nodes, n_edges = write_network_page(kg, result, args.output)
    print(f"wrote {path} ({n_nodes} nodes, {n_edges} edges; opens offline in a browser)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .cli_store import report_peers

    kg, result = _query(args)
    path = write_report_page(kg, result, args.output, network_href=args.network, title=args.title,
                             peers=report_peers(args, kg))
    print(f"wrote {path} ({len(result.candidates)} candidates)")
    target = (path.parent / args.network).resolve() if "://" not in args.network else None
    if target is not None and not target.exists():
        rel = os.path.relpath(target)
        against = " ".join(f"--against {a}" for a in args.against)
        print(f"note: its links open {args.network}; write it with "
              f"controlmap viz --source {args.source} {against} -o {rel}")
    return 0


def _add_common(p: argparse.ArgumentParser, default_output: str) -> None:
    p.add_argument("--source", required=True, help="checklist framework, e.g. mic")
    p.add_argument("--against", required=True, action="append", help="reference framework (repeatable)")
    p.add_argument("-o", "--output", type=Path, default=Path(default_output),
                   help=f"HTML file to write (default: {default_output})")
    add_query_options(p)


def register(sub) -> None:
    """Add the ``viz`` and ``report`` sub-commands."""
    p = sub.add_parser("viz", help="interactive network of controls and mappings as one offline HTML page")
    _add_common(p, "committee.html")
    p.set_defaults(func=cmd_viz)

    p = sub.add_parser("report", help="printable committee report (coverage, heatmap, candidates) as one HTML page")
    _add_common(p, "report.html")
    p.add_argument("--network", default="committee.html",
                   help="network page the control links open, relative to the report (default: committee.html)")
    p.add_argument("--title", help="page title (default: from the checklist's name)")
    from .cli_store import add_peers_options

    add_peers_options(p)  # --store URL: add what other municipalities adopted (shared knowledge base)
    p.set_defaults(func=cmd_report)

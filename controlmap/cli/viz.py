"""Commands ``viz`` (the interactive network page) and ``report`` (the printable committee report)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .common import add_peers_options, add_query_options, store_options

__all__ = ["register"]


def _query(args: argparse.Namespace):
    from ..workflows.kg import gaps, load

    kg = load(*args.files)
    result = gaps(kg, args.source, args.against, scope=None if args.no_scope else args.scope,
                  threshold=args.threshold, max_hops=args.max_hops)
    return kg, result


def cmd_viz(args: argparse.Namespace) -> int:
    from ..export.network_filter import parse_statuses
    from ..workflows.pages import write_network_page

    only = parse_statuses(args.only_status) if args.only_status else None
    kg, result = _query(args)
    path, n_nodes, n_edges = write_network_page(kg, result, args.output, only_status=only,
                                                collapse_sections=args.collapse_sections)
    print(f"wrote {path} ({n_nodes} nodes, {n_edges} edges; opens offline in a browser)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..workflows.pages import write_report_page
    from ..workflows.shared_kb import peers_report

    kg, result = _query(args)
    path = write_report_page(kg, result, args.output, network_href=args.network, title=args.title,
                             peers=peers_report(store_options(args), getattr(args, "municipality", None), kg))
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
    p.add_argument("--only-status", metavar="STATUSES",
                   help="draw only target controls of these statuses, e.g. gap,partial (with the checklist items "
                        "they touch)")
    p.add_argument("--collapse-sections", action="store_true",
                   help="one node per section with its counts per status (for hundreds or thousands of controls)")
    p.set_defaults(func=cmd_viz)

    p = sub.add_parser("report", help="printable committee report (coverage, heatmap, candidates) as one HTML page")
    _add_common(p, "report.html")
    p.add_argument("--network", default="committee.html",
                   help="network page the control links open, relative to the report (default: committee.html)")
    p.add_argument("--title", help="page title (default: from the checklist's name)")
    add_peers_options(p)  # --store URL: add what other municipalities adopted (shared knowledge base)
    p.set_defaults(func=cmd_report)

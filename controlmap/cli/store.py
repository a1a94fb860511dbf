"""Commands ``publish``, ``peers`` and ``serve-local``: the shared knowledge base of many municipalities."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import DEFAULT_AGAINST, add_store_options, emit, store_options

__all__ = ["register"]


def cmd_publish(args: argparse.Namespace) -> int:
    from ..workflows.shared_kb import publish_items, shown_url

    done = publish_items(args.municipality, store=store_options(args), decisions=args.decisions,
                         items=args.items or (), adopt=args.adopt or (), source=args.source,
                         against=args.against or DEFAULT_AGAINST, scope=None if args.no_scope else args.scope,
                         files=args.files, output=args.output, dry_run=args.dry_run)
    if done.output:
        print(f"wrote {done.output} ({len(done.graph)} triples)")
    if done.sent:
        from ..municipality import graph_iri

        print(f"published {done.items} adopted items of {done.code} to {shown_url(args.store)} "
              f"as <{graph_iri(done.code)}> ({len(done.graph)} triples; the previous graph was replaced)")
    return 0


def cmd_peers(args: argparse.Namespace) -> int:
    from ..workflows.kg import load
    from ..workflows.shared_kb import StoreOptions, ask_peers, format_peers

    options = store_options(args) or StoreOptions(args.store)
    result = ask_peers(options, args.municipality, load(*args.files))
    text = format_peers(result, args.format, only_lacking=args.lacking, limit=args.limit)
    emit(text, args.output, args.format, f"{len(result.items)} items from {result.municipalities} municipalities")
    return 0


def cmd_serve_local(args: argparse.Namespace) -> int:
    from ..workflows.shared_kb import serve_local

    def ready(url: str) -> None:
        print(f"Oxigraph serves {args.location} at {url} (query /query, update /update, graphs /store); "
              "Ctrl-C stops it", flush=True)

    serve_local(args.location, args.port, ready)
    return 0


def register(sub) -> None:
    """Add ``publish``, ``peers`` and ``serve-local`` to the ``controlmap`` command."""
    from ..workflows.shared_kb import PEERS_FORMATS

    p = sub.add_parser("publish", help="replace this municipality's graph in the shared knowledge base with its "
                                       "adopted items (never evidence or names)")
    p.add_argument("--municipality", required=True, help="全国地方公共団体コード, 6 digits, e.g. 131156")
    add_store_options(p, required=False)
    p.add_argument("--decisions", type=Path, help="committee decisions file: its adopted candidates are published")
    p.add_argument("--items", type=Path, action="append",
                   help="adopted items: adopted-items.csv of a sharing export, a CSV or JSON (repeatable)")
    p.add_argument("--adopt", action="append", metavar="CANDIDATE_ID", help="a candidate id to publish (repeatable)")
    p.add_argument("--source", default="mic", help="checklist (default mic)")
    p.add_argument("--against", action="append", help="reference framework (repeatable; default jisq15001 and "
                                                       "govt_unified_std)")
    p.add_argument("--scope", default="juki_net", help="scope of the coverage summary (default juki_net)")
    p.add_argument("--no-scope", action="store_true", help="mark nothing not applicable")
    p.add_argument("-o", "--output", type=Path, help="also write the publication as Turtle, to review it")
    p.add_argument("--dry-run", action="store_true", help="build and check the publication, send nothing")
    p.add_argument("--load", dest="files", action="append", default=[], metavar="FILE", help="extra file to load")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("peers", help="which additional items how many municipalities adopted, and which one lacks")
    add_store_options(p)
    p.add_argument("--municipality", help="全国地方公共団体コード of the municipality asking")
    p.add_argument("--lacking", action="store_true", help="only items this municipality has not adopted")
    p.add_argument("--limit", type=int, help="at most this many items")
    p.add_argument("--format", choices=PEERS_FORMATS, default="table")
    p.add_argument("-o", "--output", type=Path, help="write to a file instead of the terminal")
    p.add_argument("--load", dest="files", action="append", default=[], metavar="FILE", help="extra file to load")
    p.set_defaults(func=cmd_peers)

    p = sub.add_parser("serve-local", help="run an Oxigraph SPARQL server on 127.0.0.1 for this machine only")
    p.add_argument("--location", type=Path, default=Path("controlmap-kb"), help="database directory")
    p.add_argument("--port", type=int, default=7878)
    p.set_defaults(func=cmd_serve_local)

"""Commands ``publish``, ``peers`` and ``serve-local``: the shared knowledge base of many municipalities."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, Problem
from .common import emit

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["add_peers_options", "open_store_from_args", "read_items", "register", "report_peers"]

PASSWORD_ENV = "CONTROLMAP_STORE_PASSWORD"
USER_ENV = "CONTROLMAP_STORE_USER"
DEFAULT_AGAINST = ("jisq15001", "govt_unified_std")
PEERS_FORMATS = ("table", "md", "html", "csv", "json")


def read_items(path: str | Path) -> list[dict]:
    """Adopted-item records from a sharing export (``adopted-items.csv``), a CSV or a JSON list.

    CSV may be UTF-8 or cp932; a leading ``'`` that neutralised a spreadsheet formula is removed again.
    """
    from ..io.encoding import decode

    p = Path(path)
    text = decode(p.read_bytes(), str(p))
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as err:
            raise DataError([Problem(str(p), None, None, f"not JSON: {err}")]) from err
        records = data.get("items", data) if isinstance(data, dict) else data
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise DataError([Problem(str(p), None, None, "expected a list of objects (or {\"items\": [...]})")])
        return records
    rows = list(csv.DictReader(io.StringIO(text)))
    return [{k: _unneutralise(v) for k, v in row.items() if k} for row in rows]


def _unneutralise(value: str | None) -> str:
    value = value or ""
    return value[1:] if len(value) > 1 and value[0] == "'" and value[1] in "=+-@" else value


def open_store_from_args(args: argparse.Namespace) -> Store:
    """The store of ``--store`` with the credential of ``--user`` and ``CONTROLMAP_STORE_PASSWORD``."""
    from ..store import open_store

    url = args.store
    options = {}
    if "http://" in str(url) or "https://" in str(url):  # http(s)://… or virtuoso+http://… and the like
        user = args.user or os.environ.get(USER_ENV)
        password = os.environ.get(PASSWORD_ENV)
        if args.password_file:
            password = Path(args.password_file).read_text(encoding="utf-8").strip()
        options = {"user": user, "password": password, "timeout": args.timeout, "retries": args.retries,
                   "protocol": getattr(args, "sparql_protocol", "form")}
        for name in ("query_endpoint", "update_endpoint", "store_endpoint"):
            if getattr(args, name, None):
                options[name] = getattr(args, name)
        if user is None:
            options.pop("user")
            options.pop("password")
    return open_store(url, **options)


def _add_store_options(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument("--store", required=required, metavar="URL",
                   help="http(s) URL of the SPARQL server or its proxy (Oxigraph's /query /update /store), "
                        "virtuoso+http://HOST:8890, fuseki+http://HOST:3030/DATASET, "
                        "graphdb+http://HOST:7200/repositories/ID, oxigraph:DIR, a directory, or memory:")
    p.add_argument("--query-endpoint", metavar="URL", help="full URL of the SPARQL query endpoint (any layout)")
    p.add_argument("--update-endpoint", metavar="URL", help="full URL of the SPARQL update endpoint")
    p.add_argument("--store-endpoint", metavar="URL", help="full URL of the Graph Store Protocol endpoint")
    p.add_argument("--sparql-protocol", choices=("form", "direct"), default="form",
                   help="send queries/updates form-encoded (default; every server answers it) or as "
                        "application/sparql-query / -update bodies")
    p.add_argument("--user", help=f"user name for the proxy (default: ${USER_ENV} or user@ in the URL); "
                                  f"the password comes from ${PASSWORD_ENV} or --password-file")
    p.add_argument("--password-file", type=Path, help="file holding the password (first line)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait per request (default 30)")
    p.add_argument("--retries", type=int, default=3, help="repeats of a failed request, with backoff (default 3)")


def add_peers_options(p: argparse.ArgumentParser) -> None:
    """Options that add the peers table to another command (the committee ``report``)."""
    _add_store_options(p, required=False)
    p.add_argument("--municipality", help="全国地方公共団体コード: with --store, the report shows what peers adopted")


def report_peers(args: argparse.Namespace, kg):
    """The peers result for a report when ``--store`` was given, else None."""
    from ..workflows.peers import peers

    if not getattr(args, "store", None):
        return None
    with open_store_from_args(args) as store:
        return peers(store, getattr(args, "municipality", None), catalog=kg)


def cmd_publish(args: argparse.Namespace) -> int:
    from ..graph.publication import adopted_items, coverage_summary, publication_graph
    from ..municipality import graph_iri, municipality_code
    from ..workflows.kg import gaps, load

    code = municipality_code(args.municipality)
    if not (args.items or args.decisions or args.adopt):
        raise ValueError("nothing to publish: give --decisions FILE, --items FILE or --adopt CANDIDATE_ID")
    if not (args.store or args.output):
        raise ValueError("give --store URL to publish, or -o FILE.ttl to see what would be published")
    kg = load(*args.files)
    result = gaps(kg, args.source, args.against or list(DEFAULT_AGAINST),
                  scope=None if args.no_scope else args.scope)
    records: list = []
    if args.decisions:
        from ..cycle.decisions import read_decisions
        from ..cycle.sharing import shared_records

        records += shared_records(read_decisions(args.decisions))
    for path in args.items or ():
        records += read_items(path)
    if args.adopt:
        by_id = {c.id: c for c in result.candidates}
        unknown = [a for a in args.adopt if a not in by_id]
        if unknown:
            raise DataError([Problem("--adopt", None, None, f"{a!r} is not a candidate of this gap analysis")
                             for a in unknown])
        start = 1 + len(records)
        records += [dict(id=f"MIC-ADD-{start + n:02d}", candidate_id=c.id, title=c.title,
                         check_question=c.check_question, targets=list(c.targets), reason=c.reason)
                    for n, c in enumerate(by_id[a] for a in args.adopt)]
    items = adopted_items(records)
    graph = publication_graph(code, items, coverage_summary(result, items), catalog=kg,
                              modified=datetime.now(UTC))
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        graph.serialize(destination=str(args.output), format="turtle", encoding="utf-8")
        print(f"wrote {args.output} ({len(graph)} triples)")
    if args.store and not args.dry_run:
        with open_store_from_args(args) as store:
            store.replace_graph(graph_iri(code), graph)
        print(f"published {len(items)} adopted items of {code} to {_shown(args.store)} "
              f"as <{graph_iri(code)}> ({len(graph)} triples; the previous graph was replaced)")
    return 0


def _shown(url: str) -> str:
    from ..store.remote import split_credentials

    return split_credentials(url)[0] if str(url).startswith(("http://", "https://")) else str(url)


def cmd_peers(args: argparse.Namespace) -> int:
    from ..workflows.kg import load
    from ..workflows.peers import peers

    kg = load(*args.files)
    with open_store_from_args(args) as store:
        result = peers(store, args.municipality, catalog=kg)
    text = format_peers(result, args.format, only_lacking=args.lacking, limit=args.limit)
    emit(text, args.output, args.format, f"{len(result.items)} items from {result.municipalities} municipalities")
    return 0


def format_peers(result, fmt: str, *, only_lacking: bool = False, limit: int | None = None) -> str:
    """The peers result as text: ``table`` (terminal), ``md``, ``html``, ``csv`` (formulas neutralised) or ``json``."""
    from ..textwidth import pad

    if fmt == "md":
        return result.to_markdown(only_lacking=only_lacking, limit=limit)
    if fmt == "html":
        return result.to_html(only_lacking=only_lacking, limit=limit)
    keep = {i.key for i in (result.lacking if only_lacking else result.items)}
    records = [r for r in result.to_records() if r["key"] in keep]
    records = records[:limit] if limit else records
    if fmt == "json":
        return json.dumps({"municipality": result.municipality, "municipalities": result.municipalities,
                           "published": result.published, "items": records,
                           "lacking_targets": list(result.lacking_targets)}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        columns = list(records[0]) if records else ["key", "adopters"]
        writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        for r in records:
            writer.writerow({k: _neutralise(str(v)) for k, v in r.items()})
        return buf.getvalue()
    lines = [f"{result.municipalities} municipalities have published"
             + (f"; seen from {result.municipality}" + ("" if result.published else " (not published yet)")
                if result.municipality else "")]
    lines.append(f"{'adopters':>9}  {pad('item', 22)} {pad('title', 34)} {'here':5} {'tags':6} closes")
    for r in records:
        here = {"yes": "yes", "no": "NO", "": ""}[r["adopted_here"]]
        lines.append(f"{r['adopters']:>4}/{result.municipalities:<4}  {pad(r['key'], 22)} {pad(r['title'][:16], 34)} "
                     f"{here:5} {r['provenance']:6} {r['targets']}")
    if result.municipality:
        lines.append(f"{len(result.lacking)} items adopted elsewhere are missing here; they close "
                     f"{len(result.lacking_targets)} reference requirements no own item closes"
                     + (": " + ", ".join(result.lacking_targets[:12]) + (" ..." if len(result.lacking_targets) > 12
                                                                         else "") if result.lacking_targets else ""))
    lines.append("[R] read in a cited source, [I] reconstructed")
    return "\n".join(lines) + "\n"


def _neutralise(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def cmd_serve_local(args: argparse.Namespace) -> int:
    import signal
    import time

    from ..store.server import OxigraphServer

    def _stop(signum, frame):  # SIGTERM stops the server too, not only Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    server = OxigraphServer(args.location, host="127.0.0.1", port=args.port)
    with server:
        print(f"Oxigraph serves {args.location} at {server.url} (query /query, update /update, graphs /store); "
              "Ctrl-C stops it", flush=True)
        try:
            while server.process is not None and server.process.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
    return 0


def register(sub) -> None:
    """Add ``publish``, ``peers`` and ``serve-local`` to the ``controlmap`` command."""
    p = sub.add_parser("publish", help="replace this municipality's graph in the shared knowledge base with its "
                                       "adopted items (never evidence or names)")
    p.add_argument("--municipality", required=True, help="全国地方公共団体コード, 6 digits, e.g. 131156")
    _add_store_options(p, required=False)
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
    _add_store_options(p)
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

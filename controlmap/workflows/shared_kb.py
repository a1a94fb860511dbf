"""The shared knowledge base from the command line: open a store with a credential, publish, ask peers, serve.

``controlmap publish``, ``peers``, ``serve-local`` and the peers table of ``report`` call these; the
publication itself is :func:`controlmap.workflows.publish.publish`'s graph, the peers query
:func:`controlmap.workflows.peers.peers`.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, Problem, UsageError

if TYPE_CHECKING:
    from rdflib import Graph

    from ..scope import ScopeLike
    from ..store import Store
    from .kg import KnowledgeGraph
    from .peers import PeersResult

__all__ = ["PASSWORD_ENV", "PEERS_FORMATS", "USER_ENV", "Published", "StoreOptions", "ask_peers", "format_peers",
           "open_store_with", "peers_report", "publish_items", "serve_local", "shown_url"]

PASSWORD_ENV = "CONTROLMAP_STORE_PASSWORD"
USER_ENV = "CONTROLMAP_STORE_USER"
PEERS_FORMATS = ("table", "md", "html", "csv", "json")


@dataclass(frozen=True)
class StoreOptions:
    """Where the store is and how to log in: ``url``, ``user`` (else ``$CONTROLMAP_STORE_USER``), a password file."""

    url: str
    user: str | None = None
    password_file: Path | None = None
    timeout: float = 30.0
    retries: int = 3
    #: endpoint URLs overriding the layout of ``url`` (``virtuoso+http://…``), and ``form`` / ``direct``
    query_endpoint: str | None = None
    update_endpoint: str | None = None
    store_endpoint: str | None = None
    protocol: str = "form"


def open_store_with(options: StoreOptions) -> Store:
    """The store of ``options.url`` with the credential of the user and ``$CONTROLMAP_STORE_PASSWORD``
    (or the first line of ``password_file``)."""
    from ..store import open_store

    settings: dict = {}
    if "http://" in str(options.url) or "https://" in str(options.url):  # also virtuoso+http://… and the like
        user = options.user or os.environ.get(USER_ENV)
        password = os.environ.get(PASSWORD_ENV)
        if options.password_file:
            password = Path(options.password_file).read_text(encoding="utf-8").strip()
        settings = {"timeout": options.timeout, "retries": options.retries, "protocol": options.protocol}
        settings |= {name: getattr(options, name) for name in ("query_endpoint", "update_endpoint",
                                                               "store_endpoint") if getattr(options, name)}
        if user is not None:
            settings |= {"user": user, "password": password}
    return open_store(options.url, **settings)


def shown_url(url: str) -> str:
    """The store URL without a credential, for messages."""
    from ..store.endpoints import split_server
    from ..store.remote import split_credentials

    server, plain = split_server(str(url))
    if not plain.startswith(("http://", "https://")):
        return str(url)
    return (f"{server}+" if server else "") + split_credentials(plain)[0]


def ask_peers(options: StoreOptions, municipality: str | None, kg: KnowledgeGraph) -> PeersResult:
    """``controlmap peers``: which additional items how many municipalities adopted, seen from ``municipality``."""
    from .peers import peers

    with open_store_with(options) as store:
        return peers(store, municipality, catalog=kg)


def peers_report(options: StoreOptions | None, municipality: str | None,
                 kg: KnowledgeGraph) -> PeersResult | None:
    """What other municipalities adopted, for the committee report; None without a store."""
    if options is None or not options.url:
        return None
    return ask_peers(options, municipality, kg)


@dataclass(frozen=True)
class Published:
    """What :func:`publish_items` built, wrote and sent."""

    code: str
    graph: Graph
    items: int
    output: Path | None = None
    sent: bool = False


def _records(decisions: Path | None, items: Sequence[Path], adopt: Sequence[str], result) -> list[dict]:
    from ..io.items import read_items
    from .decisions import read_decisions
    from .sharing import shared_records

    records: list = []
    if decisions:
        records += shared_records(read_decisions(decisions))
    for path in items:
        records += read_items(path)
    if adopt:
        by_id = {c.id: c for c in result.candidates}
        unknown = [a for a in adopt if a not in by_id]
        if unknown:
            raise DataError([Problem("--adopt", None, None, f"{a!r} is not a candidate of this gap analysis")
                             for a in unknown])
        start = 1 + len(records)
        records += [dict(id=f"MIC-ADD-{start + n:02d}", candidate_id=c.id, title=c.title,
                         check_question=c.check_question, targets=list(c.targets), reason=c.reason)
                    for n, c in enumerate(by_id[a] for a in adopt)]
    return records


def publish_items(municipality: str, *, store: StoreOptions | None = None, decisions: Path | None = None,
                  items: Sequence[Path] = (), adopt: Sequence[str] = (), source: str = "mic",
                  against: Sequence[str] = ("jisq15001", "govt_unified_std"), scope: ScopeLike = "juki_net",
                  files: Sequence[str | Path] = (), output: Path | None = None, dry_run: bool = False) -> Published:
    """``controlmap publish``: the adopted items (decisions file, item files, candidate ids) and the coverage
    summary as the municipality's publication graph; written to ``output`` and sent to ``store`` unless ``dry_run``."""
    from ..export.files import atomic_path
    from ..graph.publication import adopted_items, coverage_summary, publication_graph
    from ..municipality import graph_iri, municipality_code
    from .kg import gaps, load

    code = municipality_code(municipality)
    if not (items or decisions or adopt):
        raise UsageError("nothing to publish: give --decisions FILE, --items FILE or --adopt CANDIDATE_ID")
    if not (store or output):
        raise UsageError("give --store URL to publish, or -o FILE.ttl to see what would be published")
    kg = load(*files)
    result = gaps(kg, source, list(against), scope=scope)
    adopted = adopted_items(_records(decisions, items, adopt, result))
    graph = publication_graph(code, adopted, coverage_summary(result, adopted), catalog=kg,
                              modified=datetime.now(UTC))
    if output:
        with atomic_path(output) as tmp:
            graph.serialize(destination=str(tmp), format="turtle", encoding="utf-8")
    sent = bool(store) and not dry_run
    if sent and store is not None:
        with open_store_with(store) as opened:
            opened.replace_graph(graph_iri(code), graph)
    return Published(code, graph, len(adopted), output, sent)


def format_peers(result: PeersResult, fmt: str, *, only_lacking: bool = False, limit: int | None = None) -> str:
    """The peers result as text: ``table`` (terminal), ``md``, ``html``, ``csv`` (formulas neutralised) or ``json``."""
    from ..cycle.isheet.cells import neutralise
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
            writer.writerow({k: neutralise(str(v)) for k, v in r.items()})
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
        shown = ", ".join(result.lacking_targets[:12]) + (" ..." if len(result.lacking_targets) > 12 else "")
        lines.append(f"{len(result.lacking)} items adopted elsewhere are missing here; they close "
                     f"{len(result.lacking_targets)} reference requirements no own item closes"
                     + (": " + shown if result.lacking_targets else ""))
    lines.append("[R] read in a cited source, [I] reconstructed")
    return "\n".join(lines) + "\n"


def serve_local(location: Path, port: int, on_ready: Callable[[str], None] = print) -> None:
    """Run an Oxigraph server on 127.0.0.1 for ``location`` until Ctrl-C or SIGTERM; ``on_ready`` gets its URL."""
    import signal
    import time

    from ..store.server import OxigraphServer

    def _stop(signum, frame):  # SIGTERM stops the server too, not only Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    server = OxigraphServer(location, host="127.0.0.1", port=port)
    with server:
        on_ready(server.url)
        try:
            while server.process is not None and server.process.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass

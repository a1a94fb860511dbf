"""What every command shares: printing problems, writing or printing text, the query and store options, errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import Problem
from ..export.files import write_text

if TYPE_CHECKING:
    from ..workflows.shared_kb import StoreOptions

__all__ = ["DEFAULT_AGAINST", "add_peers_options", "add_query_options", "add_store_options", "emit",
           "print_problems", "store_options"]

#: the reference frameworks a command compares the checklist with when none is named
DEFAULT_AGAINST = ("jisq15001", "govt_unified_std")


def print_problems(problems: Iterable[Problem], stream: TextIO) -> None:
    """One ``file:row:column: message`` line per problem."""
    for p in problems:
        print(p, file=stream)


def emit(text: str, output: Path | None, fmt: str = "", detail: str = "") -> None:
    """Write ``text`` to ``output`` (CSV with a BOM for Excel), or to the terminal when there is none."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    write_text(output, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    print(f"wrote {output}{f' ({detail})' if detail else ''}")


def add_query_options(p: argparse.ArgumentParser) -> None:
    """The options every coverage-based command shares: scope, threshold, hops, extra files."""
    p.add_argument("--scope", default="juki_net",
                   help="scope file (YAML) or shipped scope name marking targets not applicable (default: juki_net)")
    p.add_argument("--no-scope", action="store_true", help="mark nothing not applicable")
    p.add_argument("--threshold", type=int, default=7, help="strength needed to count as covered (0-10, default 7)")
    p.add_argument("--max-hops", type=int, default=2, help="longest mapping path used for inference (default 2)")
    p.add_argument("--load", dest="files", action="append", default=[], metavar="FILE",
                   help="extra framework, mapping or scope-relevant file to load (repeatable)")


def add_store_options(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    """The options naming the shared knowledge base and the credential to use with it."""
    from ..workflows.shared_kb import PASSWORD_ENV, USER_ENV

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
    add_store_options(p, required=False)
    p.add_argument("--municipality", help="全国地方公共団体コード: with --store, the report shows what peers adopted")


def store_options(args: argparse.Namespace) -> StoreOptions | None:
    """The store options given on the command line; None without ``--store``."""
    from ..workflows.shared_kb import StoreOptions

    if not getattr(args, "store", None):
        return None
    return StoreOptions(args.store, args.user, args.password_file, args.timeout, args.retries,
                        args.query_endpoint, args.update_endpoint, args.store_endpoint, args.sparql_protocol)

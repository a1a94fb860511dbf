"""What every command shares: printing problems, writing or printing text, the coverage query options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..errors import Problem
from ..export.files import write_text

__all__ = ["add_query_options", "emit", "print_problems"]


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

"""SSSOM TSV text -> metadata dict + table rows: the ``#`` block, external ``.sssom.yml`` and the TSV body.

Lines end at ``\\n`` (``\\r\\n`` too) only: a U+2028 or U+0085 inside a comment stays in its cell, where
``str.splitlines`` would cut the row. ``#`` lines saved by a spreadsheet (tab-padded, CRLF) are right-stripped.
The body goes through the csv module in one pass (quoted cells as pandas/sssom-py write them).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import DataError, Problem
from .safe_yaml import load_yaml

__all__ = ["SssomTable", "external_metadata_path", "split_sssom", "yaml_mapping"]


@dataclass(frozen=True)
class SssomTable:
    """The parts of an SSSOM TSV file: metadata, header (with its line) and rows (line, cells).

    ``body`` holds the lines after the header as they are when no cell is quoted (a reader may split them
    itself, ``sssom_columns``), else None; ``rows`` is then split from it on first use.
    """

    meta: dict
    header: list[str]
    header_line: int
    quoted_rows: list[tuple[int, list[str]]] | None
    meta_lines: int
    body: list[str] | None = None

    @cached_property
    def rows(self) -> list[tuple[int, list[str]]]:
        if self.quoted_rows is not None:
            return self.quoted_rows
        return list(_rows(self.body or [], 0, self.header_line))


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if "\r" not in text:
        return lines
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def yaml_mapping(text: str, file: str, first_line: int = 1) -> dict:
    """A YAML mapping, parsed within the limits of :mod:`controlmap.io.safe_yaml`.

    A syntax error, a bomb or another type is a Problem at its line (in a ``#`` block the column counts
    from after the ``#``).
    """
    meta = load_yaml(text, file, first_line) or {}
    if not isinstance(meta, dict):
        raise DataError([Problem(file, first_line, None, "SSSOM metadata must be a YAML mapping")])
    return meta


def external_metadata_path(path: Path) -> Path | None:
    """``x.sssom.yml`` (or ``x.yml`` / ``.yaml``) beside ``x.sssom.tsv`` / ``x.tsv``, if there is one."""
    name = path.name
    stems = [name[: -len(suffix)] for suffix in (".sssom.tsv", ".tsv") if name.endswith(suffix)]
    for stem in stems:
        for suffix in (".sssom.yml", ".sssom.yaml", ".yml", ".yaml"):
            candidate = path.with_name(stem + suffix)
            if candidate.is_file():
                return candidate
    return None


def split_sssom(text: str, file: str, external: dict | None = None) -> SssomTable:
    """Split SSSOM TSV text; ``external`` metadata (from a ``.sssom.yml``) is overridden by the ``#`` block."""
    lines = _lines(text.lstrip("\ufeff"))
    meta_lines: list[str] = []
    start = 0
    for start, line in enumerate(lines):  # noqa: B007 - start is used after the loop
        if not line.startswith("#"):
            break
        meta_lines.append(line[1:].rstrip())
    else:
        start = len(lines)
    meta = dict(external or {})
    if meta_lines:
        meta |= yaml_mapping("\n".join(meta_lines), file)
    quoted = any('"' in line for line in lines[start:])
    body = _rows(lines, start, 0, quoted)
    first = next(body, None)
    if first is None:
        raise DataError([Problem(file, len(meta_lines) + 1, None, "no header row")])
    header_line, header = first
    if quoted:
        return SssomTable(meta, [c.strip() for c in header], header_line, list(body), len(meta_lines))
    return SssomTable(meta, [c.strip() for c in header], header_line, None, len(meta_lines), lines[header_line:])


def _rows(lines: list[str], start: int, first_line: int = 0,
          quoted: bool = False) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank, non-comment line from ``start`` (0-based; ``first_line`` + 1
    is the number of ``lines[0]``)."""
    remaining = lines[start:]
    if not quoted:  # the common case: no quoting, plain split
        for offset, line in enumerate(remaining):
            if line.strip() and not line.startswith("#"):
                yield first_line + start + offset + 1, line.split("\t")
        return
    reader = csv.reader(remaining, delimiter="\t", quotechar='"', strict=False)
    line_of_row = start + 1
    for cells in reader:
        if cells and any(c.strip() for c in cells) and not cells[0].startswith("#"):
            yield line_of_row, cells
        line_of_row = start + reader.line_num + 1

"""Input limits shared by every reader: file size, nesting depth, XLSX uncompressed size, cell length.

A file that goes past one of them is refused with :class:`~controlmap.errors.InputLimitError`
naming the file (and row/column where there is one) before it can crash the reader
(``RecursionError``) or starve the machine (a zip bomb, a 300 MB sheet). The limits sit far above
any real framework, mapping set or workbook: the largest shipped file is well under 1 MB.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import DataError, InputLimitError, Problem
from .encoding import decode

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_XLSX_UNCOMPRESSED",
    "check_cell",
    "check_depth",
    "check_xlsx_archive",
    "load_json",
    "read_limited",
    "read_text",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest input file read (CSV, YAML, JSON, SSSOM, RDF); a real one is a few MB at most."""
MAX_DEPTH = 64
"""Deepest nesting of JSON/YAML mappings and lists (OSCAL catalogs nest about 10 levels)."""
MAX_XLSX_UNCOMPRESSED = 256 * 1024 * 1024
"""Largest total uncompressed size of the parts of an XLSX workbook (a zip archive)."""
MAX_CELL_CHARS = 131_072
"""Longest cell, as Python's csv module allows by default (Excel itself stops at 32,767)."""


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def read_limited(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``, refusing a file larger than ``limit`` before reading any of it.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "big.csv"; _ = p.write_bytes(b"x" * 11)
    >>> read_limited(p, limit=10)
    Traceback (most recent call last):
    ...
    controlmap.errors.InputLimitError: 1 problem(s) in input data:
    ...big.csv::: the file is 11 bytes; controlmap reads input files of at most 10 bytes
    """
    p = Path(path)
    size = p.stat().st_size
    if size > limit:
        shown = (f"{size} bytes", f"{limit} bytes") if limit < 1024 * 1024 else (_mb(size), _mb(limit))
        raise InputLimitError([Problem(str(p), None, None, f"the file is {shown[0]}; controlmap reads input "
                                       f"files of at most {shown[1]}")])
    with p.open("rb") as fh:
        data = fh.read(limit + 1)  # the file may have grown since stat()
    if len(data) > limit:
        raise InputLimitError([Problem(str(p), None, None, f"the file grew past {limit} bytes while read")])
    return data


def read_text(path: str | Path, limit: int = MAX_FILE_BYTES) -> str:
    """The text of ``path`` (UTF-8 or cp932, see :func:`~controlmap.io.encoding.decode`), size-limited."""
    return decode(read_limited(path, limit), str(path))


def check_depth(data: Any, file: str, limit: int = MAX_DEPTH) -> Any:
    """``data`` itself, after checking that its dicts and lists nest at most ``limit`` deep (without recursion).

    >>> check_depth({"a": [[1]]}, "x.json", limit=3)
    {'a': [[1]]}
    >>> check_depth([[[[]]]], "x.json", limit=3)
    Traceback (most recent call last):
    ...
    controlmap.errors.InputLimitError: 1 problem(s) in input data:
    x.json::: mappings and lists nest deeper than 3 levels (at /0/0/0)
    """
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    seen: set[int] = set()
    while stack:
        node, depth, pointer = stack.pop()
        if not isinstance(node, dict | list) or id(node) in seen:
            continue
        if depth >= limit:
            raise InputLimitError([Problem(file, None, None,
                                           f"mappings and lists nest deeper than {limit} levels (at {pointer})")])
        seen.add(id(node))  # YAML aliases share one object: visit it once
        items = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend((value, depth + 1, f"{pointer}/{key}") for key, value in items)
    return data


def load_json(text: str, file: str, limit: int = MAX_DEPTH) -> Any:
    """Parse JSON text; a syntax error names its line and column, nesting past ``limit`` is refused.

    >>> load_json('{"a": [1, 2]}', "x.json")
    {'a': [1, 2]}
    >>> load_json("[" * 100000, "x.json")
    Traceback (most recent call last):
    ...
    controlmap.errors.InputLimitError: 1 problem(s) in input data:
    x.json:1:65: mappings and lists nest deeper than 64 levels
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError([Problem(file, err.lineno, str(err.colno), f"invalid JSON: {err.msg}")]) from err
    except RecursionError as err:  # json.loads recurses once per level
        raise InputLimitError([_too_deep(text, file, limit)]) from err
    try:
        return check_depth(data, file, limit)
    except InputLimitError as err:
        raise InputLimitError([_too_deep(text, file, limit)]) from err


def _too_deep(text: str, file: str, limit: int) -> Problem:
    """Where JSON ``text`` first nests deeper than ``limit`` (only run once a document is refused)."""
    import re

    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                offset = match.start()
                line = text.count("\n", 0, offset) + 1
                column = offset - (text.rfind("\n", 0, offset) + 1) + 1
                return Problem(file, line, str(column), f"mappings and lists nest deeper than {limit} levels")
        elif token in "]}":
            depth -= 1
    return Problem(file, None, None, f"mappings and lists nest deeper than {limit} levels")


def check_xlsx_archive(path: str | Path, limit: int = MAX_XLSX_UNCOMPRESSED) -> None:
    """Refuse an XLSX whose parts would unpack to more than ``limit`` bytes (a zip bomb), before opening it."""
    import zipfile

    p = Path(path)
    try:
        with zipfile.ZipFile(p) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise DataError([Problem(str(p), None, None, f"cannot open as an Excel workbook: {err}")]) from err
    if total > limit:
        raise InputLimitError([Problem(str(p), None, None, f"the workbook unpacks to {_mb(total)}; controlmap "
                                       f"reads workbooks of at most {_mb(limit)} uncompressed")])


def check_cell(value: str, file: str, row: int | str | None, column: str | None,
               limit: int = MAX_CELL_CHARS) -> str:
    """``value`` itself, or InputLimitError when it is longer than ``limit`` characters."""
    if len(value) > limit:
        raise InputLimitError([Problem(file, row, column, f"the cell holds {len(value):,} characters; "
                                       f"controlmap reads cells of at most {limit:,}")])
    return value

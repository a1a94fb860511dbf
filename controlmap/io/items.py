"""Read adopted-item records to publish: ``adopted-items.csv`` of a sharing export, another CSV, or a JSON list."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..errors import DataError, Problem
from .encoding import decode

__all__ = ["parse_items", "read_items"]


def _unneutralise(value: str | None) -> str:
    value = value or ""
    return value[1:] if len(value) > 1 and value[0] == "'" and value[1] in "=+-@" else value


def parse_items(text: str, file: str, *, json_text: bool = False) -> list[dict]:
    """Adopted-item records from CSV text (or JSON with ``json_text``); a leading ``'`` that neutralised a
    spreadsheet formula is removed again.

    >>> parse_items("id,title\\nMIC-ADD-01,'=苦情\\n", "a.csv")
    [{'id': 'MIC-ADD-01', 'title': '=苦情'}]
    """
    if json_text:
        try:
            data = json.loads(text)
        except ValueError as err:
            raise DataError([Problem(file, None, None, f"not JSON: {err}")]) from err
        records = data.get("items", data) if isinstance(data, dict) else data
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise DataError([Problem(file, None, None, "expected a list of objects (or {\"items\": [...]})")])
        return records
    rows = list(csv.DictReader(io.StringIO(text)))
    return [{k: _unneutralise(v) for k, v in row.items() if k} for row in rows]


def read_items(path: str | Path) -> list[dict]:
    """Adopted-item records from a file: JSON when it ends in ``.json``, else CSV (UTF-8 or cp932)."""
    p = Path(path)
    return parse_items(decode(p.read_bytes(), str(p)), str(p), json_text=p.suffix.lower() == ".json")

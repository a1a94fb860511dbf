"""SSSOM/JSON in (the JSON sssom-py writes): the same checks and rows as SSSOM TSV, problems at JSON pointers."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import DataError, Problem
from .encoding import decode

__all__ = ["is_sssom_json", "parse_sssom_json", "read_sssom_json"]


def is_sssom_json(document: object) -> bool:
    """A JSON object holding a ``mappings`` list (and not an OSCAL document)."""
    return isinstance(document, dict) and isinstance(document.get("mappings"), list) and "catalog" not in document


def _cell(value: object) -> str:
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return "" if value is None else str(value)


def parse_sssom_json(document: object, file: str, kind: str = "curated"):
    """A parsed SSSOM JSON mapping set (an ``SssomFile``); rows are named by JSON pointer (``/mappings/3``)."""
    from .sssom import parse_sssom_records

    if not is_sssom_json(document):
        raise DataError([Problem(file, None, None, "not SSSOM/JSON: the top level needs a 'mappings' list")])
    assert isinstance(document, dict)
    meta = {k: v for k, v in document.items() if k not in ("mappings", "@context", "@type")}
    context = document.get("@context")
    if isinstance(context, dict) and not meta.get("curie_map"):
        meta["curie_map"] = {k: v for k, v in context.items() if isinstance(v, str) and not k.startswith("@")}
    problems: list[Problem] = []
    records: list[tuple[int | str, dict[str, str]]] = []
    for i, row in enumerate(document["mappings"]):
        if not isinstance(row, dict):
            problems.append(Problem(file, f"/mappings/{i}", None, "a mapping must be a JSON object"))
            continue
        records.append((f"/mappings/{i}", {str(k): _cell(v).strip() for k, v in row.items()}))
    return parse_sssom_records(meta, records, file, kind, problems)  # type: ignore[arg-type]


def read_sssom_json(path: str | Path, kind: str = "curated"):
    """Read an SSSOM/JSON file."""
    p = Path(path)
    try:
        document = json.loads(decode(p.read_bytes(), str(p)))
    except json.JSONDecodeError as err:
        raise DataError([Problem(str(p), err.lineno, None, f"invalid JSON: {err.msg}")]) from err
    return parse_sssom_json(document, str(p), kind=kind)

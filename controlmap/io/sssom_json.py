"""SSSOM/JSON in (the JSON sssom-py writes): the same checks and rows as SSSOM TSV, problems at JSON pointers."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import DataError, Problem
from .encoding import decode

__all__ = ["is_sssom_json", "pack_other", "parse_sssom_json", "read_sssom_json", "unpack_other"]

_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.S)


def pack_other(slots: dict[str, str], own: str = "") -> str:
    """Non-SSSOM slots as ``other`` text: the row's own ``other``, then ``slot=value`` pairs joined by ``|``.

    >>> pack_other({"strength": "8", "ext_note": "a|b"}, "kept")
    'kept|strength=8|ext_note=a%7Cb'
    """
    pairs = [f"{k}={v.replace('%', '%25').replace('|', '%7C')}" for k, v in slots.items() if v != ""]
    return "|".join(([own] if own else []) + pairs)


def unpack_other(text: str, slots: set[str]) -> tuple[dict[str, str], str]:
    """(the ``slot=value`` pairs of ``other`` naming one of ``slots`` or an ``ext_`` slot, the rest of the text).

    >>> unpack_other("kept|strength=8|ext_note=a%7Cb", {"strength", "ext_note"})
    ({'strength': '8', 'ext_note': 'a|b'}, 'kept')
    """
    found: dict[str, str] = {}
    rest: list[str] = []
    for part in text.split("|"):
        match = _PAIR.fullmatch(part.strip())
        if match and (match.group(1) in slots or match.group(1).startswith("ext_")) and match.group(1) not in found:
            found[match.group(1)] = match.group(2).replace("%7C", "|").replace("%25", "%")
        else:
            rest.append(part)
    return found, "|".join(rest)


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
    from .sssom_slots import EXTENSIONS

    declared = {str(d.get("slot_name")) for d in meta.get("extension_definitions") or [] if isinstance(d, dict)}
    extensions = set(EXTENSIONS) | declared
    problems: list[Problem] = []
    records: list[tuple[int | str, dict[str, str]]] = []
    for i, row in enumerate(document["mappings"]):
        if not isinstance(row, dict):
            problems.append(Problem(file, f"/mappings/{i}", None, "a mapping must be a JSON object"))
            continue
        cells = {str(k): _cell(v).strip() for k, v in row.items()}
        if cells.get("other"):  # extension slots written by controlmap's SSSOM/JSON writer
            found, rest = unpack_other(cells["other"], extensions)
            cells = {k: v for k, v in cells.items() if k != "other"} | ({"other": rest} if rest else {})
            cells |= {k: v for k, v in found.items() if k not in cells}
        records.append((f"/mappings/{i}", cells))
    return parse_sssom_records(meta, records, file, kind, problems)  # type: ignore[arg-type]


def read_sssom_json(path: str | Path, kind: str = "curated"):
    """Read an SSSOM/JSON file."""
    p = Path(path)
    try:
        document = json.loads(decode(p.read_bytes(), str(p)))
    except json.JSONDecodeError as err:
        raise DataError([Problem(str(p), err.lineno, None, f"invalid JSON: {err.msg}")]) from err
    return parse_sssom_json(document, str(p), kind=kind)

"""Scope files: YAML lists of target controls a committee marked not applicable, each with a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from ..model import Catalog, Exclusion, Scope
from .frameworks import read_yaml

__all__ = ["parse_scope", "read_scope"]

KEYS = {"id", "title", "description", "not_applicable"}
ITEM_KEYS = {"control", "controls", "reason", "reviewer", "date"}


def parse_scope(doc: Any, file: str, catalog: Catalog | None = None) -> Scope:
    """A Scope from its YAML mapping; unknown controls (when a catalog is given) and empty reasons are errors.

    An entry names one ``control`` or a list of ``controls`` sharing one reason; ids may be
    written without the edition prefix when unique in the catalog.
    """
    problems: list[Problem] = []
    if not isinstance(doc, dict):
        raise DataError([Problem(file, 1, None, "a scope file is a mapping with id, title and not_applicable")])
    for key in doc:
        if key not in KEYS:
            problems.append(Problem(file, None, key, f"unknown key {key!r}; known: {', '.join(sorted(KEYS))}"))
    entries = doc.get("not_applicable") or []
    if not isinstance(entries, list):
        raise DataError([Problem(file, None, "not_applicable", "not_applicable must be a list")])
    exclusions: list[Exclusion] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        where = f"not_applicable[{n}]"
        if not isinstance(entry, dict):
            problems.append(Problem(file, where, None, "each entry is a mapping with control(s) and reason"))
            continue
        for key in entry:
            if key not in ITEM_KEYS:
                problems.append(Problem(file, where, key, f"unknown key {key!r}"))
        ids = entry.get("controls") or ([entry["control"]] if entry.get("control") else [])
        if not ids:
            problems.append(Problem(file, where, "control", "no control named"))
        reason = str(entry.get("reason") or "").strip()
        if not reason:
            problems.append(Problem(file, where, "reason", "every exclusion needs a reason"))
        for raw in ids:
            cid = str(raw).strip()
            if catalog is not None:
                try:
                    cid = catalog.control(cid).id
                except KeyError as err:
                    problems.append(Problem(file, where, "control", str(err)))
                    continue
            if cid in seen:
                problems.append(Problem(file, where, "control", f"{cid} is excluded twice"))
                continue
            seen.add(cid)
            exclusions.append(Exclusion(cid, reason, str(entry.get("reviewer") or ""), str(entry.get("date") or ""),
                                        origin=f"{file}:{where}"))
    if problems:
        raise DataError(problems)
    return Scope(id=str(doc.get("id") or Path(file).stem), title=str(doc.get("title") or ""),
                 exclusions=tuple(exclusions), description=str(doc.get("description") or "").strip())


def read_scope(path: str | Path, catalog: Catalog | None = None) -> Scope:
    """Read a scope YAML file (UTF-8 or cp932)."""
    return parse_scope(read_yaml(path), str(path), catalog)

"""Scope files: not-applicable controls with reasons, whose duty each control is, and curated merge groups."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from ..model import RESPONSIBLE_BODIES, Catalog, Exclusion, MergeGroup, Responsibility, Scope
from .frameworks import read_yaml

__all__ = ["PRIORITY_LEVELS", "parse_scope", "read_scope"]

KEYS = {"id", "title", "description", "default_responsibility", "not_applicable", "responsibilities", "merge"}
ITEM_KEYS = {"control", "controls", "reason", "responsibility", "reviewer", "date"}
RESPONSIBILITY_KEYS = {"control", "controls", "responsibility", "reason", "municipal_role", "reviewer", "date"}
MERGE_KEYS = {"id", "title", "controls", "primary", "priority_level", "reason", "reviewer", "date"}
PRIORITY_LEVELS = ("高", "中", "低")
#: whitespace between two non-ASCII characters: what a folded YAML scalar (``>-``) puts at a Japanese line break
_FOLD = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


def _text(value: object) -> str:
    """A text value of the file, stripped, with the spaces YAML folding put between Japanese lines removed.

    >>> _text("告示の技術的基準に基づき 国と機構(J-LIS)が")
    '告示の技術的基準に基づき国と機構(J-LIS)が'
    """
    return _FOLD.sub("", str(value or "").strip())


class _Reader:
    """Collects every problem of one scope file while its sections are read."""

    def __init__(self, file: str, catalog: Catalog | None) -> None:
        self.file, self.catalog = file, catalog
        self.problems: list[Problem] = []

    def problem(self, where: str | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, where, column, message))

    def entries(self, doc: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        """The mapping entries of list ``key`` with their location (``key[n]``); other shapes are problems."""
        raw = doc.get(key) or []
        if not isinstance(raw, list):
            self.problem(None, key, f"{key} must be a list")
            return []
        out = []
        for n, entry in enumerate(raw, start=1):
            where = f"{key}[{n}]"
            if not isinstance(entry, dict):
                self.problem(where, None, "each entry is a mapping")
                continue
            out.append((where, entry))
        return out

    def keys(self, where: str, entry: dict[str, Any], known: set[str]) -> None:
        for key in entry:
            if key not in known:
                self.problem(where, str(key), f"unknown key {key!r}; known: {', '.join(sorted(known))}")

    def ids(self, where: str, raw: object, column: str) -> list[str]:
        """Control ids resolved in the catalog (when given); unknown ones are problems."""
        values = raw if isinstance(raw, list) else ([raw] if raw not in (None, "") else [])
        out = []
        for value in values:
            cid = str(value).strip()
            if self.catalog is not None:
                try:
                    cid = self.catalog.control(cid).id
                except KeyError as err:
                    self.problem(where, column, str(err))
                    continue
            out.append(cid)
        return out

    def named(self, where: str, entry: dict[str, Any]) -> list[str]:
        """The ``control`` or ``controls`` of an entry (at least one)."""
        ids = self.ids(where, entry.get("controls"), "controls") + self.ids(where, entry.get("control"), "control")
        if not ids and not entry.get("controls") and not entry.get("control"):
            self.problem(where, "control", "no control named")
        return ids

    def reason(self, where: str, entry: dict[str, Any], what: str) -> str:
        reason = _text(entry.get("reason"))
        if not reason:
            self.problem(where, "reason", f"every {what} needs a reason")
        return reason

    def bodies(self, where: str | None, raw: object, *, required: bool,
               column: str = "responsibility") -> tuple[str, ...]:
        """A responsibility value: one body or a list of bodies (first = primary)."""
        if raw in (None, "", []):
            if required:
                self.problem(where, column, "say whose duty it is: "
                             + " / ".join(RESPONSIBLE_BODIES) + " (or a list, primary first)")
            return ()
        values = [str(v).strip() for v in (raw if isinstance(raw, list) else [raw])]
        for v in values:
            if v not in RESPONSIBLE_BODIES:
                self.problem(where, column, f"unknown responsibility {v!r}; known: "
                             + ", ".join(RESPONSIBLE_BODIES))
        if len(set(values)) != len(values):
            self.problem(where, column, "a body is named twice")
        return tuple(dict.fromkeys(values))


def parse_scope(doc: Any, file: str, catalog: Catalog | None = None) -> Scope:
    """A Scope from its YAML mapping; every problem of the file is reported together.

    An entry names one ``control`` or a list of ``controls``; ids may be written without the
    edition prefix when unique in the catalog (unknown ids are errors when a catalog is given).
    ``not_applicable`` entries need a reason; ``responsibilities`` entries a reason and a
    responsibility; a control may not be both not applicable and in ``responsibilities``, nor in
    two merge groups; merge groups name ≥ 2 in-scope controls and a ``primary`` among them.
    """
    if not isinstance(doc, dict):
        raise DataError([Problem(file, 1, None, "a scope file is a mapping with id, title and not_applicable")])
    r = _Reader(file, catalog)
    for key in doc:
        if key not in KEYS:
            r.problem(None, str(key), f"unknown key {key!r}; known: {', '.join(sorted(KEYS))}")
    default = r.bodies(None, doc.get("default_responsibility") or RESPONSIBLE_BODIES[0], required=True,
                       column="default_responsibility")
    if len(default) > 1:
        r.problem(None, "default_responsibility", "default_responsibility is one body")
    exclusions = _exclusions(r, doc)
    responsibilities = _responsibilities(r, doc, {e.control_id for e in exclusions})
    merges = _merges(r, doc, {e.control_id for e in exclusions})
    if r.problems:
        raise DataError(r.problems)
    return Scope(id=str(doc.get("id") or Path(file).stem), title=str(doc.get("title") or ""),
                 exclusions=tuple(exclusions), description=str(doc.get("description") or "").strip(),
                 default_responsibility=default[0] if default else RESPONSIBLE_BODIES[0],
                 responsibilities=tuple(responsibilities), merges=tuple(merges))


#: (where, entry, control id, reason, responsible bodies) of one control an entry names
_Named = tuple[str, dict[str, Any], str, str, tuple[str, ...]]


def _control_entries(r: _Reader, doc: dict[str, Any], key: str, known: set[str], what: str, *, required: bool,
                     twice: str, excluded: Collection[str] = ()) -> Iterator[_Named]:
    """(where, entry, control id, reason, bodies) for each control an entry of list ``key`` names, once each.

    ``not_applicable`` and ``responsibilities`` share this: known keys, named controls, a reason, the
    responsibility; a control named twice is a problem (``twice`` with ``{cid}``), and so is one in ``excluded``.
    """
    seen: set[str] = set()
    for where, entry in r.entries(doc, key):
        r.keys(where, entry, known)
        ids = r.named(where, entry)
        reason = r.reason(where, entry, what)
        bodies = r.bodies(where, entry.get("responsibility"), required=required)
        for cid in ids:
            if cid in excluded:
                r.problem(where, "control", f"{cid} is also not_applicable; an in-scope control with another "
                          "body's duty belongs in responsibilities, an excluded one in not_applicable, not both")
                continue
            if cid in seen:
                r.problem(where, "control", twice.format(cid=cid))
                continue
            seen.add(cid)
            yield where, entry, cid, reason, bodies


def _exclusions(r: _Reader, doc: dict[str, Any]) -> list[Exclusion]:
    return [Exclusion(cid, reason, str(entry.get("reviewer") or ""), str(entry.get("date") or ""),
                      origin=f"{r.file}:{where}", responsibility=bodies)
            for where, entry, cid, reason, bodies in _control_entries(
                r, doc, "not_applicable", ITEM_KEYS, "exclusion", required=False, twice="{cid} is excluded twice")]


def _responsibilities(r: _Reader, doc: dict[str, Any], excluded: set[str]) -> list[Responsibility]:
    return [Responsibility(cid, bodies, reason, _text(entry.get("municipal_role")), str(entry.get("reviewer") or ""),
                           str(entry.get("date") or ""), origin=f"{r.file}:{where}")
            for where, entry, cid, reason, bodies in _control_entries(
                r, doc, "responsibilities", RESPONSIBILITY_KEYS, "responsibility entry", required=True,
                twice="{cid} has two responsibilities entries", excluded=excluded)]


def _merges(r: _Reader, doc: dict[str, Any], excluded: set[str]) -> list[MergeGroup]:
    out: list[MergeGroup] = []
    member_of: dict[str, str] = {}
    for where, entry in r.entries(doc, "merge"):
        r.keys(where, entry, MERGE_KEYS)
        gid = str(entry.get("id") or "").strip()
        if not gid:
            r.problem(where, "id", "every merge group needs an id")
        elif any(g.id == gid for g in out):
            r.problem(where, "id", f"merge group {gid} is defined twice")
        ids = list(dict.fromkeys(r.ids(where, entry.get("controls"), "controls")))
        raw = entry.get("controls")
        if not isinstance(raw, list) or len({str(v).strip() for v in raw}) < 2:
            r.problem(where, "controls", "a merge group names at least two controls")
        primary_ids = r.ids(where, entry.get("primary"), "primary")
        primary = primary_ids[0] if primary_ids else ""
        if not entry.get("primary"):
            r.problem(where, "primary", "name the primary control (its candidate id is kept)")
        elif primary and primary not in ids:
            r.problem(where, "primary", f"{primary} is not one of the group's controls")
        level = str(entry.get("priority_level") or "").strip()
        if level and level not in PRIORITY_LEVELS:
            r.problem(where, "priority_level", f"unknown priority level {level!r}; known: "
                      + ", ".join(PRIORITY_LEVELS))
        reason = r.reason(where, entry, "merge group")
        for cid in ids:
            if cid in excluded:
                r.problem(where, "controls", f"{cid} is not_applicable; a merge group names in-scope controls")
            if cid in member_of:
                r.problem(where, "controls", f"{cid} is already in merge group {member_of[cid]}")
            member_of.setdefault(cid, gid)
        out.append(MergeGroup(gid, _text(entry.get("title")), tuple(ids), primary, level, reason,
                              str(entry.get("reviewer") or ""), str(entry.get("date") or ""),
                              origin=f"{r.file}:{where}"))
    return out


def read_scope(path: str | Path, catalog: Catalog | None = None) -> Scope:
    """Read a scope YAML file (UTF-8 or cp932)."""
    return parse_scope(read_yaml(path), str(path), catalog)

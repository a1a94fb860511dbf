"""The groups, controls and enhancements of an OSCAL catalog as controls, with their statement parts as text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..model import Control, Provenance
from .oscal_lines import Findings
from .oscal_params import local_params, render_params
from .oscal_props import CM_NS, WITHDRAWN, prop

__all__ = ["ControlWalk"]

_GONE = ("moved-to", "incorporated-into")


@dataclass
class ControlWalk:
    """One walk over a catalog's groups and controls, in document order; problems and notes go to ``found``.

    Examples
    --------
    >>> walk = ControlWalk(Findings("c.json", {}), "C", "c@1", "Cat")
    >>> walk.groups_in([{"id": "g", "title": "G", "controls": [{"id": "g-1", "title": "One",
    ...     "parts": [{"name": "statement", "prose": "Do it."}]}]}], "/catalog/groups", None, {})
    >>> [(c.id, c.parent, c.level, c.text) for c in walk.controls]
    [('C:g', None, 'group', ''), ('C:g-1', 'C:g', 'control', 'Do it.')]
    """

    found: Findings
    prefix: str
    framework: str          # the edition's key, ``id@edition``
    title: str              # the catalog's title, named in each control's source_ref
    controls: list[Control] = field(default_factory=list)
    unknown_params: set[str] = field(default_factory=set)
    seen: dict[str, str] = field(default_factory=dict)
    withdrawn: list[tuple[int, list[tuple[str, str]]]] = field(default_factory=list)
    order: int = 0

    def groups_in(self, items: Any, pointer: str, parent: str | None, params: dict) -> None:
        """Read a ``groups`` list: each group, then its own groups and controls."""
        for ptr, grp, scope in self._objects(items, pointer, "a group", params):
            gid = self.add(grp, ptr, parent, "group", scope)
            if gid is not None:
                self.groups_in(grp.get("groups"), f"{ptr}/groups", gid, scope)
                self.controls_in(grp.get("controls"), f"{ptr}/controls", gid, "control", scope)

    def controls_in(self, items: Any, pointer: str, parent: str | None, level: str, params: dict) -> None:
        """Read a ``controls`` list at ``level``; controls nested in a control are its enhancements."""
        for ptr, ctl, scope in self._objects(items, pointer, "a control", params):
            cid = self.add(ctl, ptr, parent, level, scope)
            if cid is not None:
                self.controls_in(ctl.get("controls"), f"{ptr}/controls", cid, "enhancement", scope)

    def _objects(self, items: Any, pointer: str, what: str, params: dict) -> Iterator[tuple[str, dict, dict]]:
        if items is None:
            return
        if not isinstance(items, list):
            self.found.bad(pointer, "must be a list")
            return
        for i, obj in enumerate(items):
            ptr = f"{pointer}/{i}"
            if not isinstance(obj, dict):
                self.found.bad(ptr, f"{what} must be an object")
                continue
            yield ptr, obj, local_params(obj, params)

    def add(self, obj: dict, pointer: str, parent: str | None, level: str, params: dict) -> str | None:
        """Add one group or control; its id, or None when it cannot be read (the problem is recorded)."""
        oid = self._oid(obj, pointer, level)
        if oid is None:
            return None
        t = str(obj.get("title") or "").strip()
        if not t:
            self.found.bad(f"{pointer}/title", f"{level} {oid!r} has no title")
        cid = f"{self.prefix}:{oid.strip()}"
        if not self._claim(cid, pointer, f"{pointer}/id", f"duplicate id {oid!r}"):
            return None
        self.order += 1
        lvl = self._withdraw(obj) if prop(obj, "status") == WITHDRAWN else level
        cm_summary = prop(obj, "summary", CM_NS)
        cm_prov = prop(obj, "provenance", CM_NS)
        local = prop(obj, "local-id", CM_NS)
        if local and f"{self.prefix}:{local}" != cid:
            cid = f"{self.prefix}:{local}"
            if not self._claim(cid, pointer, f"{pointer}/props", f"duplicate local-id {local!r}"):
                return None
        self.controls.append(Control(
            id=cid, framework=self.framework, notation=prop(obj, "label") or oid.strip(), parent=parent,
            level=prop(obj, "level", CM_NS) or lvl, title=t or oid,
            summary=cm_summary if cm_summary is not None else "",
            source_ref=prop(obj, "source-ref", CM_NS) or f"OSCAL {oid} ({self.title or self.found.file})",
            provenance=Provenance(cm_prov) if cm_prov in ("R", "I") else Provenance.READ,
            text=self.text_of(obj.get("parts") or [], params, pointer, "statement" if level != "group" else "overview"),
            order=self.order, origin=f"{self.found.file}:{self.found.lines.get(pointer, pointer)}",
        ))
        return cid

    def _oid(self, obj: dict, pointer: str, level: str) -> str | None:
        oid = obj.get("id")
        if level == "group" and not oid:
            oid = "group-" + ".".join(str(int(i) + 1) for i in re.findall(r"/groups/(\d+)", pointer))
            self.found.note("groups without an id (id made from their position)")
        if not isinstance(oid, str) or not oid.strip():
            self.found.bad(f"{pointer}/id", f"a {level} needs an id")
            return None
        return oid

    def _claim(self, cid: str, pointer: str, where: str, message: str) -> bool:
        if cid in self.seen:
            self.found.bad(where, f"{message} (first at {self.seen[cid]})")
            return False
        self.seen[cid] = pointer
        return True

    def _withdraw(self, obj: dict) -> str:
        gone = [(str(link.get("rel")), str(link.get("href", "")).lstrip("#")) for link in obj.get("links") or []
                if isinstance(link, dict) and link.get("rel") in _GONE]
        self.withdrawn.append((len(self.controls), gone))
        self.found.note("withdrawn controls (kept, level 'withdrawn', not assessed)")
        return WITHDRAWN

    def text_of(self, parts: list, params: dict, pointer: str, wanted: str) -> str:
        """The prose of the ``wanted`` parts (labels first, sub-parts indented); other parts are counted."""
        out: list[str] = []
        for i, part in enumerate(parts or []):
            if isinstance(part, dict) and part.get("name") == wanted:
                self._part(part, 0, f"{pointer}/parts/{i}", params, out)
            elif isinstance(part, dict):
                self.found.note(f"{part.get('name', '?')} parts")
        return "\n".join(out)

    def _part(self, part: Any, depth: int, ptr: str, params: dict, out: list[str]) -> None:
        if not isinstance(part, dict):
            self.found.bad(ptr, "a part must be an object")
            return
        label = prop(part, "label") or ""
        prose, missing = render_params(str(part.get("prose") or ""), params)
        self.unknown_params.update(missing)
        line = " ".join(x for x in (label, prose.strip()) if x)
        if line:
            out.append("  " * depth + line)
        for j, sub in enumerate(part.get("parts") or []):
            self._part(sub, depth + 1 if line else depth, f"{ptr}/parts/{j}", params, out)

    def mark_withdrawn(self) -> None:
        """Give each withdrawn control the summary ``[withdrawn] moved to …`` naming where it went."""
        label_of = {c.id.split(":", 1)[1]: c.notation for c in self.controls}
        for index, gone in self.withdrawn:
            where = "; ".join(f"{rel.replace('-', ' ')} {label_of.get(ref, ref)}" for rel, ref in gone)
            self.controls[index] = replace(self.controls[index], summary="[withdrawn]" + (f" {where}" if where else ""))

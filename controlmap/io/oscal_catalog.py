"""One OSCAL catalog document (parsed JSON or YAML) as one framework edition: names, metadata, notes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from ..model import Catalog, Framework
from .naming import split_edition
from .oscal_controls import ControlWalk
from .oscal_lines import Findings
from .oscal_params import local_params
from .oscal_props import CM_NS, FRAMEWORK_ID, LEVELS, PREFIX, prop, props, slug

__all__ = ["OscalImport", "parse_oscal_catalog"]


@dataclass(frozen=True)
class OscalImport:
    """A parsed OSCAL catalog: the framework edition and what was not carried over."""

    catalog: Catalog
    notes: tuple[str, ...] = ()

    @property
    def framework(self) -> Framework:
        return self.catalog.frameworks[0]


def parse_oscal_catalog(
    doc: Any,
    file: str,
    *,
    framework_id: str | None = None,
    edition: str | None = None,
    prefix: str | None = None,
    lines: dict[str, int] | None = None,
) -> OscalImport:
    """One framework edition from an OSCAL catalog document; every problem is raised together.

    ``framework_id``, ``edition`` and ``prefix`` default to what a controlmap export recorded in the
    metadata props, else to the file name, ``metadata.version`` and their upper-cased join.

    Examples
    --------
    >>> doc = {"catalog": {"uuid": "0c1b4d5e-6f70-4a8b-9c0d-1e2f3a4b5c6d",
    ...     "metadata": {"title": "Mini", "version": "1.0", "last-modified": "2026-01-01T00:00:00Z",
    ...                  "oscal-version": "1.1.2"},
    ...     "groups": [{"id": "ac", "title": "Access Control", "controls": [
    ...         {"id": "ac-1", "title": "Policy", "props": [{"name": "label", "value": "AC-1"}],
    ...          "parts": [{"id": "ac-1_smt", "name": "statement", "prose": "Have a policy."}]}]}]}}
    >>> imp = parse_oscal_catalog(doc, "mini.json", framework_id="mini", prefix="MINI")
    >>> [(c.id, c.notation, c.level, c.text) for c in imp.catalog.controls]
    [('MINI:ac', 'ac', 'group', ''), ('MINI:ac-1', 'AC-1', 'control', 'Have a policy.')]
    """
    found = Findings(file, lines or {})
    cat = _catalog_of(doc, file)
    meta = cat.get("metadata")
    if not isinstance(meta, dict):
        found.bad("/catalog/metadata", "missing metadata")
        meta = {}
    title = str(meta.get("title") or "").strip()
    if not title:
        found.bad("/catalog/metadata/title", "missing metadata.title")
    version = str(meta.get("version") or "").strip()
    fid, ed, pfx = _names(meta, file, version, (framework_id, edition, prefix), found)
    walk = ControlWalk(found, pfx, f"{fid}@{ed}", title)
    root_params = local_params(cat, {})
    walk.groups_in(cat.get("groups"), "/catalog/groups", None, root_params)
    walk.controls_in(cat.get("controls"), "/catalog/controls", None, "control", root_params)
    walk.mark_withdrawn()
    if not walk.controls and not found.problems:
        found.bad("/catalog", "the catalog has no groups and no controls")
    found.raise_any()
    if walk.unknown_params:
        found.note("parameter inserts kept as {{ insert }} markers (no label, value or selection)",
                   len(walk.unknown_params))
    resources = (cat.get("back-matter") or {}).get("resources") or []
    if resources:
        found.note("back-matter resources", len(resources))
    fw = _framework(meta, (fid, ed, pfx), title, version, file, found.note_lines())
    return OscalImport(Catalog(frameworks=(fw,), controls=tuple(walk.controls)), found.note_lines())


def _catalog_of(doc: Any, file: str) -> dict:
    if not isinstance(doc, dict) or not isinstance(doc.get("catalog"), dict):
        keys = ", ".join(sorted(doc)) if isinstance(doc, dict) else type(doc).__name__
        raise DataError([Problem(file, 1, "/", "not an OSCAL catalog: expected a top-level 'catalog' object, "
                                              f"found {keys}")])
    return doc["catalog"]


def _names(meta: dict, file: str, version: str, given: tuple[str | None, str | None, str | None],
           found: Findings) -> tuple[str, str, str]:
    """Framework id, edition and prefix: as given, else from controlmap's props, the file name and version."""
    framework_id, edition, prefix = given
    named_id, named_edition = split_edition(re.sub(r"[_-]catalog$", "", Path(file).stem, flags=re.I))
    fid = framework_id or prop(meta, "framework-id", CM_NS) or named_id
    # a version in the file name (…_v2.0, …_rev5) is the framework's edition; metadata.version the document's
    ed = edition or prop(meta, "edition", CM_NS) or named_edition or slug(version or "1", "0-9a-z_.-")
    pfx = prefix or prop(meta, "prefix", CM_NS) or f"{fid}-{ed}".upper()
    if not FRAMEWORK_ID.fullmatch(fid):
        found.bad("/catalog/metadata", f"framework id {fid!r} must be lower-case letters, digits and _")
    if not re.fullmatch(r"[^\s:/#?]+", ed):
        found.bad("/catalog/metadata", f"edition {ed!r} must not contain spaces, ':', '/', '#' or '?'")
    if not PREFIX.fullmatch(pfx):
        found.bad("/catalog/metadata", f"prefix {pfx!r} must start with a letter and hold only letters, digits, _ . -")
    return fid, ed, pfx


def _framework(meta: dict, names: tuple[str, str, str], title: str, version: str, file: str,
               note_lines: tuple[str, ...]) -> Framework:
    """The edition: controlmap's own props where an export wrote them, else what OSCAL metadata says."""
    fid, ed, pfx = names
    parties = [str(p.get("name")) for p in meta.get("parties") or [] if isinstance(p, dict) and p.get("name")]
    description = prop(meta, "description", CM_NS) or (
        f"OSCAL catalog {title} (version {version or '-'}, oscal-version {meta.get('oscal-version', '-')}) "
        f"read from {Path(file).name}." + (" Import notes: " + "; ".join(note_lines) + "." if note_lines else ""))
    ours = prop(meta, "framework-id", CM_NS) is not None   # written by controlmap: levels travel as props
    levels_prop = prop(meta, "levels", CM_NS)
    assessable_prop = prop(meta, "assessable-levels", CM_NS) or ("" if ours else None)
    return Framework(
        id=fid, edition=ed, prefix=pfx, title=prop(meta, "title", CM_NS) or title or fid,
        publisher=prop(meta, "publisher", CM_NS) or ", ".join(parties),
        edition_label=prop(meta, "edition-label", CM_NS) or (f"{title} {version}".strip()),
        date=prop(meta, "date", CM_NS) or str(meta.get("published") or meta.get("last-modified") or "")[:10],
        rights=prop(meta, "rights", CM_NS) or "",
        sources=tuple(v for n, v, ns in props(meta) if n == "source" and ns == CM_NS),
        is_default=prop(meta, "default", CM_NS) == "true",
        completeness=prop(meta, "completeness", CM_NS) or "full", description=description,
        source_ref=prop(meta, "source-ref", CM_NS) or f"OSCAL catalog {Path(file).name} [R]",
        levels=tuple(levels_prop.split()) if levels_prop else (() if ours else LEVELS),
        assessable_levels=tuple(assessable_prop.split()) if assessable_prop is not None else ("control", "enhancement"),
    )

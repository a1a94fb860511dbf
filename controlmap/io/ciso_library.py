"""One CISO Assistant library document (parsed YAML) as editions and mapping sets, every problem raised together."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..errors import DataError, Problem
from ..model import Catalog, Framework
from .ciso_mappings import read_mapping_sets
from .ciso_nodes import NODE_IDS, read_frameworks, reference_controls
from .ciso_urns import LibraryHead, framework_urn, node_urn
from .oscal_lines import Findings

__all__ = ["CisoImport", "parse_ciso_library"]

_READ = {"frameworks", "framework", "requirement_mapping_sets", "requirement_mapping_set"}


@dataclass(frozen=True)
class CisoImport:
    """A parsed CISO Assistant library: its frameworks, controls and mapping sets, plus import notes."""

    catalog: Catalog
    notes: tuple[str, ...] = ()


def _one_or_many(objects: dict, plural: str, singular: str) -> tuple[list, str]:
    if plural in objects:
        value = objects[plural]
        return (value if isinstance(value, list) else [value]), f"/objects/{plural}"
    if singular in objects:
        value = objects[singular]
        return (value if isinstance(value, list) else [value]), f"/objects/{singular}"
    return [], ""


def parse_ciso_library(doc: Any, file: str, base: Catalog | None = None,
                       lines: dict[str, int] | None = None) -> CisoImport:
    """Frameworks and mapping sets of one library; every problem of the file is raised together.

    ``base`` holds the editions already loaded that mapping sets may refer to.
    """
    base = base or Catalog()
    found = Findings(file, lines or {})
    objects = _objects_of(doc, found)
    fw_docs, fw_ptr = _one_or_many(objects, "frameworks", "framework")
    set_docs, set_ptr = _one_or_many(objects, "requirement_mapping_sets", "requirement_mapping_set")
    reference_only = not fw_docs and not set_docs and isinstance(objects.get("reference_controls"), list)
    if not fw_docs and not set_docs and not reference_only:
        found.bad("/objects", "the library holds no framework, no requirement_mapping_sets and no reference_controls")
    for other in sorted(set(objects) - _READ - ({"reference_controls"} if reference_only else set())):
        found.note(f"objects.{other} (not read)")
    if reference_only:  # e.g. intuitem's doc-pol, which framework libraries cite: read as a flat edition
        fw, rcs = reference_controls(doc, objects["reference_controls"], found)
        found.raise_any()
        return CisoImport(Catalog(frameworks=(fw,), controls=tuple(rcs)),
                          (f"reference controls read as the controls of {fw.key}: {len(rcs)}",))
    head = LibraryHead.of(doc)
    fw_by_urn, node_ids = _known(base)
    frameworks, controls = read_frameworks(fw_docs, fw_ptr, head, fw_by_urn, node_ids, found)
    sets = read_mapping_sets(set_docs, set_ptr, head, fw_by_urn, node_ids, found)
    found.raise_any()
    note_lines = found.note_lines()
    if note_lines:  # what the library holds that controlmap does not read stays visible on the framework
        tail = " Import notes: " + "; ".join(note_lines) + "."
        frameworks = [replace(f, description=(f.description + tail).strip()) for f in frameworks]
    return CisoImport(Catalog(frameworks=tuple(frameworks), controls=tuple(controls), mapping_sets=tuple(sets)),
                      note_lines)


def _objects_of(doc: Any, found: Findings) -> dict:
    """The library's ``objects`` mapping, once its top level has a ``urn`` and ``objects`` (else raised)."""
    if not isinstance(doc, dict):
        raise DataError([Problem(found.file, 1, "/", "a CISO Assistant library must be a YAML mapping")])
    for key in ("urn", "objects"):
        if key not in doc:
            found.bad(f"/{key}", f"missing library field {key!r}")
    if "objects" in doc and not isinstance(doc.get("objects"), dict):
        found.bad("/objects", "objects must be a mapping")
    found.raise_any()
    objects = doc["objects"]
    assert isinstance(objects, dict)
    return objects


def _known(base: Catalog) -> tuple[dict[str, Framework], dict[str, str]]:
    """Framework URNs and node URNs of the editions already loaded (controlmap's own URNs and CISO's)."""
    fw_by_urn: dict[str, Framework] = {framework_urn(f): f for f in base.frameworks}
    fw_by_urn |= {s: f for f in base.frameworks for s in f.sources if s.startswith("urn:")}  # CISO's own URNs
    node_ids: dict[str, str] = {}
    for f in base.frameworks:
        for c in base.controls_of(f):
            node_ids.setdefault(node_urn(f, c), c.id)
        node_ids |= NODE_IDS.get((f.key, f.source_ref), {})
    return fw_by_urn, node_ids

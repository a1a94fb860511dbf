"""CISO Assistant's library loader rules (tests/fixtures/external/ciso/LOADER_RULES.md) as a checker for our files."""

from __future__ import annotations

import re

URN_REGEX = re.compile(r"^urn:([a-zA-Z0-9_-]+):([a-zA-Z0-9_-]+):([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9_-]+))?:"
                       r"([0-9A-Za-z\[\]\(\)\-\._:]+)$")
OBJECT_FIELDS = {"ttp_catalogs", "tactics", "techniques", "threats", "reference_controls", "metric_definitions",
                 "risk_matrix", "risk_matrices", "framework", "frameworks", "requirement_mapping_set",
                 "requirement_mapping_sets", "preset", "workflows"}
RELATIONSHIPS = {"subset", "intersect", "equal", "superset", "not_related"}


def refusals(doc: object, loaded_nodes: set[str] = frozenset()) -> list[str]:
    """Why CISO Assistant's loader would refuse the library (its own messages); empty when it loads it."""
    if not isinstance(doc, dict):
        return ["The YAML content must be a dictionary"]
    out = [f"The following fields are missing : {k!r}" for k in ("urn", "name", "version", "objects")
           if k not in doc]
    if "ref_id" not in doc:
        out.append("KeyError: 'ref_id' (read when the library is stored)")
    if "urn" in doc and not URN_REGEX.match(str(doc["urn"]).lower()):
        out.append("Library URN is badly formatted")
    try:
        int(doc.get("version"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        out.append("version must convert with int()")
    objects = doc.get("objects") or {}
    if not set(objects) & OBJECT_FIELDS:
        out.append("The library 'objects' field data must contain at least one of the following fields")
    for a, b in (("framework", "frameworks"), ("requirement_mapping_set", "requirement_mapping_sets")):
        if a in objects and b in objects:
            out.append(f"A library can't have both '{a}' and '{b}' objects fields.")
    frameworks = objects.get("frameworks") or objects.get("framework") or []
    nodes = set(loaded_nodes)
    for fw in frameworks if isinstance(frameworks, list) else [frameworks]:
        out += [f"[FRAMEWORK_ERROR] Missing the following fields : {k}" for k in ("ref_id", "urn") if k not in fw]
        if not (fw.get("requirement_nodes") or fw.get("requirements")):
            out.append("[FRAMEWORK_ERROR] No object has been detected among the object fields")
        for node in fw.get("requirement_nodes") or []:
            if "urn" not in node:
                out.append("[REQUIREMENT_ERROR] Missing the following fields : urn")
                continue
            if node.get("assessable") is None:
                out.append(f"[REQUIREMENT_ERROR] {node['urn']}: assessable is NOT NULL")
            if node["urn"].lower() in nodes:
                out.append(f"[REQUIREMENT_ERROR] duplicate urn {node['urn']}")
            nodes.add(node["urn"].lower())
            for key, limit in (("ref_id", 100), ("name", 200), ("parent_urn", 255), ("urn", 255)):
                if len(str(node.get(key) or "")) > limit:
                    out.append(f"[REQUIREMENT_ERROR] {node['urn']}: {key} longer than {limit}")
    sets = objects.get("requirement_mapping_sets") or objects.get("requirement_mapping_set") or []
    for ms in sets if isinstance(sets, list) else [sets]:
        out += [f"[REQUIREMENT_MAPPING_SET_ERROR] Missing the following fields : {k}"
                for k in ("urn", "name", "source_framework_urn", "target_framework_urn") if k not in ms]
        if ms.get("source_framework_urn") == ms.get("target_framework_urn"):
            out.append("Source and related frameworks must be different")
        if not ms.get("requirement_mappings"):
            out.append("No requirement mappings objects has been detected")
        for row in ms.get("requirement_mappings") or []:
            out += [f"[REQUIREMENT_MAPPING_ERROR] Missing the following fields : {k}"
                    for k in ("source_requirement_urn", "target_requirement_urn", "relationship") if k not in row]
            if row.get("relationship") not in RELATIONSHIPS:
                out.append(f"relationship {row.get('relationship')!r} is not a model choice")
            strength = row.get("strength_of_relationship")
            if strength is not None and not (isinstance(strength, int) and 0 <= strength <= 10):
                out.append(f"strength_of_relationship {strength!r} is not an integer 0-10")
            if row.get("rationale") not in (None, "syntactic", "semantic", "functional"):
                out.append(f"rationale {row.get('rationale')!r} is not a model choice")
            for key in ("source_requirement_urn", "target_requirement_urn"):
                if str(row.get(key, "")).lower() not in nodes:
                    out.append(f"requirement node {row.get(key)} is not loaded (only logged by CISO Assistant)")
    return out

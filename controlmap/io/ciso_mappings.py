"""CISO Assistant requirement mapping sets as controlmap mapping sets, between editions read or loaded."""

from __future__ import annotations

import re
from typing import Any

from ..model import Framework, Mapping, MappingSet, Provenance, Relation
from .ciso_urns import DEFAULT_STRENGTH, RELATION_OF_CISO, LibraryHead
from .oscal_lines import Findings

__all__ = ["read_mapping_sets"]

_TAIL_TAG = re.compile(r"\s*\[(R|I)\]\s*$")
_SIDES = (("source_requirement_urn", "source_framework_urn"), ("target_requirement_urn", "target_framework_urn"))


def read_mapping_sets(set_docs: list, set_ptr: str, head: LibraryHead, fw_by_urn: dict[str, Framework],
                      node_ids: dict[str, str], found: Findings) -> list[MappingSet]:
    """Each mapping set of a library whose two frameworks are known; rows name nodes by URN."""
    sets: list[MappingSet] = []
    for i, sdoc in enumerate(set_docs):
        ptr = f"{set_ptr}/{i}" if set_ptr.endswith("s") else set_ptr
        if not isinstance(sdoc, dict):
            found.bad(ptr, "a requirement mapping set must be a mapping")
            continue
        ends = _ends(sdoc, ptr, fw_by_urn, found)
        if not sdoc.get("urn"):
            found.bad(f"{ptr}/urn", "a requirement mapping set needs a urn")
        rows = sdoc.get("requirement_mappings")
        if not isinstance(rows, list):
            found.bad(f"{ptr}/requirement_mappings", "requirement_mappings must be a list")
            continue
        if len(ends) < 2:
            continue
        mappings, defaulted, unrelated = _rows(rows, ptr, ends, node_ids, head.provider, found)
        sets.append(_mapping_set(sdoc, i, head, ends, mappings, defaulted, unrelated, found.file))
        if defaulted:
            found.note("mapping rows without strength_of_relationship (defaulted)", defaulted)
        if unrelated:
            found.note("not_related mapping rows (no coverage; not kept)", unrelated)
    return sets


def _ends(sdoc: dict, ptr: str, fw_by_urn: dict[str, Framework], found: Findings) -> dict[str, Framework]:
    ends: dict[str, Framework] = {}
    for side in ("source_framework_urn", "target_framework_urn"):
        urn = str(sdoc.get(side) or "").lower()
        if not urn:
            found.bad(f"{ptr}/{side}", f"missing {side}")
        elif urn not in fw_by_urn:
            found.bad(f"{ptr}/{side}", f"framework {urn} is neither in this library nor loaded; load its library "
                                       "first (controlmap's own editions are "
                                       "urn:controlmap:risk:framework:<id>-<edition>)")
        else:
            ends[side] = fw_by_urn[urn]
    return ends


def _rows(rows: list, ptr: str, ends: dict[str, Framework], node_ids: dict[str, str], provider: str,
          found: Findings) -> tuple[list[Mapping], int, int]:
    """The mappings of a set's rows, and how many rows were defaulted and how many were not_related."""
    mappings: list[Mapping] = []
    defaulted = unrelated = 0
    for j, row in enumerate(rows):
        rptr = f"{ptr}/requirement_mappings/{j}"
        if not isinstance(row, dict):
            found.bad(rptr, "a requirement mapping must be a mapping")
            continue
        ids = _row_ids(row, rptr, ends, node_ids, found)
        rel_word = str(row.get("relationship") or "")
        relation = RELATION_OF_CISO.get(rel_word)
        if relation is None:
            found.bad(f"{rptr}/relationship", f"relationship {rel_word!r} is not one of {', '.join(RELATION_OF_CISO)}")
        strength = _strength(row, rptr, found)
        if relation is None or len(ids) < 2 or (strength is not None and not 0 <= strength <= 10):
            continue
        if relation is Relation.NO_RELATIONSHIP:   # our no_relationship means "no counterpart" (NoTermFound)
            unrelated += 1
            continue
        if strength is None:
            strength = DEFAULT_STRENGTH[relation]
            defaulted += 1
        annotation = str(row.get("annotation") or "").strip()
        tag = _TAIL_TAG.search(annotation)
        mappings.append(Mapping(
            subject_id=ids["source_requirement_urn"], object_id=ids["target_requirement_urn"],
            relation=relation, strength=strength, confidence=1.0,
            justification="semapv:ManualMappingCuration", author=provider,
            comment=annotation[: tag.start()] if tag else annotation,
            provenance=Provenance(tag.group(1)) if tag else None, origin=f"{found.file}:{found.lines.get(rptr, rptr)}",
        ))
    return mappings, defaulted, unrelated


def _row_ids(row: dict, rptr: str, ends: dict[str, Framework], node_ids: dict[str, str],
             found: Findings) -> dict[str, str]:
    ids = {}
    for side, end in _SIDES:
        fw = ends[end]
        urn = str(row.get(side) or "").lower()
        cid = node_ids.get(urn)
        if not urn:
            found.bad(f"{rptr}/{side}", f"missing {side}")
        elif cid is None or not cid.startswith(fw.prefix + ":"):
            found.bad(f"{rptr}/{side}", f"unknown requirement node {urn} in {fw.key}")
        else:
            ids[side] = cid
    return ids


def _strength(row: dict, rptr: str, found: Findings) -> int | None:
    """The row's strength_of_relationship (or CISO's misspelt key); None when absent, -1 when not a number."""
    raw = row.get("strength_of_relationship", row.get("stregth_of_relationship"))
    strength = None
    if raw is not None and raw != "":
        try:
            strength = int(raw)
        except (TypeError, ValueError):
            strength = -1
        if not 0 <= strength <= 10:
            found.bad(f"{rptr}/strength_of_relationship", f"strength_of_relationship must be 0–10, not {raw!r}")
    return strength


def _mapping_set(sdoc: dict[str, Any], i: int, head: LibraryHead, ends: dict[str, Framework],
                 mappings: list[Mapping], defaulted: int, unrelated: int, file: str) -> MappingSet:
    info = [f"Read from CISO Assistant library {head.urn} (version {head.version})."]
    if defaulted:
        info.append(f"{defaulted} row(s) gave no strength_of_relationship: taken as "
                    "10 for equal/superset, 5 for subset/intersect.")
    if unrelated:
        info.append(f"{unrelated} not_related row(s) between two requirements left out: controlmap states "
                    "'no counterpart' only against sssom:NoTermFound, and such a row adds no coverage.")
    return MappingSet(
        id=str(sdoc.get("urn") or f"{head.urn}#{i}"), title=str(sdoc.get("name") or sdoc.get("ref_id") or ""),
        subject_framework=ends["source_framework_urn"].key, object_framework=ends["target_framework_urn"].key,
        mappings=tuple(mappings), complete=False, kind="curated",
        description=" ".join([str(sdoc.get("description") or "").strip(), *info]).strip(),
        license=head.copyright if head.copyright.startswith("http") else "",
        version=head.version,
        creators=(head.provider,) if head.provider else (), origin=file,
    )

"""SSSOM ids -> catalog ids: controlmap editions by IRI or curie_map, other ids as an external framework's terms.

A side (subject or object) of a set resolves to one framework edition:

* ``subject_source`` is a controlmap edition IRI: every id must be a control of that (loaded) edition;
* otherwise the ids' prefixes are expanded with the ``curie_map``; when they all name the namespace of one
  loaded edition, that edition is the side's framework (``NIST:AC-2`` with ``NIST: …/sp800_53/5.2.0/``);
* ids of no loaded edition are kept as they are, as the terms of an *external* framework (``completeness:
  external``, one per source, edition ``external``) that this part of the catalog adds; terms are assessable
  leaves, titled with the row's label, tagged ``[R]`` with the set as their source.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import Problem
from ..model import NO_TERM, Catalog, Control, Framework, Mapping, MappingSet, Provenance

if TYPE_CHECKING:
    from .sssom import SssomFile

__all__ = ["EXTERNAL", "external_framework_id", "resolve_ids", "resolve_set"]

EXTERNAL = "external"


def _at(origin: str, column: str, message: str) -> Problem:
    file, _, line = origin.rpartition(":")
    return Problem(file, int(line) if line.isdigit() else line, column, message)


def _fields(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def external_framework_id(source: str, prefixes: set[str], fallback: str) -> str:
    """``hp`` for ids all ``HP:…``; else the last segment of the source IRI (``obo:mp.owl`` -> ``mp``)."""
    if len(prefixes) == 1:
        raw = next(iter(prefixes))
    elif source:
        raw = re.split(r"[/#:]", source.rstrip("/#"))[-1].rsplit(".", 1)[0] or fallback
    else:
        raw = fallback
    slug = re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_") or fallback
    return slug if slug[0].isalpha() else f"x{slug}"


def resolve_ids(parsed: SssomFile, catalog: Catalog) -> tuple[MappingSet, list[Problem]]:
    """Rewrite CURIEs to the catalog's ids and check every reference and the completeness claim."""
    part, problems = resolve_set(parsed, catalog)
    return part.mapping_sets[0] if part.mapping_sets else parsed.mapping_set, problems


def resolve_set(parsed: SssomFile, catalog: Catalog) -> tuple[Catalog, list[Problem]]:
    """The set with catalog ids, plus the external frameworks and terms it adds (a Catalog part to merge)."""
    ms = parsed.mapping_set
    problems: list[Problem] = []
    new_frameworks: dict[str, Framework] = {}
    new_controls: dict[str, Control] = {}
    keys: dict[str, str] = {}
    ids: dict[str, dict[str, str]] = {}
    for side in ("subject", "object"):
        key, mapping, found = _side(parsed, catalog, side, new_frameworks, new_controls)
        problems.extend(found)
        keys[side], ids[side] = key, mapping
    resolved = []
    for m in ms.mappings:
        s = ids["subject"].get(m.subject_id, m.subject_id)
        o = ids["object"].get(m.object_id, m.object_id)
        claims = parsed.claimed_provenance.get(m.origin, ("", ""))
        for side, cid, claim in zip(("subject", "object"), (s, o), claims, strict=True):
            if claim and cid != NO_TERM and catalog.has_control(cid):
                actual = catalog.control(cid).provenance.value
                if claim != actual:
                    problems.append(_at(m.origin, f"{side}_provenance",
                                        f"says {claim} but {cid} is tagged [{actual}] in its framework data"))
        # most CURIEs already are the catalog's ids: keep the (frozen) row instead of copying it
        same = s == m.subject_id and o == m.object_id
        resolved.append(m if same else Mapping(**{**_fields(m), "subject_id": s, "object_id": o}))
    out = MappingSet(**{**_fields(ms), "mappings": tuple(resolved), "subject_framework": keys["subject"],
                        "object_framework": keys["object"]})
    if ms.complete and not problems and keys["object"] and keys["object"] not in new_frameworks:
        mapped = {m.object_id for m in out.mappings}
        for c in catalog.assessable(keys["object"]):
            if c.id not in mapped:
                problems.append(Problem(ms.origin, None, "object_id",
                                        f"the set says complete=true but {c.id} ({c.title}) has no row"))
    part = Catalog(frameworks=tuple(new_frameworks.values()), controls=tuple(new_controls.values()),
                   mapping_sets=(out,))
    return part, problems


def _side(parsed: SssomFile, catalog: Catalog, side: str, new_frameworks: dict[str, Framework],
          new_controls: dict[str, Control]) -> tuple[str, dict[str, str], list[Problem]]:
    """(framework key, {file id: catalog id}, problems) for one side of the set."""
    ms = parsed.mapping_set
    declared = ms.subject_framework if side == "subject" else ms.object_framework
    origins: dict[str, str] = {}
    for m in ms.mappings:
        cid = getattr(m, f"{side}_id")
        if cid != NO_TERM:
            origins.setdefault(cid, m.origin)
    problems: list[Problem] = []
    by_ns = {f.namespace: f for f in catalog.frameworks}
    by_prefix = {f.prefix: f for f in catalog.frameworks}
    if declared:
        try:
            fw = catalog.framework(declared)
        except KeyError as err:
            return declared, {}, [Problem(ms.origin, None, f"{side}_source", str(err))]
    else:
        owners = {_owner(cid, parsed.curie_map, by_ns, by_prefix) for cid in origins}
        if owners == {None} or not owners:
            return _external(parsed, side, origins, catalog, new_frameworks, new_controls), {}, []
        if len(owners) > 1:
            names = ", ".join(sorted(f.key if f else "no loaded edition" for f in owners))
            return "", {}, [Problem(ms.origin, None, f"{side}_id",
                                    f"the {side} ids belong to several framework editions ({names}); "
                                    "one mapping set maps one edition to another")]
        (owner,) = owners
        assert owner is not None
        fw = owner
    out: dict[str, str] = {}
    for cid, origin in origins.items():
        owner = _owner(cid, parsed.curie_map, by_ns, by_prefix)
        control_id = f"{fw.prefix}:{cid.partition(':')[2]}"
        if owner is None:
            prefix = cid.partition(":")[0]
            problems.append(_at(origin, f"{side}_id", f"{cid!r}: prefix {prefix!r} is not a loaded framework "
                                                      "edition in the curie_map"))
        elif owner.key != fw.key:
            problems.append(_at(origin, f"{side}_id", f"{cid!r} belongs to {owner.key}, but {side}_source is "
                                                      f"{fw.key}"))
        elif not catalog.has_control(control_id):
            problems.append(_at(origin, f"{side}_id", f"unknown control {cid!r} in {fw.key}"))
        out[cid] = control_id
    return fw.key, out, problems


def _owner(cid: str, curie_map: dict[str, str], by_ns: dict[str, Framework],
           by_prefix: dict[str, Framework]) -> Framework | None:
    prefix, sep, _ = cid.partition(":")
    if not sep:
        return None
    base = curie_map.get(prefix)
    if base is not None:
        return by_ns.get(base)
    return by_prefix.get(prefix)


def _external(parsed: SssomFile, side: str, origins: dict[str, str], catalog: Catalog,
              new_frameworks: dict[str, Framework], new_controls: dict[str, Control]) -> str:
    """Add the side's ids as terms of an external framework; returns its key."""
    ms = parsed.mapping_set
    source = parsed.subject_source if side == "subject" else parsed.object_source
    prefixes = {cid.partition(":")[0] for cid in origins if ":" in cid}
    fid = external_framework_id(source, prefixes, f"terms_{side}")
    key = f"{fid}@{EXTERNAL}"
    existing = {f.key: f for f in catalog.frameworks} | new_frameworks
    if key not in existing:
        new_frameworks[key] = Framework(
            id=fid, edition=EXTERNAL, prefix=f"EXT-{fid.upper()}", title=f"terms of {source or fid}",
            completeness=EXTERNAL, sources=(source,) if source else (), origin=ms.origin,
            description=f"terms named by the SSSOM mapping set {ms.id}; not a framework controlmap holds",
        )
    for order, (cid, origin) in enumerate(origins.items(), start=1):
        if not catalog.has_control(cid) and cid not in new_controls:
            new_controls[cid] = Control(
                id=cid, framework=key, notation=cid.partition(":")[2] or cid, parent=None, level="term",
                title=parsed.labels.get(cid, ""), source_ref=ms.id, provenance=Provenance.READ, order=order,
                origin=origin)
    return key

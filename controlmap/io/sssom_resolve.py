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

from ..columns import MappingColumns
from ..errors import Problem
from ..model import NO_TERM, Catalog, Control, Framework, MappingSet, Provenance

if TYPE_CHECKING:
    from .sssom import SssomFile

__all__ = ["EXTERNAL", "external_framework_id", "resolve_ids", "resolve_set"]

EXTERNAL = "external"


def _at(origin: str, column: str, message: str) -> Problem:
    file, _, line = origin.rpartition(":")
    return Problem(file, int(line) if line.isdigit() else line, column, message)


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
    """The set with catalog ids, plus the external frameworks and terms it adds (a Catalog part to merge).

    Works on the set's columns: ids are resolved once per distinct id, and no Mapping object is made.
    """
    ms = parsed.mapping_set
    cols = ms.columns
    rows = _Rows(cols)
    problems: list[Problem] = []
    new_frameworks: dict[str, Framework] = {}
    new_controls: dict[str, Control] = {}
    keys: dict[str, str] = {}
    resolved: dict[str, list[str]] = {}
    for side in ("subject", "object"):
        key, mapping, found = _side(parsed, catalog, side, rows, new_frameworks, new_controls)
        problems.extend(found)
        keys[side] = key
        ids = cols.data[f"{side}_id"]
        # most CURIEs already are the catalog's ids: keep the column then
        same = all(k == v for k, v in mapping.items())
        resolved[side] = ids if same else list(map(mapping.get, ids, ids))
    ids_kept = all(resolved[side] is cols.data[f"{side}_id"] for side in ("subject", "object"))
    if parsed.claimed_provenance:
        problems.extend(_claims(parsed, catalog, cols.column("origin"), resolved))
    data = cols.data | {"subject_id": resolved["subject"], "object_id": resolved["object"]}
    fields = {name: getattr(ms, name) for name in ms.__dataclass_fields__ if name != "mappings"}
    rows_out = MappingColumns(data, cols.file, cols.lines, in_order=cols.in_order and ids_kept)
    out = MappingSet(**{**fields, "mappings": rows_out,
                        "subject_framework": keys["subject"], "object_framework": keys["object"]})
    if ms.complete and not problems and keys["object"] and keys["object"] not in new_frameworks:
        mapped = set(resolved["object"])
        for c in catalog.assessable(keys["object"]):
            if c.id not in mapped:
                problems.append(Problem(ms.origin, None, "object_id",
                                        f"the set says complete=true but {c.id} ({c.title}) has no row"))
    part = Catalog(frameworks=tuple(new_frameworks.values()), controls=tuple(new_controls.values()),
                   mapping_sets=(out,))
    return part, problems


def _claims(parsed: SssomFile, catalog: Catalog, origins: list[str], resolved: dict[str, list[str]]) -> list[Problem]:
    """A row's subject_provenance / object_provenance that differs from its control's tag, in row order."""
    problems: list[Problem] = []
    for i, origin in enumerate(origins):
        claims = parsed.claimed_provenance.get(origin)
        if claims is None:
            continue
        for side, claim in zip(("subject", "object"), claims, strict=True):
            cid = resolved[side][i]
            if claim and cid != NO_TERM and catalog.has_control(cid):
                actual = catalog.control(cid).provenance.value
                if claim != actual:
                    problems.append(_at(origin, f"{side}_provenance",
                                        f"says {claim} but {cid} is tagged [{actual}] in its framework data"))
    return problems


class _Rows:
    """The distinct ids of each side in row order, and the origin of an id's first row (made when asked)."""

    def __init__(self, cols: MappingColumns) -> None:
        self.cols = cols
        self._first: dict[str, dict[str, str]] = {}

    def ids(self, side: str) -> list[str]:
        return [cid for cid in dict.fromkeys(self.cols.data[f"{side}_id"]) if cid != NO_TERM]

    def origins(self, side: str) -> dict[str, str]:
        """{id: origin of its first row}, ids in row order (NoTermFound left out)."""
        if side not in self._first:
            first: dict[str, str] = {}
            for cid, origin in zip(self.cols.data[f"{side}_id"], self.cols.column("origin"), strict=True):
                if cid != NO_TERM:
                    first.setdefault(cid, origin)
            self._first[side] = first
        return self._first[side]


def _side(parsed: SssomFile, catalog: Catalog, side: str, rows: _Rows, new_frameworks: dict[str, Framework],
          new_controls: dict[str, Control]) -> tuple[str, dict[str, str], list[Problem]]:
    """(framework key, {file id: catalog id}, problems) for one side of the set."""
    ms = parsed.mapping_set
    declared = ms.subject_framework if side == "subject" else ms.object_framework
    ids = rows.ids(side)
    problems: list[Problem] = []
    by_ns = {f.namespace: f for f in catalog.frameworks}
    by_prefix = {f.prefix: f for f in catalog.frameworks}
    if declared:
        try:
            fw = catalog.framework(declared)
        except KeyError as err:
            return declared, {}, [Problem(ms.origin, None, f"{side}_source", str(err))]
    else:
        heads = {cid.partition(":")[:2] for cid in ids}  # owners go by prefix: one look-up per prefix
        owners = {_owner(f"{p}{sep}", parsed.curie_map, by_ns, by_prefix) for p, sep in heads}
        if owners == {None} or not owners:
            return _external(parsed, side, rows.origins(side), catalog, new_frameworks, new_controls), {}, []
        if len(owners) > 1:
            names = ", ".join(sorted(f.key if f else "no loaded edition" for f in owners))
            return "", {}, [Problem(ms.origin, None, f"{side}_id",
                                    f"the {side} ids belong to several framework editions ({names}); "
                                    "one mapping set maps one edition to another")]
        (owner,) = owners
        assert owner is not None
        fw = owner
    if {cid[:len(fw.prefix) + 1] for cid in ids} <= {f"{fw.prefix}:"} and (
            not ids or _owner(f"{fw.prefix}:", parsed.curie_map, by_ns, by_prefix) is fw) and catalog.has_controls(ids):
        return fw.key, {}, []  # every id is already a control id of fw: nothing to rewrite, nothing wrong
    out: dict[str, str] = {}
    for cid in ids:
        owner = _owner(cid, parsed.curie_map, by_ns, by_prefix)
        control_id = f"{fw.prefix}:{cid.partition(':')[2]}"
        if owner is None:
            prefix = cid.partition(":")[0]
            problems.append(_at(rows.origins(side)[cid], f"{side}_id", f"{cid!r}: prefix {prefix!r} is not a "
                                "loaded framework edition in the curie_map"))
        elif owner.key != fw.key:
            problems.append(_at(rows.origins(side)[cid], f"{side}_id", f"{cid!r} belongs to {owner.key}, but "
                                f"{side}_source is {fw.key}"))
        elif not catalog.has_control(control_id):
            problems.append(_at(rows.origins(side)[cid], f"{side}_id", f"unknown control {cid!r} in {fw.key}"))
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

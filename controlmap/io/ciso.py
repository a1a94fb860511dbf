"""CISO Assistant library files (YAML) as framework editions and mapping sets.

A library holds ``objects.frameworks`` (or the older ``objects.framework``), each with
``requirement_nodes`` (``urn``, ``parent_urn``, ``assessable``, ``depth``, ``ref_id``, ``name``,
``description``, ``annotation``), and ``objects.requirement_mapping_sets`` (or the older singular) whose
``requirement_mappings`` give ``source_requirement_urn``, ``target_requirement_urn``, ``relationship``
(``equal | subset | superset | intersect | not_related``, read for the source relative to the target,
as our subject relative to the object), ``strength_of_relationship`` (0–10), ``rationale``
(``syntactic | semantic | functional``) and ``annotation``. A mapping set may name frameworks of the
same file or of editions already loaded (by the URNs :func:`framework_urn` gives them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from ..model import Catalog, Control, Framework, Mapping, MappingSet, Provenance, Relation
from .limits import read_text
from .naming import split_edition
from .oscal import PREFIX, line_of, parse_yaml_with_lines

__all__ = [
    "CISO_RELATION",
    "DEFAULT_STRENGTH",
    "RELATION_OF_CISO",
    "CisoImport",
    "framework_urn",
    "is_ciso_library",
    "is_ciso_mapping_library",
    "node_urn",
    "parse_ciso_library",
    "read_ciso",
    "read_ciso_library",
]

RELATION_OF_CISO: dict[str, Relation] = {
    "equal": Relation.EQUAL,
    "subset": Relation.SUBSET_OF,
    "superset": Relation.SUPERSET_OF,
    "intersect": Relation.INTERSECTS_WITH,
    "not_related": Relation.NO_RELATIONSHIP,
}
CISO_RELATION: dict[Relation, str] = {v: k for k, v in RELATION_OF_CISO.items()}
# strength used when a library row gives no strength_of_relationship (counted in the set's description)
DEFAULT_STRENGTH: dict[Relation, int] = {
    Relation.EQUAL: 10, Relation.SUPERSET_OF: 10, Relation.SUBSET_OF: 5, Relation.INTERSECTS_WITH: 5,
    Relation.NO_RELATIONSHIP: 0,
}
_TAG = re.compile(r"^\s*\[(R|I)\]\s*")
_TAIL_TAG = re.compile(r"\s*\[(R|I)\]\s*$")
_URN_SAFE = re.compile(r"[^0-9a-z\[\]()\-._]")


def _urn_token(text: str) -> str:
    return _URN_SAFE.sub("_", text.lower())


def framework_urn(framework: Framework) -> str:
    """The URN controlmap gives an edition in CISO Assistant libraries.

    Examples
    --------
    >>> framework_urn(Framework("jisq15001", "2017", "JISQ15001-2017", "t"))
    'urn:controlmap:risk:framework:jisq15001-2017'
    """
    return f"urn:controlmap:risk:framework:{_urn_token(framework.id)}-{_urn_token(framework.edition)}"


def node_urn(framework: Framework, control: Control) -> str:
    """The URN of a control's requirement node (lower case, as CISO Assistant stores URNs).

    Examples
    --------
    >>> fw = Framework("govt_unified_std", "2021", "GUS-R3", "t")
    >>> node_urn(fw, Control("GUS-R3:6.1.1(1)", fw.key, "6.1.1(1)", None, "item", "t"))
    'urn:controlmap:risk:req_node:govt_unified_std-2021:6.1.1(1)'
    """
    tail = framework_urn(framework).rsplit(":", 1)[1]
    return f"urn:controlmap:risk:req_node:{tail}:{_urn_token(control.notation)}"


@dataclass(frozen=True)
class CisoImport:
    """A parsed CISO Assistant library: its frameworks, controls and mapping sets, plus import notes."""

    catalog: Catalog
    notes: tuple[str, ...] = ()


def is_ciso_library(path: str | Path) -> bool:
    """True when a YAML file's top level has ``urn:`` and ``objects:`` (a CISO Assistant library)."""
    try:
        text = Path(path).read_bytes()[:65536].decode("utf-8", "ignore")
    except OSError:
        return False
    return bool(re.search(r"^objects:", text, re.M) and re.search(r"^urn:", text, re.M))


def _one_or_many(objects: dict, plural: str, singular: str) -> tuple[list, str]:
    if plural in objects:
        value = objects[plural]
        return (value if isinstance(value, list) else [value]), f"/objects/{plural}"
    if singular in objects:
        value = objects[singular]
        return (value if isinstance(value, list) else [value]), f"/objects/{singular}"
    return [], ""


#: node URN -> control id of every library framework read in this process, by (framework key, source_ref):
#: a mapping library read later (or in another load_files call) resolves CISO Assistant's own node URNs
_NODE_IDS: dict[tuple[str, str], dict[str, str]] = {}


def _local_id(ref: str, nurn: str, furn: str, used: dict[str, str], position: int) -> str:
    """A node's local id: its ref_id; else (or when the ref_id repeats) its URN tail, then the URN past the
    framework's node prefix (``artículo-2.1``), then that with the node's position: always unique."""
    node_prefix = furn.replace(":framework:", ":req_node:", 1) + ":"
    rest = nurn[len(node_prefix):] if nurn.startswith(node_prefix) else nurn.rsplit(":", 1)[-1]
    for candidate in (ref, nurn.rsplit(":", 1)[-1], rest.replace(":", "."), f"{rest.replace(':', '.')}~{position}"):
        if candidate and candidate not in used:
            return candidate
    return f"node~{position}"


def is_ciso_mapping_library(path: str | Path) -> bool:
    """A CISO Assistant library holding mapping sets and no framework (read after the frameworks it maps)."""
    if not is_ciso_library(path):
        return False
    text = Path(path).read_bytes()[:1 << 20].decode("utf-8", "ignore")
    return bool(re.search(r"^  requirement_mapping_sets?:", text, re.M)
                and not re.search(r"^  frameworks?:", text, re.M))


def _split_description(text: str) -> tuple[str, str]:
    head, sep, rest = text.strip().partition("\n\n")
    return head.strip(), rest.strip()


def parse_ciso_library(doc: Any, file: str, base: Catalog | None = None,
                       lines: dict[str, int] | None = None) -> CisoImport:
    """Frameworks and mapping sets of one library; every problem of the file is raised together.

    ``base`` holds the editions already loaded that mapping sets may refer to.
    """
    base = base or Catalog()
    lines = lines or {}
    problems: list[Problem] = []
    notes: dict[str, int] = {}

    def bad(pointer: str, message: str) -> None:
        problems.append(Problem(file, line_of(lines, pointer), pointer or "/", message))

    def note(what: str, n: int = 1) -> None:
        notes[what] = notes.get(what, 0) + n

    if not isinstance(doc, dict):
        raise DataError([Problem(file, 1, "/", "a CISO Assistant library must be a YAML mapping")])
    for key in ("urn", "objects"):
        if key not in doc:
            bad(f"/{key}", f"missing library field {key!r}")
    objects = doc.get("objects")
    if "objects" in doc and not isinstance(objects, dict):
        bad("/objects", "objects must be a mapping")
    if problems:
        raise DataError(problems)
    objects = doc["objects"]
    assert isinstance(objects, dict)
    lib_urn = str(doc["urn"])
    version = str(doc.get("version") or "1")
    provider = str(doc.get("provider") or doc.get("packager") or "")
    fw_docs, fw_ptr = _one_or_many(objects, "frameworks", "framework")
    set_docs, set_ptr = _one_or_many(objects, "requirement_mapping_sets", "requirement_mapping_set")
    reference_only = not fw_docs and not set_docs and isinstance(objects.get("reference_controls"), list)
    if not fw_docs and not set_docs and not reference_only:
        bad("/objects", "the library holds no framework, no requirement_mapping_sets and no reference_controls")
    for other in sorted(set(objects) - {"frameworks", "framework", "requirement_mapping_sets",
                                        "requirement_mapping_set"} - ({"reference_controls"} if reference_only
                                                                      else set())):
        note(f"objects.{other} (not read)")
    if reference_only:  # e.g. intuitem's doc-pol, which framework libraries cite: read as a flat edition
        fw, rcs = _reference_controls(doc, objects["reference_controls"], file, lines, bad)
        if problems:
            raise DataError(problems)
        return CisoImport(Catalog(frameworks=(fw,), controls=tuple(rcs)),
                          (f"reference controls read as the controls of {fw.key}: {len(rcs)}",))

    frameworks: list[Framework] = []
    controls: list[Control] = []
    fw_by_urn: dict[str, Framework] = {framework_urn(f): f for f in base.frameworks}
    fw_by_urn |= {s: f for f in base.frameworks for s in f.sources if s.startswith("urn:")}  # CISO's own URNs
    node_ids: dict[str, str] = {}
    for f in base.frameworks:
        for c in base.controls_of(f):
            node_ids.setdefault(node_urn(f, c), c.id)
        node_ids |= _NODE_IDS.get((f.key, f.source_ref), {})

    for i, fdoc in enumerate(fw_docs):
        ptr = f"{fw_ptr}/{i}" if fw_ptr.endswith("s") else fw_ptr
        if not isinstance(fdoc, dict) or not fdoc.get("urn"):
            bad(f"{ptr}/urn", "a framework needs a urn")
            continue
        furn = str(fdoc["urn"]).lower()
        tail = furn.split(":framework:", 1)[1] if ":framework:" in furn else furn.rsplit(":", 1)[-1]
        fid, named = split_edition(tail)  # the framework's own version, not the library's packaging version
        edition = named or version
        ref_id = str(fdoc.get("ref_id") or "").strip()
        prefix = ref_id if PREFIX.fullmatch(ref_id) else f"{fid}-{edition}".upper()
        prefix = prefix if PREFIX.fullmatch(prefix) else "F" + re.sub(r"[^A-Za-z0-9_.-]", "_", prefix)
        fw = Framework(
            id=fid, edition=edition, prefix=prefix, title=str(fdoc.get("name") or ref_id or fid),
            publisher=provider, edition_label=str(fdoc.get("name") or ""), date=str(doc.get("publication_date") or ""),
            rights=str(doc.get("copyright") or ""), description=str(fdoc.get("description") or "").strip(),
            source_ref=f"CISO Assistant library {lib_urn} (version {version}) [R]",
            levels=("section", "requirement"), assessable_levels=("requirement",), sources=(furn,),
        )
        if furn in fw_by_urn and fw_by_urn[furn].key != fw.key:
            bad(f"{ptr}/urn", f"framework urn {furn} is already loaded as {fw_by_urn[furn].key}")
        fw_by_urn[furn] = fw
        frameworks.append(fw)
        nodes = fdoc.get("requirement_nodes")
        if not isinstance(nodes, list) or not nodes:
            bad(f"{ptr}/requirement_nodes", "a framework needs a non-empty requirement_nodes list")
            continue
        local_of: dict[str, str] = {}
        used: dict[str, str] = {}
        parents: list[tuple[int, str, str]] = []
        for j, node in enumerate(nodes):
            nptr = f"{ptr}/requirement_nodes/{j}"
            if not isinstance(node, dict) or not node.get("urn"):
                bad(f"{nptr}/urn", "a requirement node needs a urn")
                continue
            nurn = str(node["urn"]).lower()
            if nurn in local_of:
                bad(f"{nptr}/urn", f"duplicate requirement node urn {nurn}")
                continue
            ref = str(node.get("ref_id") or "").strip()
            local = _local_id(ref, nurn, furn, used, j)
            used[local] = nurn
            local_of[nurn] = local
            description = str(node.get("description") or "")
            summary, text = _split_description(description)
            name = str(node.get("name") or "").strip() or (summary.splitlines()[0][:80] if summary else ref)
            if not name:
                bad(f"{nptr}/name", "a requirement node needs a name, description or ref_id")
                continue
            annotation = str(node.get("annotation") or "").strip()
            tag = _TAG.match(annotation)
            for extra in ("typical_evidence", "questions", "implementation_groups", "threats", "reference_controls",
                          "translations"):
                if node.get(extra):
                    note(f"requirement node {extra} (not read)")
            if annotation and not tag:
                note("requirement node annotations (kept in source_ref)")
            controls.append(Control(
                id=f"{prefix}:{local}", framework=fw.key, notation=ref or local, parent=None,
                level="requirement" if node.get("assessable", True) else "section", title=name,
                summary=summary, text=text,
                source_ref=annotation[tag.end():].strip() if tag else (annotation or f"{fw.title} {ref or local}"),
                provenance=Provenance(tag.group(1)) if tag else Provenance.READ,
                order=j + 1, origin=f"{file}:{lines.get(nptr, nptr)}",
            ))
            if node.get("parent_urn"):
                parents.append((len(controls) - 1, str(node["parent_urn"]).lower(), nptr))
        for index, parent_urn, nptr in parents:
            if parent_urn not in local_of:
                bad(f"{nptr}/parent_urn", f"parent_urn {parent_urn} is not a node of {furn}")
                continue
            c = controls[index]
            controls[index] = Control(**{**{k: getattr(c, k) for k in c.__dataclass_fields__},
                                         "parent": f"{prefix}:{local_of[parent_urn]}"})
        for nurn, local in local_of.items():
            node_ids[nurn] = f"{prefix}:{local}"
        _NODE_IDS[(fw.key, fw.source_ref)] = {nurn: f"{prefix}:{local}" for nurn, local in local_of.items()}

    sets: list[MappingSet] = []
    for i, sdoc in enumerate(set_docs):
        ptr = f"{set_ptr}/{i}" if set_ptr.endswith("s") else set_ptr
        if not isinstance(sdoc, dict):
            bad(ptr, "a requirement mapping set must be a mapping")
            continue
        ends: dict[str, Framework] = {}
        for side in ("source_framework_urn", "target_framework_urn"):
            urn = str(sdoc.get(side) or "").lower()
            if not urn:
                bad(f"{ptr}/{side}", f"missing {side}")
            elif urn not in fw_by_urn:
                bad(f"{ptr}/{side}", f"framework {urn} is neither in this library nor loaded; load its library "
                                     "first (controlmap's own editions are urn:controlmap:risk:framework:<id>-<edition>)")
            else:
                ends[side] = fw_by_urn[urn]
        if not sdoc.get("urn"):
            bad(f"{ptr}/urn", "a requirement mapping set needs a urn")
        rows = sdoc.get("requirement_mappings")
        if not isinstance(rows, list):
            bad(f"{ptr}/requirement_mappings", "requirement_mappings must be a list")
            continue
        if len(ends) < 2:
            continue
        mappings: list[Mapping] = []
        defaulted = unrelated = 0
        for j, row in enumerate(rows):
            rptr = f"{ptr}/requirement_mappings/{j}"
            if not isinstance(row, dict):
                bad(rptr, "a requirement mapping must be a mapping")
                continue
            ids = {}
            for side, fw in (("source_requirement_urn", ends["source_framework_urn"]),
                             ("target_requirement_urn", ends["target_framework_urn"])):
                urn = str(row.get(side) or "").lower()
                cid = node_ids.get(urn)
                if not urn:
                    bad(f"{rptr}/{side}", f"missing {side}")
                elif cid is None or not cid.startswith(fw.prefix + ":"):
                    bad(f"{rptr}/{side}", f"unknown requirement node {urn} in {fw.key}")
                else:
                    ids[side] = cid
            rel_word = str(row.get("relationship") or "")
            relation = RELATION_OF_CISO.get(rel_word)
            if relation is None:
                bad(f"{rptr}/relationship", f"relationship {rel_word!r} is not one of {', '.join(RELATION_OF_CISO)}")
            raw = row.get("strength_of_relationship", row.get("stregth_of_relationship"))
            strength = None
            if raw is not None and raw != "":
                try:
                    strength = int(raw)
                except (TypeError, ValueError):
                    strength = -1
                if not 0 <= strength <= 10:
                    bad(f"{rptr}/strength_of_relationship", f"strength_of_relationship must be 0–10, not {raw!r}")
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
                provenance=Provenance(tag.group(1)) if tag else None, origin=f"{file}:{lines.get(rptr, rptr)}",
            ))
        info = [f"Read from CISO Assistant library {lib_urn} (version {version})."]
        if defaulted:
            info.append(f"{defaulted} row(s) gave no strength_of_relationship: taken as "
                        "10 for equal/superset, 5 for subset/intersect.")
        if unrelated:
            info.append(f"{unrelated} not_related row(s) between two requirements left out: controlmap states "
                        "'no counterpart' only against sssom:NoTermFound, and such a row adds no coverage.")
        sets.append(MappingSet(
            id=str(sdoc.get("urn") or f"{lib_urn}#{i}"), title=str(sdoc.get("name") or sdoc.get("ref_id") or ""),
            subject_framework=ends["source_framework_urn"].key, object_framework=ends["target_framework_urn"].key,
            mappings=tuple(mappings), complete=False, kind="curated",
            description=" ".join([str(sdoc.get("description") or "").strip(), *info]).strip(),
            license=str(doc.get("copyright") or "") if str(doc.get("copyright") or "").startswith("http") else "",
            version=version,
            creators=(provider,) if provider else (), origin=file,
        ))
        if defaulted:
            note("mapping rows without strength_of_relationship (defaulted)", defaulted)
        if unrelated:
            note("not_related mapping rows (no coverage; not kept)", unrelated)
    if problems:
        raise DataError(problems)
    note_lines = tuple(f"{what}: {n}" for what, n in sorted(notes.items()))
    if note_lines:  # what the library holds that controlmap does not read stays visible on the framework
        tail = " Import notes: " + "; ".join(note_lines) + "."
        frameworks = [Framework(**{**{k: getattr(f, k) for k in f.__dataclass_fields__},
                                   "description": (f.description + tail).strip()}) for f in frameworks]
    return CisoImport(Catalog(frameworks=tuple(frameworks), controls=tuple(controls), mapping_sets=tuple(sets)),
                      note_lines)


def _reference_controls(doc: dict, items: list, file: str, lines: dict[str, int],
                        bad) -> tuple[Framework, list[Control]]:
    """A reference-control library as one edition whose controls are its reference controls (not assessed)."""
    lib_urn = str(doc["urn"]).lower()
    fid, named = split_edition(lib_urn.rsplit(":", 1)[-1])
    edition = named or str(doc.get("version") or "1")
    ref_id = str(doc.get("ref_id") or "").strip()
    prefix = ref_id.upper() if PREFIX.fullmatch(ref_id.upper()) else f"{fid}-{edition}".upper()
    fw = Framework(
        id=fid, edition=edition, prefix=prefix, title=str(doc.get("name") or ref_id or fid),
        publisher=str(doc.get("provider") or doc.get("packager") or ""), sources=(lib_urn,),
        description=str(doc.get("description") or "").strip() + " Reference controls of a CISO Assistant "
        "library (not requirements).", source_ref=f"CISO Assistant library {lib_urn} [R]",
        levels=("reference_control",), assessable_levels=(),
    )
    controls: list[Control] = []
    used: dict[str, str] = {}
    for j, item in enumerate(items):
        ptr = f"/objects/reference_controls/{j}"
        if not isinstance(item, dict) or not item.get("urn"):
            bad(f"{ptr}/urn", "a reference control needs a urn")
            continue
        urn = str(item["urn"]).lower()
        local = _local_id(str(item.get("ref_id") or "").strip(), urn, lib_urn, used, j)
        used[local] = urn
        summary, text = _split_description(str(item.get("description") or ""))
        controls.append(Control(
            id=f"{prefix}:{local}", framework=fw.key, notation=str(item.get("ref_id") or local), parent=None,
            level="reference_control", title=str(item.get("name") or item.get("ref_id") or local).strip(),
            summary=summary, text=text, source_ref=str(item.get("category") or fw.title),
            provenance=Provenance.READ, order=j + 1, origin=f"{file}:{lines.get(ptr, ptr)}"))
    _NODE_IDS[(fw.key, fw.source_ref)] = {urn: f"{prefix}:{local}" for local, urn in used.items()}
    return fw, controls


def read_ciso(path: str | Path, base: Catalog | None = None) -> CisoImport:
    """Read a CISO Assistant library YAML file (UTF-8 or cp932)."""
    p = Path(path)
    doc, lines = parse_yaml_with_lines(read_text(p), str(p))
    return parse_ciso_library(doc, str(p), base, lines)


def read_ciso_library(path: str | Path, catalog: Catalog | None = None) -> Catalog:
    """The loader's entry: a library's frameworks and mapping sets (referring to ``catalog`` where needed)."""
    return read_ciso(path, catalog).catalog

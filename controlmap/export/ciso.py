"""Framework editions and mapping sets -> CISO Assistant library YAML (frameworks, requirement nodes, mapping sets).

The library uses the current canonical list spellings (``objects.frameworks``,
``objects.requirement_mapping_sets``). Relationship words follow CISO Assistant
(``equal | subset | superset | intersect | not_related``, source relative to target, as our subject
relative to object). What the format cannot carry is counted in :attr:`CisoExport.notes`: rows
against ``sssom:NoTermFound`` (a reviewed "no counterpart"), the combined relation of mapping groups,
control levels and answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExportError
from ..io.ciso import CISO_RELATION, framework_urn, node_urn
from ..model import NO_TERM, Catalog, Framework, MappingSet
from .files import ensure_folder, write_text

__all__ = ["CisoExport", "ciso_library", "write_ciso"]

PACKAGER = "controlmap"


@dataclass
class CisoExport:
    """One library document, or several when split, and the notes on what was left out."""

    documents: dict[str, dict] = field(default_factory=dict)   # file name -> library document
    notes: list[str] = field(default_factory=list)


def _framework_object(catalog: Catalog, fw: Framework, urns: dict[str, str]) -> dict:
    nodes = []
    depth: dict[str, int] = {}
    for c in catalog.controls_of(fw):
        depth[c.id] = depth.get(c.parent, 0) + 1 if c.parent else 1
        description = c.summary + (f"\n\n{c.text}" if c.text else "")
        node = {
            "urn": urns[c.id],
            "assessable": catalog.is_assessable(c),
            "depth": depth[c.id],
        }
        if c.parent:
            node["parent_urn"] = urns[c.parent]
        node |= {"ref_id": c.notation, "name": c.title}
        if description.strip():
            node["description"] = description.strip()
        node["annotation"] = f"{c.provenance.tag} {c.source_ref}".strip()
        nodes.append(node)
    return {
        "urn": framework_urn(fw),
        "ref_id": fw.prefix,
        "name": fw.title + (f" ({fw.edition_label})" if fw.edition_label and fw.edition_label not in fw.title else ""),
        "description": (fw.description or fw.title).strip(),
        "requirement_nodes": nodes,
    }


def _node_urns(catalog: Catalog, fw: Framework) -> dict[str, str]:
    urns: dict[str, str] = {}
    taken: set[str] = set()
    for c in catalog.controls_of(fw):
        urn = base = node_urn(fw, c)
        n = 2
        while urn in taken:  # notations differing only by case or by characters a URN cannot hold
            urn, n = f"{base}_{n}", n + 1
        taken.add(urn)
        urns[c.id] = urn
    return urns


def _mapping_set_object(catalog: Catalog, ms: MappingSet, urns: dict[str, str], notes: list[str],
                        reverse: bool = False) -> dict:
    s_fw, o_fw = catalog.framework(ms.subject_framework), catalog.framework(ms.object_framework)
    rows = []
    skipped = groups = 0
    for m in ms.mappings:
        if NO_TERM in (m.subject_id, m.object_id):
            skipped += 1
            continue
        if m.group:
            groups += 1
        relation = m.relation.inverse if reverse else m.relation
        source, target = (m.object_id, m.subject_id) if reverse else (m.subject_id, m.object_id)
        row = {
            "source_requirement_urn": urns[source],
            "target_requirement_urn": urns[target],
            "relationship": CISO_RELATION[relation],
            "strength_of_relationship": m.strength,
            "rationale": "semantic",
        }
        annotation = " ".join(x for x in (m.comment, m.provenance.tag if m.provenance else "") if x)
        if annotation:
            row["annotation"] = annotation
        rows.append(row)
    if skipped:
        notes.append(f"{ms.id}: {skipped} row(s) against sssom:NoTermFound (reviewed, no counterpart) "
                     "cannot be written as CISO Assistant mappings and were left out")
    if groups and not reverse:
        notes.append(f"{ms.id}: {groups} row(s) of combined mapping groups were written one by one; "
                     "the combined relation is not carried")
    src, dst = (o_fw, s_fw) if reverse else (s_fw, o_fw)
    ref = f"{src.id}-{src.edition}_{dst.id}-{dst.edition}"
    return {
        "urn": f"urn:controlmap:risk:req_mapping_set:{ref}".lower(),
        "ref_id": ref,
        "name": (ms.title or ref) + (" (reverse)" if reverse else ""),
        "description": (ms.description or ms.title or ref).strip(),
        "source_framework_urn": framework_urn(src),
        "target_framework_urn": framework_urn(dst),
        "requirement_mappings": rows,
    }


def _library(ref: str, name: str, description: str, objects: dict, *, copyright_: str, provider: str,
             dependencies: list[str], publication_date: str | None) -> dict:
    doc = {
        "urn": f"urn:controlmap:risk:library:{ref}".lower(),
        "locale": "ja",
        "ref_id": ref,
        "name": name,
        "description": description,
        "copyright": copyright_,
        "version": 1,
    }
    if publication_date:
        doc["publication_date"] = publication_date
    doc |= {"provider": provider, "packager": PACKAGER}
    if dependencies:
        doc["dependencies"] = dependencies
    doc["objects"] = objects
    return doc


def ciso_library(
    catalog: Catalog,
    frameworks: Iterable[str] | None = None,
    mapping_sets: Iterable[str] | None = None,
    *,
    include_crosswalks: bool = False,
    reverse: bool = False,
    split: bool = False,
    publication_date: str | None = None,
) -> CisoExport:
    """Library documents for framework editions and the mapping sets between them.

    ``frameworks`` are edition names (default: every edition loaded); ``mapping_sets`` are set ids
    (default: every curated set, plus crosswalks when asked, whose two editions are exported).
    ``split`` gives one library per framework and per mapping set (with ``dependencies``), as
    CISO Assistant ships them; otherwise one library holds everything.

    Examples
    --------
    >>> import controlmap as cm
    >>> out = ciso_library(cm.load().catalog, ["jisq15001@2006", "mic"])
    >>> doc = out.documents["controlmap-library.yaml"]
    >>> [f["urn"] for f in doc["objects"]["frameworks"]]
    ['urn:controlmap:risk:framework:jisq15001-2006', 'urn:controlmap:risk:framework:mic-2009']
    >>> doc["objects"]["requirement_mapping_sets"][0]["requirement_mappings"][0]["relationship"]
    'subset'
    """
    fws = ([catalog.framework(n) for n in frameworks] if frameworks is not None else list(catalog.frameworks))
    keys = {f.key for f in fws}
    if mapping_sets is not None:
        wanted = set(mapping_sets)
        sets = [s for s in catalog.mapping_sets if s.id in wanted]
        missing = wanted - {s.id for s in sets}
        if missing:
            raise ExportError(f"unknown mapping set(s): {', '.join(sorted(missing))}")
    else:
        kinds = {"curated", "crosswalk"} if include_crosswalks else {"curated"}
        sets = [s for s in catalog.mapping_sets if s.kind in kinds]
    outside = [s.id for s in sets if s.subject_framework not in keys or s.object_framework not in keys]
    if mapping_sets is not None and outside:
        raise ExportError("mapping sets need both editions exported: " + ", ".join(outside))
    sets = [s for s in sets if s.id not in outside]
    urns: dict[str, str] = {}
    for fw in fws:
        urns |= _node_urns(catalog, fw)
    out = CisoExport()
    fw_objects = {fw.key: _framework_object(catalog, fw, urns) for fw in fws}
    set_objects: list[tuple[MappingSet, dict]] = []
    for ms in sets:
        set_objects.append((ms, _mapping_set_object(catalog, ms, urns, out.notes)))
        if reverse:
            set_objects.append((ms, _mapping_set_object(catalog, ms, urns, out.notes, reverse=True)))
    out.notes.append("control levels and self-check answers are not part of the CISO Assistant format")
    if not split:
        rights = sorted({f.rights for f in fws if f.rights})
        objects: dict = {"frameworks": list(fw_objects.values())}
        if set_objects:
            objects["requirement_mapping_sets"] = [o for _, o in set_objects]
        out.documents["controlmap-library.yaml"] = _library(
            "controlmap-library", "controlmap: " + ", ".join(f.key for f in fws),
            "controlmap が整理した枠組みと対応付け([R] 出典で確認 / [I] 再構成)。", objects,
            copyright_=" ".join(rights) or "controlmap", provider="controlmap", dependencies=[],
            publication_date=publication_date)
        return out
    lib_of: dict[str, str] = {}
    for fw in fws:
        ref = f"controlmap-{fw.id}-{fw.edition}"
        doc = _library(ref, fw_objects[fw.key]["name"], fw_objects[fw.key]["description"],
                       {"frameworks": [fw_objects[fw.key]]}, copyright_=fw.rights or fw.publisher or "controlmap",
                       provider=fw.publisher or "controlmap", dependencies=[], publication_date=publication_date)
        lib_of[fw.key] = doc["urn"]
        out.documents[f"{ref}.yaml"] = doc
    for ms, obj in set_objects:
        ref = "controlmap-mapping-" + obj["ref_id"]
        deps = sorted({lib_of[ms.subject_framework], lib_of[ms.object_framework]})
        out.documents[f"{ref}.yaml"] = _library(
            ref, obj["name"], obj["description"], {"requirement_mapping_sets": [obj]},
            copyright_=ms.license or "controlmap", provider="controlmap", dependencies=deps,
            publication_date=publication_date)
    return out


def write_ciso(export: CisoExport, path: str | Path) -> list[Path]:
    """Write the documents: to ``path`` itself for one library, into the directory ``path`` when split.

    Each file is written atomically through :mod:`controlmap.export.files` (never through a symbolic link).
    """
    import yaml

    target = Path(path)
    if len(export.documents) == 1 and target.suffix.lower() in (".yaml", ".yml"):
        items = [(target, next(iter(export.documents.values())))]
    else:
        if target.suffix.lower() in (".yaml", ".yml"):
            raise ExportError(f"{len(export.documents)} libraries need a directory, not {target}")
        folder = ensure_folder(target)
        items = [(folder / name, doc) for name, doc in export.documents.items()]
    return [write_text(file, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000))
            for file, doc in items]

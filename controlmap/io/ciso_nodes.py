"""CISO Assistant frameworks (requirement nodes) and reference-control libraries as editions and controls."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..model import Control, Framework, Provenance
from .ciso_urns import LibraryHead, local_id
from .naming import split_edition
from .oscal_lines import Findings
from .oscal_props import PREFIX

__all__ = ["NODE_IDS", "read_frameworks", "reference_controls", "split_description"]

_TAG = re.compile(r"^\s*\[(R|I)\]\s*")
_EXTRAS = ("typical_evidence", "questions", "implementation_groups", "threats", "reference_controls", "translations")

#: node URN -> control id of every library framework read in this process, by (framework key, source_ref):
#: a mapping library read later (or in another load_files call) resolves CISO Assistant's own node URNs
NODE_IDS: dict[tuple[str, str], dict[str, str]] = {}


def split_description(text: str) -> tuple[str, str]:
    """A description's first paragraph (the summary) and the rest (the text).

    Examples
    --------
    >>> split_description(" Head.\\n\\nBody one.\\n\\nBody two. ")
    ('Head.', 'Body one.\\n\\nBody two.')
    """
    head, _, rest = text.strip().partition("\n\n")
    return head.strip(), rest.strip()


def _with_urns(items: list, pointer: str, what: str, found: Findings) -> Iterator[tuple[int, str, dict, str]]:
    """``(position, pointer, item, lower-cased urn)`` of each mapping with a urn (the rest are problems)."""
    for j, item in enumerate(items):
        ptr = f"{pointer}/{j}"
        if not isinstance(item, dict) or not item.get("urn"):
            found.bad(f"{ptr}/urn", f"{what} needs a urn")
            continue
        yield j, ptr, item, str(item["urn"]).lower()


def read_frameworks(fw_docs: list, fw_ptr: str, head: LibraryHead, fw_by_urn: dict[str, Framework],
                    node_ids: dict[str, str], found: Findings) -> tuple[list[Framework], list[Control]]:
    """Each framework of a library with its requirement nodes; ``fw_by_urn`` and ``node_ids`` learn them."""
    frameworks: list[Framework] = []
    controls: list[Control] = []
    for i, fdoc in enumerate(fw_docs):
        ptr = f"{fw_ptr}/{i}" if fw_ptr.endswith("s") else fw_ptr
        if not isinstance(fdoc, dict) or not fdoc.get("urn"):
            found.bad(f"{ptr}/urn", "a framework needs a urn")
            continue
        furn = str(fdoc["urn"]).lower()
        fw = _framework(fdoc, furn, head)
        if furn in fw_by_urn and fw_by_urn[furn].key != fw.key:
            found.bad(f"{ptr}/urn", f"framework urn {furn} is already loaded as {fw_by_urn[furn].key}")
        fw_by_urn[furn] = fw
        frameworks.append(fw)
        nodes = fdoc.get("requirement_nodes")
        if not isinstance(nodes, list) or not nodes:
            found.bad(f"{ptr}/requirement_nodes", "a framework needs a non-empty requirement_nodes list")
            continue
        read, local_of = _nodes(nodes, ptr, fw, furn, found)
        controls += read
        ids = {nurn: f"{fw.prefix}:{local}" for nurn, local in local_of.items()}
        node_ids.update(ids)
        NODE_IDS[(fw.key, fw.source_ref)] = dict(ids)
    return frameworks, controls


def _framework(fdoc: dict, furn: str, head: LibraryHead) -> Framework:
    tail = furn.split(":framework:", 1)[1] if ":framework:" in furn else furn.rsplit(":", 1)[-1]
    fid, named = split_edition(tail)  # the framework's own version, not the library's packaging version
    edition = named or head.version
    ref_id = str(fdoc.get("ref_id") or "").strip()
    prefix = ref_id if PREFIX.fullmatch(ref_id) else f"{fid}-{edition}".upper()
    prefix = prefix if PREFIX.fullmatch(prefix) else "F" + re.sub(r"[^A-Za-z0-9_.-]", "_", prefix)
    return Framework(
        id=fid, edition=edition, prefix=prefix, title=str(fdoc.get("name") or ref_id or fid),
        publisher=head.provider, edition_label=str(fdoc.get("name") or ""), date=head.publication_date,
        rights=head.copyright, description=str(fdoc.get("description") or "").strip(),
        source_ref=f"CISO Assistant library {head.urn} (version {head.version}) [R]",
        levels=("section", "requirement"), assessable_levels=("requirement",), sources=(furn,),
    )


def _nodes(nodes: list, ptr: str, fw: Framework, furn: str,
           found: Findings) -> tuple[list[Control], dict[str, str]]:
    """A framework's requirement nodes as controls, parents linked; also ``{node urn: local id}``."""
    controls: list[Control] = []
    local_of: dict[str, str] = {}
    used: dict[str, str] = {}
    parents: list[tuple[int, str, str]] = []
    for j, nptr, node, nurn in _with_urns(nodes, f"{ptr}/requirement_nodes", "a requirement node", found):
        if nurn in local_of:
            found.bad(f"{nptr}/urn", f"duplicate requirement node urn {nurn}")
            continue
        ref = str(node.get("ref_id") or "").strip()
        local = local_id(ref, nurn, furn, used, j)
        used[local] = nurn
        local_of[nurn] = local
        control = _node(node, j, nptr, ref, local, fw, found)
        if control is None:
            continue
        controls.append(control)
        if node.get("parent_urn"):
            parents.append((len(controls) - 1, str(node["parent_urn"]).lower(), nptr))
    for index, parent_urn, nptr in parents:
        if parent_urn not in local_of:
            found.bad(f"{nptr}/parent_urn", f"parent_urn {parent_urn} is not a node of {furn}")
            continue
        controls[index] = replace(controls[index], parent=f"{fw.prefix}:{local_of[parent_urn]}")
    return controls, local_of


def _node(node: dict[str, Any], j: int, nptr: str, ref: str, local: str, fw: Framework,
          found: Findings) -> Control | None:
    summary, text = split_description(str(node.get("description") or ""))
    name = str(node.get("name") or "").strip() or (summary.splitlines()[0][:80] if summary else ref)
    if not name:
        found.bad(f"{nptr}/name", "a requirement node needs a name, description or ref_id")
        return None
    annotation = str(node.get("annotation") or "").strip()
    tag = _TAG.match(annotation)
    for extra in _EXTRAS:
        if node.get(extra):
            found.note(f"requirement node {extra} (not read)")
    if annotation and not tag:
        found.note("requirement node annotations (kept in source_ref)")
    return Control(
        id=f"{fw.prefix}:{local}", framework=fw.key, notation=ref or local, parent=None,
        level="requirement" if node.get("assessable", True) else "section", title=name,
        summary=summary, text=text,
        source_ref=annotation[tag.end():].strip() if tag else (annotation or f"{fw.title} {ref or local}"),
        provenance=Provenance(tag.group(1)) if tag else Provenance.READ,
        order=j + 1, origin=f"{found.file}:{found.lines.get(nptr, nptr)}",
    )


def reference_controls(doc: dict, items: list, found: Findings) -> tuple[Framework, list[Control]]:
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
    for j, ptr, item, urn in _with_urns(items, "/objects/reference_controls", "a reference control", found):
        local = local_id(str(item.get("ref_id") or "").strip(), urn, lib_urn, used, j)
        used[local] = urn
        summary, text = split_description(str(item.get("description") or ""))
        controls.append(Control(
            id=f"{prefix}:{local}", framework=fw.key, notation=str(item.get("ref_id") or local), parent=None,
            level="reference_control", title=str(item.get("name") or item.get("ref_id") or local).strip(),
            summary=summary, text=text, source_ref=str(item.get("category") or fw.title),
            provenance=Provenance.READ, order=j + 1, origin=f"{found.file}:{found.lines.get(ptr, ptr)}"))
    NODE_IDS[(fw.key, fw.source_ref)] = {urn: f"{prefix}:{local}" for local, urn in used.items()}
    return fw, controls

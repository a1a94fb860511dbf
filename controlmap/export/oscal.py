"""Candidates, framework editions and mapping sets -> OSCAL JSON (catalog, and the 1.2 mapping collection).

UUIDs are version-5 UUIDs of our own ids, so exporting the same data twice gives the same document
(apart from ``last-modified``). Props controlmap adds carry ``ns`` = :data:`controlmap.io.oscal.CM_NS`.
Relationships: ``equal`` is written ``equivalent-to`` (the two requirements mean the same, in other
words), ``subset_of`` ``subset-of``, ``superset_of`` ``superset-of``, ``intersects_with``
``intersects-with``; a reviewed "no counterpart" (``sssom:NoTermFound``) goes into the source or
target gap summary.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..io.oscal import CM_NS
from ..model import BASE_IRI, NO_TERM, Catalog, Control, Framework, MappingSet, Relation
from .files import write_text

if TYPE_CHECKING:
    from ..results import GapResult

__all__ = [
    "OSCAL_RELATION",
    "OSCAL_VERSION",
    "candidates_catalog",
    "framework_catalog",
    "mapping_collection",
    "oscal_id",
    "oscal_ids",
    "write_oscal",
]

OSCAL_VERSION = "1.2.3"
OSCAL_RELATION: dict[Relation, str] = {
    Relation.EQUAL: "equivalent-to",
    Relation.SUBSET_OF: "subset-of",
    Relation.SUPERSET_OF: "superset-of",
    Relation.INTERSECTS_WITH: "intersects-with",
    Relation.NO_RELATIONSHIP: "no-relationship",
}
_NS = uuid.uuid5(uuid.NAMESPACE_URL, BASE_IRI)


def _uuid(name: str) -> str:
    return str(uuid.uuid5(_NS, name))


def _now(last_modified: str | None) -> str:
    if last_modified:
        return last_modified
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def oscal_id(text: str) -> str:
    """``text`` as an OSCAL token (an XML NCName): other characters become ``_``, a leading digit gets ``_``.

    Examples
    --------
    >>> oscal_id("A.3.4.2"), oscal_id("3.4.2"), oscal_id("6.1.1(1)"), oscal_id("C-JISQ15001-2006-3.6")
    ('A.3.4.2', '_3.4.2', '_6.1.1_1_', 'C-JISQ15001-2006-3.6')
    """
    out = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in text.strip()) or "_"
    return out if out[0].isalpha() or out[0] == "_" else "_" + out


def oscal_ids(catalog: Catalog, framework: Framework) -> dict[str, str]:
    """The OSCAL id of every control of one edition (made unique in document order)."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for c in catalog.controls_of(framework):
        oid = base = oscal_id(c.notation)
        n = 2
        while oid in taken:
            oid, n = f"{base}_{n}", n + 1
        taken.add(oid)
        ids[c.id] = oid
    return ids


def _line(value: object) -> str:
    return " ".join(str(value).split())


def _prop(name: str, value: object, ns: str | None = CM_NS) -> list[dict]:
    text = _line(value)
    if not text:
        return []
    return [{"name": name, **({"ns": ns} if ns else {}), "value": text}]


def _metadata(title: str, version: str, last_modified: str | None, props: list[dict], remarks: str = "",
              published: str = "") -> dict:
    meta: dict = {"title": _line(title) or "controlmap export"}
    if published:
        meta["published"] = published
    meta |= {"last-modified": _now(last_modified), "version": version or "1", "oscal-version": OSCAL_VERSION}
    if props:
        meta["props"] = props
    if remarks:
        meta["remarks"] = remarks
    return meta


def _iri(catalog: Catalog, control_id: str) -> str:
    from ..rdfterms import control_iri

    c = catalog.control(control_id)
    return str(control_iri(catalog.framework(c.framework), c.notation))


def framework_catalog(catalog: Catalog, framework: str | Framework, *, last_modified: str | None = None) -> dict:
    """One edition as an OSCAL catalog: controls nested as in the edition, our fields as props.

    Reading the result back with :func:`controlmap.io.oscal.parse_oscal_catalog` gives the same
    controls (ids, notations, hierarchy, levels, titles, summaries, text, provenance, source refs).
    """
    fw = framework if isinstance(framework, Framework) else catalog.framework(framework)
    ids = oscal_ids(catalog, fw)

    def control(c: Control) -> dict:
        obj: dict = {"id": ids[c.id], "title": _line(c.title) or c.notation}
        props = (_prop("label", c.notation, None) + _prop("local-id", c.id.split(":", 1)[1]) + _prop("level", c.level)
                 + _prop("provenance", c.provenance.value)
                 + _prop("source-ref", c.source_ref) + _prop("summary", c.summary))
        obj["props"] = props
        if c.text:
            obj["parts"] = [{"id": f"{ids[c.id]}_smt", "name": "statement", "prose": c.text}]
        kids = [control(k) for k in catalog.children(c.id)]
        if kids:
            obj["controls"] = kids
        return obj

    tops = [control(c) for c in catalog.controls_of(fw) if c.parent is None]
    props = (_prop("framework-id", fw.id) + _prop("edition", fw.edition) + _prop("prefix", fw.prefix)
             + _prop("title", fw.title) + _prop("date", fw.date) + _prop("default", "true" if fw.is_default else "")
             + [p for src in fw.sources for p in _prop("source", src)]
             + _prop("edition-label", fw.edition_label) + _prop("publisher", fw.publisher)
             + _prop("completeness", fw.completeness) + _prop("levels", " ".join(fw.levels))
             + _prop("assessable-levels", " ".join(fw.assessable_levels)) + _prop("rights", fw.rights)
             + _prop("description", fw.description) + _prop("source-ref", fw.source_ref))
    published = f"{fw.date}T00:00:00Z" if len(fw.date) == 10 else ""
    doc: dict = {"uuid": _uuid(f"catalog:{fw.key}"),
                 "metadata": _metadata(f"{fw.title} ({fw.edition_label or fw.edition})", fw.edition, last_modified,
                                       props, remarks=fw.rights, published=published)}
    if tops:
        doc["controls"] = tops
    doc["back-matter"] = {"resources": [{"uuid": _uuid(f"resource:{fw.key}"), "title": _line(fw.title),
                                         "rlinks": [{"href": fw.iri}]}]}
    return {"catalog": doc}


def candidates_catalog(
    gap: GapResult,
    catalog: Catalog,
    *,
    only: Iterable[str] | None = None,
    title: str | None = None,
    last_modified: str | None = None,
) -> dict:
    """Candidate (or, with ``only``, the adopted) additional check items as an OSCAL catalog.

    Each candidate is a control grouped under the checklist chapter it would join: the check
    question is the ``statement``, the reason (with its ``[R]``/``[I]`` tags) the ``guidance``, the
    reference controls it rests on are ``links`` (``rel: reference``) and partial sources ``related``.
    """
    wanted = set(only) if only is not None else None
    chosen = [c for c in gap.candidates if wanted is None or c.id in wanted]
    if wanted is not None:
        missing = wanted - {c.id for c in chosen}
        if missing:
            from ..errors import ExportError

            raise ExportError(f"unknown candidate id(s): {', '.join(sorted(missing))}")
    groups: dict[str, dict] = {}
    taken: set[str] = set()
    for cand in chosen:
        chapter = cand.suggested_chapter or "unassigned"
        gid = oscal_id("g-" + chapter.split(":", 1)[-1])
        group = groups.setdefault(gid, {"id": gid, "title": _line(cand.suggested_chapter_title) or "未分類",
                                        "props": _prop("label", chapter.split(":", 1)[-1], None), "controls": []})
        cid = base = oscal_id(cand.id)
        n = 2
        while cid in taken:
            cid, n = f"{base}_{n}", n + 1
        taken.add(cid)
        links = [{"href": _iri(catalog, t), "rel": "reference", "text": _line(f"{t} {tt}")}
                 for t, tt in zip(cand.targets, cand.target_titles, strict=False)]
        links += [{"href": _iri(catalog, s), "rel": "related", "text": _line(f"{s} (partial source)")}
                  for s in cand.partial_sources]
        guidance = "\n\n".join(x for x in (f"{cand.reason} {cand.provenance_tags}".strip(), *cand.explanation) if x)
        control = {
            "id": cid, "class": "controlmap-candidate", "title": _line(cand.title) or cand.id,
            "props": (_prop("label", cand.id, None) + _prop("coverage-status", cand.status.value)
                      + _prop("priority", cand.priority) + _prop("provenance", cand.provenance_tags)
                      + _prop("frameworks", " ".join(cand.frameworks))),
            "parts": [{"id": f"{cid}_smt", "name": "statement", "prose": cand.check_question},
                      {"id": f"{cid}_gdn", "name": "guidance", "prose": guidance}],
        }
        if links:
            control["links"] = links
        group["controls"].append(control)
    kind = "採用された追加点検項目" if wanted is not None else "追加点検項目の候補"
    doc: dict = {
        "uuid": _uuid(f"candidates:{gap.source}:{','.join(gap.against)}:{','.join(c.id for c in chosen)}"),
        "metadata": _metadata(title or f"{kind}: {gap.source} ⇔ {', '.join(gap.against)}", "1", last_modified,
                              _prop("source", gap.source) + _prop("against", " ".join(gap.against)),
                              remarks="[R] = 出典で確認した管理策に基づく / [I] = 再構成した管理策に基づく。"
                                      "controlmap が対応付けから算出した候補であり、"
                                      "委員会の審議を経ていない項目を含む。"),
    }
    if groups:
        doc["groups"] = list(groups.values())
    return {"catalog": doc}


def mapping_collection(ms: MappingSet, catalog: Catalog, *, last_modified: str | None = None) -> dict:
    """One mapping set as an OSCAL 1.2 ``mapping-collection`` (sources = subject edition, targets = object)."""
    s_fw, o_fw = catalog.framework(ms.subject_framework), catalog.framework(ms.object_framework)
    ids = oscal_ids(catalog, s_fw) | oscal_ids(catalog, o_fw)

    def item(cid: str) -> dict:
        return {"type": "control", "id-ref": ids[cid]}

    maps: list[dict] = []
    no_source: list[str] = []
    no_target: list[str] = []
    groups: dict[str, list] = {}
    for m in ms.mappings:
        if m.subject_id == NO_TERM:
            no_source.append(ids[m.object_id])
            continue
        if m.object_id == NO_TERM:
            no_target.append(ids[m.subject_id])
            continue
        props = (_prop("strength", m.strength) + _prop("justification", m.justification)
                 + _prop("mapping-provenance", m.provenance.value if m.provenance else "")
                 + _prop("change-type", m.change_type) + _prop("author", m.author)
                 + _prop("reviewer", m.reviewer) + _prop("mapping-date", m.date) + _prop("mapping-group", m.group))
        entry = {"uuid": _uuid(f"{ms.id}#{m.subject_id}|{m.object_id}|{m.relation.value}|{m.group}"),
                 "relationship": OSCAL_RELATION[m.relation], "sources": [item(m.subject_id)],
                 "targets": [item(m.object_id)], "confidence-score": {"percentage": round(m.confidence, 4)}}
        if props:
            entry["props"] = props
        remarks = " ".join(x for x in (m.comment, m.provenance.tag if m.provenance else "") if x)
        if remarks:
            entry["remarks"] = remarks
        maps.append(entry)
        if m.group and m.combined_relation is not None:
            groups.setdefault(m.group, []).append(m)
    for name, rows in sorted(groups.items()):
        first = rows[0]
        maps.append({
            "uuid": _uuid(f"{ms.id}#group:{name}"), "relationship": OSCAL_RELATION[first.combined_relation],
            "sources": [item(m.subject_id) for m in rows], "targets": [item(first.object_id)],
            "props": _prop("mapping-group", name) + _prop("strength", first.combined_strength or 0),
            "remarks": f"combined mapping: the sources together are {first.combined_relation.value} the target",
        })
    methods = {"semapv:LexicalSimilarityThresholdMatching": "automation", "semapv:MappingChaining": "hybrid"}
    used = {methods.get(m.justification, "human") for m in ms.mappings} or {"human"}
    method = used.pop() if len(used) == 1 else "hybrid"
    resources = []
    mapping: dict = {"uuid": _uuid(f"mapping:{ms.id}")}
    for role, fw in (("source", s_fw), ("target", o_fw)):
        ruid = _uuid(f"resource:{fw.key}")
        mapping[f"{role}-resource"] = {"type": "catalog", "href": f"#{ruid}"}
        resources.append({"uuid": ruid, "title": _line(f"{fw.title} ({fw.edition_label or fw.edition})"),
                          "props": _prop("framework", fw.key), "rlinks": [{"href": fw.iri}]})
    mapping["maps"] = maps
    if no_target:
        mapping["source-gap-summary"] = {"uuid": _uuid(f"{ms.id}#source-gaps"),
                                         "unmapped-controls": [{"with-ids": sorted(set(no_target))}]}
    if no_source:
        mapping["target-gap-summary"] = {"uuid": _uuid(f"{ms.id}#target-gaps"),
                                         "unmapped-controls": [{"with-ids": sorted(set(no_source))}]}
    doc = {
        "uuid": _uuid(f"mapping-collection:{ms.id}"),
        "metadata": _metadata(ms.title or ms.id, ms.version or "1", last_modified,
                              _prop("mapping-set-id", ms.id) + _prop("kind", ms.kind)
                              + _prop("license", ms.license), remarks=ms.description),
        "provenance": {"method": method, "matching-rationale": "semantic",
                       "status": "complete" if ms.complete else "not-complete",
                       "mapping-description": ms.description or ms.title or ms.id},
        "mappings": [mapping],
        "back-matter": {"resources": resources},
    }
    return {"mapping-collection": doc}


def write_oscal(document: dict, path: str | Path) -> Path:
    """Write an OSCAL document as UTF-8 JSON (Japanese kept readable, two-space indent), atomically."""
    return write_text(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")

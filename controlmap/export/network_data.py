"""Results -> the nodes, edges and legend of the committee network as JSON-ready dicts (pure, no pyvis).

:func:`network_elements` places every control around its section hub (a sunflower spiral), colours
reference controls by coverage status and keeps the strongest mapping row per pair of controls;
:mod:`controlmap.export.network` turns the result into a pyvis Network and its offline page.

>>> STATUS_COLORS["gap"], EDGE_STYLES["equal"]["label"]
('#d73027', '同等 (equal)')
"""

from __future__ import annotations

import math
from typing import Any

from ..model import NO_TERM, Catalog, Control, Mapping, MappingSet, Relation
from ..results import Candidate, CoverageItem, CoverageResult, GapResult, Status

__all__ = [
    "EDGE_STYLES",
    "FONT_STACK",
    "SOURCE_COLOR",
    "STATUS_COLORS",
    "as_gap_result",
    "network_elements",
    "network_layout",
]

#: Fill colour of a target control per coverage status (colour-blind safe; unassessed is drawn hollow).
STATUS_COLORS: dict[str, str] = {
    "covered": "#1a9850",
    "partial": "#f0a01c",
    "gap": "#d73027",
    "unassessed": "#ffffff",
    "not_applicable": "#bdbdbd",
}
#: Fill colour of the checklist's own items (the source framework).
SOURCE_COLOR = "#4575b4"
#: Line style per mapping relation: colour, dash pattern (False for solid) and Japanese label.
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "equal": {"color": "#253494", "dashes": False, "label": "同等 (equal)"},
    "superset_of": {"color": "#6a51a3", "dashes": False, "label": "包含する (superset_of)"},
    "subset_of": {"color": "#2c7fb8", "dashes": [8, 5], "label": "一部のみ (subset_of)"},
    "intersects_with": {"color": "#7f7f7f", "dashes": [2, 5], "label": "重なる (intersects_with)"},
    "suggested": {"color": "#e66101", "dashes": [1, 4], "label": "機械提案・未レビュー (数えない)"},
    "member": {"color": "#d0d0d0", "dashes": False, "label": "節・章への所属"},
}
#: Fonts the pages ask for: installed CJK fonts first, so Japanese never falls back to boxes.
FONT_STACK = ('"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", '
              '"Yu Gothic", "Meiryo", "IPAexGothic", sans-serif')

_SHAPES = ("dot", "diamond", "triangle", "star", "hexagon", "triangleDown")
_SIZES = {"gap": 17, "partial": 13, "covered": 11, "unassessed": 11, "not_applicable": 8}
_STATUS_ORDER = ("gap", "partial", "covered", "unassessed", "not_applicable")
_SPREAD = 30.0  # distance scale of members around their section hub (sunflower spiral)
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_GAP = 70.0


def _display(control: Control) -> str:
    prefix = control.id.split(":", 1)[0]
    return control.notation if control.notation.startswith(prefix) else control.id


def _short(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fw_payload(catalog: Catalog, key: str, role: str, shape: str, count: int) -> dict:
    fw = catalog.framework(key)
    return {"key": fw.key, "prefix": fw.prefix, "title": fw.title, "edition": fw.edition_label or fw.edition,
            "role": role, "shape": shape, "count": count}


def _group_of(catalog: Catalog, control: Control, item: CoverageItem | None) -> Control:
    """The section a target control belongs to (from its coverage item), or the chapter of a checklist item."""
    if item is not None and item.section:
        return catalog.control(item.section)
    chain = [control, *catalog.ancestors(control.id)]
    return chain[-1]


def _edge_text(catalog: Catalog, m: Mapping, ms: MappingSet) -> str:
    def name(cid: str) -> str:
        return _display(catalog.control(cid))

    rel = m.relation.value
    lines = [f"{name(m.subject_id)} → {name(m.object_id)}",
             f"関係: {EDGE_STYLES[rel]['label']}  強度 {m.strength}/10  確信度 {m.confidence:.2f}"]
    if m.group and m.combined_relation is not None:
        lines.append(f"組合せ {m.group}: 合わせて {m.combined_relation.value} (強度 {m.combined_strength})")
    if not m.is_curated:
        lines.append("機械による提案(レビュー前はカバーに数えない)")
    lines.append(f"対応付けセット: {ms.title or ms.id}")
    if m.comment:
        lines.append(f"コメント: {m.comment}")
    return "\n".join(lines)


def network_elements(catalog: Catalog, result: GapResult) -> dict[str, Any]:
    """The nodes, edges and page metadata of the committee network, as JSON-ready dicts (pure).

    Nodes are every checklist item of ``result.source``, every assessable control of the reference
    frameworks (coloured by coverage status), and one hub per section or chapter that has members
    (controls that are their own section get no hub). Edges are the mapping rows between drawn
    controls, one per pair (the strongest; the others are named in its tooltip), plus faint
    membership edges to the hubs. Each node carries a ``cm`` dict read by the page's tooltip,
    details panel and filters.

    Examples
    --------
    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> el = network_elements(kg.catalog, cm.gaps(kg, "mic", ["jisq15001"]))
    >>> node = next(n for n in el["nodes"] if n["id"] == "JISQ15001-2006:3.6")
    >>> node["cm"]["status"], node["color"]["background"] == STATUS_COLORS["gap"]
    ('gap', True)
    """
    source_fw = catalog.framework(result.source)
    sources = catalog.assessable(source_fw)
    target_keys = [cov.target for cov in result.coverages]
    members: dict[str, list[tuple[Control, CoverageItem | None]]] = {}  # framework key -> controls
    members[source_fw.key] = [(c, None) for c in sources]
    for cov in result.coverages:
        members.setdefault(cov.target, []).extend((i.control, i) for i in cov.items)
    frameworks = [_fw_payload(catalog, source_fw.key, "source", "square", len(sources))]
    for i, key in enumerate(target_keys):
        frameworks.append(_fw_payload(catalog, key, "target", _SHAPES[i % len(_SHAPES)], len(members[key])))
    nodes, edges, sections = _placed_nodes(catalog, result, frameworks, members)
    edges.extend(_mapping_edges(catalog, {n["id"] for n in nodes}))
    return {
        "nodes": nodes,
        "edges": edges,
        "frameworks": frameworks,
        "sections": sections,
        "statuses": [{"value": s, "label": Status(s).label_ja, "color": STATUS_COLORS[s]} for s in _STATUS_ORDER],
        "relations": [{"value": k, "label": v["label"], "color": v["color"], "dashes": v["dashes"]}
                      for k, v in EDGE_STYLES.items()],
        "source": source_fw.key,
        "against": list(target_keys),
        "scope": next((cov.scope for cov in result.coverages if cov.scope), ""),
        "threshold": result.coverages[0].options.threshold if result.coverages else None,
        "max_hops": result.coverages[0].options.max_hops if result.coverages else None,
        "candidates": len(result.candidates),
    }


def _placed_nodes(catalog: Catalog, result: GapResult, frameworks: list[dict],
                  members: dict[str, list[tuple[Control, CoverageItem | None]]]
                  ) -> tuple[list[dict], list[dict], list[dict]]:
    """Nodes placed around their section hubs, the membership edges to the hubs, and the sections."""
    candidate_of = {t: c for c in result.candidates for t in c.targets}
    reaches: dict[str, list[str]] = {}
    for covered in (i for cov in result.coverages for i in cov.items):
        for s in covered.sources:
            reaches.setdefault(s, []).append(covered.control.id)
    shape_of = {f["key"]: f["shape"] for f in frameworks}
    nodes: list[dict] = []
    edges: list[dict] = []
    sections: list[dict] = []
    grouped = []
    for f in frameworks:
        groups: dict[str, list[tuple[Control, CoverageItem | None]]] = {}
        heads: dict[str, Control] = {}
        for control, item in members[f["key"]]:
            head = _group_of(catalog, control, item)
            groups.setdefault(head.id, []).append((control, item))
            heads[head.id] = head
        grouped.append([(heads[h], group) for h, group in groups.items()])
    origins = _layout([[len(g) for _, g in fw_groups] for fw_groups in grouped])
    for f, fw_groups, fw_origins in zip(frameworks, grouped, origins, strict=True):
        for (head, group), (hx, hy) in zip(fw_groups, fw_origins, strict=True):
            sec_label = f"{head.notation} {head.title}"
            sections.append({"id": head.id, "framework": f["key"], "label": sec_label, "size": len(group)})
            if head.id not in {c.id for c, _ in group}:  # a section that is itself assessable is drawn as itself
                nodes.append(_hub_node(head, f, sec_label, hx, hy))
            for m_i, (control, item) in enumerate(group):
                if control.id == head.id:  # a control that is its own section sits where its hub would
                    x, y = hx, hy
                else:
                    r, a = _SPREAD * math.sqrt(m_i + 1), m_i * _GOLDEN_ANGLE
                    x, y = hx + r * math.cos(a), hy + r * math.sin(a)
                if item is None:
                    node = _source_node(catalog, control, f, head, sec_label, reaches.get(control.id, []), x, y)
                else:
                    node = _target_node(catalog, control, item, f, head, sec_label, shape_of[f["key"]],
                                        candidate_of.get(control.id), x, y)
                if control.id == head.id:
                    node["fixed"] = {"x": True, "y": True}
                nodes.append(node)
                if control.id != head.id:
                    edges.append({"id": f"m:{control.id}", "from": control.id, "to": head.id, "arrows": "",
                                  "color": {"color": EDGE_STYLES["member"]["color"], "opacity": 0.8},
                                  "width": 0.6, "length": round(0.7 * _SPREAD * math.sqrt(len(group)) + 30),
                                  "title": f"所属: {sec_label}",
                                  "cm": {"kind": "member"}})
    return nodes, edges, sections


def _tile_radius(n: int) -> float:
    return _SPREAD * math.sqrt(n + 1) + 40


def _layout(frameworks: list[list[int]]) -> list[list[tuple[float, float]]]:
    """Seed positions of the section hubs: each framework a block of tiles packed in rows (sizes from the
    member counts), the checklist on top and the reference frameworks side by side below it."""
    blocks = []
    for sizes in frameworks:
        radii = [_tile_radius(n) for n in sizes]
        limit = 1.7 * math.sqrt(sum((2 * r + _GAP) ** 2 for r in radii))
        centres, x, y, row_h, width = [], 0.0, 0.0, 0.0, 0.0
        for r in radii:
            if x and x + 2 * r > limit:
                x, y, row_h = 0.0, y + row_h + _GAP, 0.0
            centres.append((x + r, y + r))
            x += 2 * r + _GAP
            row_h = max(row_h, 2 * r)
            width = max(width, x - _GAP)
        blocks.append((centres, width, y + row_h))
    out = []
    below = blocks[1:]
    total = sum(w for _, w, _ in below) + 3 * _GAP * max(0, len(below) - 1)
    x0 = -total / 2
    for i, (centres, w, h) in enumerate(blocks):
        if i == 0:
            ox, oy = -w / 2, -h - 1.5 * _GAP
        else:
            ox, oy = x0, 1.5 * _GAP
            x0 += w + 3 * _GAP
        out.append([(round(ox + cx, 1), round(oy + cy, 1)) for cx, cy in centres])
    return out


network_layout = _layout  # the hub layout, for transforms that place nodes again (export.network_filter)


def _hub_node(head: Control, fw: dict, label: str, x: float, y: float) -> dict:
    return {
        "id": head.id, "label": f"{head.notation} {_short(head.title)}", "shape": "box", "x": x, "y": y,
        "color": {"background": "#f7f7f7", "border": "#555555",
                  "highlight": {"background": "#ffffff", "border": "#000000"}},
        "borderWidth": 1, "font": {"size": 26, "color": "#222222"}, "fixed": {"x": True, "y": True},
        "cm": {"kind": "section", "display": _display(head), "framework": fw["key"], "fwTitle": fw["title"],
               "section": head.id, "sectionLabel": label, "status": "section", "statusLabel": "節・章",
               "title": head.title, "summary": head.summary, "provenance": head.provenance.tag},
    }


def _source_node(catalog: Catalog, control: Control, fw: dict, head: Control, sec_label: str,
                 reached: list[str], x: float, y: float) -> dict:
    shown = [_display(catalog.control(t)) for t in reached]
    return {
        "id": control.id, "label": control.notation, "shape": "square", "size": 9, "x": x, "y": y,
        "color": {"background": SOURCE_COLOR, "border": "#26456e",
                  "highlight": {"background": "#74add1", "border": "#000000"}},
        "borderWidth": 1,
        "cm": {"kind": "source", "display": _display(control), "framework": fw["key"], "fwTitle": fw["title"],
               "section": head.id, "sectionLabel": sec_label, "status": "source", "statusLabel": "点検項目",
               "title": control.title, "summary": control.summary, "provenance": control.provenance.tag,
               "explanation": (f"参照基準の {len(shown)} 件に対応: " + ", ".join(shown[:12])
                               + (" ほか" if len(shown) > 12 else "")) if shown
               else "参照基準のどの要求事項にも対応付けられていない"},
    }


def _target_node(catalog: Catalog, control: Control, item: CoverageItem, fw: dict, head: Control, sec_label: str,
                 shape: str, candidate: Candidate | None, x: float, y: float) -> dict:
    status = item.status.value
    fill = STATUS_COLORS[status]
    border = "#4575b4" if status == "unassessed" else "#333333"
    path = []  # the explanation path as [subject, object] pairs, combined sources after their step
    for step in item.best.steps if item.best else ():
        path.append([step.subject_id, step.object_id])
        path.extend([c, step.object_id] for c in step.combined_with)
    source_provenance = sorted({catalog.control(s).provenance.tag for s in item.sources
                                if catalog.has_control(s)})
    node: dict[str, Any] = {
        "id": control.id, "label": control.notation, "shape": shape, "size": _SIZES[status], "x": x, "y": y,
        "color": {"background": fill, "border": border, "highlight": {"background": fill, "border": "#000000"},
                  "hover": {"background": fill, "border": "#000000"}},
        "borderWidth": 2 if status == "gap" else 1,
        "cm": {"kind": "target", "display": _display(control), "framework": fw["key"], "fwTitle": fw["title"],
               "section": head.id, "sectionLabel": sec_label, "status": status, "statusLabel": item.status.label_ja,
               "title": control.title, "summary": control.summary, "provenance": control.provenance.tag,
               "explanation": item.explanation, "path": path,
               "sources": [_display(catalog.control(s)) for s in item.sources if catalog.has_control(s)],
               "sourceProvenance": "".join(source_provenance)},
    }
    if status == "unassessed":
        node["shapeProperties"] = {"borderDashes": [4, 3]}
    if candidate is not None:
        from .records import priority_level

        node["cm"]["candidate"] = {"id": candidate.id, "priority": candidate.priority,
                                   "level": priority_level(candidate.priority),
                                   "question": candidate.check_question, "chapter": candidate.suggested_chapter_title,
                                   "provenance": candidate.provenance_tags}
    return node


def _mapping_edges(catalog: Catalog, drawn: set[str]) -> list[dict]:
    """One edge per drawn pair of controls: the strongest row; the other rows are listed in its tooltip."""
    best: dict[tuple[str, str], tuple[Mapping, MappingSet, list[str]]] = {}
    for ms in catalog.mapping_sets:
        for m in ms.mappings:
            if NO_TERM in (m.subject_id, m.object_id) or m.relation is Relation.NO_RELATIONSHIP:
                continue
            if m.subject_id not in drawn or m.object_id not in drawn:
                continue
            key = (m.subject_id, m.object_id)
            text = _edge_text(catalog, m, ms)
            if key not in best:
                best[key] = (m, ms, [])
                continue
            old, old_ms, others = best[key]
            if (m.is_curated, m.relation.rank, m.strength) > (old.is_curated, old.relation.rank, old.strength):
                best[key] = (m, ms, [*others, _edge_text(catalog, old, old_ms)])
            else:
                others.append(text)
    out = []
    for (subj, obj), (m, ms, others) in best.items():
        style = EDGE_STYLES[m.relation.value if m.is_curated else "suggested"]
        title = _edge_text(catalog, m, ms)
        if others:
            title += "\n\nほかの行:\n" + "\n---\n".join(others)
        out.append({
            "id": f"e:{subj}>{obj}", "from": subj, "to": obj, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": style["color"], "highlight": "#000000", "hover": "#000000", "opacity": 0.4},
            "dashes": style["dashes"], "width": round(1 + 0.45 * m.strength, 2), "physics": False, "title": title,
            "cm": {"kind": "mapping", "relation": m.relation.value, "strength": m.strength,
                   "confidence": m.confidence, "curated": m.is_curated},
        })
    return out


def as_gap_result(result: GapResult | CoverageResult) -> GapResult:
    """A GapResult as it is, or a CoverageResult as a GapResult with that one coverage and no candidates."""
    if isinstance(result, GapResult):
        return result
    return GapResult(source=result.source, against=(result.target,), coverages=(result,), candidates=())

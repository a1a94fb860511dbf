"""Make a big committee network legible: keep only some statuses, or draw one node per section (pure transforms).

Both work on the dict of :func:`controlmap.export.network_data.network_elements` and return a new one, so the page
is drawn from fewer nodes: :func:`only_status` keeps the target controls of the given statuses with the checklist
items and controls their mappings and explanation paths touch; :func:`collapse_sections` replaces every section
with one node holding its counts per status, and the mapping rows between two sections with one edge.

>>> el = {"nodes": [], "edges": [], "frameworks": [], "sections": []}
>>> only_status(el, ["gap"])["filter"], collapse_sections(el)["collapsed"]
({'only_status': ['gap']}, True)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..errors import UsageError
from ..results import Status
from .network_data import EDGE_STYLES, SOURCE_COLOR, STATUS_COLORS, network_layout

__all__ = ["apply_filters", "collapse_sections", "only_status", "parse_statuses"]

_WORST_FIRST = ("gap", "partial", "unassessed", "covered", "not_applicable")
_RELATION_RANK = {"equal": 4, "superset_of": 3, "subset_of": 2, "intersects_with": 1}


def parse_statuses(text: str | Iterable[str]) -> list[str]:
    """``gap,partial`` (or a list) -> the status words, checked; a UsageError names a word that is none.

    >>> parse_statuses("gap, partial")
    ['gap', 'partial']
    """
    words = [w.strip() for w in (text.split(",") if isinstance(text, str) else text) if w.strip()]
    known = [s.value for s in Status]
    bad = [w for w in words if w not in known]
    if bad or not words:
        raise UsageError(f"--only-status: {', '.join(bad) or 'nothing given'} is not a status; use one or more of "
                         f"{', '.join(known)} separated by commas")
    return words


def only_status(elements: dict[str, Any], statuses: Iterable[str]) -> dict[str, Any]:
    """Target controls of ``statuses`` only, with the checklist items and controls their rows and paths touch."""
    wanted = set(parse_statuses(list(statuses)))
    nodes = elements["nodes"]
    kept = {n["id"] for n in nodes if n["cm"]["kind"] == "target" and n["cm"]["status"] in wanted}
    kind = {n["id"]: n["cm"]["kind"] for n in nodes}
    touched: set[str] = set()
    for e in elements["edges"]:
        if e["cm"]["kind"] == "mapping" and (e["from"] in kept or e["to"] in kept):
            touched.update((e["from"], e["to"]))
    on_paths = {x for n in nodes if n["id"] in kept for pair in n["cm"].get("path", []) for x in pair}
    kept |= {x for x in touched if kind.get(x) == "source"}
    kept |= {x for x in on_paths if x in kind}  # a control of another status that is a step of an explanation
    kept |= {n["cm"]["section"] for n in nodes if n["id"] in kept}  # their section hubs
    out = dict(elements)
    out["nodes"] = [n for n in nodes if n["id"] in kept]
    out["edges"] = [e for e in elements["edges"] if e["from"] in kept and e["to"] in kept]
    out["filter"] = {"only_status": sorted(wanted, key=_WORST_FIRST.index)}
    return _recount(out)


def _recount(elements: dict[str, Any]) -> dict[str, Any]:
    """Framework and section sizes from the nodes that are left (hubs do not count)."""
    per_fw = Counter(n["cm"]["framework"] for n in elements["nodes"] if n["cm"]["kind"] != "section")
    per_sec = Counter(n["cm"]["section"] for n in elements["nodes"] if n["cm"]["kind"] != "section")
    elements["frameworks"] = [f | {"count": per_fw[f["key"]]} for f in elements["frameworks"]]
    elements["sections"] = [s | {"size": per_sec[s["id"]]} for s in elements["sections"] if per_sec[s["id"]]]
    return elements


def collapse_sections(elements: dict[str, Any]) -> dict[str, Any]:
    """One node per section (its counts per status, coloured by the worst) and one edge per pair of sections."""
    members: dict[str, list[dict]] = {}
    for n in elements["nodes"]:
        if n["cm"]["kind"] != "section":
            members.setdefault(n["cm"]["section"], []).append(n)
    sections = {s["id"]: s for s in elements["sections"]}
    fw_order = [f["key"] for f in elements["frameworks"]]
    position = {sid: i for i, sid in enumerate(sections)}
    order = sorted(members, key=lambda sid: (fw_order.index(members[sid][0]["cm"]["framework"]),
                                             position.get(sid, len(position))))
    by_fw: dict[str, list[str]] = {k: [] for k in fw_order}
    for sid in order:
        by_fw[members[sid][0]["cm"]["framework"]].append(sid)
    origins = network_layout([[1] * len(by_fw[k]) for k in fw_order])
    where = {sid: xy for k, xys in zip(fw_order, origins, strict=True) for sid, xy in zip(by_fw[k], xys, strict=True)}
    nodes = [_section_node(sid, members[sid], sections.get(sid), where[sid]) for sid in order]
    out = dict(elements)
    out["nodes"] = nodes
    out["edges"] = _section_edges(elements["edges"], {n["id"]: n["cm"]["section"] for n in elements["nodes"]})
    out["collapsed"] = True
    return out


def _section_node(sid: str, group: list[dict], section: dict | None, xy: tuple[float, float]) -> dict:
    first = group[0]["cm"]
    counts = Counter(n["cm"]["status"] for n in group)
    if first["kind"] == "source":
        status, fill, label_ja = "source", SOURCE_COLOR, "点検項目"
    else:
        status = next(s for s in _WORST_FIRST if counts[s])
        fill, label_ja = STATUS_COLORS[status], Status(status).label_ja
    parts = [f"{Status(s).label_ja} {counts[s]}" for s in _WORST_FIRST if counts[s]]
    summary = f"{len(group)} 件" + (f"({' / '.join(parts)})" if parts else "")
    label = (section or {}).get("label") or first["sectionLabel"]
    return {
        "id": sid, "label": f"{_short(label)}\n{summary}", "shape": "dot" if status != "source" else "square",
        "size": round(10 + 4 * math.sqrt(len(group)), 1), "x": xy[0], "y": xy[1],
        "color": {"background": fill, "border": "#333333", "highlight": {"background": fill, "border": "#000000"}},
        "borderWidth": 2 if status == "gap" else 1, "font": {"size": 18, "color": "#222222"},
        "cm": {"kind": "group", "display": label.split(" ", 1)[0], "framework": first["framework"],
               "fwTitle": first["fwTitle"], "section": sid, "sectionLabel": label, "status": status,
               "statusLabel": label_ja, "title": label.split(" ", 1)[-1], "summary": summary,
               "provenance": "", "explanation": f"節 {label}: {summary}",
               "counts": {s: counts[s] for s in (*_WORST_FIRST, "source") if counts[s]}, "members": len(group)},
    }


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section_edges(edges: list[dict], section_of: dict[str, str]) -> list[dict]:
    rows: dict[tuple[str, str], list[dict]] = {}
    for e in edges:
        if e["cm"]["kind"] != "mapping":
            continue
        a, b = section_of.get(e["from"]), section_of.get(e["to"])
        if a and b and a != b:
            rows.setdefault((a, b), []).append(e["cm"])
    out = []
    for (a, b), cms in rows.items():
        best = max(cms, key=lambda c: (c["curated"], _RELATION_RANK.get(c["relation"], 0), c["strength"]))
        style = EDGE_STYLES[best["relation"] if best["curated"] else "suggested"]
        relations = Counter(c["relation"] for c in cms)
        out.append({
            "id": f"e:{a}>{b}", "from": a, "to": b, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": style["color"], "highlight": "#000000", "hover": "#000000", "opacity": 0.45},
            "dashes": style["dashes"], "width": round(1 + 2 * math.log2(len(cms)), 2), "physics": False,
            "title": f"{len(cms)} 行: " + ", ".join(f"{r} {n}" for r, n in relations.most_common()),
            "cm": {"kind": "mapping", "relation": best["relation"], "strength": best["strength"],
                   "confidence": best.get("confidence", 1.0), "curated": best["curated"], "rows": len(cms)},
        })
    return out


def apply_filters(elements: dict[str, Any], *, only: Iterable[str] | None = None,
                  collapse: bool = False) -> dict[str, Any]:
    """:func:`only_status` (when ``only`` is given), then :func:`collapse_sections` (when ``collapse``)."""
    if only is not None:
        elements = only_status(elements, only)
    if collapse:
        elements = collapse_sections(elements)
    return elements

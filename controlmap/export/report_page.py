"""Results -> the committee report: one self-contained, printable HTML page (coverage bars, heatmap, candidates)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol
from urllib.parse import quote

from ..model import Catalog, Control
from ..results import CoverageResult, GapResult, Rollup, Status


class HtmlTable(Protocol):
    """What the report can embed as an extra section (a ``PeersResult`` of the shared knowledge base)."""

    def to_html(self) -> str: ...

__all__ = ["Heatmap", "HeatmapRow", "ReportPage", "heatmap", "node_href", "render_report"]

_STATUS_ORDER = ("covered", "partial", "gap", "unassessed", "not_applicable")


@dataclass(frozen=True, slots=True)
class HeatmapRow:
    """One reference section: per checklist chapter, the target controls its items reach."""

    framework: str
    section: str
    label: str
    targets: tuple[tuple[str, ...], ...]  # per chapter, the reached target control ids
    open: int  # gap + partial targets in the section
    applicable: int  # targets not excluded by the scope

    @property
    def counts(self) -> tuple[int, ...]:
        return tuple(len(t) for t in self.targets)


@dataclass(frozen=True, slots=True)
class Heatmap:
    """Checklist chapters (columns) × reference-framework sections (rows)."""

    chapters: tuple[Control, ...]
    rows: tuple[HeatmapRow, ...]

    @property
    def max(self) -> int:
        return max((n for r in self.rows for n in r.counts), default=0)


@dataclass(frozen=True, slots=True)
class ReportPage:
    """The report page's HTML; shows inline in Jupyter (sandboxed iframe) and ``str()`` gives the page."""

    html: str
    title: str = ""

    def __str__(self) -> str:
        return self.html

    def _repr_html_(self) -> str:
        import html

        return (f'<iframe title="{html.escape(self.title)}" srcdoc="{html.escape(self.html)}" sandbox="allow-scripts" '
                'style="width:100%;height:720px;border:1px solid #ddd"></iframe>')


def _chapter_of(catalog: Catalog, chapters: dict[str, Control], control_id: str) -> str | None:
    if not catalog.has_control(control_id):
        return None
    chain = [catalog.control(control_id), *catalog.ancestors(control_id)]
    return next((c.id for c in chain if c.id in chapters), None)


def heatmap(catalog: Catalog, result: GapResult) -> Heatmap:
    """For every reference section and checklist chapter: which applicable target controls of the section
    are reached (covered or partially) by at least one item of the chapter.

    Examples
    --------
    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> hm = heatmap(kg.catalog, cm.gaps(kg, "mic", ["jisq15001"]))
    >>> [c.notation for c in hm.chapters][:2]
    ['MIC-01', 'MIC-02']
    >>> row = next(r for r in hm.rows if r.section == "JISQ15001-2006:3.6")
    >>> sum(row.counts), row.open
    (0, 1)
    """
    source = catalog.framework(result.source)
    chapters = [c for c in catalog.controls_of(source) if c.parent is None and catalog.children(c.id)]
    flat = not chapters
    if flat:  # a checklist without chapters: the whole checklist is one column
        chapters = [Control(id=source.key, framework=source.key, notation=source.prefix, parent=None,
                            level="framework", title=source.title)]
    by_id = {c.id: c for c in chapters}
    rows = []
    for cov in result.coverages:
        sections: dict[str, list] = {}
        labels: dict[str, str] = {}
        for item in cov.items:
            sections.setdefault(item.section, []).append(item)
            labels.setdefault(item.section, _section_label(catalog, item.section, item.section_title))
        for sec, items in sections.items():
            reached: dict[str, list[str]] = {c.id: [] for c in chapters}
            for item in items:
                if item.status not in (Status.COVERED, Status.PARTIAL):
                    continue
                hit = {chapters[0].id if flat else _chapter_of(catalog, by_id, s) for s in item.sources}
                for ch in hit:
                    if ch in reached:
                        reached[ch].append(item.control.id)
            rows.append(HeatmapRow(
                framework=cov.target, section=sec, label=labels[sec],
                targets=tuple(tuple(reached[c.id]) for c in chapters),
                open=sum(1 for i in items if i.status in (Status.GAP, Status.PARTIAL)),
                applicable=sum(1 for i in items if i.status is not Status.NOT_APPLICABLE),
            ))
    return Heatmap(chapters=tuple(chapters), rows=tuple(rows))


def _section_label(catalog: Catalog, section: str, title: str) -> str:
    if catalog.has_control(section):
        c = catalog.control(section)
        return f"{c.notation} {c.title}"
    return f"{section} {title}".strip()


def node_href(network_href: str, control_id: str) -> str:
    """The link that opens the network page with ``control_id`` selected and focused.

    >>> node_href("committee.html", "GUS-R3:1.2(1)")
    'committee.html#node=GUS-R3%3A1.2%281%29'
    """
    return f"{network_href}#node={quote(control_id, safe='')}"


def _display(control: Control) -> str:
    prefix = control.id.split(":", 1)[0]
    return control.notation if control.notation.startswith(prefix) else control.id


def _bar(counts: dict[str, int]) -> dict[str, Any]:
    total = sum(counts.values())
    segments, x = [], 0.0
    for status in _STATUS_ORDER:
        n = counts.get(status, 0)
        if not n or not total:
            continue
        w = 100.0 * n / total
        segments.append({"status": status, "n": n, "x": round(x, 3), "w": round(w, 3),
                         "label": Status(status).label_ja})
        x += w
    return {"segments": segments, "total": total,
            "aria": "、".join(f"{Status(s).label_ja} {counts.get(s, 0)}" for s in _STATUS_ORDER)}


def _rollup_row(r: Rollup, label: str, href: str | None) -> dict[str, Any]:
    return {"key": r.key, "label": label, "href": href, "counts": {s: r.counts.get(s, 0) for s in _STATUS_ORDER},
            "assessed": r.assessed, "coverage_pct": r.coverage_pct, "covered_pct": r.covered_pct,
            "bar": _bar(r.counts)}


def _heat_colour(n: int, top: int) -> tuple[str, str]:
    if not n or not top:
        return "#ffffff", "#999999"
    t = 0.18 + 0.82 * n / top
    lo, hi = (239, 243, 255), (8, 69, 148)
    rgb = tuple(round(a + (b - a) * t) for a, b in zip(lo, hi, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb), "#ffffff" if t > 0.55 else "#111111"


def _coverage_context(catalog: Catalog, cov: CoverageResult, network_href: str) -> dict[str, Any]:
    fw = catalog.framework(cov.target)
    total = Rollup(key=cov.target, title=fw.title, counts=cov.counts())
    sections = []
    for r in cov.rollup("section"):
        label = _section_label(catalog, r.key, r.title)
        sections.append(_rollup_row(r, label, node_href(network_href, r.key) if catalog.has_control(r.key) else None))
    na = [{"display": _display(i.control), "title": i.control.title, "reason": i.not_applicable_reason,
           "provenance": i.control.provenance.tag, "href": node_href(network_href, i.control.id)}
          for i in cov.items if i.status is Status.NOT_APPLICABLE]
    return {"key": fw.key, "prefix": fw.prefix, "title": fw.title, "edition": fw.edition_label or fw.edition,
            "publisher": fw.publisher, "completeness": fw.completeness, "total": _rollup_row(total, fw.title, None),
            "sections": sections, "not_applicable": na}


def _candidate_context(catalog: Catalog, result: GapResult, network_href: str) -> list[dict[str, Any]]:
    from .render import priority_level

    out = []
    for c in result.candidates:
        targets = []
        for tid, ttitle in zip(c.targets, c.target_titles, strict=False):
            ctl = catalog.control(tid) if catalog.has_control(tid) else None
            fw = catalog.framework(ctl.framework) if ctl else None
            targets.append({"display": _display(ctl) if ctl else tid, "title": ttitle,
                            "framework": (fw.edition_label or fw.title) if fw else "",
                            "provenance": ctl.provenance.tag if ctl else "", "href": node_href(network_href, tid)})
        partial = []
        for sid in c.partial_sources:
            ctl = catalog.control(sid) if catalog.has_control(sid) else None
            partial.append({"display": _display(ctl) if ctl else sid, "title": ctl.title if ctl else "",
                            "href": node_href(network_href, sid)})
        out.append({"id": c.id, "priority": c.priority, "level": priority_level(c.priority),
                    "status": c.status.value, "status_label": c.status.label_ja, "title": c.title,
                    "question": c.check_question, "targets": targets, "partial": partial, "reason": c.reason,
                    "chapter": c.suggested_chapter_title,
                    "chapter_display": _display(catalog.control(c.suggested_chapter))
                    if c.suggested_chapter and catalog.has_control(c.suggested_chapter) else "",
                    "provenance": c.provenance_tags, "factors": c.priority_factors,
                    "responsibility": c.responsibility_label, "municipal_role": c.municipal_role,
                    "own": not c.responsibility or c.responsibility[0] == "市区町村",
                    "merge_group": c.merge_group, "merged_from": ", ".join(c.merged_from)})
    return out


def _heatmap_context(catalog: Catalog, result: GapResult, network_href: str) -> dict[str, Any]:
    hm = heatmap(catalog, result)
    top = hm.max
    groups: dict[str, list] = {}
    for row in hm.rows:
        cells = []
        for ch, targets in zip(hm.chapters, row.targets, strict=False):
            bg, fg = _heat_colour(len(targets), top)
            shown = [_display(catalog.control(t)) for t in targets]
            cells.append({"n": len(targets), "bg": bg, "fg": fg, "chapter": ch.id,
                          "title": f"{ch.notation} {ch.title} → {row.label}: " + (", ".join(shown) or "なし")})
        groups.setdefault(row.framework, []).append({
            "section": row.section, "label": row.label, "cells": cells, "open": row.open,
            "applicable": row.applicable, "href": node_href(network_href, row.section)
            if catalog.has_control(row.section) else None})
    frameworks = []
    for key, rows in groups.items():
        fw = catalog.framework(key)
        frameworks.append({"key": key, "prefix": fw.prefix, "title": fw.title, "rows": rows})
    return {"chapters": [{"id": c.id, "notation": c.notation, "title": c.title,
                          "short": c.notation.rsplit("-", 1)[-1]} for c in hm.chapters],
            "frameworks": frameworks, "max": top, "legend": [_heat_colour(n, top)[0] for n in range(top + 1)]}


@cache
def _template():
    from importlib.resources import files

    from jinja2 import Environment, StrictUndefined

    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.from_string((files("controlmap") / "resources" / "committee.html").read_text(encoding="utf-8"))


def render_report(catalog: Catalog, result: GapResult, *, network_href: str = "committee.html",
                  title: str | None = None, generated: str | None = None, peers: HtmlTable | None = None) -> str:
    """The committee report of ``result`` as one self-contained HTML page (nothing fetched; A4 print CSS).

    It shows coverage per reference framework and section as bars, a heatmap of checklist chapters ×
    reference sections, every candidate additional check item with its reason and [R]/[I]
    provenance, and the controls excluded by the scope with their reasons. Control ids link to
    ``network_href#node=ID`` (the page of :func:`controlmap.viz.to_html`). Every text from the data
    is HTML-escaped. Nothing is written to disk. ``peers`` (a :class:`controlmap.workflows.peers.PeersResult`)
    adds the table of items other municipalities adopted.

    Examples
    --------
    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> page = render_report(kg.catalog, cm.gaps(kg, "mic", ["jisq15001"]), generated="2024-04-01")
    >>> "@page" in page and 'href="committee.html#node=JISQ15001-2006%3A3.6"' in page
    True
    """
    from ..queries.candidates import PRIORITY_FORMULA
    from .network import FONT_STACK, SOURCE_COLOR, STATUS_COLORS
    from .render import COVERAGE_PCT_NOTE, PROVENANCE_NOTE

    src = catalog.framework(result.source)
    coverages = [_coverage_context(catalog, cov, network_href) for cov in result.coverages]
    candidates = _candidate_context(catalog, result, network_href)
    levels = {level: sum(1 for c in candidates if c["level"] == level) for level in ("高", "中", "低")}
    first = result.coverages[0] if result.coverages else None
    page = _template().render(
        title=title or f"{src.title} 追加点検項目の候補 — 運用監視委員会 資料",
        generated=generated or _dt.date.today().isoformat(),
        source={"key": src.key, "prefix": src.prefix, "title": src.title, "edition": src.edition_label or src.edition,
                "n_items": len(catalog.assessable(src))},
        scope=first.scope if first else "", threshold=first.options.threshold if first else 7,
        max_hops=first.options.max_hops if first else 2, coverages=coverages, candidates=candidates,
        levels=levels, heatmap=_heatmap_context(catalog, result, network_href), network_href=network_href,
        statuses=[{"value": s, "label": Status(s).label_ja, "color": STATUS_COLORS[s]} for s in _STATUS_ORDER],
        status_colors=STATUS_COLORS, source_color=SOURCE_COLOR, font_stack=FONT_STACK,
        priority_formula=PRIORITY_FORMULA, coverage_note=COVERAGE_PCT_NOTE, provenance_note=PROVENANCE_NOTE,
    )
    if peers is not None:  # the shared knowledge base's table, escaped by PeersResult.to_html
        page = page.replace('<section id="notes">', peers.to_html() + '\n<section id="notes">', 1)
    return page

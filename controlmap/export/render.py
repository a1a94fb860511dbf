"""Results -> DataFrames, JSON-ready records, Markdown, aligned terminal text and HTML tables (no file I/O)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..results import Candidate, CoverageItem, CoverageResult, GapResult, Rollup, Status
from ..textwidth import clip, pad, width

if TYPE_CHECKING:
    import pandas as pd

    from ..model import Catalog

__all__ = [
    "CANDIDATE_COLUMNS",
    "COVERAGE_COLUMNS",
    "COVERAGE_PCT_NOTE",
    "PRIORITY_LEVELS",
    "PROVENANCE_NOTE",
    "candidate_records",
    "candidate_table",
    "candidates_frame",
    "candidates_html",
    "candidates_markdown",
    "coverage_document",
    "coverage_frame",
    "coverage_html",
    "coverage_markdown",
    "coverage_records",
    "coverage_table",
    "coverage_text",
    "framework_rollup",
    "gap_document",
    "gap_summary",
    "gap_summary_text",
    "md_cell",
    "priority_level",
    "short_id",
]

PRIORITY_LEVELS = (("高", 60), ("中", 30), ("低", 0))
PROVENANCE_NOTE = ("[R] = 引用した出典の原文で確認した要求事項、[I] = 公開情報から再構成した要求事項"
                   "(採用前に原文との照合が必要)")
COVERAGE_PCT_NOTE = "カバー率 = (充足 + 0.5 × 部分的) ÷ 評価済み(未評価・対象外を除く)"
#: Japanese column headers of the candidate table (CSV, XLSX, Markdown), in order.
CANDIDATE_COLUMNS = ("ID", "候補項目", "点検の問い(案)", "状態", "対象の要求事項", "部分的に対応する既存項目", "理由",
                     "優先度", "優先度区分", "根拠の出典区分", "追加先の章(案)", "責任主体", "統合", "参照基準",
                     "優先度の要因", "判定の説明")
#: Japanese column headers of the coverage table (CSV, XLSX), in order.
COVERAGE_COLUMNS = ("参照基準", "ID", "番号", "名称", "階層", "部", "節", "状態", "関係", "強度", "ホップ数", "推論",
                    "対応する既存項目", "説明", "対象外の理由", "出典区分")
_FRAME_COLUMNS = ("target_id", "framework", "notation", "title", "level", "part", "part_title", "section",
                  "section_title", "status", "status_ja", "best_relation", "strength", "confidence", "hops",
                  "inferred", "sources", "explanation", "not_applicable_reason", "provenance")
_COUNT_HEADERS = tuple(s.label_ja for s in Status)
_COLOURS = {"covered": "#dff0d8", "partial": "#fcf8e3", "gap": "#f2dede", "unassessed": "#eeeeee",
            "not_applicable": "#f7f7f7"}


def priority_level(priority: int) -> str:
    """高, 中 or 低 for a priority 0–100 (高 ≥ 60, 中 30–59, 低 < 30, as PRIORITY_FORMULA states).

    >>> priority_level(80), priority_level(30), priority_level(29)
    ('高', '中', '低')
    """
    return next(label for label, floor in PRIORITY_LEVELS if priority >= floor or floor == 0)


def short_id(control_id: str) -> str:
    """The id as a person reads it: ``MIC-04-02`` for ``MIC:MIC-04-02``; other CURIEs stay whole.

    >>> short_id("MIC:MIC-04-02"), short_id("GUS-R3:6.1.1(1)")
    ('MIC-04-02', 'GUS-R3:6.1.1(1)')
    """
    prefix, sep, local = control_id.partition(":")
    return local if sep and local.startswith(prefix) else control_id


def md_cell(value: object) -> str:
    r"""Text safe in a Markdown table cell: HTML, ``\`` and ``|`` escaped, newlines as ``<br>``.

    >>> md_cell("a|b\nc <x>")
    'a\\|b<br>c &lt;x&gt;'
    """
    text = "" if value is None else str(value)
    text = html.escape(text, quote=False).replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(text.splitlines())


def framework_rollup(result: CoverageResult) -> Rollup:
    """The counts of the whole target framework as one Rollup (for its coverage_pct and covered_pct)."""
    return Rollup(key=result.target, title=result.target, counts=result.counts())


# -- coverage ------------------------------------------------------------------------------------
def coverage_records(result: CoverageResult) -> list[dict]:
    """One JSON-ready dict per target control: ids, titles, status, best path and its steps."""
    rows = []
    for item in result.items:
        c, best = item.control, item.best
        rows.append({
            "target_id": c.id, "framework": c.framework, "notation": c.notation, "title": c.title, "level": c.level,
            "part": item.part, "part_title": item.part_title, "section": item.section,
            "section_title": item.section_title, "status": item.status.value, "status_ja": item.status.label_ja,
            "best_relation": best.relation.value if best else None, "strength": best.strength if best else None,
            "confidence": best.confidence if best else None, "hops": best.hops if best else None,
            "inferred": best.inferred if best else None, "sources": list(item.sources),
            "explanation": item.explanation, "not_applicable_reason": item.not_applicable_reason,
            "provenance": c.provenance.tag,
            "path": [{"subject": s.subject_id, "relation": s.relation.value, "object": s.object_id,
                      "strength": s.strength, "confidence": round(s.confidence, 4), "mapping_set": s.mapping_set,
                      "inverted": s.inverted, "combined_with": list(s.combined_with)}
                     for s in (best.steps if best else ())],
        })
    return rows


def coverage_frame(result: CoverageResult) -> pd.DataFrame:
    """One row per target control; ``sources`` joined with ``"; "``, ``provenance`` as ``[R]``/``[I]``."""
    import pandas as pd

    rows = [{**r, "sources": "; ".join(r["sources"])} for r in coverage_records(result)]
    frame = pd.DataFrame(rows, columns=list(_FRAME_COLUMNS))
    return frame.astype({"strength": "Int64", "hops": "Int64", "confidence": "Float64", "inferred": "boolean"})


def _rollup_dict(r: Rollup) -> dict:
    return {"key": r.key, "title": r.title, "counts": dict(r.counts), "assessed": r.assessed,
            "coverage_pct": round(r.coverage_pct, 1), "covered_pct": round(r.covered_pct, 1)}


def coverage_document(result: CoverageResult) -> dict:
    """The coverage JSON object: source, target, scope, options, counts, rollup per section, items."""
    o, total = result.options, framework_rollup(result)
    return {"source": result.source, "target": result.target, "scope": result.scope,
            "options": {"threshold": o.threshold, "max_hops": o.max_hops, "min_strength": o.min_strength},
            "counts": result.counts(), "coverage_pct": round(total.coverage_pct, 1),
            "covered_pct": round(total.covered_pct, 1),
            "rollup": [_rollup_dict(r) for r in result.rollup("section")], "items": coverage_records(result)}


def _local(cid: str) -> str:
    return cid.partition(":")[2] or cid


def coverage_table(result: CoverageResult) -> list[dict]:
    """One row per target control keyed by the Japanese COVERAGE_COLUMNS (for CSV and XLSX)."""
    return [{
        "参照基準": r["framework"], "ID": r["target_id"], "番号": r["notation"], "名称": r["title"],
        "階層": r["level"], "部": f"{_local(r['part'])} {r['part_title']}".strip(),
        "節": f"{_local(r['section'])} {r['section_title']}".strip(), "状態": r["status_ja"],
        "関係": r["best_relation"] or "", "強度": r["strength"], "ホップ数": r["hops"],
        "推論": "" if r["inferred"] is None else ("推論" if r["inferred"] else "直接"),
        "対応する既存項目": "; ".join(short_id(s) for s in r["sources"]), "説明": r["explanation"],
        "対象外の理由": r["not_applicable_reason"], "出典区分": r["provenance"],
    } for r in coverage_records(result)]


def _options_line(result: CoverageResult | None) -> str:
    if result is None:
        return ""
    o = result.options
    return f"しきい値 {o.threshold} / 最大 {o.max_hops} ホップ / スコープ {result.scope or 'なし'}"


def _pct(r: Rollup) -> str:
    return f"{r.coverage_pct:.1f}%" if r.assessed else "—"


def _md_table(headers: list[str], rows: list[list], right: int = 99) -> list[str]:
    """Markdown table lines; columns from index ``right`` on are right-aligned."""
    def line(cells) -> str:
        return "| " + " | ".join(cells) + " |"
    rule = ["---:" if i >= right else "---" for i in range(len(headers))]
    return [line(md_cell(h) for h in headers), line(rule), *(line(md_cell(x) for x in row) for row in rows)]


def _counts(counts: dict[str, int]) -> list[int]:
    return [counts.get(s.value, 0) for s in Status]


def _section_rows(result: CoverageResult, with_framework: bool = False) -> list[list]:
    parts = {i.section: f"{_local(i.part)} {i.part_title}" for i in result.items}
    return [([result.target] if with_framework else []) + [parts.get(r.key, ""), _local(r.key), r.title,
                                                           *_counts(r.counts), r.assessed, _pct(r)]
            for r in result.rollup("section")]


def coverage_markdown(result: CoverageResult) -> str:
    """A handover section: counts with coverage %, the rollup per section, then every target control."""
    total = framework_rollup(result)
    lines = [f"## カバレッジ: {result.source} → {result.target}", "", _options_line(result), "",
             *_md_table(["状態", "件数"], [[k, v] for k, v in zip(_COUNT_HEADERS, _counts(total.counts))]
                        + [["評価済み", total.assessed], ["カバー率", _pct(total)]], right=1),
             "", "### 節ごとの集計", "",
             *_md_table(["部", "節", "名称", *_COUNT_HEADERS, "評価済み", "カバー率"], _section_rows(result), right=3),
             "", "### 要求事項ごとの判定", "",
             *_md_table(["状態", "ID", "名称", "対応する既存項目", "説明", "出典区分"],
                        [[r["状態"], r["ID"], r["名称"], r["対応する既存項目"], r["説明"], r["出典区分"]]
                         for r in coverage_table(result)]),
             "", COVERAGE_PCT_NOTE + "。" + PROVENANCE_NOTE + "。", ""]
    return "\n".join(lines)


def coverage_text(result: CoverageResult) -> str:
    """An aligned terminal table (全角 counted as two columns): status, id, title, sources, explanation."""
    id_w = min(max([width("ID"), *(width(_display(i)) for i in result.items)]), 28)
    widths = (14, id_w, 30, 24)
    head = [pad(h, w) for h, w in zip(("状態", "ID", "名称", "対応する既存項目"), widths)]
    lines = [f"{result.source} → {result.target}  ({_options_line(result)})", " ".join([*head, "説明"]),
             "-" * (sum(widths) + len(widths) + 40)]
    for item in result.items:
        label, sep, rest = item.explanation.partition(": ")
        short = rest if sep and width(label) <= 8 else item.explanation
        cells = (item.status.label_ja, _display(item), item.control.title,
                 ",".join(short_id(s) for s in item.sources))
        lines.append(" ".join([*(pad(t, w) for t, w in zip(cells, widths)), clip(short, 60)]).rstrip())
    total = framework_rollup(result)
    counts = " / ".join(f"{k} {v}" for k, v in zip(_COUNT_HEADERS, _counts(total.counts)))
    lines.append(f"{counts} — カバー率 {_pct(total)}")
    return "\n".join(lines) + "\n"


def _display(item: CoverageItem) -> str:
    c = item.control
    return c.notation if c.notation.startswith(c.id.split(":", 1)[0]) else c.id


# -- candidates ----------------------------------------------------------------------------------
def _titler(catalog: Catalog | None, gap: GapResult) -> Callable[[str], str]:
    known = {s: t for c in gap.candidates for s, t in zip(c.partial_sources, c.partial_source_titles)}

    def title(cid: str) -> str:
        if catalog is not None and catalog.has_control(cid):
            return catalog.control(cid).title
        return known.get(cid, "")
    return title


def _target_index(gap: GapResult) -> dict[str, CoverageItem]:
    return {i.control.id: i for cov in gap.coverages for i in cov.items}


def _record(c: Candidate, index: dict[str, CoverageItem], title_of: Callable[[str], str]) -> dict:
    targets = []
    for n, tid in enumerate(c.targets):
        item = index.get(tid)
        ctrl = item.control if item else None
        targets.append({
            "id": tid,
            "framework": ctrl.framework if ctrl else (c.frameworks[0] if len(c.frameworks) == 1 else ""),
            "notation": ctrl.notation if ctrl else _local(tid),
            "title": c.target_titles[n] if n < len(c.target_titles) else (ctrl.title if ctrl else ""),
            "provenance": c.provenance[n].value if n < len(c.provenance) else "",
            "status": item.status.value if item else c.status.value,
        })
    tags = c.provenance_tags
    return {
        "id": c.id, "title": c.title, "check_question": c.check_question, "status": c.status.value,
        "status_ja": c.status.label_ja, "targets": targets,
        "partial_sources": [{"id": s, "notation": short_id(s), "title": title_of(s)} for s in c.partial_sources],
        "reason": c.reason, "priority": int(c.priority), "priority_level": priority_level(c.priority),
        "priority_factors": dict(c.priority_factors),
        "provenance": [t for t in tags.strip("[]").split("][") if t], "provenance_tags": tags,
        "suggested_chapter": ({"id": c.suggested_chapter, "notation": short_id(c.suggested_chapter),
                               "title": c.suggested_chapter_title} if c.suggested_chapter else None),
        "frameworks": list(c.frameworks), "explanation": list(c.explanation),
        "responsibility": list(c.responsibility), "municipal_role": c.municipal_role,
        "merge_group": c.merge_group, "merged_from": list(c.merged_from),
    }


def candidate_records(gap: GapResult, *, catalog: Catalog | None = None) -> list[dict]:
    """The documented JSON object of each candidate (docs/outputs.md), highest priority first.

    Titles of ``partial_sources`` come from the candidates (or from ``catalog`` when given).
    """
    index, title_of = _target_index(gap), _titler(catalog, gap)
    return [_record(c, index, title_of) for c in gap.candidates]


def candidates_frame(gap: GapResult, *, catalog: Catalog | None = None) -> pd.DataFrame:
    """One row per candidate; lists joined with ``"; "``, factors as ``U=… E=… B=…``."""
    import pandas as pd

    rows = [{
        "id": r["id"], "title": r["title"], "check_question": r["check_question"], "status": r["status"],
        "status_ja": r["status_ja"], "priority": r["priority"], "priority_level": r["priority_level"],
        "provenance_tags": r["provenance_tags"], "targets": "; ".join(t["id"] for t in r["targets"]),
        "target_titles": "; ".join(t["title"] for t in r["targets"]), "frameworks": "; ".join(r["frameworks"]),
        "partial_sources": "; ".join(s["id"] for s in r["partial_sources"]), "reason": r["reason"],
        "priority_factors": _factors(r["priority_factors"]),
        "suggested_chapter": (r["suggested_chapter"] or {}).get("id", ""),
        "suggested_chapter_title": (r["suggested_chapter"] or {}).get("title", ""),
        "explanation": "\n".join(r["explanation"]), "responsibility": "、".join(r["responsibility"]),
        "merge_group": r["merge_group"],
    } for r in candidate_records(gap, catalog=catalog)]
    columns = ["id", "title", "check_question", "status", "status_ja", "priority", "priority_level",
               "provenance_tags", "targets", "target_titles", "frameworks", "partial_sources", "reason",
               "priority_factors", "suggested_chapter", "suggested_chapter_title", "explanation", "responsibility",
               "merge_group"]
    return pd.DataFrame(rows, columns=columns).astype({"priority": "int64"})


def _factors(factors: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in factors.items())


def candidate_table(gap: GapResult, *, catalog: Catalog | None = None) -> list[dict]:
    """One row per candidate keyed by the Japanese CANDIDATE_COLUMNS (for CSV, XLSX and Markdown)."""
    out = []
    for r in candidate_records(gap, catalog=catalog):
        ch = r["suggested_chapter"]
        out.append({
            "ID": r["id"], "候補項目": r["title"], "点検の問い(案)": r["check_question"], "状態": r["status_ja"],
            "対象の要求事項": "; ".join(f"{short_id(t['id'])} {t['title']} [{t['provenance']}]"
                                    for t in r["targets"]),
            "部分的に対応する既存項目": "; ".join(f"{s['notation']} {s['title']}".strip() for s in r["partial_sources"]),
            "理由": r["reason"], "優先度": r["priority"], "優先度区分": r["priority_level"],
            "根拠の出典区分": r["provenance_tags"],
            "追加先の章(案)": f"{ch['notation']} {ch['title']}".strip() if ch else "",
            "責任主体": _responsibility_cell(r), "統合": _merge_cell(r),
            "参照基準": ", ".join(r["frameworks"]), "優先度の要因": _factors(r["priority_factors"]),
            "判定の説明": "\n".join(r["explanation"]),
        })
    return out


def _responsibility_cell(r: dict) -> str:
    """``都道府県、J-LIS(市区町村の役割: …)``: the bodies, primary first, and what is left for the municipality."""
    role = f"(市区町村の役割: {r['municipal_role']})" if r["municipal_role"] else ""
    return "、".join(r["responsibility"]) + role


def _merge_cell(r: dict) -> str:
    """``統合 M01: C-…, C-…`` for a candidate merged by a scope merge group, else empty."""
    return f"統合 {r['merge_group']}: {', '.join(r['merged_from'])}" if r["merge_group"] else ""


def gap_summary(gap: GapResult) -> dict:
    """Counts per reference framework with coverage %, and the number of candidates per level and status."""
    first = gap.coverages[0] if gap.coverages else None
    levels = {label: 0 for label, _ in PRIORITY_LEVELS}
    for c in gap.candidates:
        levels[priority_level(c.priority)] += 1
    frameworks = []
    for cov in gap.coverages:
        total = framework_rollup(cov)
        frameworks.append({"framework": cov.target, "counts": cov.counts(), "assessed": total.assessed,
                           "coverage_pct": round(total.coverage_pct, 1), "covered_pct": round(total.covered_pct, 1),
                           "candidates": sum(cov.target in c.frameworks for c in gap.candidates)})
    return {"source": gap.source, "against": list(gap.against), "scope": first.scope if first else "",
            "options": ({"threshold": first.options.threshold, "max_hops": first.options.max_hops,
                         "min_strength": first.options.min_strength} if first else {}),
            "frameworks": frameworks,
            "candidates": {"total": len(gap.candidates), "by_priority_level": levels,
                           "by_status": {s: sum(c.status.value == s for c in gap.candidates)
                                         for s in ("gap", "partial")},
                           "by_responsibility": _by_body(gap)}}


def gap_document(gap: GapResult, *, catalog: Catalog | None = None) -> dict:
    """The gaps JSON object: source, against, priority_formula, summary and candidate records."""
    from ..queries.candidates import PRIORITY_FORMULA

    return {"source": gap.source, "against": list(gap.against), "priority_formula": PRIORITY_FORMULA,
            "summary": gap_summary(gap), "candidates": candidate_records(gap, catalog=catalog)}


def candidates_markdown(gap: GapResult, *, catalog: Catalog | None = None) -> str:
    """A handover document: counts per framework and section with coverage %, then candidates by priority."""
    from ..queries.candidates import PRIORITY_FORMULA

    first = gap.coverages[0] if gap.coverages else None
    summary = gap_summary(gap)
    lines = [f"# 追加点検項目の候補: {gap.source}", "",
             f"参照基準: {', '.join(gap.against)}({_options_line(first)})", "", "## 参照基準ごとの集計", "",
             *_md_table(["参照基準", *_COUNT_HEADERS, "評価済み", "カバー率", "候補数"],
                        [[cov.target, *_counts(cov.counts()), f["assessed"], _pct(framework_rollup(cov)),
                          f["candidates"]] for cov, f in zip(gap.coverages, summary["frameworks"])], right=1),
             "", "## 節ごとの集計", "",
             *_md_table(["参照基準", "部", "節", "名称", *_COUNT_HEADERS, "評価済み", "カバー率"],
                        [row for cov in gap.coverages for row in _section_rows(cov, with_framework=True)], right=4),
             "", f"## 候補({len(gap.candidates)} 件、優先度順)"]
    rows = candidate_table(gap, catalog=catalog)
    columns = ["ID", "候補項目", "点検の問い(案)", "状態", "対象の要求事項", "部分的に対応する既存項目", "優先度",
               "責任主体", "根拠の出典区分", "追加先の章(案)", "統合", "理由"]
    for label, _ in PRIORITY_LEVELS:
        group = [r for r in rows if r["優先度区分"] == label]
        lines += ["", f"### 優先度 {label}({len(group)} 件)", ""]
        lines += _md_table(columns, [[r[k] for k in columns] for r in group]) if group else ["該当なし"]
    lines += ["", "---", "", f"優先度の算出: {md_cell(PRIORITY_FORMULA)}", "", md_cell(PROVENANCE_NOTE), "",
              md_cell(COVERAGE_PCT_NOTE), ""]
    return "\n".join(lines)


def gap_summary_text(gap: GapResult, top: int = 10) -> str:
    """The closing lines of a gap run: counts and coverage % per framework, candidates per level, the top ones."""
    first = gap.coverages[0] if gap.coverages else None
    summary = gap_summary(gap)
    name_w = max([width("参照基準"), *(width(f["framework"]) for f in summary["frameworks"])])
    heads = ("充足", "部分的", "不足", "未評価", "対象外", "カバー率")
    lines = [f"{gap.source} と参照基準の比較({_options_line(first)})",
             " ".join([pad("参照基準", name_w), *(pad(h, 8, ">") for h in heads)])]
    for cov in gap.coverages:
        cells = [str(v) for v in _counts(cov.counts())] + [_pct(framework_rollup(cov))]
        lines.append(" ".join([pad(cov.target, name_w), *(pad(v, 8, ">") for v in cells)]))
    levels = summary["candidates"]["by_priority_level"]
    lines.append(f"追加点検項目の候補 {len(gap.candidates)} 件: " + " / ".join(f"{k} {v}" for k, v in levels.items()))
    if gap.candidates:
        lines.append(f"上位 {min(top, len(gap.candidates))} 件:")
        id_w = max(width(c.id) for c in gap.candidates[:top])
        body_w = max(width(c.responsibility_label) for c in gap.candidates[:top])
        for c in gap.candidates[:top]:
            merged = f"[統合 {c.merge_group}] " if c.merge_group else ""
            lines.append(f"  {pad(c.id, id_w)} {c.priority:3d} {priority_level(c.priority)} "
                         f"{pad(c.status.label_ja, 14)} {pad(c.provenance_tags, 6)} "
                         f"{pad(c.responsibility_label, body_w)} {merged}{c.title}")
        bodies = summary["candidates"]["by_responsibility"]
        lines.append("責任主体: " + " / ".join(f"{k} {v}" for k, v in bodies.items())
                     + "(先頭の主体で数える。市区町村以外が主たる責任主体の候補は優先度に R = 0.5)")
    lines.append(f"{COVERAGE_PCT_NOTE}。{PROVENANCE_NOTE}。")
    return "\n".join(lines) + "\n"


def _by_body(gap: GapResult) -> dict[str, int]:
    counts: dict[str, int] = {}
    for c in gap.candidates:
        key = c.responsibility[0] if c.responsibility else "未記載"
        counts[key] = counts.get(key, 0) + 1
    return counts


# -- HTML for Jupyter ----------------------------------------------------------------------------
_TABLE = 'style="border-collapse:collapse;font-size:90%"'
_CELL = "border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top"


def _html_table(headers: list[str], rows: list[tuple[list, str]]) -> str:
    """``rows`` are (cells, status value); every text is escaped, the row is coloured by its status."""
    head = "".join(f'<th style="{_CELL};background:#e8eef7">{html.escape(h)}</th>' for h in headers)
    body = "".join(
        f'<tr style="background:{_COLOURS.get(status, "#ffffff")}">'
        + "".join(f'<td style="{_CELL}">{html.escape("" if v is None else str(v))}</td>' for v in cells) + "</tr>"
        for cells, status in rows)
    return f"<table {_TABLE}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def coverage_html(result: CoverageResult) -> str:
    """``_repr_html_`` of a CoverageResult: a heading with counts and coverage %, then one row per target."""
    total = framework_rollup(result)
    counts = " · ".join(f"{k} {v}" for k, v in zip(_COUNT_HEADERS, _counts(total.counts)))
    heading = (f"<p><strong>{html.escape(result.source)} → {html.escape(result.target)}</strong>: "
               f"{html.escape(counts)} · カバー率 {html.escape(_pct(total))} "
               f"<small>({html.escape(_options_line(result))})</small></p>")
    rows = [([r["状態"], r["ID"], r["名称"], r["対応する既存項目"], r["説明"], r["出典区分"]], item.status.value)
            for r, item in zip(coverage_table(result), result.items)]
    return heading + _html_table(["状態", "ID", "名称", "対応する既存項目", "説明", "出典区分"], rows)


def candidates_html(gap: GapResult) -> str:
    """``_repr_html_`` of a GapResult: counts per framework and level, then one row per candidate."""
    summary = gap_summary(gap)
    per_fw = " · ".join(f"{f['framework']} カバー率 {f['coverage_pct']:.1f}%" for f in summary["frameworks"])
    levels = " · ".join(f"{k} {v}" for k, v in summary["candidates"]["by_priority_level"].items())
    heading = (f"<p><strong>{html.escape(gap.source)}: 追加点検項目の候補 {len(gap.candidates)} 件</strong> "
               f"({html.escape(levels)})<br><small>{html.escape(per_fw)}</small></p>")
    columns = ["ID", "優先度", "優先度区分", "状態", "根拠の出典区分", "候補項目", "点検の問い(案)", "対象の要求事項",
               "責任主体", "統合", "追加先の章(案)"]
    rows = [([r[k] for k in columns], c.status.value) for r, c in zip(candidate_table(gap), gap.candidates)]
    return heading + _html_table(columns, rows)

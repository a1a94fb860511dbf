"""Results -> records: JSON-ready dicts, DataFrames and the Japanese-headed tables of CSV and XLSX (no file I/O).

The text, Markdown and HTML views (:mod:`controlmap.export.text`, :mod:`controlmap.export.render`) are
drawn from these records, so every output says the same.

>>> priority_level(75), short_id("MIC:MIC-04-02"), status_counts({"gap": 2})
('高', 'MIC-04-02', [0, 0, 2, 0, 0])
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..results import Candidate, CoverageItem, CoverageResult, GapResult, Rollup, Status

if TYPE_CHECKING:
    import pandas as pd

    from ..model import Catalog

__all__ = [
    "CANDIDATE_COLUMNS",
    "COUNT_HEADERS",
    "COVERAGE_COLUMNS",
    "COVERAGE_PCT_NOTE",
    "PRIORITY_LEVELS",
    "PROVENANCE_NOTE",
    "candidate_records",
    "candidate_table",
    "candidates_frame",
    "coverage_document",
    "coverage_frame",
    "coverage_records",
    "coverage_table",
    "framework_rollup",
    "gap_document",
    "gap_summary",
    "local_id",
    "md_cell",
    "options_line",
    "pct_text",
    "priority_level",
    "short_id",
    "status_counts",
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
COUNT_HEADERS = tuple(s.label_ja for s in Status)


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


def local_id(cid: str) -> str:
    return cid.partition(":")[2] or cid


def coverage_table(result: CoverageResult) -> list[dict]:
    """One row per target control keyed by the Japanese COVERAGE_COLUMNS (for CSV and XLSX)."""
    return [{
        "参照基準": r["framework"], "ID": r["target_id"], "番号": r["notation"], "名称": r["title"],
        "階層": r["level"], "部": f"{local_id(r['part'])} {r['part_title']}".strip(),
        "節": f"{local_id(r['section'])} {r['section_title']}".strip(), "状態": r["status_ja"],
        "関係": r["best_relation"] or "", "強度": r["strength"], "ホップ数": r["hops"],
        "推論": "" if r["inferred"] is None else ("推論" if r["inferred"] else "直接"),
        "対応する既存項目": "; ".join(short_id(s) for s in r["sources"]), "説明": r["explanation"],
        "対象外の理由": r["not_applicable_reason"], "出典区分": r["provenance"],
    } for r in coverage_records(result)]


def options_line(result: CoverageResult | None) -> str:
    if result is None:
        return ""
    o = result.options
    return f"しきい値 {o.threshold} / 最大 {o.max_hops} ホップ / スコープ {result.scope or 'なし'}"


def pct_text(r: Rollup) -> str:
    return f"{r.coverage_pct:.1f}%" if r.assessed else "—"


def status_counts(counts: dict[str, int]) -> list[int]:
    return [counts.get(s.value, 0) for s in Status]


def _titler(catalog: Catalog | None, gap: GapResult) -> Callable[[str], str]:
    known = {s: t for c in gap.candidates for s, t in zip(c.partial_sources, c.partial_source_titles, strict=False)}

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
            "notation": ctrl.notation if ctrl else local_id(tid),
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
            "部分的に対応する既存項目": "; ".join(f"{s['notation']} {s['title']}".strip()
                                          for s in r["partial_sources"]),
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


def _by_body(gap: GapResult) -> dict[str, int]:
    """Candidates per primary responsible body."""
    counts: dict[str, int] = {}
    for c in gap.candidates:
        key = c.responsibility[0] if c.responsibility else "未記載"
        counts[key] = counts.get(key, 0) + 1
    return counts


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

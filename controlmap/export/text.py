"""Results -> Markdown handover documents and aligned terminal text (全角 counted as two columns).

>>> import controlmap as cm
>>> kg = cm.load()
>>> coverage_text(cm.coverage(kg, source="mic", target="jisq15001")).splitlines()[0]
'mic@2009 → jisq15001@2006  (しきい値 7 / 最大 2 ホップ / スコープ juki_net)'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..results import CoverageItem, CoverageResult, GapResult
from ..textwidth import clip, pad, width
from .records import (
    COUNT_HEADERS,
    COVERAGE_PCT_NOTE,
    PRIORITY_LEVELS,
    PROVENANCE_NOTE,
    candidate_table,
    coverage_table,
    framework_rollup,
    gap_summary,
    local_id,
    md_cell,
    options_line,
    pct_text,
    priority_level,
    short_id,
    status_counts,
)

if TYPE_CHECKING:
    from ..model import Catalog

__all__ = ["candidates_markdown", "coverage_markdown", "coverage_text", "gap_summary_text"]


def _md_table(headers: list[str], rows: list[list], right: int = 99) -> list[str]:
    """Markdown table lines; columns from index ``right`` on are right-aligned."""
    def line(cells) -> str:
        return "| " + " | ".join(cells) + " |"
    rule = ["---:" if i >= right else "---" for i in range(len(headers))]
    return [line(md_cell(h) for h in headers), line(rule), *(line(md_cell(x) for x in row) for row in rows)]


def _section_rows(result: CoverageResult, with_framework: bool = False) -> list[list]:
    parts = {i.section: f"{local_id(i.part)} {i.part_title}" for i in result.items}
    return [([result.target] if with_framework else []) + [parts.get(r.key, ""), local_id(r.key), r.title,
                                                           *status_counts(r.counts), r.assessed, pct_text(r)]
            for r in result.rollup("section")]


def coverage_markdown(result: CoverageResult) -> str:
    """A handover section: counts with coverage %, the rollup per section, then every target control."""
    total = framework_rollup(result)
    lines = [f"## カバレッジ: {result.source} → {result.target}", "", options_line(result), "",
             *_md_table(["状態", "件数"], [[k, v] for k, v in zip(COUNT_HEADERS, status_counts(total.counts),
                                                                 strict=True)]
                        + [["評価済み", total.assessed], ["カバー率", pct_text(total)]], right=1),
             "", "### 節ごとの集計", "",
             *_md_table(["部", "節", "名称", *COUNT_HEADERS, "評価済み", "カバー率"], _section_rows(result), right=3),
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
    head = [pad(h, w) for h, w in zip(("状態", "ID", "名称", "対応する既存項目"), widths, strict=True)]
    lines = [f"{result.source} → {result.target}  ({options_line(result)})", " ".join([*head, "説明"]),
             "-" * (sum(widths) + len(widths) + 40)]
    for item in result.items:
        label, sep, rest = item.explanation.partition(": ")
        short = rest if sep and width(label) <= 8 else item.explanation
        cells = (item.status.label_ja, _display(item), item.control.title,
                 ",".join(short_id(s) for s in item.sources))
        lines.append(" ".join([*(pad(t, w) for t, w in zip(cells, widths, strict=True)), clip(short, 60)]).rstrip())
    total = framework_rollup(result)
    counts = " / ".join(f"{k} {v}" for k, v in zip(COUNT_HEADERS, status_counts(total.counts), strict=True))
    lines.append(f"{counts} — カバー率 {pct_text(total)}")
    return "\n".join(lines) + "\n"


def _display(item: CoverageItem) -> str:
    c = item.control
    return c.notation if c.notation.startswith(c.id.split(":", 1)[0]) else c.id


def candidates_markdown(gap: GapResult, *, catalog: Catalog | None = None) -> str:
    """A handover document: counts per framework and section with coverage %, then candidates by priority."""
    from ..queries.candidates import PRIORITY_FORMULA

    first = gap.coverages[0] if gap.coverages else None
    summary = gap_summary(gap)
    lines = [f"# 追加点検項目の候補: {gap.source}", "",
             f"参照基準: {', '.join(gap.against)}({options_line(first)})", "", "## 参照基準ごとの集計", "",
             *_md_table(["参照基準", *COUNT_HEADERS, "評価済み", "カバー率", "候補数"],
                        [[cov.target, *status_counts(cov.counts()), f["assessed"], pct_text(framework_rollup(cov)),
                          f["candidates"]]
                         for cov, f in zip(gap.coverages, summary["frameworks"], strict=True)], right=1),
             "", "## 節ごとの集計", "",
             *_md_table(["参照基準", "部", "節", "名称", *COUNT_HEADERS, "評価済み", "カバー率"],
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
    lines = [f"{gap.source} と参照基準の比較({options_line(first)})",
             " ".join([pad("参照基準", name_w), *(pad(h, 8, ">") for h in heads)])]
    for cov in gap.coverages:
        cells = [str(v) for v in status_counts(cov.counts())] + [pct_text(framework_rollup(cov))]
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

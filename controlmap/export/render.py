"""Results -> DataFrames, records, Markdown, terminal text and HTML tables: the presenter of every result.

:func:`controlmap.results.use_presenter` registers this module when ``controlmap`` is imported, so
``to_frame()``, ``to_records()`` and ``_repr_html_`` of results call it. The HTML tables for Jupyter
live here; the records and frames come from :mod:`controlmap.export.records` and the Markdown and
terminal text from :mod:`controlmap.export.text`, all importable from here too.

>>> import controlmap as cm
>>> html = coverage_html(cm.coverage(cm.load(), source="mic", target="jisq15001"))
>>> html.startswith("<p><strong>mic@2009 → jisq15001@2006</strong>")
True
"""

from __future__ import annotations

import html

from ..results import CoverageResult, GapResult
from .records import (
    CANDIDATE_COLUMNS,
    COUNT_HEADERS,
    COVERAGE_COLUMNS,
    COVERAGE_PCT_NOTE,
    PRIORITY_LEVELS,
    PROVENANCE_NOTE,
    candidate_records,
    candidate_table,
    candidates_frame,
    coverage_document,
    coverage_frame,
    coverage_records,
    coverage_table,
    framework_rollup,
    gap_document,
    gap_summary,
    md_cell,
    options_line,
    pct_text,
    priority_level,
    short_id,
    status_counts,
)
from .text import candidates_markdown, coverage_markdown, coverage_text, gap_summary_text

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

_COLOURS = {"covered": "#dff0d8", "partial": "#fcf8e3", "gap": "#f2dede", "unassessed": "#eeeeee",
            "not_applicable": "#f7f7f7"}
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
    counts = " · ".join(f"{k} {v}" for k, v in zip(COUNT_HEADERS, status_counts(total.counts), strict=True))
    heading = (f"<p><strong>{html.escape(result.source)} → {html.escape(result.target)}</strong>: "
               f"{html.escape(counts)} · カバー率 {html.escape(pct_text(total))} "
               f"<small>({html.escape(options_line(result))})</small></p>")
    rows = [([r["状態"], r["ID"], r["名称"], r["対応する既存項目"], r["説明"], r["出典区分"]], item.status.value)
            for r, item in zip(coverage_table(result), result.items, strict=True)]
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
    rows = [([r[k] for k in columns], c.status.value)
            for r, c in zip(candidate_table(gap), gap.candidates, strict=True)]
    return heading + _html_table(columns, rows)

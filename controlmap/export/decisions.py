"""Write the decisions file, and list its records as a terminal table or a Markdown table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..cycle.decisions_file import dump_decisions
from ..textwidth import pad
from .files import write_text
from .render import md_cell

if TYPE_CHECKING:
    from ..cycle.decisions import Decisions

__all__ = ["DECISIONS_FORMATS", "decisions_markdown", "decisions_table", "write_decisions"]


def write_decisions(decisions: Decisions, path: str | Path) -> Path:
    """Write the decisions file (UTF-8); the previous content is replaced atomically."""
    return write_text(path, dump_decisions(decisions))


def decisions_markdown(records: list[dict], source: str = "") -> str:
    """The records of :func:`controlmap.cycle.adopted.decisions_records` as a Markdown table."""
    lines = ["| ID | 種別 | 項目 | 状態 | 追加項目番号 | 理由 | 確認者 | 日付 |", "|---|---|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(md_cell(r[k]) for k in ("id", "kind", "title", "state_ja", "adopted_id", "reason",
                                                         "reviewer", "date")) + " |" for r in records]
    return "\n".join(lines) + "\n"


def decisions_table(records: list[dict], source: str = "") -> str:
    """The records as aligned terminal text, with a count naming ``source`` (the decisions file)."""
    lines = [f"{pad('ID', 28)} {pad('状態', 8)} {pad('番号', 11)} {pad('項目', 30)} {pad('日付', 10)} 理由"]
    for r in records:
        lines.append(f"{pad(r['id'], 28)} {pad(r['state_ja'], 8)} {pad(r['adopted_id'], 11)} {pad(r['title'], 30)} "
                     f"{pad(r['date'], 10)} {r['reason']}")
    lines.append(f"{len(records)} record(s) in {source}")
    return "\n".join(lines) + "\n"


DECISIONS_FORMATS = {"table": decisions_table, "md": decisions_markdown}

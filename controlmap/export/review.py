"""Write the rejections file of the mapping review (a TSV that no loader counts as mappings)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..cycle.review import REJECTION_COLUMNS, Rejection
from ..io.sssom import PREDICATE_OF
from .files import write_text

__all__ = ["format_rejections", "write_rejections_file"]

_HEADER_COMMENT = ("# controlmap rejected suggestions: pairs a reviewer rejected; `controlmap suggest` never "
                   "proposes them again. Not a mapping file.")


def format_rejections(rows: Iterable[Rejection]) -> str:
    """The rejections file text: a comment, the header, one row per rejection (duplicates dropped)."""
    out = [_HEADER_COMMENT, "\t".join(REJECTION_COLUMNS)]
    seen = set()
    for r in rows:
        if (r.subject_id, r.object_id) in seen:
            continue
        seen.add((r.subject_id, r.object_id))
        cells = (r.subject_id, r.object_id, PREDICATE_OF[r.relation] if r.relation else "", r.reviewer, r.date,
                 r.reason)
        out.append("\t".join(" ".join(str(c).replace("\t", " ").splitlines()) for c in cells))
    return "\n".join(out) + "\n"


def write_rejections_file(path: str | Path, rows: Iterable[Rejection]) -> Path:
    """Write the rejections file holding ``rows`` (UTF-8), replacing it atomically."""
    return write_text(path, format_rejections(rows))

"""Terminal display width of Japanese text (全角 = two columns) for aligned tables."""

from __future__ import annotations

import unicodedata

__all__ = ["clip", "pad", "width"]


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal.

    >>> width("abc"), width("統一基準")
    (3, 8)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, columns: int) -> str:
    """``text`` cut to at most ``columns`` display columns, with … where it was cut."""
    if width(text) <= columns:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > columns - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, columns: int, align: str = "<") -> str:
    """``text`` clipped and padded to exactly ``columns`` display columns.

    >>> pad("統一", 6) + "|"
    '統一  |'
    """
    text = clip(text, columns)
    fill = " " * (columns - width(text))
    return fill + text if align == ">" else text + fill

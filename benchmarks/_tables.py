"""Shared by the benchmark scripts: one Markdown table row per measured figure, a cell per size."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["row_writer"]


def row_writer(lines: list[str], columns: list[dict], missing: str) -> Callable[[str, Callable[[dict], str]], None]:
    """A ``row(label, fn)`` that appends ``| label | fn(col) | ... |`` to ``lines``.

    A column whose figure was not measured (``fn`` raises KeyError or TypeError) shows ``missing``.

    >>> lines = []
    >>> row = row_writer(lines, [{"s": 1.0}, {}], "skipped")
    >>> row("load", lambda c: f"{c['s']:.1f} s")
    >>> lines
    ['| load | 1.0 s | skipped |']
    """
    def row(label: str, fn: Callable[[dict], str]) -> None:
        cells = []
        for column in columns:
            try:
                cells.append(fn(column))
            except (KeyError, TypeError):
                cells.append(missing)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    return row

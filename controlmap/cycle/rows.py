"""What the cycle's parse functions need of a table: the shape of :class:`controlmap.io.table.Table`, as a Protocol.

The cycle does not import :mod:`controlmap.io`; a workflow reads the file and hands the table over.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["TableLike"]


class TableLike(Protocol):
    """Rows of a sheet as dicts keyed by header, each with the row number a person sees."""

    @property
    def file(self) -> str: ...

    @property
    def header(self) -> tuple[str, ...]: ...

    @property
    def rows(self) -> tuple[tuple[int, dict[str, str]], ...]: ...

    @property
    def header_row(self) -> int: ...

    def ref(self, column: str) -> str:
        """How to cite a column in a message."""
        ...

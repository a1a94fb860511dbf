"""One error tree for controlmap; every problem names its file, row and column.

::

    ControlmapError
    ├── DataError            one or more Problems in input files (collected, reported together)
    ├── UnknownFrameworkError  a framework or edition name that is not loaded
    ├── UnknownControlError    a control id that is not loaded
    └── ExportError          an output that cannot be written (unknown format, ...)

A :class:`Problem` is one finding, printed as ``file:row:column: message`` so that editors
and CI logs can jump to it. Parsers collect every Problem of a file before raising, so a
user fixes a whole spreadsheet in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

__all__ = [
    "ControlmapError",
    "DataError",
    "ExportError",
    "Problem",
    "UnknownControlError",
    "UnknownFrameworkError",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding in an input file; ``row`` and ``column`` may be empty when unknown."""

    file: str
    row: int | str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        row = "" if self.row is None else str(self.row)
        column = "" if self.column is None else str(self.column)
        return f"{self.file}:{row}:{column}: {self.message}"


class ControlmapError(Exception):
    """Base class of every error controlmap raises on purpose."""


class DataError(ControlmapError):
    """Input files hold one or more problems; ``problems`` lists them all."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("DataError needs at least one Problem")
        head = f"{len(self.problems)} problem(s) in input data:"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


class UnknownFrameworkError(ControlmapError, KeyError):
    """A framework id or ``id@edition`` that is not in the catalog."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownControlError(ControlmapError, KeyError):
    """A control id that is not in the catalog."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ExportError(ControlmapError):
    """An output cannot be produced (unknown format, missing optional dependency, ...)."""


def raise_if(problems: list[Problem]) -> None:
    """Raise :class:`DataError` when ``problems`` is not empty."""
    if problems:
        raise DataError(problems)

"""One error tree for controlmap; every problem names its file, row and column.

::

    ControlmapError
    ├── DataError            one or more Problems in input files (collected, reported together)
    │   └── UnsupportedFormatError  a file in a format or with a feature controlmap does not read (says why)
    ├── UnknownFrameworkError  a framework or edition name that is not loaded
    ├── UnknownControlError    a control id that is not loaded
    ├── ExportError          an output that cannot be written (unknown format, ...)
    ├── MunicipalityCodeError  not a 全国地方公共団体コード (6 digits, JIS X 0402 check digit)
    ├── StoreError           a knowledge-base store (memory, on disk, SPARQL server) failed
    │   ├── StoreUnavailableError  the server is down or keeps failing (after retries)
    │   ├── StoreTimeoutError      the server is too slow (after retries)
    │   ├── StoreAuthError         the credential is missing, wrong or not allowed to do this
    │   └── StoreRequestError      the server rejected the request (bad data, unsupported ...)
    ├── TransitionError      a committee decision that cannot be made (illegal move, unknown state or id)
    │   └── UnknownDecisionError  a decision id that is not in the decisions file
    ├── ReviewError          a review of suggested mappings that cannot be applied (no reviewer, bad verdict)
    └── UsageError           a command asked for something it cannot do (missing or conflicting options)

A :class:`Problem` is one finding, printed as ``file:row:column: message`` so that editors
and CI logs can jump to it. Parsers collect every Problem of a file before raising, so a
user fixes a whole spreadsheet in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ControlmapError",
    "DataError",
    "ExportError",
    "MunicipalityCodeError",
    "Problem",
    "ReviewError",
    "StoreAuthError",
    "StoreError",
    "StoreRequestError",
    "StoreTimeoutError",
    "StoreUnavailableError",
    "TransitionError",
    "UnknownControlError",
    "UnknownDecisionError",
    "UnknownFrameworkError",
    "UnsupportedFormatError",
    "UsageError",
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


class UnsupportedFormatError(DataError):
    """A valid file of a kind controlmap does not read (OSCAL XML, a profile, literal SSSOM mappings, ...).

    Its problems say what is not supported, why, and what to load instead.
    """


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


class MunicipalityCodeError(ControlmapError, ValueError):
    """Not a 全国地方公共団体コード: six digits whose last is the JIS X 0402 check digit."""


class StoreError(ControlmapError):
    """A knowledge-base store failed; ``url`` names it and ``attempts`` says how often it was tried."""

    def __init__(self, message: str, *, url: str = "", attempts: int = 1):
        self.url = url
        self.attempts = attempts
        super().__init__(message)


class StoreUnavailableError(StoreError):
    """The store cannot be reached (connection refused, 502/503/504) even after retries."""


class StoreTimeoutError(StoreError):
    """The store did not answer within the timeout, even after retries."""


class StoreAuthError(StoreError):
    """The store refused the credential (401) or the credential may not do this (403)."""


class StoreRequestError(StoreError):
    """The store rejected the request itself (malformed data, unsupported format, ...)."""



class TransitionError(ControlmapError, ValueError):
    """A decision cannot move to the state asked for (or names no known state, candidate or proposal)."""


class UnknownDecisionError(TransitionError, KeyError):
    """A decision id that has no record in the decisions file."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ReviewError(ControlmapError, ValueError):
    """A review of suggested mappings cannot be applied: no reviewer, an unknown verdict, a pair not suggested."""


class UsageError(ControlmapError, ValueError):
    """A command or function was asked for something it cannot do: options missing, conflicting or out of range."""

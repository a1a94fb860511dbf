"""One error tree for controlmap; every problem names its file, row and column.

::

    ControlmapError
    ├── DataError            one or more Problems in input files (collected, reported together)
    │   ├── InputLimitError    an input past a size/depth/alias limit, or one that asks for the network
    │   └── UnsupportedFormatError  a file in a format or with a feature controlmap does not read (says why)
    ├── UnknownFrameworkError  a framework or edition name that is not loaded
    ├── UnknownControlError    a control id that is not loaded (also a KeyError)
    ├── UnknownMappingSetError a mapping set id that is not loaded (also a KeyError)
    ├── UsageError           a call or command asked for what it cannot do: an argument out of range, options
    │   │                    missing or conflicting (also a ValueError)
    │   ├── UnknownLabelError      a word that names no member of a closed list (status, relation, ...)
    │   └── QueryParameterError    a SPARQL query parameter missing, unknown or of the wrong type (also a TypeError)
    ├── CrosswalkError       no crosswalk joins two editions, or they are not editions of one framework
    ├── SetupError           the installation lacks a piece (no presenter registered, ...) (also a RuntimeError)
    ├── ExportError          an output that cannot be written (unknown format, ...)
    │   └── OutputIsInputError the output names one of the inputs
    ├── MunicipalityCodeError  not a 全国地方公共団体コード (6 digits, JIS X 0402 check digit)
    ├── StoreError           a knowledge-base store (memory, on disk, SPARQL server) failed
    │   ├── StoreUnavailableError  the server is down or keeps failing (after retries)
    │   ├── StoreTimeoutError      the server is too slow (after retries)
    │   ├── StoreAuthError         the credential is missing, wrong or not allowed to do this
    │   └── StoreRequestError      the server rejected the request (bad data, unsupported ...)
    ├── TransitionError      a committee decision that cannot be made (illegal move, unknown state or id)
    │   └── UnknownDecisionError  a decision id that is not in the decisions file
    └── ReviewError          a review of suggested mappings that cannot be applied (no reviewer, bad verdict)

A :class:`Problem` is one finding, printed as ``file:row:column: message`` so that editors
and CI logs can jump to it. Parsers collect every Problem of a file before raising, so a
user fixes a whole spreadsheet in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ControlmapError",
    "CrosswalkError",
    "DataError",
    "ExportError",
    "InputLimitError",
    "MunicipalityCodeError",
    "OutputIsInputError",
    "Problem",
    "QueryParameterError",
    "ReviewError",
    "SetupError",
    "StoreAuthError",
    "StoreError",
    "StoreRequestError",
    "StoreTimeoutError",
    "StoreUnavailableError",
    "TransitionError",
    "UnknownControlError",
    "UnknownDecisionError",
    "UnknownFrameworkError",
    "UnknownLabelError",
    "UnknownMappingSetError",
    "UnsupportedFormatError",
    "UsageError",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding in an input file; ``row`` and ``column`` may be empty when unknown.

    >>> str(Problem("controls.csv", 4, "title", "empty title"))
    'controls.csv:4:title: empty title'
    """

    file: str
    row: int | str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        row = "" if self.row is None else str(self.row)
        column = "" if self.column is None else str(self.column)
        return f"{self.file}:{row}:{column}: {self.message}"


class ControlmapError(Exception):
    """Base class of every error controlmap raises on purpose.

    >>> import controlmap as cm
    >>> try:
    ...     cm.load().framework("nist")
    ... except cm.ControlmapError as err:
    ...     print(type(err).__name__)
    UnknownFrameworkError
    """


class DataError(ControlmapError):
    """Input files hold one or more problems; ``problems`` lists them all.

    >>> err = DataError([Problem("a.csv", 2, "id", "empty id"), Problem("a.csv", 3, "id", "empty id")])
    >>> len(err.problems), str(err).splitlines()[0]
    (2, '2 problem(s) in input data:')
    """

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
    """A framework id or ``id@edition`` that is not in the catalog (also a KeyError).

    >>> import controlmap as cm
    >>> try:
    ...     cm.load().framework("jisq15001@1999")
    ... except UnknownFrameworkError as err:
    ...     print(err)
    unknown edition 'jisq15001@1999'; jisq15001 has editions: 2006, 2017, 2023
    """

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownControlError(ControlmapError, KeyError):
    """A control id that is not in the catalog (also a KeyError).

    >>> import controlmap as cm
    >>> try:
    ...     cm.load().catalog.control("MIC:MIC-99-99")
    ... except KeyError as err:
    ...     print(err)
    unknown control id 'MIC:MIC-99-99'
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownMappingSetError(ControlmapError, KeyError):
    """A mapping set id that is not in the catalog.

    >>> str(UnknownMappingSetError("unknown mapping set 'x'"))
    "unknown mapping set 'x'"
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UsageError(ControlmapError, ValueError):
    """A command or function was asked for something it cannot do: options missing, conflicting or out of range.

    Also a ValueError: an output format, a rollup key or a strength outside what the call accepts.

    >>> import controlmap as cm
    >>> try:
    ...     cm.coverage(cm.load(), source="mic", target="jisq15001").rollup("chapter")
    ... except UsageError as err:
    ...     print(err)
    rollup by 'part' or 'section', not 'chapter'
    """


class UnknownLabelError(UsageError):
    """A word that names no member of a closed list (a status, relation, answer, decision state, ...).

    >>> from controlmap.results import Status
    >>> try:
    ...     Status.parse("maybe")
    ... except UnknownLabelError as err:
    ...     print(str(err).split(";")[0])
    unknown Status 'maybe'
    """


class QueryParameterError(UsageError, TypeError):
    """A SPARQL query parameter that is missing, not expected, or of the wrong type (also a TypeError).

    >>> from controlmap.queries.sparql_runner import prepare
    >>> try:
    ...     prepare("gaps", source="urn:a", target="urn:b")
    ... except QueryParameterError as err:
    ...     print(str(err).split("; ", 1)[1])
    missing: minStrength; unknown: -
    """


class CrosswalkError(ControlmapError):
    """No crosswalk joins two editions, or the two are not editions of one framework.

    >>> import controlmap as cm
    >>> try:
    ...     cm.diff_editions(cm.load().catalog, "mic", "jisq15001")
    ... except CrosswalkError as err:
    ...     print(err)
    mic@2009 and jisq15001@2006 are not two editions of one framework
    """


class SetupError(ControlmapError, RuntimeError):
    """The installation lacks a piece controlmap needs (no presenter registered, a dependency without its assets).

    >>> issubclass(SetupError, RuntimeError), issubclass(SetupError, ControlmapError)
    (True, True)
    """


class ExportError(ControlmapError):
    """An output cannot be produced (unknown format, missing optional dependency, a symbolic link in the way, ...).

    >>> from controlmap.export.files import write_text
    >>> try:
    ...     write_text(".", "x")
    ... except ExportError as err:
    ...     print(err)
    .: is a folder; give a file name
    """


class MunicipalityCodeError(ControlmapError, ValueError):
    """Not a 全国地方公共団体コード: six digits whose last is the JIS X 0402 check digit (also a ValueError).

    >>> from controlmap.municipality import municipality_code
    >>> try:
    ...     municipality_code("131157")
    ... except MunicipalityCodeError:
    ...     print("refused")
    refused
    """


class StoreError(ControlmapError):
    """A knowledge-base store failed; ``url`` names it and ``attempts`` says how often it was tried.

    >>> err = StoreError("no answer", url="https://kb.example.lg.jp", attempts=3)
    >>> err.url, err.attempts, str(err)
    ('https://kb.example.lg.jp', 3, 'no answer')
    """

    def __init__(self, message: str, *, url: str = "", attempts: int = 1):
        self.url = url
        self.attempts = attempts
        super().__init__(message)


class StoreUnavailableError(StoreError):
    """The store cannot be reached (connection refused, 502/503/504) even after retries.

    >>> isinstance(StoreUnavailableError("down", url="https://kb", attempts=4), StoreError)
    True
    """


class StoreTimeoutError(StoreError):
    """The store did not answer within the timeout, even after retries.

    >>> StoreTimeoutError("slow", attempts=3).attempts
    3
    """


class StoreAuthError(StoreError):
    """The store refused the credential (401) or the credential may not do this (403).

    >>> StoreAuthError("401 Unauthorized", url="https://kb").url
    'https://kb'
    """


class StoreRequestError(StoreError):
    """The store rejected the request itself (malformed data, unsupported format, ...).

    >>> from controlmap.store import open_store
    >>> try:
    ...     open_store().select("NOT SPARQL")
    ... except StoreRequestError as err:
    ...     print(str(err)[:19])
    SPARQL query failed
    """


class TransitionError(ControlmapError, ValueError):
    """A decision cannot move to the state asked for (or names no known state, candidate or proposal)."""


class UnknownDecisionError(TransitionError, KeyError):
    """A decision id that has no record in the decisions file."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ReviewError(ControlmapError, ValueError):
    """A review of suggested mappings cannot be applied: no reviewer, an unknown verdict, a pair not suggested."""


class InputLimitError(DataError):
    """An input goes past a limit that keeps a malicious file from crashing or starving controlmap
    (size, nesting depth, YAML aliases, uncompressed XLSX size, cell length) or asks for the network
    (a remote JSON-LD context)."""


class OutputIsInputError(ExportError):
    """The output file named is also one of the command's inputs; writing it would destroy the input."""

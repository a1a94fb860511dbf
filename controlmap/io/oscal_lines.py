"""YAML read with the line of every JSON pointer, and the findings (problems, notes) that name those lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import DataError, Problem
from .safe_yaml import compose_yaml

__all__ = ["Findings", "line_of", "parse_yaml_with_lines"]


def parse_yaml_with_lines(text: str, file: str) -> tuple[Any, dict[str, int]]:
    """YAML text as Python data plus ``{json pointer: line}`` for every mapping and sequence item.

    Examples
    --------
    >>> parse_yaml_with_lines("a:\\n  - x\\n  - y/z: 1\\n", "f.yaml")
    ({'a': ['x', {'y/z': 1}]}, {'': 1, '/a': 2, '/a/0': 2, '/a/1': 3, '/a/1/y~1z': 3})
    """
    data, node = compose_yaml(text, file)  # io/safe_yaml.py: aliases, expansion and depth limited
    lines: dict[str, int] = {}

    def walk(n: yaml.Node | None, pointer: str) -> None:
        if n is None:
            return
        lines[pointer] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                walk(value, f"{pointer}/{_escape(str(key.value))}")
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, f"{pointer}/{i}")

    walk(node, "")
    return data, lines


def line_of(lines: dict[str, int], pointer: str) -> int | None:
    """The line of ``pointer``, or of its nearest ancestor present in ``lines`` (None for JSON input).

    Examples
    --------
    >>> line_of({"": 1, "/a": 4}, "/a/0/b"), line_of({}, "/a")
    (4, None)
    """
    while pointer:
        if pointer in lines:
            return lines[pointer]
        pointer = pointer.rsplit("/", 1)[0]
    return lines.get("")


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


@dataclass
class Findings:
    """What parsing one document found: problems naming file, line and pointer, and counted import notes.

    Examples
    --------
    >>> found = Findings("lib.yaml", {"/objects": 3})
    >>> found.bad("/objects/x", "wrong"); found.note("extras"); found.note("extras", 2)
    >>> str(found.problems[0]), found.note_lines()
    ('lib.yaml:3:/objects/x: wrong', ('extras: 3',))
    """

    file: str
    lines: dict[str, int]
    problems: list[Problem] = field(default_factory=list)
    notes: dict[str, int] = field(default_factory=dict)

    def bad(self, pointer: str, message: str) -> None:
        """Record a problem at ``pointer`` (the whole document when empty)."""
        self.problems.append(Problem(self.file, line_of(self.lines, pointer), pointer or "/", message))

    def note(self, what: str, n: int = 1) -> None:
        """Count ``n`` more of something the document holds that is not carried over as is."""
        self.notes[what] = self.notes.get(what, 0) + n

    def raise_any(self) -> None:
        """Raise every problem found so far together, as one DataError."""
        if self.problems:
            raise DataError(self.problems)

    def note_lines(self) -> tuple[str, ...]:
        """The notes as ``what: count`` lines, sorted."""
        return tuple(f"{what}: {n}" for what, n in sorted(self.notes.items()))

"""YAML read with the line of every JSON pointer, and the findings (problems, notes, shape checks) naming them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from ..errors import DataError, Problem
from .safe_yaml import compose_yaml

__all__ = ["Findings", "kind_of", "line_of", "parse_yaml_with_lines"]


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


def kind_of(value: Any, mapping: str = "an object") -> str:
    """What a value is, as a message says it: ``the number 5``, ``a list``, ``true`` ...

    Examples
    --------
    >>> kind_of(5), kind_of("x" * 50)[:14], kind_of([1]), kind_of({}, "a mapping"), kind_of(False), kind_of(None)
    ('the number 5', "the text 'xxxx", 'a list', 'a mapping', 'false', 'null')
    """
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    return "a list" if isinstance(value, list) else mapping if isinstance(value, dict) else type(value).__name__


def _name(pointer: str) -> str:
    return pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


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
    mapping: str = "an object"     # what the format calls a mapping in messages (CISO Assistant: "a mapping")

    def bad(self, pointer: str, message: str) -> None:
        """Record a problem at ``pointer`` (the whole document when empty)."""
        self.problems.append(Problem(self.file, line_of(self.lines, pointer), pointer or "/", message))

    def expect(self, value: Any, pointer: str, types: type | tuple[type, ...], expected: str) -> bool:
        """True when ``value`` is one of ``types`` (true/false only if ``bool`` is named); else a problem
        ``<member> must be <expected>, not <what it is>`` at ``pointer``.

        Examples
        --------
        >>> found = Findings("c.json", {})
        >>> found.expect(5, "/catalog/props", list, "a list"), found.expect(True, "/x/depth", int, "a whole number")
        (False, False)
        >>> [p.message for p in found.problems]
        ['props must be a list, not the number 5', 'depth must be a whole number, not true']
        """
        wanted = types if isinstance(types, tuple) else (types,)
        if isinstance(value, wanted) and (bool in wanted or not isinstance(value, bool)):
            return True
        self.bad(pointer, f"{_name(pointer)} must be {expected}, not {kind_of(value, self.mapping)}")
        return False

    def listed(self, obj: dict, key: str, pointer: str) -> list:
        """``obj[key]`` as a list: ``[]`` when absent (null), and a problem at ``pointer/key`` when not a list."""
        value = obj.get(key)
        return value if value is not None and self.expect(value, f"{pointer}/{key}", list, "a list") else []

    def members(self, obj: dict, key: str, pointer: str, what: str) -> Iterator[tuple[str, dict]]:
        """``(pointer, item)`` of each mapping in the list ``obj[key]``; a non-list, and each item that is not a
        mapping (``what`` names one), is a problem.

        Examples
        --------
        >>> found = Findings("c.json", {})
        >>> [p for p, _ in found.members({"props": [{"name": "a"}, 5]}, "props", "/c", "a prop")]
        ['/c/props/0']
        >>> [str(p) for p in found.problems]
        ['c.json::/c/props/1: a prop must be an object, not the number 5']
        """
        for i, item in enumerate(self.listed(obj, key, pointer)):
            if isinstance(item, dict):
                yield f"{pointer}/{key}/{i}", item
            else:
                self.bad(f"{pointer}/{key}/{i}", f"{what} must be {self.mapping}, not {kind_of(item, self.mapping)}")

    def text(self, obj: dict, key: str, pointer: str, *, numbers: bool = True) -> str:
        """``obj[key]`` as text (``""`` when absent); a list, mapping or true/false there is a problem, and so
        is a number or date when ``numbers`` is false (an id YAML read as ``1.1`` may have been written ``1.10``)."""
        value = obj.get(key)
        types = (str, int, float, date) if numbers else str
        if value is None or not self.expect(value, f"{pointer}/{key}", types, "text" if numbers else "quoted text"):
            return ""
        return str(value)

    def needed(self, obj: dict, key: str, pointer: str, message: str, *, numbers: bool = True) -> str:
        """``obj[key]`` as text, like :meth:`text`; when it is absent or empty, ``message`` is the problem.

        Examples
        --------
        >>> found = Findings("lib.yaml", {})
        >>> found.needed({"urn": 5}, "urn", "/n", "a node needs a urn", numbers=False)
        ''
        >>> found.needed({}, "urn", "/m", "a node needs a urn")
        ''
        >>> [p.message for p in found.problems]
        ['urn must be quoted text, not the number 5', 'a node needs a urn']
        """
        before = len(self.problems)
        value = self.text(obj, key, pointer, numbers=numbers)
        if not value and len(self.problems) == before:
            self.bad(f"{pointer}/{key}", message)
        return value

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

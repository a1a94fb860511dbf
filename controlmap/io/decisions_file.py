"""The decisions file's YAML: parsed within the limits of :mod:`controlmap.io.safe_yaml`, each record with its line.

:func:`decisions_document` is pure (text in, raw records out); :func:`read_decisions_document` opens the
file. :func:`controlmap.cycle.decisions_file.decisions_from_records` turns the records into decisions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, Problem
from .limits import read_text

if TYPE_CHECKING:
    import yaml

__all__ = ["decisions_document", "read_decisions_document"]


def decisions_document(text: str, file: str) -> tuple[list[object], list[int]]:
    """The records of the ``decisions:`` list and the line each starts at; a broken file names its line.

    >>> decisions_document("version: 1\\ndecisions:\\n- id: a\\n- id: b\\n", "decisions.yaml")
    ([{'id': 'a'}, {'id': 'b'}], [3, 4])
    >>> decisions_document("decisions: {a: 1}\\n", "decisions.yaml")
    Traceback (most recent call last):
    ...
    controlmap.errors.DataError: 1 problem(s) in input data:
    decisions.yaml:1:: expected a mapping with a list 'decisions:'
    """
    from .safe_yaml import compose_yaml  # PyYAML only when a decisions file is read, not for every command

    doc, node = compose_yaml(text, file)
    doc = doc or {}
    if not isinstance(doc, dict) or not isinstance(doc.get("decisions", []), list):
        raise DataError([Problem(file, 1, None, "expected a mapping with a list 'decisions:'")])
    return list(doc.get("decisions") or []), _record_lines(node)


def _record_lines(node: yaml.Node | None) -> list[int]:
    """Line numbers of the items of the ``decisions`` list, for problem messages."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value == "decisions" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def read_decisions_document(path: str | Path) -> tuple[list[object], list[int]]:
    """The records of the decisions file at ``path`` (UTF-8 or cp932, size-limited) and their lines."""
    return decisions_document(read_text(path), str(path))

"""The one way controlmap parses YAML: safe tags only, with limits on aliases, their expansion and nesting.

PyYAML's ``safe_load`` builds no Python objects beyond plain data, but it follows every alias: a
451-byte "billion laughs" file expands to hundreds of millions of nodes once anything walks it, and
a few thousand nested ``[`` raise ``RecursionError``. :func:`load_yaml` refuses both with an
:class:`~controlmap.errors.InputLimitError` naming the line and column.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import DataError, InputLimitError, Problem
from .limits import MAX_DEPTH

__all__ = ["MAX_YAML_ALIASES", "MAX_YAML_NODES", "compose_yaml", "load_yaml"]

MAX_YAML_ALIASES = 1_000
"""Most alias uses (``*name``) in one document; real framework files use none or a few."""
MAX_YAML_NODES = 1_000_000
"""Most nodes the document holds once every alias is expanded."""


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader that counts aliases and nesting while it composes the node graph."""

    def __init__(self, stream: str, file: str):
        super().__init__(stream)
        self.file = file
        self.aliases = 0
        self.depth = 0

    def _refuse(self, message: str) -> InputLimitError:
        mark = self.peek_event().start_mark
        return InputLimitError([Problem(self.file, mark.line + 1, str(mark.column + 1), message)])

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                raise self._refuse(f"more than {MAX_YAML_ALIASES:,} aliases (*name); controlmap does not "
                                   "expand that many")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._refuse(f"mappings and lists nest deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _expanded_size(root: yaml.Node, file: str) -> int:
    """How many nodes the document has with every alias expanded (memoised, no recursion)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if children_done or not children:
            total = 1 + sum(sizes.get(id(c), 1) for c in children)
            if total > MAX_YAML_NODES:
                mark = node.start_mark
                raise InputLimitError([Problem(file, mark.line + 1, str(mark.column + 1),
                                               f"aliases expand the document past {MAX_YAML_NODES:,} nodes "
                                               "(a 'billion laughs' file?)")])
            sizes[id(node)] = total
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def _syntax_error(err: yaml.YAMLError, file: str) -> DataError:
    mark = getattr(err, "problem_mark", None)
    return DataError([Problem(file, mark.line + 1 if mark else None, str(mark.column + 1) if mark else None,
                              f"invalid YAML: {getattr(err, 'problem', None) or err}")])


def compose_yaml(text: str, file: str) -> tuple[Any, yaml.Node | None]:
    """YAML text as plain Python data and its node graph (for line numbers); limits as :func:`load_yaml`."""
    try:
        loader = _LimitedLoader(text, file)  # the reader already refuses NUL and other non-printable characters
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        column = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        raise DataError([Problem(file, line, str(column), f"invalid YAML: {err.reason}")]) from err
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _expanded_size(node, file)
        return loader.construct_document(node), node
    except yaml.YAMLError as err:
        raise _syntax_error(err, file) from err
    except RecursionError as err:  # pragma: no cover - the depth limit stops this first
        raise InputLimitError([Problem(file, None, None, "mappings and lists nest too deep")]) from err
    finally:
        loader.dispose()


def load_yaml(text: str, file: str) -> Any:
    """Parse YAML text like ``yaml.safe_load``; a syntax error names its line and column, a bomb is refused.

    >>> load_yaml("id: MIC\\nlevels: [a, b]\\n", "framework.yaml")
    {'id': 'MIC', 'levels': ['a', 'b']}
    >>> bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\\n" + "".join(
    ...     f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\\n" for p, c in zip("abcdefg", "bcdefgh"))
    >>> load_yaml(bomb, "framework.yaml")
    Traceback (most recent call last):
    ...
    controlmap.errors.InputLimitError: 1 problem(s) in input data:
    framework.yaml:...: aliases expand the document past 1,000,000 nodes (a 'billion laughs' file?)
    """
    return compose_yaml(text, file)[0]

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


def _check_nodes(root: yaml.Node, file: str, first_line: int = 1) -> None:
    """Nesting depth, alias uses and expanded size of a composed document, checked without recursion.

    An alias is composed as a second reference to the node it names, so every reference to a node
    already reached is one alias use; the expanded size counts each reference's whole subtree again.
    """
    def refuse(node: yaml.Node, message: str) -> InputLimitError:
        mark = node.start_mark
        return InputLimitError([Problem(file, mark.line + first_line, str(mark.column + 1), message)])

    def children(node: yaml.Node) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.MappingNode):
            return [n for pair in node.value for n in pair]
        return []

    depth: dict[int, int] = {id(root): 1}
    order: list[yaml.Node] = []
    aliases = 0
    stack = [root]
    while stack:  # depth-first: each node once, with the depth it was first reached at
        node = stack.pop()
        order.append(node)
        if depth[id(node)] > MAX_DEPTH:
            raise refuse(node, f"mappings and lists nest deeper than {MAX_DEPTH} levels")
        for child in children(node):
            if id(child) in depth:
                aliases += 1
                if aliases > MAX_YAML_ALIASES:
                    raise refuse(child, f"more than {MAX_YAML_ALIASES:,} aliases (*name); controlmap does not "
                                 "expand that many")
                continue
            depth[id(child)] = depth[id(node)] + 1
            stack.append(child)
    sizes: dict[int, int] = {}
    for node in reversed(order):  # children before parents (an alias never names an enclosing node)
        total = 1 + sum(sizes.get(id(c), 1) for c in children(node))
        if total > MAX_YAML_NODES:
            raise refuse(node, f"aliases expand the document past {MAX_YAML_NODES:,} nodes (a 'billion laughs' file?)")
        sizes[id(node)] = total


def _syntax_error(err: yaml.YAMLError, file: str, first_line: int = 1) -> DataError:
    mark = getattr(err, "problem_mark", None)
    line = mark.line + first_line if mark else None
    if "maximum nesting depth" in str(getattr(err, "problem", "")):  # libyaml's own limit (1000 levels)
        return InputLimitError([Problem(file, line, str(mark.column + 1) if mark else None,
                                        f"mappings and lists nest deeper than {MAX_DEPTH} levels")])
    return DataError([Problem(file, line, str(mark.column + 1) if mark else None,
                              f"invalid YAML: {getattr(err, 'problem', None) or err}")])


def compose_yaml(text: str, file: str, first_line: int = 1) -> tuple[Any, yaml.Node | None]:
    """YAML text as plain Python data and its node graph (for line numbers); limits as :func:`load_yaml`.

    ``first_line`` is the line of the file the text starts at (YAML embedded in another file), for messages.

    Uses libyaml's CSafeLoader when PyYAML has it (fast, and libyaml stops nesting at its own limit), else
    the pure-Python SafeLoader (its recursion is caught). The node graph is checked before any data is built.
    """
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as err:  # the pure-Python reader refuses NUL and the like at once
        line = text.count("\n", 0, err.position) + first_line
        column = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        raise DataError([Problem(file, line, str(column), f"invalid YAML: {err.reason}")]) from err
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_nodes(node, file, first_line)
        return loader.construct_document(node), node
    except yaml.YAMLError as err:
        raise _syntax_error(err, file, first_line) from err
    except RecursionError as err:
        raise InputLimitError([Problem(file, None, None,
                                       f"mappings and lists nest deeper than {MAX_DEPTH} levels")]) from err
    finally:
        loader.dispose()


def load_yaml(text: str, file: str, first_line: int = 1) -> Any:
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
    return compose_yaml(text, file, first_line)[0]

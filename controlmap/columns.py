"""Mapping rows held as columns, and the ``MappingSet.mappings`` field that makes Mapping objects only when read.

A reader of a large SSSOM file fills :class:`MappingColumns` (one list per field of ``model.Mapping``)
instead of making one frozen object per row; the engine's index and the explanations' row index read the
columns, and ``MappingSet.mappings`` turns them into Mapping objects on first read (for a result that shows
rows, a writer, an equality test). This module does not import ``model``: the field is given the class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

__all__ = ["LazyRows", "MappingColumns"]


@dataclass(frozen=True, slots=True)
class MappingColumns:
    """Mapping rows as columns: ``data`` maps every Mapping field but ``origin`` to one value per row.

    ``origin`` is ``data["origin"]`` when given, else ``file:line`` from ``file`` and ``lines``. ``in_order``
    says the rows are known to be in ``Mapping.sort_key`` order already.
    """

    data: dict[str, list]
    file: str = ""
    lines: list[int] = field(default_factory=list)
    in_order: bool = False

    def __len__(self) -> int:
        return len(self.data["subject_id"])

    def column(self, name: str) -> list:
        """One field's values in row order (``origin`` included)."""
        if name == "origin" and "origin" not in self.data:
            return [f"{self.file}:{n}" for n in self.lines]
        return self.data[name]

    def sorted(self) -> MappingColumns:
        """The rows in ``Mapping.sort_key`` order (subject, object, relation, group; stable)."""
        d, n = self.data, len(self)
        if self.in_order or n < 2:
            return self if self.in_order else MappingColumns(d, self.file, self.lines, True)
        # the row number last: equal keys keep file order, as a stable sort by key would
        keyed = sorted(zip(d["subject_id"], d["object_id"], d["relation"], d["group"], range(n), strict=True))
        order = list(map(itemgetter(4), keyed))
        if order == list(range(n)):
            return MappingColumns(d, self.file, self.lines, True)
        pick = itemgetter(*order)
        return MappingColumns({k: list(pick(v)) for k, v in d.items()}, self.file,
                              list(pick(self.lines)) if self.lines else [], True)


class LazyRows:
    """``MappingSet.mappings``: Mapping objects sorted once, or columns sorted and made into objects on read.

    Stored in the instance ``__dict__`` as ``_rows`` (the tuple, or None until made) and ``_columns``.
    """

    def __init__(self, mapping_class: Any) -> None:
        self.make = mapping_class
        self.fields = tuple(mapping_class.__dataclass_fields__)

    def __get__(self, ms: Any, owner: type | None = None) -> tuple:
        if ms is None:
            return ()
        rows = ms.__dict__["_rows"]
        if rows is None:
            cols = ms.__dict__["_columns"]
            rows = ms.__dict__["_rows"] = tuple(map(self.make, *(cols.column(f) for f in self.fields)))
        return rows

    def __set__(self, ms: Any, value: Any) -> None:
        if isinstance(value, MappingColumns):
            ms.__dict__.update(_columns=value.sorted(), _rows=None)
        else:
            ms.__dict__.update(_columns=None, _rows=tuple(sorted(value, key=self.make.sort_key)))

    def columns(self, ms: Any) -> MappingColumns:
        """The set's rows as columns (made from its Mapping objects once, when it was given those)."""
        cols = ms.__dict__["_columns"]
        if cols is None:
            rows = ms.__dict__["_rows"]
            cols = ms.__dict__["_columns"] = MappingColumns({f: [getattr(m, f) for m in rows] for f in self.fields})
        return cols

    def size(self, ms: Any) -> int:
        rows = ms.__dict__["_rows"]
        return len(rows) if rows is not None else len(ms.__dict__["_columns"])

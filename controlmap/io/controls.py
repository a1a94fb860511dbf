"""Turn tabular records into Controls: column mapping, checks, and every problem collected."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping as TMapping
from dataclasses import dataclass, field

from ..errors import DataError, Problem
from ..model import ANSWER_WORDS, Answer, Control, Framework, Provenance, SelfCheckStatus, parse_answer
from ..normalize import norm, norm_id
from .table import Table

__all__ = ["ANSWER_WORDS", "FIELDS", "Columns", "parse_answer", "parse_controls"]

FIELDS = ("id", "parent", "level", "title", "summary", "source_ref", "provenance", "text", "answer")
REQUIRED = ("id", "title")
_TAG = re.compile(r"\s*\[(R|I)\]\s*$")
_INNER_SPACE = re.compile(r"\S\s+\S")  # white space (also 全角) between two characters of an id

@dataclass(frozen=True)
class Columns:
    """Which header holds each field; the shipped format uses the field names themselves."""

    names: TMapping[str, str] = field(default_factory=lambda: {f: f for f in FIELDS})
    default_level: str = "item"
    default_provenance: Provenance | None = None
    required: frozenset[str] = frozenset(REQUIRED)

    def header_for(self, name: str) -> str | None:
        return self.names.get(name)


def parse_controls(
    table: Table, framework: Framework, columns: Columns | None = None
) -> tuple[list[Control], list[Answer]]:
    """Controls (and any self-check answers) of one framework edition from a table.

    Every problem of the table is collected and raised together as one DataError.
    Ids may be written with or without the edition prefix and in 全角; they are stored
    as ``prefix:local`` with the local part in NFKC, while titles keep what was written.
    """
    reader = _Reader(table, framework, columns or Columns())
    reader.check_header()
    if reader.problems:
        raise DataError(reader.problems)
    local_rows = reader.rows_with_ids()
    parents = {local: parent for _, local, parent, _ in local_rows}
    controls: list[Control] = []
    answers: list[Answer] = []
    for order, (row, local, parent, values) in enumerate(local_rows, start=1):
        controls.append(reader.control(order, row, local, parent, values, parents))
        answer = reader.answer(row, local, values)
        if answer is not None:
            answers.append(answer)
    if reader.problems:
        raise DataError(reader.problems)
    return controls, answers


@dataclass
class _Reader:
    """One table being read as controls of ``framework``; every problem found goes to ``problems``."""

    table: Table
    framework: Framework
    cols: Columns
    problems: list[Problem] = field(default_factory=list)

    def cell(self, values: dict[str, str], name: str) -> str:
        header_name = self.cols.header_for(name)
        return values.get(header_name, "") if header_name else ""

    def problem(self, row: int, name: str, message: str) -> None:
        """A problem in the cell of field ``name`` on ``row``."""
        self.problems.append(Problem(self.table.file, row, self.table.ref(self.cols.header_for(name) or name), message))

    def check_header(self) -> None:
        table, header = self.table, set(self.table.header)
        for name in FIELDS:
            wanted = self.cols.header_for(name)
            if wanted is None or wanted in header or name not in self.cols.required:
                continue
            hint = difflib.get_close_matches(wanted, list(header), n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            self.problems.append(Problem(table.file, table.header_row, wanted,
                                         f"missing column {wanted!r} for {name}{extra}; the header has: "
                                         + ", ".join(table.header)))

    def rows_with_ids(self) -> list[tuple[int, str, str, dict[str, str]]]:
        """(row, local id, local parent id, cells) of every row with a usable, unique id."""
        seen: dict[str, int] = {}
        out: list[tuple[int, str, str, dict[str, str]]] = []
        prefix = self.framework.prefix
        for row, values in self.table.rows:
            raw_id = self.cell(values, "id")
            local = _local(raw_id, prefix)
            if not local:
                self.problem(row, "id", "empty id")
                continue
            spaced = [name for name in ("id", "parent") if _INNER_SPACE.search(self.cell(values, name))]
            for name in spaced:
                self.problem(row, name, f"{name} {self.cell(values, name).strip()!r} has a space inside; ids are "
                             "shown as written, so controlmap would not silently drop it: remove the space or use '-'")
            if spaced:
                continue
            if local in seen:
                self.problem(row, "id", f"duplicate id {raw_id.strip()!r} (first on row {seen[local]})")
                continue
            seen[local] = row
            out.append((row, local, _local(self.cell(values, "parent"), prefix), values))
        return out

    def control(self, order: int, row: int, local: str, parent: str, values: dict[str, str],
                parents: dict[str, str]) -> Control:
        framework, cell = self.framework, self.cell
        title = cell(values, "title")
        if not title.strip():
            self.problem(row, "title", "empty title")
        if parent and parent not in parents:
            self.problem(row, "parent", f"unknown parent {parent!r}")
        elif parent and _in_cycle(local, parents):
            self.problem(row, "parent", f"hierarchy cycle through {local!r}")
        level = norm(cell(values, "level")) or self.cols.default_level
        if framework.levels and level not in framework.levels:
            self.problem(row, "level", f"unknown level {level!r}; this edition uses: {', '.join(framework.levels)}")
        source_ref = cell(values, "source_ref").strip()
        provenance, prov_problem = _provenance(cell(values, "provenance"), source_ref, self.cols.default_provenance)
        if prov_problem:
            self.problem(row, "provenance", prov_problem)
        return Control(
            id=f"{framework.prefix}:{local}",
            framework=framework.key,
            notation=local,
            parent=f"{framework.prefix}:{parent}" if parent else None,
            level=level,
            title=title.strip(),
            summary=cell(values, "summary").strip(),
            source_ref=_TAG.sub("", source_ref),
            provenance=provenance or Provenance.RECONSTRUCTED,
            text=cell(values, "text").strip(),
            order=order,
            origin=f"{self.table.file}:{row}",
        )

    def answer(self, row: int, local: str, values: dict[str, str]) -> Answer | None:
        raw_answer = self.cell(values, "answer")
        if not raw_answer.strip():
            return None
        status = parse_answer(raw_answer)
        if status is None:
            self.problem(row, "answer", f"unknown answer {raw_answer.strip()!r}; use one of: "
                         + " / ".join(s.value for s in SelfCheckStatus))
            return None
        return Answer(f"{self.framework.prefix}:{local}", status, origin=f"{self.table.file}:{row}")


def _local(raw: str, prefix: str) -> str:
    """The local part of an id written with or without ``prefix:``, in NFKC."""
    value = norm_id(raw)
    head = norm_id(prefix) + ":"
    return value[len(head):] if value.startswith(head) else value


def _in_cycle(start: str, parents: dict[str, str]) -> bool:
    seen = {start}
    current = parents.get(start)
    while current:
        if current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def _provenance(raw: str, source_ref: str, default: Provenance | None) -> tuple[Provenance | None, str]:
    value = norm(raw).upper().strip("[]")
    tag = _TAG.search(source_ref)
    if value:
        if value not in ("R", "I"):
            return None, f"provenance must be R (read in a source) or I (reconstructed), not {raw!r}"
        if tag and tag.group(1) != value:
            return None, f"provenance {value} contradicts the tag [{tag.group(1)}] in source_ref"
        return Provenance(value), ""
    if tag:
        return Provenance(tag.group(1)), ""
    if default is not None:
        return default, ""
    return None, "no provenance: give R or I in the provenance column or end source_ref with [R] or [I]"

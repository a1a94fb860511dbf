"""The columnar path of the SSSOM TSV reader: a plain file becomes MappingColumns, each distinct cell checked once.

``plain_columns`` splits the body in one go and checks every column by its distinct values; it gives exactly
the rows (as columns) that ``sssom_rows.plain_mapping`` / ``sssom._mapping`` would make, one by one, of the
same file. Any doubt about any row (a quoted cell, a line of another width, a blank or ``#`` line, a cell
with spaces around it, any value ``plain_mapping`` does not take) returns None, and the reader then reads
the file row by row, with every check and every named problem.
"""

from __future__ import annotations

from functools import cache
from itertools import repeat

import numpy as np

from ..columns import MappingColumns
from ..model import NO_TERM, Relation
from .sssom_rows import _FULL_PATH, _NATIVE, _NO_MAPPING, _TAGS, _in_range, _predicate
from .sssom_slots import JUSTIFICATIONS, PREDICATE_OF, strength_for
from .sssom_text import SssomTable

__all__ = ["plain_columns"]

_IRI = ("http://", "https://")
#: Mapping field <- column, for the text fields taken as they are
_TEXT = {"author": "author_label", "reviewer": "reviewer_label", "date": "mapping_date", "comment": "comment",
         "change_type": "change_type"}


class _Doubt(Exception):
    """A value the columnar path does not take: the file is read row by row."""


def _parsed(values: list[str], parse) -> dict:
    """{distinct value: parse(value)}; _Doubt when one fails."""
    try:
        return {v: parse(v) for v in set(values)}
    except (ValueError, TypeError) as err:
        raise _Doubt from err


@cache
def _strength(relation: Relation, confidence: float) -> int:
    return strength_for(relation, confidence)


def _split(table: SssomTable) -> dict[str, list[str]]:
    """{column: cells} of an unquoted body whose every line has the header's width; _Doubt otherwise."""
    body, width = table.body, len(table.header)
    if body is None or not body:
        raise _Doubt
    if set(map(str.count, body, repeat("\t"))) != {width - 1} or any(map(str.startswith, body, repeat("#"))):
        raise _Doubt
    flat = "\t".join(body).split("\t")
    cols = {name: flat[i::width] for i, name in enumerate(table.header)}
    for values in cols.values():  # a cell with whitespace around it (str.strip would change it)
        distinct = list(set(values))
        if list(map(str.strip, distinct)) != distinct:
            raise _Doubt
    return cols


def plain_columns(table: SssomTable, file: str, default_justification: str
                  ) -> tuple[MappingColumns, dict[str, tuple[str, str]], dict[str, str]] | None:
    """(rows as columns, claimed provenance by origin, labels) of a plain file, or None to read it row by row."""
    try:
        return _columns(table, file, default_justification)
    except _Doubt:
        return None


def _columns(table: SssomTable, file: str, default_justification: str
             ) -> tuple[MappingColumns, dict[str, tuple[str, str]], dict[str, str]]:
    """The body of :func:`plain_columns` (80 lines: one check per slot, as ``plain_mapping`` makes them)."""
    cols = _split(table)
    n = len(next(iter(cols.values())))
    blank = [""] * n
    col = lambda name: cols.get(name, blank)  # noqa: E731 - a missing column reads as empty cells
    if any(set(col(c)) - {""} for c in _FULL_PATH):
        raise _Doubt
    if any(not set(col(c)) <= _TAGS.keys() for c in ("mapping_provenance", "subject_provenance",
                                                     "object_provenance")):
        raise _Doubt
    subject, obj = col("subject_id"), col("object_id")
    ids = set(subject) | set(obj)
    joined = "\n" + "\n".join(ids)
    if "" in ids or _NO_MAPPING in ids or "|" in joined or "\nhttp://" in joined or "\nhttps://" in joined:
        raise _Doubt
    no_term = np.zeros(n, bool)
    if NO_TERM in subject or NO_TERM in obj:
        s_none, o_none = np.array(subject, object) == NO_TERM, np.array(obj, object) == NO_TERM
        if (s_none & o_none).any():
            raise _Doubt
        no_term = s_none | o_none
    predicates = col("predicate_id")
    relation_of = {p: rel for p, (rel, _) in _parsed(predicates, _predicate).items()}
    relation = list(map(relation_of.__getitem__, predicates))
    none_rows = np.flatnonzero(no_term).tolist()
    for i in none_rows:
        relation[i] = Relation.NO_RELATIONSHIP
    justification = col("mapping_justification")
    if "" in justification:
        justification = [v or default_justification for v in justification]
    if not set(justification) <= JUSTIFICATIONS:
        raise _Doubt
    conf_of = _parsed(col("confidence"), lambda r: 1.0 if r == "" else _in_range(0.0, 1.0, float)(r))
    confidence = list(map(conf_of.__getitem__, col("confidence")))
    raw_strength = col("strength")
    strength_of = _parsed([v for v in set(raw_strength) if v], _in_range(0, 10, int)) | {"": None}
    strength = list(map(strength_of.__getitem__, raw_strength))
    if "" in strength_of and None in strength:
        strength = [s if s is not None else _strength(r, c) for s, r, c in zip(strength, relation, confidence,
                                                                            strict=True)]
    group, combined, combined_strength = _groups(col("mapping_group"), col("combined_relation"),
                                                 col("combined_strength"))
    data = {
        "subject_id": subject, "object_id": obj, "relation": relation, "strength": strength,
        "confidence": confidence, "justification": justification,
        **{name: col(column) for name, column in _TEXT.items()},
        "group": group, "combined_relation": combined, "combined_strength": combined_strength,
        "provenance": list(map(_TAGS.__getitem__, col("mapping_provenance"))),
        "extra": _extra(table.header, cols, predicates, relation, n),
    }
    first = table.header_line + 1
    columns = MappingColumns(data, file, list(range(first, first + n)))
    claimed: dict[str, tuple[str, str]] = {}
    if "subject_provenance" in cols or "object_provenance" in cols:
        for i, claim in enumerate(zip(col("subject_provenance"), col("object_provenance"), strict=True)):
            if claim != ("", ""):
                claimed[f"{file}:{first + i}"] = claim
    labels: dict[str, str] = {}
    if "subject_label" in cols or "object_label" in cols:
        for s, s_label, o, o_label in zip(subject, col("subject_label"), obj, col("object_label"), strict=True):
            if s_label:
                labels.setdefault(s, s_label)
            if o_label:
                labels.setdefault(o, o_label)
    return columns, claimed, labels


def _groups(group: list[str], combined: list[str], raw_strength: list[str]) -> tuple[list, list, list]:
    """(group, combined_relation, combined_strength) columns: a group row needs both, any other row neither."""
    if not set(group) - {""}:
        if set(combined) - {""} or set(raw_strength) - {""}:
            raise _Doubt
        return group, [None] * len(group), [None] * len(group)
    in_group = np.array(group, object) != ""
    combined_a, strength_a = np.array(combined, object), np.array(raw_strength, object)
    if set(combined_a[~in_group].tolist()) - {""} or set(strength_a[~in_group].tolist()) - {""}:
        raise _Doubt
    relation_of = _parsed(combined_a[in_group].tolist(), Relation) | ({"": None} if (~in_group).any() else {})
    strength_of = _parsed(strength_a[in_group].tolist(), _in_range(0, 10, int)) | (
        {"": None} if (~in_group).any() else {})
    return group, list(map(relation_of.__getitem__, combined)), list(map(strength_of.__getitem__, raw_strength))


def _extra(header: list[str], cols: dict[str, list[str]], predicates: list[str], relation: list, n: int) -> list:
    """Mapping.extra per row: the predicate when it is not the one written for the relation, then every other
    non-empty cell of a column controlmap does not model, in header order."""
    others = [c for c in header if c not in _NATIVE and set(cols[c]) - {""}]
    odd = {(p, r) for p, r in set(zip(predicates, relation, strict=True)) if p != PREDICATE_OF[r]}
    if not others and not odd:
        return [()] * n
    out = []
    for i, (p, r) in enumerate(zip(predicates, relation, strict=True)):
        extra = [("predicate_id", p)] if (p, r) in odd else []
        extra += [(c, cols[c][i]) for c in others if cols[c][i]]
        out.append(tuple(extra))
    return out

"""Mapping rows as arrays, the form ``EdgeIndex.from_catalog`` and ``from_tables`` both reduce their input to."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat

import numpy as np

from ..model import NO_TERM, Catalog

__all__ = ["SUGGESTION", "RowArrays", "SetArrays", "catalog_rows", "groups_of"]

SUGGESTION = "semapv:LexicalSimilarityThresholdMatching"


@dataclass
class RowArrays:
    """Mapping rows as arrays: set number, row number (what ``refs`` cite), control indexes (-1 unknown),
    relation code (-1 no_relationship), subject is NoTermFound, curated, strength, confidence, group name,
    combined relation code (-1 none) and combined strength."""

    set_no: np.ndarray
    row_no: np.ndarray
    subj: np.ndarray
    obj: np.ndarray
    rel: np.ndarray
    no_term: np.ndarray
    curated: np.ndarray
    strength: np.ndarray
    conf: np.ndarray
    group: np.ndarray
    combined: np.ndarray
    combined_strength: np.ndarray


@dataclass
class SetArrays:
    """Per mapping set: subject and object framework index, used (not a skipped suggestion set), complete."""

    s_fw: np.ndarray
    o_fw: np.ndarray
    ok: np.ndarray
    complete: np.ndarray


def groups_of(rows: RowArrays, usable: np.ndarray) -> list[tuple[tuple[int, ...], int, int, int, float, int]]:
    """Combined groups per (set, group name) in order of first row: members, object, relation, strength,
    lowest confidence (at most 1) and set; the object, relation and strength are the first row's."""
    g_rows = np.flatnonzero(usable & (rows.group != "") & (rows.combined >= 0))
    if not g_rows.size:
        return []
    members: dict[tuple[int, str], list[int]] = {}
    for si, name, r in zip(rows.set_no[g_rows].tolist(), rows.group[g_rows].tolist(), g_rows.tolist(),
                           strict=True):
        members.setdefault((si, name), []).append(r)
    out = []
    for (si, _), group_rows in members.items():
        r0 = group_rows[0]
        out.append((tuple(rows.subj[group_rows].tolist()), int(rows.obj[r0]), int(rows.combined[r0]),
                    int(rows.combined_strength[r0] or 0), float(min(1.0, rows.conf[group_rows].min())), int(si)))
    return out


def catalog_rows(catalog: Catalog, codes: dict, include_suggestions: bool
                 ) -> tuple[list[str], list[int], list[str], RowArrays, SetArrays]:
    """(control ids, framework of each, edition keys, rows, sets) of a catalog, read from each set's columns.

    ``codes`` maps a Relation to its code (-1 for no_relationship); a skipped suggestion set keeps its
    number, with no row.
    """
    fw_keys = [f.key for f in catalog.frameworks]
    fw_index = {k: i for i, k in enumerate(fw_keys)}
    ids = [c.id for c in catalog.controls]
    index_of = {cid: i for i, cid in enumerate(ids)}
    fw_of = [fw_index[c.framework] for c in catalog.controls]
    n_sets = len(catalog.mapping_sets)
    sets = SetArrays(np.full(n_sets, -1, np.int64), np.full(n_sets, -1, np.int64), np.zeros(n_sets, bool),
                     np.zeros(n_sets, bool))
    cols: dict[str, list] = {k: [] for k in ("subject_id", "object_id", "relation", "strength", "confidence",
                                             "justification", "group", "combined_relation", "combined_strength")}
    set_no, row_no = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for si, ms in enumerate(catalog.mapping_sets):
        if ms.kind == "suggested" and not include_suggestions:
            continue
        sets.s_fw[si], sets.o_fw[si] = fw_index[ms.subject_framework], fw_index[ms.object_framework]
        sets.ok[si], sets.complete[si] = True, ms.complete
        data = ms.columns.data
        for name, values in cols.items():
            values.extend(data[name])
        set_no.append(np.full(ms.size, si, np.int64))
        row_no.append(np.arange(ms.size, dtype=np.int64))
    n = len(cols["subject_id"])
    codes = codes | {None: -1}

    def each(name: str, table: dict, default: object = None) -> np.ndarray:
        values = cols[name]
        found = map(table.get, values, repeat(default)) if default is not None else map(table.__getitem__, values)
        return np.fromiter(found, np.int64, n)

    rows = RowArrays(
        set_no=np.concatenate(set_no), row_no=np.concatenate(row_no),
        subj=each("subject_id", index_of, -1), obj=each("object_id", index_of, -1), rel=each("relation", codes),
        no_term=np.array(cols["subject_id"], dtype=object) == NO_TERM,
        curated=np.array(cols["justification"], dtype=object) != SUGGESTION,
        strength=np.array(cols["strength"], np.int64), conf=np.array(cols["confidence"], np.float64),
        group=np.array(cols["group"], dtype=object), combined=each("combined_relation", codes),
        combined_strength=np.array([v or 0 for v in cols["combined_strength"]], np.int64),
    )
    return ids, fw_of, fw_keys, rows, sets

"""Mapping rows as arrays, the form ``EdgeIndex.from_catalog`` and ``from_tables`` both reduce their input to."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SUGGESTION", "RowArrays", "SetArrays", "groups_of"]

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

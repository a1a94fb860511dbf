"""Integer edge index and vectorised path search behind coverage (numpy + pandas, no Python loop per edge)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..model import NO_TERM, Catalog, Relation
from .edge_rows import SUGGESTION, RowArrays, SetArrays, catalog_rows, groups_of

__all__ = ["CODE", "COMPOSE", "RELATIONS", "EdgeIndex", "PathTable", "search"]

RELATIONS = (Relation.EQUAL, Relation.SUPERSET_OF, Relation.SUBSET_OF, Relation.INTERSECTS_WITH)
CODE = {r: i for i, r in enumerate(RELATIONS)}
INVERSE_CODE = np.array([CODE[r.inverse] for r in RELATIONS], dtype=np.int8)
RANK = np.array([r.rank for r in RELATIONS], dtype=np.int8)


def _compose_table() -> np.ndarray:
    from ..model import compose

    table = np.full((4, 4), -1, dtype=np.int8)
    for a in RELATIONS:
        for b in RELATIONS:
            c = compose(a, b)
            if c is not None:
                table[CODE[a], CODE[b]] = CODE[c]
    return table


COMPOSE = _compose_table()


@dataclass
class EdgeIndex:
    """Every usable mapping as numbered edges, in both directions, indexed by framework.

    Built once per catalog; coverage queries then slice and join integer arrays.
    ``ref`` points back at the mapping row (``refs[ref] = (set index, row index)``); an inverted
    edge reads the row from object to subject.
    """

    ids: np.ndarray                      # control index -> control id
    fw_of: np.ndarray                    # control index -> framework index
    fw_keys: list[str]
    subj: np.ndarray
    obj: np.ndarray
    rel: np.ndarray
    strength: np.ndarray
    conf: np.ndarray
    ref: np.ndarray
    inverted: np.ndarray
    refs: list[tuple[int, int]] = field(default_factory=list)
    groups: list[tuple[tuple[int, ...], int, int, int, float, int]] = field(default_factory=list)
    no_relation: set[tuple[int, int]] = field(default_factory=set)   # (subject fw, object control)
    complete_pairs: set[tuple[int, int]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.index_of = {cid: i for i, cid in enumerate(self.ids.tolist())}
        self.fw_index = {k: i for i, k in enumerate(self.fw_keys)}
        sf = self.fw_of[self.subj]
        of = self.fw_of[self.obj]
        self._obj_fw = of
        n_fw = len(self.fw_keys)
        self._by_subj_fw = np.argsort(sf, kind="stable")
        self._subj_fw_start = np.searchsorted(sf[self._by_subj_fw], np.arange(n_fw + 1))
        self._by_obj_fw = np.argsort(of, kind="stable")
        self._obj_fw_start = np.searchsorted(of[self._by_obj_fw], np.arange(n_fw + 1))
        pair = sf.astype(np.int64) * n_fw + of  # edges of one (subject fw, object fw) pair: one slice, id order
        self._by_pair = np.argsort(pair, kind="stable")
        self._pair_sorted = pair[self._by_pair]
        self._assessed: dict[tuple[int, int], set[int]] = {}
        self._no_relation: dict[int, np.ndarray] = {}
        # groups as columns, so that search() selects a source's groups without a loop over all of them;
        # _group_fw is the framework of every member, or -1 when they differ or there is none
        fw_sets = [{int(f) for f in self.fw_of[list(g[0])]} if g[0] else set() for g in self.groups]
        self._group_fw = np.array([next(iter(s)) if len(s) == 1 else -1 for s in fw_sets], dtype=np.int32)
        self._group_source = np.array([g[0][0] if g[0] else -1 for g in self.groups], dtype=np.int32)
        self._group_obj = np.array([g[1] for g in self.groups], dtype=np.int32)
        self._group_rel = np.array([g[2] for g in self.groups], dtype=np.int8)
        self._group_strength = np.array([g[3] for g in self.groups], dtype=np.int8)
        self._group_conf = np.array([g[4] for g in self.groups], dtype=np.float32)
        self._groups_by_fw = np.argsort(self._group_fw, kind="stable")
        self._group_fw_start = np.searchsorted(self._group_fw[self._groups_by_fw], np.arange(n_fw + 1))

    @property
    def n_edges(self) -> int:
        return int(self.subj.size)

    def edges_from(self, fw: int) -> np.ndarray:
        """Edge ids whose subject lies in framework ``fw``."""
        return self._by_subj_fw[self._subj_fw_start[fw]:self._subj_fw_start[fw + 1]]

    def edges_into(self, fw: int) -> np.ndarray:
        """Edge ids whose object lies in framework ``fw``."""
        return self._by_obj_fw[self._obj_fw_start[fw]:self._obj_fw_start[fw + 1]]

    def edges_between(self, source: int, target: int) -> np.ndarray:
        """Edge ids from framework ``source`` into framework ``target``, in id order."""
        key = source * len(self.fw_keys) + target
        lo, hi = np.searchsorted(self._pair_sorted, (key, key + 1))
        return self._by_pair[lo:hi]

    def groups_from(self, fw: int) -> np.ndarray:
        """Indexes of the groups whose members all lie in framework ``fw``, in order."""
        if fw < 0:
            return np.zeros(0, np.int64)
        return self._groups_by_fw[self._group_fw_start[fw]:self._group_fw_start[fw + 1]]

    def no_relation_targets(self, fw: int) -> np.ndarray:
        """Controls an explicit no_relationship row of a set from framework ``fw`` names (sorted; cached)."""
        if fw not in self._no_relation:
            self._no_relation[fw] = np.array(sorted(c for f, c in self.no_relation if f == fw), dtype=np.int64)
        return self._no_relation[fw]

    def obj_fw(self, edges: np.ndarray) -> np.ndarray:
        return self._obj_fw[edges]

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_arrays(cls, ids, fw_of, fw_keys, subj, obj, rel, strength, conf, **extra) -> EdgeIndex:
        """An index from forward mapping arrays (relation codes as in CODE); inverse edges are added here."""
        subj = np.asarray(subj, dtype=np.int32)
        obj = np.asarray(obj, dtype=np.int32)
        rel = np.asarray(rel, dtype=np.int8)
        strength = np.asarray(strength, dtype=np.int8)
        conf = np.asarray(conf, dtype=np.float32)
        n = subj.size
        ref = np.arange(n, dtype=np.int32)
        return cls(
            ids=np.asarray(ids, dtype=object), fw_of=np.asarray(fw_of, dtype=np.int16), fw_keys=list(fw_keys),
            subj=np.concatenate([subj, obj]), obj=np.concatenate([obj, subj]),
            rel=np.concatenate([rel, INVERSE_CODE[rel]]), strength=np.concatenate([strength, strength]),
            conf=np.concatenate([conf, conf]), ref=np.concatenate([ref, ref]),
            inverted=np.concatenate([np.zeros(n, bool), np.ones(n, bool)]), **extra,
        )

    @classmethod
    def from_catalog(cls, catalog: Catalog, include_suggestions: bool = False) -> EdgeIndex:
        """The index of every curated mapping in ``catalog`` (machine suggestions only when asked).

        Reads each set's ``columns`` (no Mapping object is made for a set a reader gave as columns).
        """
        codes = {r: CODE.get(r, -1) for r in Relation}
        ids, fw_of, fw_keys, rows, sets = catalog_rows(catalog, codes, include_suggestions)
        return cls._from_rows(ids, fw_of, fw_keys, rows, sets, include_suggestions)

    @classmethod
    def from_tables(cls, controls, mappings, sets, include_suggestions: bool = False) -> EdgeIndex:
        """The index from three pandas DataFrames, with no Python object per row: the path for large crosswalks.

        ``controls``: columns ``id`` and ``framework`` (edition key), one row per control; rows are
        numbered in this order and frameworks in order of first appearance.
        ``sets``: columns ``subject_framework``, ``object_framework``, ``complete`` and optionally
        ``kind``; the row position is the set number.
        ``mappings``: columns ``set`` (set number), ``subject_id``, ``object_id`` (control ids or
        ``sssom:NoTermFound``), ``relation`` (Relation values), ``strength``, ``confidence`` and
        optionally ``mapping_justification``, ``mapping_group``, ``combined_relation``,
        ``combined_strength``. ``refs`` then point at (set number, row position in ``mappings``).

        Paths and statuses equal those of :meth:`from_catalog` on a catalog holding the same rows.

        Examples
        --------
        >>> import pandas as pd
        >>> controls = pd.DataFrame({"id": ["A:1", "B:1", "B:2"], "framework": ["a@1", "b@1", "b@1"]})
        >>> sets = pd.DataFrame({"subject_framework": ["a@1"], "object_framework": ["b@1"], "complete": [True]})
        >>> rows = pd.DataFrame({"set": [0, 0], "subject_id": ["A:1", "sssom:NoTermFound"],
        ...                      "object_id": ["B:1", "B:2"], "relation": ["equal", "no_relationship"],
        ...                      "strength": [8, 0], "confidence": [0.9, 1.0]})
        >>> index = EdgeIndex.from_tables(controls, rows, sets)
        >>> index.n_edges, sorted(index.no_relation), sorted(index.complete_pairs)
        (2, [(0, 2)], [(0, 1)])
        """
        import pandas as pd

        ids = controls["id"].to_numpy(dtype=object)
        fw_keys = list(pd.unique(controls["framework"]))
        fw_index = {k: i for i, k in enumerate(fw_keys)}
        fw_of = controls["framework"].map(fw_index).to_numpy(dtype=np.int16)
        id_index = pd.Index(ids)
        if not id_index.is_unique:
            raise ValueError("control ids must be unique")
        n = len(mappings)

        def column(name, default):
            return mappings[name] if name in mappings else pd.Series([default] * n, index=mappings.index)

        codes = {r.value: CODE.get(r, -1) for r in Relation}
        rel = mappings["relation"].map(codes).to_numpy()
        if np.isnan(rel.astype(float)).any():
            raise ValueError("unknown relation in mappings")
        kinds = sets["kind"] if "kind" in sets else pd.Series(["curated"] * len(sets))
        set_ok = include_suggestions | (kinds.to_numpy(dtype=object) != "suggested")
        rows = RowArrays(
            set_no=mappings["set"].to_numpy(dtype=np.int64), row_no=np.arange(n, dtype=np.int64),
            subj=id_index.get_indexer(mappings["subject_id"]), obj=id_index.get_indexer(mappings["object_id"]),
            rel=rel.astype(np.int64), no_term=(mappings["subject_id"] == NO_TERM).to_numpy(),
            curated=(column("mapping_justification", "") != SUGGESTION).to_numpy(),
            strength=mappings["strength"].to_numpy(), conf=mappings["confidence"].to_numpy(dtype=float),
            group=column("mapping_group", "").fillna("").astype(str).to_numpy(dtype=object),
            combined=column("combined_relation", None).map(codes).fillna(-1).to_numpy().astype(np.int64),
            combined_strength=column("combined_strength", 0).fillna(0).to_numpy(),
        )
        sets_ = SetArrays(sets["subject_framework"].map(fw_index).to_numpy(),
                      sets["object_framework"].map(fw_index).to_numpy(), set_ok,
                      sets["complete"].to_numpy(dtype=bool))
        return cls._from_rows(ids, fw_of, fw_keys, rows, sets_, include_suggestions)

    @classmethod
    def _from_rows(cls, ids, fw_of, fw_keys, rows: RowArrays, sets: SetArrays, include_suggestions: bool) -> EdgeIndex:
        """The index from mapping rows as arrays (what from_catalog and from_tables share)."""
        set_no, subj, obj = rows.set_no, rows.subj, rows.obj
        is_none = rows.rel < 0
        row_ok = sets.ok[set_no] & (rows.curated | include_suggestions)
        usable = row_ok & ~is_none
        unknown = usable & ((subj < 0) | (obj < 0))
        if unknown.any():
            r = int(np.flatnonzero(unknown)[0])
            raise ValueError(f"mapping row {r} names an unknown control")
        none_rows = np.flatnonzero(row_ok & is_none & rows.no_term & (obj >= 0))
        no_relation = set(zip(sets.s_fw[set_no[none_rows]].tolist(), obj[none_rows].tolist(), strict=True))
        complete = sets.complete & sets.ok
        complete_pairs = set(zip(sets.s_fw[complete].tolist(), sets.o_fw[complete].tolist(), strict=True))
        keep = np.flatnonzero(usable)
        return cls.from_arrays(
            ids, fw_of, fw_keys, subj[keep], obj[keep], rows.rel[keep], rows.strength[keep], rows.conf[keep],
            refs=list(zip(set_no[keep].tolist(), rows.row_no[keep].tolist(), strict=True)),
            no_relation=no_relation, complete_pairs=complete_pairs, groups=groups_of(rows, usable),
        )

    def assessed_pairs(self, source: int, max_hops: int) -> set[int]:
        """Frameworks whose every assessable control was reviewed against ``source`` via complete sets (cached)."""
        if (source, max_hops) not in self._assessed:
            reach: set[int] = set()
            frontier = {source}
            for _ in range(max_hops):
                frontier = {o for (s, o) in self.complete_pairs if s in frontier} - reach - {source}
                reach |= frontier
            self._assessed[source, max_hops] = reach
        return set(self._assessed[source, max_hops])


@dataclass
class PathTable:
    """Every path found from a source framework into a target, one row each, with back-pointers per hop.

    Columns (numpy arrays of one length): ``source`` and ``target`` control indexes, ``rel`` code,
    ``strength``, ``conf``, ``hops``, ``group`` (index into EdgeIndex.groups or -1) and ``level_row``,
    the row in ``levels[hops - 1]`` whose ``edge``/``parent`` pointers rebuild the steps (:meth:`trail`).
    """

    source: np.ndarray
    target: np.ndarray
    rel: np.ndarray
    strength: np.ndarray
    conf: np.ndarray
    hops: np.ndarray
    group: np.ndarray
    level_row: np.ndarray
    levels: list[dict[str, np.ndarray]]

    def __len__(self) -> int:
        return int(self.target.size)

    def trail(self, row: int) -> list[tuple[int, int]]:
        """The hops of one row from the source side: (edge id, group index); edge -1 for a group hop."""
        hop, r = int(self.hops[row]), int(self.level_row[row])
        out = []
        for h in range(hop - 1, -1, -1):
            level = self.levels[h]
            out.append((int(level["edge"][r]), int(level["group"][r]) if h == 0 else -1))
            r = int(level["parent"][r])
        return out[::-1]

    def best_per_target(self, threshold: int) -> dict[int, int]:
        """Row index of the best path per target: covering first, then relation, strength, fewest hops."""
        if not len(self):
            return {}
        meets = ((self.rel <= 1) & (self.strength >= threshold)).astype(np.int8)
        order = np.lexsort((-self.conf, self.hops, -self.strength, -RANK[self.rel], -meets, self.target))
        targets = self.target[order]
        first = np.ones(order.size, dtype=bool)
        first[1:] = targets[1:] != targets[:-1]
        return dict(zip(targets[first].tolist(), order[first].tolist(), strict=True))

    def sources_per_target(self) -> dict[int, list[int]]:
        """Every source control (and group member) that reaches each target."""
        out: dict[int, set[int]] = {}
        for t, s in zip(self.target.tolist(), self.source.tolist(), strict=True):
            out.setdefault(t, set()).add(s)
        return {t: sorted(v) for t, v in out.items()}


def search(index: EdgeIndex, source: str, target: str, max_hops: int = 2, min_strength: int = 1) -> PathTable:
    """All paths of at most ``max_hops`` from controls of ``source`` to controls of ``target``.

    Relations compose by the table of the mapping semantics, strength is the weakest link and
    confidence multiplies. Intermediate controls belong to neither the source nor the target framework.
    """
    s_fw, t_fw = index.fw_index[source], index.fw_index[target]
    levels: list[dict[str, np.ndarray]] = []
    found: list[tuple[int, dict[str, np.ndarray]]] = []

    level = _first_hop(index, s_fw, t_fw, max_hops, min_strength)
    levels.append(level)
    found.append((1, level))

    for hop in range(2, max_hops + 1):
        prev = levels[-1]
        node_fw = index.fw_of[prev["node"]]
        keep = np.flatnonzero((node_fw != t_fw) & (node_fw != s_fw))
        if keep.size == 0:
            break
        keep = _prune(prev, keep)
        final = hop == max_hops
        e = index.edges_into(t_fw) if final else np.arange(index.n_edges, dtype=np.int64)
        e = e[(index.strength[e] >= min_strength) & (index.fw_of[index.obj[e]] != s_fw)]
        left_order = np.argsort(prev["node"][keep], kind="stable")
        left = keep[left_order]
        left_nodes = prev["node"][left]
        right = e[np.argsort(index.subj[e], kind="stable")]
        right_nodes = index.subj[right]
        # join left.node == right.subj via searchsorted over the sorted right side
        lo = np.searchsorted(right_nodes, left_nodes, side="left")
        hi = np.searchsorted(right_nodes, left_nodes, side="right")
        counts = hi - lo
        if counts.sum() == 0:
            break
        li = np.repeat(left, counts)
        starts = np.repeat(lo, counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        ri = right[starts + offsets]
        rel = COMPOSE[prev["rel"][li], index.rel[ri]]
        ok = (rel >= 0) & (index.obj[ri] != index.subj[ri])
        li, ri, rel = li[ok], ri[ok], rel[ok]
        level = {
            "source": prev["source"][li], "node": index.obj[ri], "rel": rel,
            "strength": np.minimum(prev["strength"][li], index.strength[ri]),
            "conf": prev["conf"][li] * index.conf[ri], "group": prev["group"][li],
            "edge": ri.astype(np.int32), "parent": li.astype(np.int32),
        }
        levels.append(level)
        found.append((hop, level))

    parts = []
    for hop, level in found:
        at_target = np.flatnonzero(index.fw_of[level["node"]] == t_fw)
        parts.append((hop, level, at_target))
    cat = lambda key: np.concatenate([lv[key][rows] for _, lv, rows in parts]) if parts else np.empty(0)  # noqa: E731
    return PathTable(
        source=cat("source"), target=cat("node"), rel=cat("rel"), strength=cat("strength"), conf=cat("conf"),
        hops=np.concatenate([np.full(rows.size, hop, np.int8) for hop, _, rows in parts]),
        group=cat("group"), level_row=np.concatenate([rows for _, _, rows in parts]), levels=levels,
    )


def _first_hop(index: EdgeIndex, s_fw: int, t_fw: int, max_hops: int, min_strength: int) -> dict[str, np.ndarray]:
    """Hop 1: single edges, then combined groups (only those into the target when there is no second hop)."""
    if max_hops == 1:
        e = index.edges_between(s_fw, t_fw) if t_fw != s_fw else np.zeros(0, np.int64)
        e = e[index.strength[e] >= min_strength]
    else:
        e = index.edges_from(s_fw)
        e = e[(index.strength[e] >= min_strength) & (index.obj_fw(e) != s_fw)]
    level = {
        "source": index.subj[e], "node": index.obj[e], "rel": index.rel[e], "strength": index.strength[e],
        "conf": index.conf[e], "group": np.full(e.size, -1, np.int32), "edge": e.astype(np.int32),
        "parent": np.full(e.size, -1, np.int32),
    }
    g = index.groups_from(s_fw)
    g_fw = index.fw_of[index._group_obj[g]]
    g = g[((g_fw == t_fw) if max_hops == 1 else True) & (g_fw != s_fw) & (index._group_strength[g] >= min_strength)]
    if g.size:
        extra = {
            "source": index._group_source[g], "node": index._group_obj[g], "rel": index._group_rel[g],
            "strength": index._group_strength[g], "conf": index._group_conf[g], "group": g.astype(np.int32),
            "edge": np.full(g.size, -1, np.int32), "parent": np.full(g.size, -1, np.int32),
        }
        level = {k: np.concatenate([level[k], extra[k]]) for k in level}
    return level


def _prune(level: dict[str, np.ndarray], rows: np.ndarray) -> np.ndarray:
    """Keep, per (source, node, relation, group), only the strongest and most confident row."""
    order = np.lexsort((-level["conf"][rows], -level["strength"][rows], level["group"][rows],
                        level["rel"][rows], level["node"][rows], level["source"][rows]))
    rows = rows[order]
    key = np.stack([level["source"][rows], level["node"][rows], level["rel"][rows].astype(np.int32),
                    level["group"][rows]])
    first = np.ones(rows.size, dtype=bool)
    first[1:] = np.any(key[:, 1:] != key[:, :-1], axis=0)
    return rows[first]

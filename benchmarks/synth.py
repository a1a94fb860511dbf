"""Seeded synthetic crosswalks for the coverage benchmarks: frameworks, controls and SSSOM mapping sets.

One :class:`Crosswalk` holds everything as numpy arrays, so the largest size (100 frameworks ×
1,500 controls, 1,000,000 mappings) is built in seconds and never as Python Mapping objects. From it:

- :func:`write_data_dir` writes the files controlmap reads (``<fw>/<edition>/framework.yaml`` +
  ``controls.csv``, ``mappings/*.sssom.tsv``), so ``controlmap.load(data_dir=...)`` loads it;
- :func:`write_ntriples` writes the same graph ``controlmap.graph.rdf.to_rdf`` makes of that data
  (tested isomorphic at a small size), for stores too slow to build from the catalog at scale;
- :func:`edge_index` builds the engine's ``EdgeIndex`` straight from the arrays (``from_arrays``).

Usage: ``python benchmarks/synth.py small /tmp/out`` (the directory defaults to a new temp dir;
never write into the repository).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import numpy as np

__all__ = ["SIZES", "Crosswalk", "Size", "edge_index", "generate", "write_data_dir", "write_ntriples"]

BASE = "https://w3id.org/controlmap/"
NO_TERM = "sssom:NoTermFound"
# relation codes as in controlmap.queries.engine.CODE, plus 4 for no_relationship
EQUAL, SUPERSET, SUBSET, INTERSECTS, NO_REL = 0, 1, 2, 3, 4
REL_NAME = ("equal", "superset_of", "subset_of", "intersects_with", "no_relationship")
REL_IRI = ("equal", "supersetOf", "subsetOf", "intersectsWith", "noRelationship")
SKOS_MATCH = ("exactMatch", "narrowMatch", "broadMatch", "relatedMatch")
PREDICATE = ("skos:exactMatch", "skos:narrowMatch", "skos:broadMatch", "skos:relatedMatch", "skos:relatedMatch")
# realistic mix in published crosswalks (NIST OLIR / SCF): overlaps and partial containment dominate
REL_MIX = (0.18, 0.12, 0.25, 0.35, 0.10)
LEVELS = ("part", "section", "item")
SUGGESTION = "semapv:LexicalSimilarityThresholdMatching"
CURATED = "semapv:ManualMappingCuration"


@dataclass(frozen=True)
class Size:
    name: str
    frameworks: int
    controls: int
    mappings: int
    sets: int


SIZES = {
    "tiny": Size("tiny", 4, 40, 240, 6),
    "small": Size("small", 3, 300, 1_000, 4),
    "10k": Size("10k", 8, 600, 10_000, 30),
    "medium": Size("medium", 20, 1_000, 50_000, 100),
    "200k": Size("200k", 50, 1_200, 200_000, 400),
    "large": Size("large", 100, 1_500, 1_000_000, 1_000),
}


@dataclass
class Crosswalk:
    """A synthetic catalog as arrays. Control index = framework * controls + position in document order."""

    size: Size
    seed: int
    fw_ids: list[str]
    prefixes: list[str]
    assessable_levels: list[tuple[str, ...]]
    notation: list[str]                  # per control of one framework (the same shape in each)
    parent_local: np.ndarray             # per control of one framework: parent position or -1
    level: np.ndarray                    # per control of one framework: index into LEVELS
    # mapping sets
    set_subject_fw: np.ndarray
    set_object_fw: np.ndarray
    set_complete: np.ndarray
    # mapping rows; subject/object -1 = sssom:NoTermFound
    subj: np.ndarray
    obj: np.ndarray
    rel: np.ndarray
    strength: np.ndarray
    conf: np.ndarray                     # two decimals, as written to the files
    set_of: np.ndarray
    group: np.ndarray                    # group number (unique across sets) or -1
    comb_rel: np.ndarray                 # combined relation code or -1
    comb_strength: np.ndarray            # combined strength or -1
    curated: np.ndarray                  # False for machine suggestions
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def n_controls(self) -> int:
        return len(self.fw_ids) * self.size.controls

    @property
    def fw_keys(self) -> list[str]:
        return [f"{f}@1" for f in self.fw_ids]

    def scheme_iri(self, fw: int) -> str:
        return f"{BASE}{self.fw_ids[fw]}/1"

    def set_id(self, s: int) -> str:
        subject, object_ = self.fw_ids[self.set_subject_fw[s]], self.fw_ids[self.set_object_fw[s]]
        return f"{BASE}mappings/synth-{s:04d}_{subject}_{object_}"

    def fw_of(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.fw_ids), dtype=np.int16), self.size.controls)

    def control_ids(self) -> np.ndarray:
        """``PREFIX:notation`` of every control, as controlmap names them."""
        if "ids" not in self._cache:
            self._cache["ids"] = np.array([f"{p}:{n}" for p in self.prefixes for n in self.notation], dtype=object)
        return self._cache["ids"]

    def assessable(self, fw: int) -> np.ndarray:
        """Control indexes of the assessable controls of ``fw`` (leaves, or an assessable level)."""
        return _assessable(self.parent_local, self.level, self.assessable_levels[fw]) + fw * self.size.controls


def _assessable(parent_local: np.ndarray, level: np.ndarray, assessable_levels: tuple[str, ...]) -> np.ndarray:
    has_child = np.zeros(parent_local.size, bool)
    has_child[parent_local[parent_local >= 0]] = True
    return np.flatnonzero(~has_child | np.isin(level, [LEVELS.index(v) for v in assessable_levels]))


# ---------------------------------------------------------------------------------------------------------
def _hierarchy(n: int, rng: np.random.Generator) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Parts, sections and items in document order, with uneven section sizes."""
    parts = max(2, n // 60)
    sections = max(parts, n // 12)
    items = n - parts - sections
    sec_part = np.sort(np.concatenate([np.arange(parts), rng.integers(0, parts, sections - parts)]))
    extra = rng.integers(0, sections, max(0, items - sections))
    item_sec = np.sort(np.concatenate([np.arange(sections), extra]))[:items]
    notation, parent, level = [], [], []
    pos_of_section = {}
    sec_counter = np.zeros(parts, int)
    item_counter = np.zeros(sections, int)
    for p in range(parts):
        p_pos = len(notation)
        notation.append(f"{p + 1}"), parent.append(-1), level.append(0)
        for s in np.flatnonzero(sec_part == p):
            sec_counter[p] += 1
            s_pos = len(notation)
            pos_of_section[s] = s_pos
            s_not = f"{p + 1}.{sec_counter[p]}"
            notation.append(s_not), parent.append(p_pos), level.append(1)
            for _ in np.flatnonzero(item_sec == s):
                item_counter[s] += 1
                notation.append(f"{s_not}.{item_counter[s]}"), parent.append(s_pos), level.append(2)
    return notation, np.array(parent, np.int32), np.array(level, np.int8)


def generate(size: Size | str, seed: int = 20261126) -> Crosswalk:
    """A seeded synthetic crosswalk of the given size (see SIZES)."""
    size = SIZES[size] if isinstance(size, str) else size
    rng = np.random.default_rng(seed)
    n_fw, n_c = size.frameworks, size.controls
    notation, parent_local, level = _hierarchy(n_c, rng)
    fw_ids = [f"syn{i:03d}" for i in range(n_fw)]
    prefixes = [f"SYN{i:03d}" for i in range(n_fw)]
    assessable_levels = [("section",) if i % 4 == 3 else () for i in range(n_fw)]
    assessable = [_assessable(parent_local, level, assessable_levels[f]) + f * n_c for f in range(n_fw)]

    # mapping sets: distinct ordered framework pairs; some pairs in both directions
    pairs = np.array([(a, b) for a in range(n_fw) for b in range(n_fw) if a != b])
    chosen = pairs[rng.choice(len(pairs), size=min(size.sets, len(pairs)), replace=False)]
    n_sets = len(chosen)
    set_subject_fw, set_object_fw = chosen[:, 0].astype(np.int16), chosen[:, 1].astype(np.int16)
    set_complete = rng.random(n_sets) < 0.2
    set_complete[0] = True

    # plain rows, spread unevenly over the sets
    n_plain = int(size.mappings * 0.97)
    weights = rng.gamma(2.0, 1.0, n_sets)
    set_of = np.sort(rng.choice(n_sets, size=n_plain, p=weights / weights.sum())).astype(np.int32)
    sf, of = set_subject_fw[set_of], set_object_fw[set_of]
    n_assess = np.array([a.size for a in assessable])
    table = np.full((n_fw, n_assess.max()), -1, np.int64)
    for f, a in enumerate(assessable):
        table[f, :a.size] = a
    subj = table[sf, (rng.random(n_plain) * n_assess[sf]).astype(np.int64)]
    obj = table[of, (rng.random(n_plain) * n_assess[of]).astype(np.int64)]
    rel = rng.choice(5, size=n_plain, p=REL_MIX).astype(np.int8)
    nr = rel == NO_REL
    no_subject = nr & (rng.random(n_plain) < 0.8)
    subj[no_subject] = -1
    obj[nr & ~no_subject] = -1
    high = rng.integers(4, 11, n_plain)
    low = rng.integers(1, 9, n_plain)
    strength = np.where(rel <= SUPERSET, high, low)
    strength[rng.random(n_plain) < 0.03] = 0
    strength[nr] = 0
    conf = np.round(rng.uniform(0.5, 1.0, n_plain), 2)
    curated = rng.random(n_plain) >= 0.03
    curated[nr] = True

    # mapping groups: 2-3 extra rows from the subject framework that together cover one object control
    n_groups = max(1, int(size.mappings * 0.01))
    g_set = rng.choice(n_sets, size=n_groups)
    g_obj = table[set_object_fw[g_set], (rng.random(n_groups) * n_assess[set_object_fw[g_set]]).astype(np.int64)]
    g_size = rng.integers(2, 4, n_groups)
    gi = np.repeat(np.arange(n_groups), g_size)
    g_sf = set_subject_fw[g_set[gi]]
    g_subj = table[g_sf, (rng.random(gi.size) * n_assess[g_sf]).astype(np.int64)]
    g_comb = np.where(rng.random(n_groups) < 0.7, EQUAL, SUPERSET).astype(np.int8)
    g_comb_strength = rng.integers(5, 11, n_groups)

    subj = np.concatenate([subj, g_subj])
    obj = np.concatenate([obj, g_obj[gi]])
    set_of = np.concatenate([set_of, g_set[gi]]).astype(np.int32)
    rel = np.concatenate([rel, np.where(rng.random(gi.size) < 0.6, SUBSET, INTERSECTS).astype(np.int8)])
    strength = np.concatenate([strength, rng.integers(3, 8, gi.size)])
    conf = np.concatenate([conf, np.round(rng.uniform(0.6, 1.0, gi.size), 2)])
    curated = np.concatenate([curated, np.ones(gi.size, bool)])
    group = np.concatenate([np.full(n_plain, -1), gi])
    comb_rel = np.concatenate([np.full(n_plain, -1, np.int8), g_comb[gi]])
    comb_strength = np.concatenate([np.full(n_plain, -1), g_comb_strength[gi]])

    # one row per (set, subject, object, group): RDF names a row by these
    key = np.stack([set_of, subj, obj, group]).T
    _, first = np.unique(key, axis=0, return_index=True)
    keep = np.sort(first)
    # a group needs two distinct members left
    gk = group[keep]
    members = np.bincount(gk[gk >= 0], minlength=n_groups) if n_groups else np.zeros(0, int)
    keep = keep[(gk < 0) | (members[np.maximum(gk, 0)] >= 2)]
    cols = [subj, obj, rel, strength, conf, set_of, group, comb_rel, comb_strength, curated]
    subj, obj, rel, strength, conf, set_of, group, comb_rel, comb_strength, curated = (c[keep] for c in cols)

    # complete sets: every assessable object control gets a row, "no subject control corresponds" if none
    extra = []
    for s in np.flatnonzero(set_complete):
        seen = obj[set_of == s]
        missing = np.setdiff1d(assessable[set_object_fw[s]], seen)
        extra.append((np.full(missing.size, s, np.int32), missing))
    if extra:
        e_set = np.concatenate([e[0] for e in extra])
        e_obj = np.concatenate([e[1] for e in extra])
        k = e_set.size
        subj = np.concatenate([subj, np.full(k, -1)])
        obj = np.concatenate([obj, e_obj])
        rel = np.concatenate([rel, np.full(k, NO_REL, np.int8)])
        strength = np.concatenate([strength, np.zeros(k, int)])
        conf = np.concatenate([conf, np.round(rng.uniform(0.7, 1.0, k), 2)])
        set_of = np.concatenate([set_of, e_set])
        group = np.concatenate([group, np.full(k, -1)])
        comb_rel = np.concatenate([comb_rel, np.full(k, -1, np.int8)])
        comb_strength = np.concatenate([comb_strength, np.full(k, -1)])
        curated = np.concatenate([curated, np.ones(k, bool)])

    # the filled-in rows of complete sets count among the M rows: drop as many plain rows of other sets
    excess = subj.size - size.mappings
    droppable = np.flatnonzero((group < 0) & ~set_complete[set_of])
    if excess > 0 and droppable.size > excess:
        drop = rng.choice(droppable, size=excess, replace=False)
        keep = np.setdiff1d(np.arange(subj.size), drop)
        cols = [subj, obj, rel, strength, conf, set_of, group, comb_rel, comb_strength, curated]
        subj, obj, rel, strength, conf, set_of, group, comb_rel, comb_strength, curated = (c[keep] for c in cols)

    order = np.argsort(set_of, kind="stable")
    return Crosswalk(
        size, seed, fw_ids, prefixes, assessable_levels, notation, parent_local, level,
        set_subject_fw, set_object_fw, set_complete,
        subj[order].astype(np.int32), obj[order].astype(np.int32), rel[order].astype(np.int8),
        strength[order].astype(np.int8), conf[order].astype(np.float64), set_of[order].astype(np.int32),
        group[order].astype(np.int32), comb_rel[order].astype(np.int8), comb_strength[order].astype(np.int8),
        curated[order],
    )


# ---------------------------------------------------------------------------------------------------------
def edge_index(cw: Crosswalk):
    """The engine's EdgeIndex built from the arrays, as ``EdgeIndex.from_catalog`` would build it from files."""
    from controlmap.queries.engine import EdgeIndex

    usable = cw.curated & (cw.rel != NO_REL)
    fw_of = cw.fw_of()
    none = cw.curated & (cw.rel == NO_REL) & (cw.subj < 0) & (cw.obj >= 0)
    no_relation = set(zip(cw.set_subject_fw[cw.set_of[none]].tolist(), cw.obj[none].tolist(), strict=True))
    complete = set(zip(cw.set_subject_fw[cw.set_complete].tolist(), cw.set_object_fw[cw.set_complete].tolist(),
                       strict=True))
    groups = []
    g_rows = np.flatnonzero(usable & (cw.group >= 0))
    if g_rows.size:
        g_rows = g_rows[np.argsort(cw.group[g_rows], kind="stable")]
        bounds = np.flatnonzero(np.diff(cw.group[g_rows])) + 1
        for rows in np.split(g_rows, bounds):
            r0 = rows[0]
            groups.append((tuple(cw.subj[rows].tolist()), int(cw.obj[r0]), int(cw.comb_rel[r0]),
                           int(cw.comb_strength[r0]), float(min(1.0, cw.conf[rows].min())), int(cw.set_of[r0])))
    rows = np.flatnonzero(usable)
    return EdgeIndex.from_arrays(
        cw.control_ids(), fw_of, cw.fw_keys, cw.subj[rows], cw.obj[rows], cw.rel[rows], cw.strength[rows],
        cw.conf[rows], refs=list(zip(cw.set_of[rows].tolist(), rows.tolist(), strict=True)), no_relation=no_relation,
        complete_pairs=complete, groups=groups,
    )


# ---------------------------------------------------------------------------------------------------------
def write_data_dir(cw: Crosswalk, root: str | Path, notes: bool = False) -> Path:
    """Write frameworks and SSSOM mapping sets under ``root`` in the layout of controlmap's ``data/``.

    ``notes`` adds what curated files carry beyond the numbers, chosen by row number (no random
    draws, so the rows are the same either way): a ``comment`` on every fifth row and the
    ``semapv:MappingChaining`` justification (a row carried from an older edition) on every ninth.
    """
    root = Path(root)
    for f, (fid, prefix) in enumerate(zip(cw.fw_ids, cw.prefixes, strict=True)):
        folder = root / fid / "1"
        folder.mkdir(parents=True, exist_ok=True)
        assess = ", ".join(cw.assessable_levels[f])
        (folder / "framework.yaml").write_text(
            f"id: {fid}\nedition: '1'\nprefix: {prefix}\ntitle: 合成フレームワーク {f}\n"
            f"levels: [{', '.join(LEVELS)}]\nassessable_levels: [{assess}]\ncontrols: controls.csv\n",
            encoding="utf-8")
        lines = ["id,parent,level,title,summary,source_ref,provenance"]
        for i, n in enumerate(cw.notation):
            p = cw.parent_local[i]
            lines.append(f"{n},{cw.notation[p] if p >= 0 else ''},{LEVELS[cw.level[i]]},{prefix} 管理策 {n},,,R")
        (folder / "controls.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = root / "mappings"
    out.mkdir(parents=True, exist_ok=True)
    ids = cw.control_ids()
    starts = np.searchsorted(cw.set_of, np.arange(len(cw.set_subject_fw) + 1))
    for s in range(len(cw.set_subject_fw)):
        sf, of = int(cw.set_subject_fw[s]), int(cw.set_object_fw[s])
        head = (
            f"#curie_map:\n#  {cw.prefixes[sf]}: {cw.scheme_iri(sf)}/\n#  {cw.prefixes[of]}: {cw.scheme_iri(of)}/\n"
            f"#mapping_set_id: {cw.set_id(s)}\n#mapping_set_title: 合成対応 {s}\n"
            f"#license: https://creativecommons.org/licenses/by/4.0/\n"
            f"#subject_source: {cw.scheme_iri(sf)}\n#object_source: {cw.scheme_iri(of)}\n"
            f"#other: complete={'true' if cw.set_complete[s] else 'false'}; kind=curated\n"
            "subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\tstrength\t"
            "mapping_group\tcombined_relation\tcombined_strength" + ("\tcomment\n" if notes else "\n")
        )
        rows = range(starts[s], starts[s + 1])
        body = []
        for r in rows:
            su, ob, g = int(cw.subj[r]), int(cw.obj[r]), int(cw.group[r])
            how = CURATED if cw.curated[r] else SUGGESTION
            if notes and cw.curated[r] and r % 9 == 0:
                how = "semapv:MappingChaining"
            cells = [
                ids[su] if su >= 0 else NO_TERM, PREDICATE[cw.rel[r]], ids[ob] if ob >= 0 else NO_TERM,
                how, f"{cw.conf[r]:g}", str(int(cw.strength[r])),
                f"g{g}" if g >= 0 else "", REL_NAME[cw.comb_rel[r]] if g >= 0 else "",
                str(int(cw.comb_strength[r])) if g >= 0 else "",
            ]
            if notes:
                cells.append(f"注記 {r}" if r % 5 == 0 else "")
            body.append("\t".join(cells))
        (out / f"synth-{s:04d}.sssom.tsv").write_text(head + "\n".join(body) + "\n", encoding="utf-8")
    return root


# ---------------------------------------------------------------------------------------------------------
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_CM = BASE + "vocab/"
_DCT = "http://purl.org/dc/terms/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SEMAPV = "https://w3id.org/semapv/vocab/"
_SAFE = "()-._~!$&'*+,;=:@"  # as controlmap.graph.rdf.control_iri


def _lit(text: str, lang: str = "", dtype: str = "") -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"@{lang}' if lang else f'"{text}"^^<{_XSD}{dtype}>' if dtype else f'"{text}"'


def _decimal(value: float) -> str:
    from rdflib import Literal
    from rdflib.namespace import XSD

    return Literal(Decimal(repr(float(value))), datatype=XSD.decimal).n3()


def write_ntriples(cw: Crosswalk, path: str | Path) -> Path:
    """N-Triples of the graph ``to_rdf(load(data_dir=<write_data_dir output>).catalog)`` holds."""
    path = Path(path)
    types = f"<{_RDF}type>"
    c_iris = []
    with path.open("w", encoding="utf-8", newline="\n") as out:
        w = out.write
        for f, (fid, prefix) in enumerate(zip(cw.fw_ids, cw.prefixes, strict=True)):
            s = f"<{cw.scheme_iri(f)}>"
            w(f"{s} {types} <{_SKOS}ConceptScheme> .\n{s} {types} <{_CM}Framework> .\n")
            w(f"{s} <{_DCT}title> {_lit(f'合成フレームワーク {f}', 'ja')} .\n")
            w(f"{s} <{_CM}frameworkId> {_lit(fid)} .\n{s} <{_CM}edition> {_lit('1')} .\n")
            w(f"{s} <{_CM}prefix> {_lit(prefix)} .\n{s} <{_CM}isDefaultEdition> {_lit('false', dtype='boolean')} .\n")
            w(f"{s} <{_CM}completeness> {_lit('full')} .\n")
            for name, values in (("level", LEVELS), ("assessableLevel", cw.assessable_levels[f])):
                nodes = [f"_:{name}{f}x{i}" for i in range(max(1, len(values)))]
                w(f"{s} <{_CM}{name}> {nodes[0]} .\n")
                for i, v in enumerate(values):
                    nxt = nodes[i + 1] if i + 1 < len(values) else f"<{_RDF}nil>"
                    w(f"{nodes[i]} <{_RDF}first> {_lit(v)} .\n{nodes[i]} <{_RDF}rest> {nxt} .\n")
            ns = cw.scheme_iri(f) + "/"
            iris = [f"<{ns}{quote(n, safe=_SAFE)}>" for n in cw.notation]
            c_iris.extend(iris)
            for i, c in enumerate(iris):
                p = cw.parent_local[i]
                n = cw.notation[i]
                w(f"{c} {types} <{_SKOS}Concept> .\n{c} {types} <{_CM}Control> .\n{c} <{_SKOS}inScheme> {s} .\n"
                  f"{c} <{_SKOS}notation> {_lit(n)} .\n{c} <{_SKOS}prefLabel> {_lit(f'{prefix} 管理策 {n}', 'ja')} .\n"
                  f"{c} <{_CM}level> {_lit(LEVELS[cw.level[i]])} .\n"
                  f"{c} <{_CM}order> {_lit(str(i + 1), dtype='integer')} .\n"
                  f"{c} <{_CM}provenance> <{_CM}ReadInSource> .\n")
                if p < 0:
                    w(f"{c} <{_SKOS}topConceptOf> {s} .\n{s} <{_SKOS}hasTopConcept> {c} .\n")
                else:
                    w(f"{c} <{_SKOS}broader> {iris[p]} .\n{iris[p]} <{_SKOS}narrower> {c} .\n")
        ids = cw.control_ids()
        no_term = "<https://w3id.org/sssom/NoTermFound>"
        conf_lit = {v: _decimal(v) for v in np.unique(cw.conf).tolist()}
        int_lit = {v: _lit(str(v), dtype="integer") for v in range(-1, 11)}
        starts = np.searchsorted(cw.set_of, np.arange(len(cw.set_subject_fw) + 1))
        rel_iri = [f"<{_CM}{r}>" for r in REL_IRI]
        just = {True: f"<{_SEMAPV}ManualMappingCuration>", False: f"<{_SEMAPV}LexicalSimilarityThresholdMatching>"}
        for s in range(len(cw.set_subject_fw)):
            sid = cw.set_id(s)
            m_set = f"<{sid}>"
            w(f"{m_set} {types} <{_CM}MappingSet> .\n{m_set} <{_DCT}title> {_lit(f'合成対応 {s}', 'ja')} .\n"
              f"{m_set} <{_CM}complete> {_lit('true' if cw.set_complete[s] else 'false', dtype='boolean')} .\n"
              f"{m_set} <{_CM}setKind> {_lit('curated')} .\n"
              f"{m_set} <{_CM}subjectScheme> <{cw.scheme_iri(cw.set_subject_fw[s])}> .\n"
              f"{m_set} <{_CM}objectScheme> <{cw.scheme_iri(cw.set_object_fw[s])}> .\n"
              f"{m_set} <{_DCT}license> <https://creativecommons.org/licenses/by/4.0/> .\n")
            for r in range(starts[s], starts[s + 1]):
                su, ob, g, rl = int(cw.subj[r]), int(cw.obj[r]), int(cw.group[r]), int(cw.rel[r])
                s_id, o_id = (ids[su] if su >= 0 else NO_TERM), (ids[ob] if ob >= 0 else NO_TERM)
                gname = f"g{g}" if g >= 0 else ""
                key = "|".join((sid, s_id, o_id, REL_NAME[rl], gname))
                m = f"<{sid}#m-{hashlib.sha1(key.encode()).hexdigest()[:12]}>"
                s_iri = c_iris[su] if su >= 0 else no_term
                o_iri = c_iris[ob] if ob >= 0 else no_term
                w(f"{m} {types} <{_CM}Mapping> .\n{m} <{_CM}inMappingSet> {m_set} .\n{m} <{_CM}subject> {s_iri} .\n"
                  f"{m} <{_CM}object> {o_iri} .\n{m} <{_CM}relation> {rel_iri[rl]} .\n"
                  f"{m} <{_CM}confidence> {conf_lit[float(cw.conf[r])]} .\n"
                  f"{m} <{_CM}justification> {just[bool(cw.curated[r])]} .\n"
                  f"{m} <{_CM}strength> {int_lit[int(cw.strength[r])]} .\n")
                if g >= 0:
                    w(f"{m} <{_CM}mappingGroup> {_lit(gname)} .\n"
                      f"{m} <{_CM}combinedStrength> {int_lit[int(cw.comb_strength[r])]} .\n"
                      f"{m} <{_CM}combinedRelation> {rel_iri[int(cw.comb_rel[r])]} .\n")
                if rl != NO_REL and cw.curated[r]:
                    w(f"{s_iri} <{_SKOS}{SKOS_MATCH[rl]}> {o_iri} .\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=list(SIZES))
    parser.add_argument("out", nargs="?", help="directory to write (default: a new temporary directory)")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--ntriples", action="store_true", help="also write graph.nt")
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix=f"controlmap-synth-{args.size}-"))
    repo = Path(__file__).resolve().parents[1]
    if repo == out.resolve() or repo in out.resolve().parents:
        parser.error("write the synthetic data outside the repository")
    cw = generate(args.size, args.seed)
    write_data_dir(cw, out / "data")
    if args.ntriples:
        write_ntriples(cw, out / "graph.nt")
    print(f"{args.size}: {len(cw.fw_ids)} frameworks × {cw.size.controls} controls, {cw.subj.size} mapping rows "
          f"in {len(cw.set_subject_fw)} sets -> {out}", file=sys.stderr)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark generator at a tiny size: its files load, and the engine agrees with a brute-force search.

The brute force below walks every path of at most ``max_hops`` mappings with its own copy of the
composition table of the mapping semantics (written out here, not imported), so it checks the
engine's vectorised joins, its inverse edges, groups and pruning independently.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import pytest

import controlmap as cm
from controlmap.queries.sparql_runner import run_direct_coverage, run_gaps

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # noqa: E402

E, SUP, SUB, INT = "equal", "superset_of", "subset_of", "intersects_with"
# mapping-semantics.md, "Inference through intermediate controls": rows r1, columns r2
TABLE = {
    E: {E: E, SUP: SUP, SUB: SUB, INT: INT},
    SUP: {E: SUP, SUP: SUP, SUB: INT, INT: INT},
    SUB: {E: SUB, SUP: None, SUB: SUB, INT: None},
    INT: {E: INT, SUP: None, SUB: INT, INT: None},
}
READ_BACKWARDS = {E: E, SUP: SUB, SUB: SUP, INT: INT}
RANK = {E: 4, SUP: 3, SUB: 2, INT: 1}
THRESHOLD, MIN_STRENGTH = 7, 1


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    cw = synth.generate("tiny", seed=7)
    root = synth.write_data_dir(cw, tmp_path_factory.mktemp("synth") / "data")
    return cw, cm.load(data_dir=root)


def brute_force(catalog: cm.Catalog, source: str, target: str, max_hops: int) -> dict[str, tuple]:
    """Per target control: (status, best relation, best strength), by walking every path."""
    fw_of = {c.id: c.framework for c in catalog.controls}
    links = defaultdict(list)
    groups = defaultdict(list)
    complete = set()
    no_counterpart = set()
    for ms in catalog.mapping_sets:
        if ms.kind == "suggested":
            continue
        if ms.complete:
            complete.add((ms.subject_framework, ms.object_framework))
        for m in ms.mappings:
            if m.justification == "semapv:LexicalSimilarityThresholdMatching":
                continue
            if m.relation.value == "no_relationship":
                if m.subject_id == cm.NO_TERM and ms.subject_framework == source:
                    no_counterpart.add(m.object_id)
                continue
            r = m.relation.value
            if m.strength >= MIN_STRENGTH:
                links[m.subject_id].append((m.object_id, r, m.strength))
                links[m.object_id].append((m.subject_id, READ_BACKWARDS[r], m.strength))
            if m.group:
                groups[(ms.id, m.group)].append(m)

    best: dict[str, tuple] = {}

    def record(node, rel, strength, hops):
        key = (rel in (E, SUP) and strength >= THRESHOLD, RANK[rel], strength, -hops)
        if node not in best or key > best[node][0]:
            best[node] = (key, rel, strength)

    def walk(node, rel, strength, hops):
        if fw_of[node] == target:
            record(node, rel, strength, hops)
            return
        if hops == max_hops:
            return
        for nxt, r, s in links[node]:
            composed = TABLE[rel][r]
            if composed is not None and fw_of[nxt] != source:
                walk(nxt, composed, min(strength, s), hops + 1)

    for c in catalog.controls_of(source):
        for nxt, r, s in links[c.id]:
            if fw_of[nxt] != source:
                walk(nxt, r, s, 1)
    for rows in groups.values():
        first = rows[0]
        if all(fw_of[m.subject_id] == source for m in rows) and (first.combined_strength or 0) >= MIN_STRENGTH \
                and fw_of[first.object_id] != source:
            walk(first.object_id, first.combined_relation.value, first.combined_strength, 1)

    reach, frontier = set(), {source}
    for _ in range(max_hops):
        frontier = {o for s, o in complete if s in frontier} - reach - {source}
        reach |= frontier
    out = {}
    for c in catalog.assessable(target):
        if c.id in best:
            _, rel, strength = best[c.id]
            status = "covered" if rel in (E, SUP) and strength >= THRESHOLD else "partial"
            out[c.id] = (status, rel, strength)
        elif target in reach or c.id in no_counterpart:
            out[c.id] = ("gap", None, None)
        else:
            out[c.id] = ("unassessed", None, None)
    return out


def _pairs(catalog):
    keys = [f.key for f in catalog.frameworks]
    return [(s, t) for s in keys for t in keys if s != t]


def test_generator_is_seeded_and_its_files_load(tiny):
    cw, kg = tiny
    again = synth.generate("tiny", seed=7)
    assert (again.subj == cw.subj).all() and (again.rel == cw.rel).all() and (again.conf == cw.conf).all()
    assert len(kg.catalog.frameworks) == cw.size.frameworks
    assert len(kg.catalog.controls) == cw.n_controls
    assert sum(len(ms.mappings) for ms in kg.catalog.mapping_sets) == cw.subj.size
    relations = {m.relation.value for ms in kg.catalog.mapping_sets for m in ms.mappings}
    assert relations == {E, SUP, SUB, INT, "no_relationship"}
    assert any(ms.complete for ms in kg.catalog.mapping_sets)
    assert any(m.group for ms in kg.catalog.mapping_sets for m in ms.mappings)
    assert any(not m.is_curated for ms in kg.catalog.mapping_sets for m in ms.mappings)


def test_ntriples_writer_gives_the_exported_graph(tiny, tmp_path):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    cw, kg = tiny
    written = Graph().parse(synth.write_ntriples(cw, tmp_path / "g.nt"), format="nt")
    assert isomorphic(written, kg.rdf)


@pytest.mark.parametrize("max_hops", [1, 2])
def test_engine_agrees_with_brute_force(tiny, max_hops):
    _, kg = tiny
    compared = 0
    for source, target in _pairs(kg.catalog):
        expected = brute_force(kg.catalog, source, target, max_hops)
        result = cm.coverage(kg, source=source, target=target, scope=None, max_hops=max_hops)
        got = {i.control.id: (i.status.value, i.best.relation.value if i.best else None,
                              i.best.strength if i.best else None) for i in result.items}
        assert got == expected, (source, target)
        compared += len(got)
    assert compared > 300


@pytest.mark.parametrize("max_hops", [1, 2])
def test_indexes_from_arrays_and_tables_equal_the_catalog_index(tiny, max_hops):
    """The benchmark's fast builders find the same best path per target as the catalog's index."""
    import pandas as pd

    from controlmap.queries.engine import EdgeIndex, search

    cw, kg = tiny
    cat = kg.catalog
    controls = pd.DataFrame({"id": [c.id for c in cat.controls], "framework": [c.framework for c in cat.controls]})
    sets = pd.DataFrame({"subject_framework": [s.subject_framework for s in cat.mapping_sets],
                         "object_framework": [s.object_framework for s in cat.mapping_sets],
                         "complete": [s.complete for s in cat.mapping_sets],
                         "kind": [s.kind for s in cat.mapping_sets]})
    rows = pd.DataFrame([{
        "set": si, "subject_id": m.subject_id, "object_id": m.object_id, "relation": m.relation.value,
        "strength": m.strength, "confidence": m.confidence, "mapping_justification": m.justification,
        "mapping_group": m.group, "combined_relation": m.combined_relation.value if m.combined_relation else None,
        "combined_strength": m.combined_strength} for si, s in enumerate(cat.mapping_sets) for m in s.mappings])
    indexes = {"catalog": kg.index, "tables": EdgeIndex.from_tables(controls, rows, sets),
               "arrays": synth.edge_index(cw)}
    for source, target in _pairs(cat):
        seen = {}
        for name, index in indexes.items():
            paths = search(index, source, target, max_hops=max_hops)
            best = paths.best_per_target(THRESHOLD)
            seen[name] = (
                {index.ids[t]: (int(paths.rel[r]), int(paths.strength[r]), int(paths.hops[r]))
                 for t, r in best.items()},
                {index.ids[c] for (f, c) in index.no_relation if index.fw_keys[f] == source},
                {index.fw_keys[f] for f in index.assessed_pairs(index.fw_index[source], max_hops)},
            )
        assert seen["tables"] == seen["catalog"] == seen["arrays"], (source, target)


def test_sparql_agrees_with_engine_on_synthetic_data(tiny):
    """Inverse sets, groups, machine suggestions, NoTermFound rows and assessable levels, all pairs."""
    _, kg = tiny
    for source, target in _pairs(kg.catalog):
        engine = cm.coverage(kg, source=source, target=target, scope=None, max_hops=1)
        expected = {i.control.id: i.status.value for i in engine.items}
        s_iri, t_iri = kg.framework(source).iri, kg.framework(target).iri
        assert run_direct_coverage(kg.rdf, s_iri, t_iri) == expected, (source, target)
        assert run_gaps(kg.rdf, s_iri, t_iri) == sorted(k for k, v in expected.items() if v == "gap")

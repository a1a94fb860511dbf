"""controlmap.graph.nx: the NetworkX view of the shipped catalog, checked against the files."""

from __future__ import annotations

import pytest

NO_TERM = "sssom:NoTermFound"
RELATION_OF_PREDICATE = {"skos:exactMatch": "equal", "skos:broadMatch": "subset_of",
                         "skos:narrowMatch": "superset_of", "skos:relatedMatch": "intersects_with"}


@pytest.fixture(scope="module")
def g(kg):
    return kg.to_networkx()


def _edges(g, kind):
    return [(u, v, d) for u, v, d in g.edges(data=True) if d["kind"] == kind]


def test_every_control_is_a_node_with_kind_framework_level_and_title(g, shipped_editions):
    for key, ed in shipped_editions.items():
        for _, row in ed.rows:
            node = g.nodes[ed.control_id(row["id"])]
            assert (node["kind"], node["framework"], node["level"], node["title"], node["provenance"]) == (
                "control", key, row["level"], row["title"], row["provenance"])
    controls = [n for n, d in g.nodes(data=True) if d["kind"] == "control"]
    assert len(controls) == sum(len(ed.rows) for ed in shipped_editions.values())


def test_every_edition_is_a_framework_node(g, shipped_editions):
    frameworks = {n for n, d in g.nodes(data=True) if d["kind"] == "framework"}
    assert frameworks == set(shipped_editions)


def test_hierarchy_edges_run_from_child_to_parent(g, shipped_editions):
    expected = set()
    for key, ed in shipped_editions.items():
        for _, row in ed.rows:
            parent = ed.control_id(row["parent"]) if row["parent"] else key  # top level hangs on the edition
            expected.add((ed.control_id(row["id"]), parent))
    hierarchy = _edges(g, "hierarchy")
    assert {(u, v) for u, v, _ in hierarchy} == expected
    assert len(hierarchy) == len(expected)
    assert all(d["relation"] == "broader" for _, _, d in hierarchy)


def test_mapping_edges_equal_the_rows_without_no_term_found(g, shipped_mapping_files, catalog):
    rows = [(f, row) for f in shipped_mapping_files for _, row in f.rows
            if NO_TERM not in (row["subject_id"], row["object_id"])]
    mapping_edges = _edges(g, "mapping")
    assert len(mapping_edges) == len(rows)
    assert sum(1 for f in shipped_mapping_files for _ in f.rows) > len(rows)  # NoTermFound rows exist and are left out

    def local(curie):
        return curie.split(":", 1)[1]

    # compare as multisets of (subject clause, object clause, relation, strength, confidence, set id)
    expected = sorted(
        (local(row["subject_id"]), local(row["object_id"]), RELATION_OF_PREDICATE[row["predicate_id"]],
         int(row["strength"]), float(row["confidence"]), f.meta["mapping_set_id"])
        for f, row in rows)
    got = sorted(
        (catalog.control(u).notation, catalog.control(v).notation, d["relation"], d["strength"], d["confidence"],
         d["mapping_set"])
        for u, v, d in mapping_edges)
    assert got == expected


def test_mapping_edges_join_controls_of_their_sets_editions(g, catalog):
    set_editions = {s.id: (s.subject_framework, s.object_framework) for s in catalog.mapping_sets}
    for u, v, d in _edges(g, "mapping"):
        assert (g.nodes[u]["framework"], g.nodes[v]["framework"]) == set_editions[d["mapping_set"]]

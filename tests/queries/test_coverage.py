"""Coverage engine: statuses on the shipped data checked against the SSSOM files read independently,
the semantics (thresholds, groups, inverse rows, inference, scope, unassessed) on small catalogs."""

from __future__ import annotations

import pytest
import yaml
from conftest import DATA, NO_TERM

import controlmap as cm
from controlmap import Catalog, Control, Framework, Mapping, MappingSet, Provenance, Relation, Status
from controlmap.model import Exclusion, Scope
from controlmap.queries.coverage import coverage

COVERS = {"skos:exactMatch", "skos:narrowMatch"}  # equal, superset_of, stated from the subject's side


def _direct_statuses(mfile, threshold=7):
    """Direct status per object control, computed from the raw SSSOM rows with no controlmap code."""
    best: dict[str, str] = {}
    rank = {"partial": 1, "covered": 2}

    def put(obj, status):
        if rank[status] > rank.get(best.get(obj, ""), 0):
            best[obj] = status

    for _, row in mfile.rows:
        if NO_TERM in (row["subject_id"], row["object_id"]):
            continue
        strength = int(row["strength"])
        if strength >= 1:
            put(row["object_id"], "covered" if row["predicate_id"] in COVERS and strength >= threshold else "partial")
        if row.get("mapping_group"):
            combined = int(row["combined_strength"])
            if row["combined_relation"] in ("equal", "superset_of") and combined >= threshold:
                put(row["object_id"], "covered")
    return best


@pytest.mark.parametrize("name", ["mic_jisq15001-2006", "mic_govt_unified_std-2021",
                                  "jisq15001-2006_govt_unified_std-2021"])
def test_direct_statuses_follow_the_curated_rows(kg, shipped_mapping_files, shipped_editions, name):
    mfile = next(f for f in shipped_mapping_files if f.path.name == f"{name}.sssom.tsv")
    expected = _direct_statuses(mfile)
    result = cm.coverage(kg, source=mfile.subject_key, target=mfile.object_key, max_hops=1, scope=None)
    assessable = shipped_editions[mfile.object_key].assessable_ids
    assert {i.control.id for i in result.items} == assessable  # every target control has a status
    for item in result.items:
        assert item.status.value == expected.get(item.control.id, "gap"), item.control.id


def test_what_a_domain_expert_expects_of_the_mic_checklist_against_jis(kg):
    result = cm.coverage(kg, source="mic", target="jisq15001")
    for gap in ["3.6", "3.4.4.1", "3.4.4.2", "3.4.4.3", "3.4.4.4", "3.4.4.5", "3.4.4.6"]:
        assert result.item(gap).status is Status.GAP, gap
    for covered in ["3.4.3.2", "3.4.3.3", "3.4.3.4", "3.4.5"]:
        assert result.item(covered).status is Status.COVERED, covered


def test_a_group_covers_only_together_and_every_member_is_named(kg, shipped_mapping_files):
    mfile = next(f for f in shipped_mapping_files if f.path.name == "mic_jisq15001-2006.sssom.tsv")
    members = {r["subject_id"] for _, r in mfile.rows
               if r["object_id"] == "JISQ15001-2006:3.4.3.4" and r.get("mapping_group")}
    assert len(members) >= 2
    item = cm.coverage(kg, source="mic", target="jisq15001").item("3.4.3.4")
    assert item.status is Status.COVERED
    assert set(item.best.source_ids) == members
    for m in members:
        assert m.split(":", 1)[1] in item.explanation
    singles = [int(r["strength"]) for _, r in mfile.rows if r["object_id"] == "JISQ15001-2006:3.4.3.4"]
    assert max(singles) < 7  # no single item covers it: only the group does


def test_threshold_moves_controls_between_covered_and_partial(kg):
    low = cm.coverage(kg, source="mic", target="govt_unified_std", threshold=7, scope=None)
    high = cm.coverage(kg, source="mic", target="govt_unified_std", threshold=9, scope=None)
    moved = [i.control.id for i in low.items if i.status is Status.COVERED
             and high.item(i.control.id).status is Status.PARTIAL]
    assert moved
    for cid in moved:
        assert low.item(cid).best.strength < 9


def test_scope_marks_not_applicable_with_the_reason_from_the_file(kg):
    doc = yaml.safe_load((DATA / "scope" / "juki_net.yaml").read_text(encoding="utf-8"))
    entry = next(e for e in doc["not_applicable"] if e.get("control") == "GUS-R3:8.1.2(1)")
    result = cm.coverage(kg, source="mic", target="govt_unified_std")
    item = result.item("GUS-R3:8.1.2(1)")
    assert item.status is Status.NOT_APPLICABLE and item.not_applicable_reason == entry["reason"]
    assert cm.coverage(kg, source="mic", target="govt_unified_std", scope=None).item(
        "GUS-R3:8.1.2(1)").status is not Status.NOT_APPLICABLE


# -- semantics on small catalogs ----------------------------------------------------------------------------
def _fw(fid):
    return Framework(id=fid, edition="1", prefix=fid.upper(), title=fid)


def _ctl(fw, n):
    return Control(id=f"{fw.prefix}:{n}", framework=fw.key, notation=n, parent=None, level="item", title=f"{fw.id}{n}",
                   provenance=Provenance.READ, order=int(n))


def _set(a, b, *rows, complete=True):
    return MappingSet(id=f"https://example.org/{a.id}-{b.id}", title="", subject_framework=a.key,
                      object_framework=b.key, mappings=tuple(rows), complete=complete)


A, B, C = _fw("a"), _fw("b"), _fw("c")
CONTROLS = tuple(_ctl(f, n) for f in (A, B, C) for n in ("1", "2", "3"))


def _catalog(*sets):
    return Catalog(frameworks=(A, B, C), controls=CONTROLS, mapping_sets=sets)


def test_incomplete_set_leaves_unreached_targets_unassessed_unless_a_row_says_no_relationship():
    cat = _catalog(_set(A, B, Mapping("A:1", "B:1", Relation.EQUAL, strength=9),
                        Mapping(NO_TERM, "B:2", Relation.NO_RELATIONSHIP), complete=False))
    result = coverage(cat, "a", "b", max_hops=1)
    assert [i.status for i in result.items] == [Status.COVERED, Status.GAP, Status.UNASSESSED]


def test_a_row_stated_from_the_target_side_counts_with_the_inverse_relation():
    # B:1 is a subset of A:1, so A:1 is a superset of B:1 and covers it
    cat = _catalog(_set(B, A, Mapping("B:1", "A:1", Relation.SUBSET_OF, strength=8)),
                   _set(A, B, Mapping(NO_TERM, "B:1", Relation.NO_RELATIONSHIP)))
    item = coverage(cat, "a", "b", max_hops=1).item("B:1")
    assert item.status is Status.COVERED and item.best.relation is Relation.SUPERSET_OF
    assert item.best.steps[0].inverted


def test_inference_composes_relations_with_the_weakest_link_and_is_marked_inferred():
    cat = _catalog(_set(A, B, Mapping("A:1", "B:1", Relation.EQUAL, strength=8, confidence=0.5)),
                   _set(B, C, Mapping("B:1", "C:1", Relation.SUPERSET_OF, strength=9, confidence=0.5),
                        Mapping("B:1", "C:2", Relation.SUBSET_OF, strength=9)))
    result = coverage(cat, "a", "c", max_hops=2)
    first, second = result.item("C:1"), result.item("C:2")
    assert first.status is Status.COVERED and first.best.inferred
    assert (first.best.relation, first.best.strength, first.best.confidence) == (Relation.SUPERSET_OF, 8, 0.25)
    assert second.status is Status.PARTIAL and second.best.relation is Relation.SUBSET_OF
    assert "推論" in first.explanation
    one_hop = coverage(cat, "a", "c", max_hops=1)
    assert one_hop.item("C:1").status is Status.UNASSESSED  # no path, and nobody assessed a→c directly


def test_nothing_follows_where_the_composition_table_has_no_entry():
    # subset_of then superset_of: A:1 ⊂ B:1 ⊃ C:1 says nothing about A:1 and C:1
    cat = _catalog(_set(A, B, Mapping("A:1", "B:1", Relation.SUBSET_OF, strength=9)),
                   _set(B, C, Mapping("B:1", "C:1", Relation.SUPERSET_OF, strength=9)))
    assert coverage(cat, "a", "c").item("C:1").best is None


def test_a_covering_path_is_preferred_over_a_weaker_but_higher_ranked_one():
    cat = _catalog(_set(A, B, Mapping("A:1", "B:1", Relation.EQUAL, strength=3),
                        Mapping("A:2", "B:1", Relation.SUPERSET_OF, strength=8)))
    item = coverage(cat, "a", "b").item("B:1")
    assert item.status is Status.COVERED and item.best.source_ids == ("A:2",)
    assert set(item.sources) == {"A:1", "A:2"}


def test_partial_sources_alone_do_not_cover_without_a_curated_group():
    rows = [Mapping("A:1", "B:1", Relation.SUBSET_OF, strength=5),
            Mapping("A:2", "B:1", Relation.SUBSET_OF, strength=5)]
    alone = coverage(_catalog(_set(A, B, *rows)), "a", "b").item("B:1")
    assert alone.status is Status.PARTIAL and set(alone.partial_sources) == {"A:1", "A:2"}
    grouped = [Mapping(m.subject_id, m.object_id, m.relation, strength=5, group="G1",
                       combined_relation=Relation.EQUAL, combined_strength=8) for m in rows]
    together = coverage(_catalog(_set(A, B, *grouped)), "a", "b").item("B:1")
    assert together.status is Status.COVERED and set(together.best.source_ids) == {"A:1", "A:2"}


def test_machine_suggestions_never_count():
    suggestion = Mapping("A:1", "B:1", Relation.EQUAL, strength=10,
                         justification="semapv:LexicalSimilarityThresholdMatching")
    assert coverage(_catalog(_set(A, B, suggestion)), "a", "b").item("B:1").status is Status.GAP


def test_scope_exclusion_wins_over_coverage():
    cat = _catalog(_set(A, B, Mapping("A:1", "B:1", Relation.EQUAL, strength=9)))
    scope = Scope("s", "", (Exclusion("B:1", "範囲外"),))
    item = coverage(cat, "a", "b", scope=scope).item("B:1")
    assert item.status is Status.NOT_APPLICABLE and "範囲外" in item.explanation


def test_rollup_counts_add_up_to_the_result(kg):
    result = cm.coverage(kg, source="mic", target="govt_unified_std")
    for by in ("part", "section"):
        totals = {}
        for r in result.rollup(by):
            for k, v in r.counts.items():
                totals[k] = totals.get(k, 0) + v
        assert totals == result.counts()
    sections = {r.key: r for r in result.rollup("section")}
    assert sections["GUS-R3:4.2"].counts["not_applicable"] == 6  # クラウド 4.2.1–4.2.6 all excluded


def test_scope_carries_to_another_edition_through_the_crosswalk(kg):
    result = cm.coverage(kg, source="mic", target="jisq15001@2017")
    item = result.item("JISQ15001-2017:A.3.4.2.5")  # 2006 3.4.2.4 was excluded; the crosswalk says they are one
    assert item.status is Status.NOT_APPLICABLE and "3.4.2.4" in item.not_applicable_reason


def test_bad_options_are_refused(kg):
    with pytest.raises(ValueError):
        cm.coverage(kg, source="mic", target="jisq15001", threshold=11)
    with pytest.raises(cm.UnknownFrameworkError):
        cm.coverage(kg, source="mic", target="iso27001")


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"threshold": 11}, "threshold is a strength from 0 to 10, not 11"),
    ({"threshold": -1}, "threshold is a strength from 0 to 10, not -1"),
    ({"max_hops": 0}, "max_hops must be at least 1, not 0"),
])
def test_bad_question_is_a_usage_error_naming_the_value(kg, kwargs, words):
    with pytest.raises(cm.UsageError, match=words) as err:
        cm.coverage(kg, source="mic", target="jisq15001", **kwargs)
    assert isinstance(err.value, ValueError)  # still caught by callers that catch ValueError


def test_gaps_against_nothing_is_a_usage_error(kg):
    with pytest.raises(cm.UsageError, match="at least one reference framework"):
        cm.gaps(kg, source="mic", against=[])

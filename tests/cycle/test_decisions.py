"""Committee decisions: the state machine, the decisions file, adopted items as MIC-ADD check items."""

from __future__ import annotations

import pytest

import controlmap as cm
from controlmap.errors import DataError
from controlmap.workflows.decisions import (
    TRANSITIONS,
    Decisions,
    DecisionState,
    TransitionError,
    additional_catalog,
    decide,
    parse_decisions,
    read_decisions,
    register,
    review_records,
    transition,
    write_decisions,
)

AGAINST = ["jisq15001", "govt_unified_std"]


@pytest.fixture(scope="module")
def gap(kg):
    return cm.gaps(kg, source="mic", against=AGAINST)


def _adopt(d: Decisions, cid: str, day: str = "2026-02-10") -> Decisions:
    d = transition(d, cid, "under_review", reviewer="運用監視委員会", day="2026-01-15")
    return transition(d, cid, DecisionState.ADOPTED, reviewer="運用監視委員会", reason="必要と判断", day=day)


def test_registered_candidates_start_proposed_with_a_copy_of_the_candidate(gap):
    c = gap.candidates[0]
    d = register(Decisions(), gap.candidates[:3], day="2026-01-10")
    assert len(d) == 3 and d[c.id].state is DecisionState.PROPOSED
    rec = d[c.id]
    assert (rec.title, rec.check_question, rec.targets, rec.suggested_chapter) == (
        c.title, c.check_question, c.targets, c.suggested_chapter)
    assert rec.provenance == c.provenance_tags and rec.basis == c.reason
    assert register(d, gap.candidates[:3]) == d  # registering again changes nothing


@pytest.mark.parametrize("path", [
    ["under_review", "adopted"], ["under_review", "rejected"], ["under_review", "deferred", "under_review", "adopted"],
    ["under_review", "rejected", "under_review", "deferred"],
])
def test_allowed_paths(gap, path):
    cid = gap.candidates[0].id
    d = register(Decisions(), gap.candidates[:1], day="2026-01-01")
    for n, state in enumerate(path, start=1):
        d = transition(d, cid, state, reviewer="委員会", reason=f"理由{n}", day=f"2026-01-{n + 1:02d}")
    assert d[cid].state.value == path[-1]
    assert [e.state.value for e in d[cid].history] == ["proposed", *path]
    assert d[cid].reason == f"理由{len(path)}" and d[cid].reviewer == "委員会"


@pytest.mark.parametrize("start, target", [
    (["under_review"], "under_review"), ([], "adopted"), ([], "rejected"), (["under_review", "adopted"], "deferred"),
    (["under_review", "deferred"], "adopted"), (["under_review", "rejected"], "adopted"),
])
def test_illegal_transitions_raise_a_clear_error(gap, start, target):
    cid = gap.candidates[0].id
    d = register(Decisions(), gap.candidates[:1], day="2026-01-01")
    for state in start:
        d = transition(d, cid, state, reviewer="委員会", reason="r", day="2026-01-02")
    current = d[cid].state
    assert DecisionState(target) not in TRANSITIONS[current]
    with pytest.raises(TransitionError, match=rf"{current.value} \({current.label_ja}\).*{target}"):
        transition(d, cid, target, reviewer="委員会", reason="r", day="2026-01-03")


def test_a_decision_needs_reviewer_reason_and_a_sane_date(gap):
    cid = gap.candidates[0].id
    d = transition(register(Decisions(), gap.candidates[:1], day="2026-01-01"), cid, "審議中", reviewer="委員会",
                   day="2026-01-05")
    with pytest.raises(TransitionError, match="needs a reason"):
        transition(d, cid, "採択", reviewer="委員会", reason=" ")
    with pytest.raises(TransitionError, match="needs the reviewer"):
        transition(d, cid, "adopted", reviewer="", reason="r")
    with pytest.raises(TransitionError, match="before its last decision"):
        transition(d, cid, "adopted", reviewer="委員会", reason="r", day="2025-12-31")
    with pytest.raises(TransitionError, match="not a date"):
        transition(d, cid, "adopted", reviewer="委員会", reason="r", day="2026-02-30")
    with pytest.raises(ValueError, match="unknown state"):
        transition(d, cid, "maybe", reviewer="委員会", reason="r")
    with pytest.raises(TransitionError, match="no decision record"):
        transition(d, "C-NOPE", "adopted", reviewer="委員会", reason="r")


def test_adopted_candidates_are_numbered_in_order_and_never_renumbered(gap, tmp_path):
    ids = [c.id for c in gap.candidates[:4]]
    d = register(Decisions(), gap.candidates[:4], day="2026-01-01")
    d = _adopt(d, ids[2])
    d = _adopt(d, ids[0])
    assert (d[ids[2]].adopted_id, d[ids[0]].adopted_id) == ("MIC-ADD-01", "MIC-ADD-02")
    path = write_decisions(d, tmp_path / "decisions.yaml")
    d = read_decisions(path)
    d = transition(d, ids[1], "under_review", reviewer="委員会", day="2026-03-01")
    d = transition(d, ids[1], "rejected", reviewer="委員会", reason="住基ネットでは不要", day="2026-03-01")
    d = _adopt(d, ids[3], day="2026-03-02")
    assert [x.adopted_id for x in d.adopted()] == ["MIC-ADD-01", "MIC-ADD-02", "MIC-ADD-03"]
    assert d[ids[1]].adopted_id == ""


def test_decisions_file_round_trip_and_hand_edits_are_caught(gap, tmp_path):
    d = _adopt(register(Decisions(), gap.candidates[:2], day="2026-01-01"), gap.candidates[0].id)
    path = write_decisions(d, tmp_path / "decisions.yaml")
    assert read_decisions(path) == d
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 運用監視委員会の決定記録")
    edited = text.replace("state: proposed\n  title", "state: adopted\n  title", 1)
    with pytest.raises(DataError) as err:
        parse_decisions(edited, "decisions.yaml")
    messages = [str(p) for p in err.value.problems]
    assert any("differs from the last history step" in m for m in messages)
    assert any("needs adopted_id" in m for m in messages)
    # the problem names the line of the record
    second = text.splitlines().index(f"- id: {gap.candidates[1].id}") + 1
    assert any(p.row == second for p in err.value.problems)
    skipped = text.replace("  - state: under_review", "  - state: deferred", 1)
    with pytest.raises(DataError, match="proposed → deferred is not an allowed transition"):
        parse_decisions(skipped, "decisions.yaml")
    assert read_decisions(tmp_path / "none.yaml") == Decisions()


def test_decide_registers_from_candidates_and_writes_only_on_success(gap, tmp_path):
    path = tmp_path / "decisions.yaml"
    cid = gap.candidates[5].id
    with pytest.raises(TransitionError):
        decide(path, cid, "adopted", reviewer="委員会", reason="r", candidates=gap.candidates)
    assert not path.exists()
    decide(path, cid, "under_review", reviewer="委員会", candidates=gap.candidates, day="2026-01-10")
    rec = decide(path, cid, "adopted", reviewer="委員会", reason="必要", day="2026-01-20")
    assert rec.adopted_id == "MIC-ADD-01" and read_decisions(path)[cid].state is DecisionState.ADOPTED
    with pytest.raises(TransitionError, match="neither in"):
        decide(path, "C-UNKNOWN", "under_review", reviewer="委員会", candidates=gap.candidates)


def test_adopted_items_form_the_additional_checklist(gap, kg):
    jis = next(c for c in gap.candidates if c.frameworks == ("jisq15001@2006",))
    gus = next(c for c in gap.candidates if c.frameworks == ("govt_unified_std@2021",))
    d = _adopt(_adopt(register(Decisions(), [jis, gus], day="2026-01-01"), jis.id), gus.id)
    extra = additional_catalog(d, kg.catalog)
    assert [c.id for c in extra.controls] == ["MICADD:MIC-ADD-01", "MICADD:MIC-ADD-02"]
    first = extra.control("MICADD:MIC-ADD-01")
    assert (first.title, first.summary) == (jis.title, jis.check_question)
    assert jis.id in first.source_ref and all(t in first.source_ref for t in jis.targets)
    rows = {(m.subject_id, m.object_id, m.relation) for ms in extra.mapping_sets for m in ms.mappings}
    assert ("MICADD:MIC-ADD-01", jis.targets[0], cm.Relation.EQUAL) in rows
    assert {ms.object_framework for ms in extra.mapping_sets} == {"jisq15001@2006", "govt_unified_std@2021"}
    # the additional checklist loads beside the shipped data and validates
    merged = kg.catalog.merge(extra)
    from controlmap.io.loader import check_catalog

    assert check_catalog(merged) == []


def test_review_records_put_candidates_and_proposals_side_by_side(gap):
    from controlmap.workflows.survey import ItemRate, make_proposals

    rate = ItemRate("MIC:MIC-04-12", "MIC-04-12", "離席時のログオフ", 10, 9, 10, 4, 10)
    proposals = make_proposals([rate], year=2026)
    d = register(Decisions(), [*gap.candidates[:1], *proposals], day="2026-01-01")
    d = transition(d, proposals[0].id, "under_review", reviewer="委員会", day="2026-01-02")
    rows = review_records(gap, proposals, d)
    assert len(rows) == len(gap.candidates) + 1
    by_id = {r["id"]: r for r in rows}
    assert by_id[proposals[0].id]["state"] == "under_review" and by_id[proposals[0].id]["kind"] == "proposal"
    assert by_id[gap.candidates[1].id]["state"] == "proposed"
    assert all(r["provenance"] for r in rows if r["kind"] == "candidate")

"""Candidates: one per open reference control (merged across frameworks when curated as equal),
stable ids, the documented priority formula, MIC-style questions, provenance, suggested chapters."""

from __future__ import annotations

import controlmap as cm
from controlmap import Catalog, Control, Framework, Mapping, MappingSet, Provenance, Relation, Status
from controlmap.queries.candidates import gaps
from controlmap.queries.phrasing import check_question

AGAINST = ["jisq15001", "govt_unified_std"]


def test_every_open_target_becomes_exactly_one_candidate_and_excluded_ones_never(kg):
    result = cm.gaps(kg, source="mic", against=AGAINST)
    open_ids = {i.control.id for cov in result.coverages for i in cov.items if i.status in (Status.GAP, Status.PARTIAL)}
    excluded = {i.control.id for cov in result.coverages for i in cov.items if i.status is Status.NOT_APPLICABLE}
    cited = [t for c in result.candidates for t in c.targets]
    assert sorted(cited) == sorted(open_ids)
    assert not excluded & set(cited)
    assert len({c.id for c in result.candidates}) == len(result.candidates)


def test_the_expected_gaps_become_candidates_with_the_curators_reason(kg):
    result = cm.gaps(kg, source="mic", against=AGAINST)
    by_id = {c.id: c for c in result.candidates}
    complaint = by_id["C-JISQ15001-2006-3.6"]
    assert complaint.status is Status.GAP and complaint.targets == ("JISQ15001-2006:3.6",)
    row_comment = next(m.comment for ms in kg.catalog.mapping_sets if ms.subject_framework == "mic@2009"
                       for m in ms.mappings if m.object_id == "JISQ15001-2006:3.6")
    assert row_comment in complaint.reason
    assert "C-JISQ15001-2006-3.4.3.4" not in by_id  # covered by the MIC 委託 items


def test_ids_are_stable_across_runs_and_thresholds(kg):
    first = {c.id: c.targets for c in cm.gaps(kg, source="mic", against=AGAINST).candidates}
    again = {c.id: c.targets for c in cm.gaps(kg, source="mic", against=list(reversed(AGAINST))).candidates}
    assert first == again
    stricter = {c.id: c.targets for c in cm.gaps(kg, source="mic", against=AGAINST, threshold=9).candidates}
    assert all(stricter[cid] == targets for cid, targets in first.items())  # more candidates, same ids


def test_priority_follows_the_documented_formula(kg):
    result = cm.gaps(kg, source="mic", against=AGAINST)
    scope = kg.scope("juki_net")
    items = {i.control.id: i for cov in result.coverages for i in cov.items}
    for c in result.candidates:
        uncovered = max(1.0 if items[t].status is Status.GAP else 1 - items[t].best.strength / 10 for t in c.targets)
        evidence = sum(1.0 if p is Provenance.READ else 0.7 for p in c.provenance) / len(c.provenance)
        breadth = 1.0 if len(set(c.frameworks)) >= 2 else 0.8
        own = 1.0 if c.responsibility == ("市区町村",) or c.responsibility[0] == "市区町村" else 0.5
        expected = round(100 * uncovered * evidence * breadth * own)
        group = next((g for g in scope.merges if set(c.targets) & set(g.controls)), None)
        if group is not None and group.priority_level:
            expected = min(expected, {"高": 100, "中": 59, "低": 29}[group.priority_level])
        assert c.priority == expected, c.id
        assert c.provenance == tuple(items[t].control.provenance for t in c.targets)


def test_check_questions_are_in_the_mic_style(kg):
    for c in cm.gaps(kg, source="mic", against=AGAINST).candidates:
        assert c.check_question.endswith("か。"), c.check_question
        assert "こと" not in c.check_question[-6:]


def test_questions_conjugate_the_final_verb():
    assert check_question("苦情に対応する体制を整えること。") == "苦情に対応する体制を整えているか。"
    assert check_question("ログを取得し保存する。") == "ログを取得し保存しているか。"
    assert check_question("委託先を監督すること。") == "委託先を監督しているか。"
    assert check_question("修正プログラムを適用し脆弱性を防ぐ。") == "修正プログラムを適用し脆弱性を防いでいるか。"
    assert check_question("本人の同意を得る。") == "本人の同意を得ているか。"


def test_partial_candidates_join_the_chapter_of_an_item_that_already_touches_them(kg):
    result = cm.gaps(kg, source="mic", against=AGAINST)
    chapters = {c.id for c in kg.catalog.controls_of("mic") if c.parent is None}
    for c in result.candidates:
        assert c.suggested_chapter in chapters
        if c.partial_sources:
            parents = {kg.catalog.control(s).parent for s in c.partial_sources}
            assert c.suggested_chapter in parents, c.id


def test_reference_controls_curated_as_equal_merge_into_one_candidate():
    fws = [Framework(id=f, edition="1", prefix=f.upper(), title=f) for f in ("chk", "ref1", "ref2")]
    chk, r1, r2 = fws
    ctl = lambda fw, n, t: Control(id=f"{fw.prefix}:{n}", framework=fw.key, notation=n, parent=None,  # noqa: E731
                                  level="item", title=t, summary=f"{t}を定めること。", provenance=Provenance.READ,
                                  order=1)
    controls = (ctl(chk, "1", "点検"), ctl(r1, "1", "苦情対応"), ctl(r2, "1", "苦情処理"), ctl(r2, "2", "監査"))

    def complete(a, b, *rows):
        return MappingSet(id=f"https://example.org/{a.id}-{b.id}", title="", subject_framework=a.key,
                          object_framework=b.key, mappings=rows, complete=True)

    cat = Catalog(frameworks=tuple(fws), controls=controls, mapping_sets=(
        complete(chk, r1, Mapping(cm.NO_TERM, "REF1:1", Relation.NO_RELATIONSHIP)),
        complete(chk, r2, Mapping(cm.NO_TERM, "REF2:1", Relation.NO_RELATIONSHIP),
                 Mapping(cm.NO_TERM, "REF2:2", Relation.NO_RELATIONSHIP)),
        complete(r1, r2, Mapping("REF1:1", "REF2:1", Relation.EQUAL, strength=9)),
    ))
    result = gaps(cat, "chk", ["ref1", "ref2"], max_hops=1)
    merged = next(c for c in result.candidates if "REF1:1" in c.targets)
    assert merged.targets == ("REF1:1", "REF2:1") and merged.frameworks == ("ref1@1", "ref2@1")
    assert merged.id == "C-REF1-1" and merged.priority_factors["B"] == 1.0
    alone = next(c for c in result.candidates if c.targets == ("REF2:2",))
    assert alone.priority_factors["B"] == 0.8 and alone.priority == 80

"""controlmap.suggest: valid SSSOM suggestions that never count as coverage until a person accepts them."""

from __future__ import annotations

import re

import pytest
from conftest import DATA, read_sssom_file

import controlmap as cm
from controlmap.io.sssom import parse_sssom, resolve_ids, write_sssom
from controlmap.model import Relation
from controlmap.queries.suggest import JUSTIFICATION, Suggester, TextVectorizer, char_ngrams, suggest
from controlmap.workflows.review import accept, append_curated


@pytest.fixture(scope="module")
def mic_gus(catalog):
    return suggest(catalog, "mic", "govt_unified_std", top_k=3, date="2026-11-26")


def test_ngrams_compare_nfkc_forms():
    assert char_ngrams("ＩＤカード") == char_ngrams("IDカード") == char_ngrams("idカード")
    # never across punctuation: 「規程・手順」 has no n-gram spanning the 中黒
    assert "程手" not in char_ngrams("規程・手順")
    X = TextVectorizer().fit_transform(["入退室の記録", "入退室の記録", "暗号化の鍵"])
    assert (X[0] @ X[1].T).toarray()[0, 0] == pytest.approx(1.0)


def test_suggestions_are_valid_sssom_resolving_against_the_catalog(mic_gus, catalog, shipped_editions):
    parsed = parse_sssom(write_sssom(mic_gus, catalog), "suggestions.sssom.tsv")
    ms, problems = resolve_ids(parsed, catalog)
    assert problems == []
    assert ms.kind == "suggested" and ms.complete is False
    assert ms.subject_framework == "mic@2009" and ms.object_framework == "govt_unified_std@2021"
    assert {(m.subject_id, m.object_id, m.relation) for m in ms.mappings} == \
        {(m.subject_id, m.object_id, m.relation) for m in mic_gus.mappings}
    mic = shipped_editions["mic@2009"].assessable_ids
    gus = shipped_editions["govt_unified_std@2021"].assessable_ids
    for m in ms.mappings:
        assert m.subject_id in mic and m.object_id in gus
        assert m.justification == JUSTIFICATION and not m.is_curated
        assert 0.0 <= m.confidence <= 1.0 and 0 <= m.strength <= 10
        assert m.relation is not Relation.NO_RELATIONSHIP
    per_source = {}
    for m in ms.mappings:
        per_source[m.subject_id] = per_source.get(m.subject_id, 0) + 1
    assert max(per_source.values()) <= 3


def test_pairs_already_curated_are_not_proposed(mic_gus):
    shipped = read_sssom_file(DATA / "mappings" / "mic_govt_unified_std-2021.sssom.tsv")
    curated = {(r["subject_id"], r["object_id"]) for _, r in shipped.rows}
    assert curated
    assert not {(m.subject_id, m.object_id) for m in mic_gus.mappings} & curated


def test_rejected_pair_is_not_suggested_again(catalog):
    first = suggest(catalog, "mic", "jisq15001", top_k=2, date="2026-11-26")
    pair = (first.mappings[0].subject_id, first.mappings[0].object_id)
    again = suggest(catalog, "mic", "jisq15001", top_k=2, rejected={pair}, date="2026-11-26")
    assert pair not in {(m.subject_id, m.object_id) for m in again.mappings}
    assert sum(m.subject_id == pair[0] for m in again.mappings) == 2  # the next candidate takes its place


def test_min_score_keeps_only_confident_rows(catalog):
    all_rows = suggest(catalog, "mic", "jisq15001", top_k=5, date="2026-11-26")
    kept = suggest(catalog, "mic", "jisq15001", top_k=5, min_score=0.5, date="2026-11-26")
    assert {(m.subject_id, m.object_id) for m in kept.mappings} == \
        {(m.subject_id, m.object_id) for m in all_rows.mappings if m.confidence >= 0.5}
    assert suggest(catalog, "mic", "jisq15001", min_score=1.01).mappings == ()


def test_identical_titles_are_proposed_as_equal(catalog, shipped_editions):
    mic = {r["id"]: r for _, r in shipped_editions["mic@2009"].rows}
    jis = {r["id"]: r for _, r in shipped_editions["jisq15001@2006"].rows}
    assert mic["MIC-06-10"]["title"] == jis["3.4.3.1"]["title"]
    s = Suggester(catalog, "mic", "jisq15001")
    ms = s.suggest(top_k=1, sources=["MIC-06-10"])
    assert [(m.object_id, m.relation) for m in ms.mappings] == [("JISQ15001-2006:3.4.3.1", Relation.EQUAL)]


def test_learning_uses_curated_rows_of_the_two_editions_only(catalog):
    s = Suggester(catalog, "mic", "jisq15001")
    pairs = s.training_pairs(m for ms in catalog.mapping_sets for m in ms.mappings)
    shipped = read_sssom_file(DATA / "mappings" / "mic_jisq15001-2006.sssom.tsv")
    positive = {(r["subject_id"], r["object_id"]) for _, r in shipped.rows
                if "sssom:NoTermFound" not in (r["subject_id"], r["object_id"])}
    assert {(s.sources[i].id, s.targets[j].id) for i, j, _ in pairs} == positive
    assert s.learn(m for ms in catalog.mapping_sets for m in ms.mappings).learned is not None


def _statuses(result):
    return {item.control.id: item.status for item in result.items}


def test_suggestions_never_change_coverage_until_accepted(tmp_path, kg, mic_gus):
    path = tmp_path / "suggestions.sssom.tsv"
    path.write_text(write_sssom(mic_gus, kg.catalog), encoding="utf-8")
    before = cm.coverage(kg, source="mic", target="govt_unified_std")
    with_suggestions = cm.load(path)
    assert any(ms.kind == "suggested" for ms in with_suggestions.catalog.mapping_sets)
    after = cm.coverage(with_suggestions, source="mic", target="govt_unified_std")
    assert _statuses(after) == _statuses(before)

    # accept one suggestion whose target is not covered: the accepted (curated) row now takes part
    status = _statuses(before)
    chosen = next(m for m in mic_gus.mappings if status[m.object_id] in (cm.Status.GAP, cm.Status.PARTIAL))
    curated = accept(chosen, "テスト担当", date="2026-11-27", relation="equal", strength=9)
    reviewed, added = append_curated(tmp_path / "reviewed.sssom.tsv", [curated], kg.catalog,
                                     "mic@2009", "govt_unified_std@2021")
    assert added == 1
    accepted = cm.coverage(cm.load(path, reviewed), source="mic", target="govt_unified_std")
    assert _statuses(accepted)[chosen.object_id] is cm.Status.COVERED
    item = next(i for i in accepted.items if i.control.id == chosen.object_id)
    assert chosen.subject_id in repr(item)
    changed = {k for k, v in _statuses(accepted).items() if v != status[k]}
    assert chosen.object_id in changed


def test_the_score_is_in_the_similarity_score_column(mic_gus, catalog):
    text = write_sssom(mic_gus, catalog)
    assert "#similarity_measure: cosine of TF-IDF vectors" in text
    ms, _ = resolve_ids(parse_sssom(text, "suggestions.sssom.tsv"), catalog)
    scores: dict[str, list[tuple[int, float]]] = {}
    for m in ms.mappings:
        score = float(dict(m.extra)["similarity_score"])
        assert 0.0 <= score <= 1.0 and "スコア" not in m.comment
        rank = int(re.search(r"候補順位 (\d+)", m.comment).group(1))
        scores.setdefault(m.subject_id, []).append((rank, score))
    for ranked in scores.values():  # the rank in the comment follows the score, best first
        by_rank = [score for _, score in sorted(ranked)]
        assert by_rank == sorted(by_rank, reverse=True)
    assert len({score for v in scores.values() for _, score in v}) > 10
    curated = accept(ms.mappings[0], "山田", date="2026-11-26")
    assert "similarity_score" not in dict(curated.extra)  # a reviewed row keeps no machine score

"""controlmap.review and `controlmap suggest`/`review`: accepted rows become curated, rejected pairs are remembered."""

from __future__ import annotations

import pytest
from conftest import DATA, read_sssom_file

import controlmap as cm
from controlmap.cli.main import main
from controlmap.errors import DataError
from controlmap.model import Mapping, Relation
from controlmap.queries.suggest import JUSTIFICATION
from controlmap.workflows.review import (
    Rejection,
    accept,
    append_curated,
    apply_review,
    format_rejections,
    parse_rejections,
    parse_reviewed,
    read_rejections,
    write_rejections,
)

SUGGESTION = Mapping("MIC:MIC-03-06", "GUS-R3:3.2.1(3)", Relation.SUBSET_OF, 3, 0.8, JUSTIFICATION,
                     author="controlmap suggest", comment="自動提案(未レビュー, 語彙のみ): スコア 0.4")


def test_accept_makes_a_curated_row_with_reviewer_and_date():
    row = accept(SUGGESTION, "山田", date="2026-11-27")
    assert row.is_curated and row.justification == "semapv:ManualMappingCuration"
    assert (row.reviewer, row.date, row.relation, row.strength) == ("山田", "2026-11-27", Relation.SUBSET_OF, 3)
    assert "未レビュー" not in row.comment
    edited = accept(SUGGESTION, "山田", relation="equal", strength=8, confidence=0.9, comment="確認済み")
    assert (edited.relation, edited.strength, edited.confidence, edited.comment) == (Relation.EQUAL, 8, 0.9, "確認済み")
    with pytest.raises(ValueError, match="reviewer"):
        accept(SUGGESTION, "")
    with pytest.raises(ValueError, match="strength"):
        accept(SUGGESTION, "山田", strength=11)


def test_apply_review_splits_and_rejects_unknown_pairs():
    other = Mapping("MIC:MIC-03-07", "GUS-R3:3.2.1(3)", Relation.SUBSET_OF, 3, 0.5, JUSTIFICATION)
    third = Mapping("MIC:MIC-03-08", "GUS-R3:3.2.1(3)", Relation.SUBSET_OF, 3, 0.5, JUSTIFICATION)
    out = apply_review([SUGGESTION, other, third], {("MIC:MIC-03-06", "GUS-R3:3.2.1(3)"): "accept",
                                                   ("MIC:MIC-03-07", "GUS-R3:3.2.1(3)"): "reject"},
                       "山田", date="2026-11-27", comment="理由")
    assert [m.subject_id for m in out.accepted] == ["MIC:MIC-03-06"]
    assert [(r.subject_id, r.reviewer, r.reason) for r in out.rejected] == [("MIC:MIC-03-07", "山田", "理由")]
    assert out.pending == (third,)
    with pytest.raises(ValueError, match="not among the suggestions"):
        apply_review([SUGGESTION], {("MIC:MIC-01-01", "GUS-R3:3.2.1(3)"): "accept"}, "山田")


def test_rejections_file_round_trip_and_problems(tmp_path):
    rows = [Rejection("MIC:MIC-01-01", "GUS-R3:2.1.1(3)", Relation.SUBSET_OF, "山田", "2026-11-27", "別の役割"),
            Rejection("MIC:MIC-01-02", "GUS-R3:2.1.1(3)", None, "山田", "2026-11-27", "")]
    again = parse_rejections(format_rejections(rows), "r.tsv")
    assert [(r.subject_id, r.object_id, r.relation, r.reviewer, r.reason) for r in again] == \
        [(r.subject_id, r.object_id, r.relation, r.reviewer, r.reason) for r in rows]
    path, added = write_rejections(tmp_path / "rejections.tsv", rows)
    assert added == 2
    assert write_rejections(path, rows[:1]) == (path, 0)  # remembered once
    assert len(read_rejections(path)) == 2
    assert read_rejections(tmp_path / "missing.tsv") == ()
    with pytest.raises(DataError, match="missing column 'object_id'"):
        parse_rejections("subject_id\tcomment\nMIC:MIC-01-01\tx\n", "bad.tsv")
    with pytest.raises(DataError) as err:
        parse_rejections("subject_id\tobject_id\tpredicate_id\nA\tB\tskos:closeMatch\n", "bad.tsv")
    assert err.value.problems[0].row == 2


def test_review_column_is_split_off_with_line_numbers():
    text = "#mapping_set_id: x\nsubject_id\tobject_id\treview\nA\tB\taccept\nC\tD\t\nE\tF\t却下\n"
    clean, decisions = parse_reviewed(text, "s.tsv")
    assert clean.splitlines()[1:] == ["subject_id\tobject_id", "A\tB", "C\tD", "E\tF"]
    assert decisions == {3: "accept", 5: "reject"}
    with pytest.raises(DataError) as err:
        parse_reviewed("subject_id\treview\nA\tmaybe\n", "s.tsv")
    assert (err.value.problems[0].row, err.value.problems[0].column) == (2, "review")


def test_append_keeps_an_existing_file_byte_for_byte(tmp_path, catalog):
    shipped = DATA / "mappings" / "mic_govt_unified_std-2021.sssom.tsv"
    target = tmp_path / "copy.sssom.tsv"
    target.write_bytes(shipped.read_bytes())
    row = accept(Mapping("MIC:MIC-01-11", "GUS-R3:2.1.1(5)", Relation.INTERSECTS_WITH, 2, 0.6, JUSTIFICATION),
                 "山田", date="2026-11-27")
    assert append_curated(target, [row], catalog, "mic", "govt_unified_std") == (target, 1)
    assert target.read_bytes().startswith(shipped.read_bytes())
    added = read_sssom_file(target).rows[-1][1]
    assert (added["subject_id"], added["predicate_id"], added["object_id"]) == \
        ("MIC:MIC-01-11", "skos:relatedMatch", "GUS-R3:2.1.1(5)")
    assert (added["reviewer_label"], added["mapping_date"]) == ("山田", "2026-11-27")
    assert added["mapping_justification"] == "semapv:ManualMappingCuration"
    assert append_curated(target, [row], catalog, "mic", "govt_unified_std") == (target, 0)  # already there
    with pytest.raises(DataError, match="maps mic@2009"):
        append_curated(target, [row], catalog, "mic", "jisq15001")


def _mark(path, verdicts: dict[int, str]) -> list[tuple[str, str]]:
    """Add a review column; ``verdicts`` maps data row index -> verdict. Returns the (subject, object) per row."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out, pairs, n = [], [], -1
    for line in lines:
        if line.startswith("#"):
            out.append(line)
        elif n < 0:
            header = line.split("\t")
            out.append(line + "\treview")
            n = 0
        else:
            cells = dict(zip(header, line.split("\t"), strict=True))
            pairs.append((cells["subject_id"], cells["object_id"]))
            out.append(line + "\t" + verdicts.get(n, ""))
            n += 1
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return pairs


def test_cli_suggest_review_suggest_loop(tmp_path, capsys):
    work = tmp_path / "work"
    suggestions = work / "suggestions.sssom.tsv"
    assert main(["suggest", "--source", "mic", "--target", "jisq15001", "--top-k", "2", "-o", str(suggestions)]) == 0
    pairs = _mark(suggestions, {0: "accept", 1: "reject", 2: "却下"})
    assert main(["review", str(suggestions), "--reviewer", "山田", "--date", "2026-11-27"]) == 0
    out = capsys.readouterr().out
    assert "accepted 1" in out and "rejected 2" in out
    rejected = {(r.subject_id, r.object_id) for r in read_rejections(work / "rejections.tsv")}
    assert rejected == {pairs[1], pairs[2]}
    reviewed = work / "reviewed.sssom.tsv"
    kg = cm.load(reviewed)
    curated = [m for ms in kg.catalog.mapping_sets if ms.origin == str(reviewed) for m in ms.mappings]
    assert [(m.subject_id, m.object_id, m.reviewer, m.date, m.is_curated) for m in curated] == \
        [(*pairs[0], "山田", "2026-11-27", True)]

    again = work / "again.sssom.tsv"
    assert main(["suggest", "--source", "mic", "--target", "jisq15001", "--top-k", "2", "-o", str(again),
                 "--load", str(reviewed)]) == 0
    proposed = {(r["subject_id"], r["object_id"]) for _, r in read_sssom_file(again).rows}
    assert not proposed & {pairs[0], pairs[1], pairs[2]}


def test_cli_review_by_ids_and_errors(tmp_path, capsys):
    suggestions = tmp_path / "s.sssom.tsv"
    assert main(["suggest", "--source", "mic", "--target", "govt_unified_std", "--top-k", "1",
                 "-o", str(suggestions)]) == 0
    first = read_sssom_file(suggestions).rows[0][1]
    subject, obj = first["subject_id"], first["object_id"]
    assert main(["review", str(suggestions)]) == 2  # nothing decided
    assert "nothing to review" in capsys.readouterr().err
    # NFKC-insensitive ids: the notation alone in full-width letters names the same control
    wide = subject.split(":", 1)[1].translate({ord(c): ord(c) + 0xFEE0 for c in "MIC"})
    assert main(["review", str(suggestions), "--reviewer", "山田", "--accept", wide, obj,
                 "--relation", "intersects_with", "--strength", "4", "--prune"]) == 0
    row = read_sssom_file(tmp_path / "reviewed.sssom.tsv").rows[0][1]
    assert (row["subject_id"], row["predicate_id"], row["strength"]) == (subject, "skos:relatedMatch", "4")
    assert (subject, obj) not in {(r["subject_id"], r["object_id"]) for _, r in read_sssom_file(suggestions).rows}

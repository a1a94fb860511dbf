"""controlmap.lint and `controlmap lint-mappings`: planted mistakes are found, the shipped sets are clean."""

from __future__ import annotations

import shutil
import unicodedata

import pytest
from conftest import DATA, read_sssom_file

from controlmap.cli.main import main
from controlmap.queries.lint_family import FAMILY_RULES
from controlmap.workflows.lint import RULES, lint_files

MIC_GUS = DATA / "mappings" / "mic_govt_unified_std-2021.sssom.tsv"


def _line(header: list[str], **cells: str) -> str:
    return "\t".join(cells.get(col, "") for col in header)


def _row(header, subject, predicate, obj, strength="5"):
    return _line(header, subject_id=subject, predicate_id=predicate, object_id=obj,
                 mapping_justification="semapv:ManualMappingCuration", confidence="0.7",
                 strength="0" if obj == "sssom:NoTermFound" else strength, author_label="planted by the test")


def _bigrams(text: str) -> set[str]:
    t = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())
    return {t[i:i + 2] for i in range(len(t) - 1)}


@pytest.fixture
def planted(tmp_path):
    """A copy of the shipped MIC → 統一基準 set with one mistake per rule appended; returns (path, expected)."""
    shipped = read_sssom_file(MIC_GUS)
    path = tmp_path / "planted.sssom.tsv"
    shutil.copy(MIC_GUS, path)
    rows = {(r["subject_id"], r["predicate_id"], r["object_id"]) for _, r in shipped.rows}
    # the facts each plant relies on, read from the shipped file itself
    _, first = shipped.rows[0]
    assert ("MIC:MIC-01-03", "skos:broadMatch", "GUS-R3:2.1.1(4)") in rows
    assert ("MIC:MIC-04-02", "skos:exactMatch", "GUS-R3:6.1.1(1)") in rows
    assert ("MIC:MIC-02-07", "skos:exactMatch", "GUS-R3:3.1.1(2)") in rows
    assert not any(s == "MIC:MIC-03-08" and p == "skos:exactMatch" for s, p, _ in rows)
    header = shipped.header
    text = path.read_text(encoding="utf-8")
    n = len(text.splitlines())
    planted_rows = [
        ("duplicate", "\t".join(first[c] for c in header)),
        ("contradiction", _row(header, "MIC:MIC-01-03", "skos:narrowMatch", "GUS-R3:2.1.1(4)")),
        ("one-to-many-equal", _row(header, "MIC:MIC-04-02", "skos:exactMatch", "GUS-R3:6.1.1(2)", "8")),
        ("equal-and-no-relationship", _row(header, "MIC:MIC-02-07", "skos:relatedMatch", "sssom:NoTermFound")),
        ("equal-dissimilar", _row(header, "MIC:MIC-03-08", "skos:exactMatch", "GUS-R3:2.3.2(1)", "8")),
    ]
    path.write_text(text + "\n".join(line for _, line in planted_rows) + "\n", encoding="utf-8")
    expected = {(rule, n + i) for i, (rule, _) in enumerate(planted_rows, start=1)}
    assert {rule for rule, _ in expected} == set(RULES) - set(FAMILY_RULES)  # those: test_lint_family.py
    return path, expected


def test_shipped_curated_sets_have_no_findings(catalog):
    assert lint_files(sorted((DATA / "mappings").glob("*.sssom.tsv")), catalog) == []


def test_planted_mistakes_are_found_exactly(planted, catalog):
    path, expected = planted
    findings = lint_files([path], catalog)
    assert {(f.rule, f.row) for f in findings} == expected
    assert all(f.file == str(path) for f in findings)


def test_the_dissimilar_plant_really_shares_nothing(catalog):
    a, b = catalog.control("MIC:MIC-03-08"), catalog.control("GUS-R3:2.3.2(1)")
    assert not _bigrams(a.title + a.summary) & _bigrams(b.title + b.summary)


def test_findings_name_the_rows_involved(planted, catalog):
    path, _ = planted
    by_rule = {f.rule: f for f in lint_files([path], catalog)}
    assert "MIC:MIC-04-02" in by_rule["one-to-many-equal"].message
    assert "GUS-R3:6.1.1(1)" in by_rule["one-to-many-equal"].message
    assert "GUS-R3:3.1.1(2)" in by_rule["equal-and-no-relationship"].message
    assert "superset_of" in by_rule["contradiction"].message and "subset_of" in by_rule["contradiction"].message
    assert str(by_rule["duplicate"]).startswith(f"{path}:")


def _small_set(tmp_path, rows: list[tuple[str, str, str]]):
    """A new mic → 統一基準 set (complete=false) holding only ``rows``; returns (path, first data line)."""
    shipped = read_sssom_file(MIC_GUS)
    meta = [line for line in MIC_GUS.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    meta = [line.replace("complete=true", "complete=false").replace("mic_govt_unified_std-2021", "lint-test")
            for line in meta]
    body = ["\t".join(shipped.header), *(_row(shipped.header, *r) for r in rows)]
    path = tmp_path / "small.sssom.tsv"
    path.write_text("\n".join(meta + body) + "\n", encoding="utf-8")
    return path, len(meta) + 2


def test_direction_contradicting_the_hierarchy(tmp_path, catalog):
    # GUS 2.2.4(1) is a part of 2.2.4; MIC-09-01 cannot contain 2.2.4 yet be a strict part of 2.2.4(1)
    assert catalog.control("GUS-R3:2.2.4(1)").parent == "GUS-R3:2.2.4"
    path, first = _small_set(tmp_path, [("MIC:MIC-09-01", "skos:narrowMatch", "GUS-R3:2.2.4"),
                                        ("MIC:MIC-09-01", "skos:broadMatch", "GUS-R3:2.2.4(1)")])
    findings = lint_files([path], catalog)
    assert [(f.rule, f.row) for f in findings] == [("contradiction", first + 1)]
    assert "hierarchy" in findings[0].message


def test_subject_side_hierarchy_and_consistent_rows(tmp_path, catalog):
    # MIC-04-03 is part of chapter MIC-04: the item containing X while the chapter is inside X contradicts
    assert catalog.control("MIC:MIC-04-03").parent == "MIC:MIC-04"
    path, _ = _small_set(tmp_path, [("MIC:MIC-04", "skos:broadMatch", "GUS-R3:6.1.4(1)"),
                                        ("MIC:MIC-04-03", "skos:narrowMatch", "GUS-R3:6.1.4(1)")])
    assert [f.rule for f in lint_files([path], catalog)] == ["contradiction"]
    # the consistent direction (item inside, chapter inside) is fine
    path, _ = _small_set(tmp_path, [("MIC:MIC-04", "skos:broadMatch", "GUS-R3:6.1.4(1)"),
                                    ("MIC:MIC-04-03", "skos:broadMatch", "GUS-R3:6.1.4(1)")])
    assert lint_files([path], catalog) == []


def test_contradiction_across_files_stated_from_the_other_side(tmp_path, catalog):
    """A row in a GUS → MIC file is read from the other side: GUS ⊆ MIC means MIC ⊇ GUS."""
    path, _ = _small_set(tmp_path, [("MIC:MIC-01-03", "skos:broadMatch", "GUS-R3:2.1.1(4)")])
    meta = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    meta = [line.replace("subject_source: https://w3id.org/controlmap/mic/2009",
                         "subject_source: https://w3id.org/controlmap/govt_unified_std/2021")
                .replace("object_source: https://w3id.org/controlmap/govt_unified_std/2021",
                         "object_source: https://w3id.org/controlmap/mic/2009")
                .replace("lint-test", "lint-test-reverse") for line in meta]
    header = read_sssom_file(MIC_GUS).header
    reverse = tmp_path / "reverse.sssom.tsv"
    body = ["\t".join(header), _row(header, "GUS-R3:2.1.1(4)", "skos:broadMatch", "MIC:MIC-01-03")]
    reverse.write_text("\n".join(meta + body) + "\n", encoding="utf-8")
    assert [f.rule for f in lint_files([path, reverse], catalog)] == ["contradiction"]
    # the same statement made from the other side agrees: not a contradiction, only stated twice
    reverse.write_text("\n".join([*meta, "\t".join(header),
                                  _row(header, "GUS-R3:2.1.1(4)", "skos:narrowMatch", "MIC:MIC-01-03")])
                       + "\n", encoding="utf-8")
    assert [f.rule for f in lint_files([path, reverse], catalog)] == ["duplicate"]


def test_cli_lint_exit_codes(planted, capsys):
    assert main(["lint-mappings"]) == 0
    assert "no findings" in capsys.readouterr().out
    path, expected = planted
    assert main(["lint-mappings", str(path)]) == 1
    out = capsys.readouterr().out
    for rule, row in expected:
        assert f"{path}:{row}: {rule}:" in out

"""Every YAML controlmap reads goes through io/safe_yaml.py: SSSOM metadata (``#`` block, ``.sssom.yml``), decisions."""

from __future__ import annotations

import pytest

from controlmap.errors import DataError, InputLimitError
from controlmap.io.decisions_file import decisions_document
from controlmap.io.sssom import parse_sssom, read_sssom
from controlmap.workflows.decisions import parse_decisions, read_decisions

#: 451 bytes that expand to 10⁹ nodes once walked ("billion laughs")
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True))
TSV = "subject_id\tpredicate_id\tobject_id\tmapping_justification\n"


def test_a_bomb_in_the_sssom_comment_block_is_refused_with_its_line():
    text = "#mapping_set_id: https://example.org/x\n" + "".join(f"#{line}\n" for line in BOMB.splitlines()) + TSV
    with pytest.raises(InputLimitError, match=r"x\.sssom\.tsv:\d+:\d+: aliases expand the document"):
        parse_sssom(text, "x.sssom.tsv")


def test_a_bomb_in_the_external_sssom_yml_names_that_file(tmp_path):
    (tmp_path / "x.sssom.tsv").write_text(TSV, encoding="utf-8")
    (tmp_path / "x.sssom.yml").write_text("mapping_set_id: https://example.org/x\n" + BOMB, encoding="utf-8")
    with pytest.raises(InputLimitError, match=r"x\.sssom\.yml:\d+:\d+: aliases expand"):
        read_sssom(tmp_path / "x.sssom.tsv")


def test_a_syntax_error_in_the_sssom_comment_block_names_its_line():
    text = "#mapping_set_id: https://example.org/x\n#license: [unclosed\n#creator_id: x\n" + TSV
    with pytest.raises(DataError) as err:
        parse_sssom(text, "x.sssom.tsv")
    [problem] = err.value.problems
    assert problem.file == "x.sssom.tsv" and problem.row in (2, 3) and "invalid YAML" in problem.message


def test_a_bomb_in_the_decisions_file_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "decisions.yaml"
    path.write_text("version: 1\ndecisions: []\n" + BOMB, encoding="utf-8")
    with pytest.raises(InputLimitError, match=r"decisions\.yaml:\d+:\d+: aliases expand the document"):
        read_decisions(path)
    with pytest.raises(InputLimitError, match=r"decisions\.yaml"):
        parse_decisions(path.read_text(encoding="utf-8"), "decisions.yaml")


def test_the_decisions_document_keeps_the_line_of_each_record_and_names_bad_yaml():
    records, lines = decisions_document("# header\nversion: 1\ndecisions:\n  - id: a\n\n  - id: b\n", "d.yaml")
    assert records == [{"id": "a"}, {"id": "b"}] and lines == [4, 6]
    with pytest.raises(DataError, match=r"d\.yaml:[23]:\d+: invalid YAML"):
        decisions_document("decisions:\n  - id: [a\n", "d.yaml")
    deep = "decisions: " + "[" * 200 + "]" * 200 + "\n"
    with pytest.raises(InputLimitError, match="nest deeper than"):
        decisions_document(deep, "d.yaml")

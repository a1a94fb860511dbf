"""The sibling-consistency lint rules: planted inconsistencies of the kind the 2026-12 review found are flagged at
their row, reviewed exceptions and weaker rows are not, and the shipped curated sets have none."""

from __future__ import annotations

import shutil

from conftest import DATA

from controlmap.cli.main import main
from controlmap.queries.lint_family import FAMILY_RULES
from controlmap.workflows.lint import RULES, lint_files

JIS_GUS = DATA / "mappings" / "jisq15001-2006_govt_unified_std-2021.sssom.tsv"
MIC_GUS = DATA / "mappings" / "mic_govt_unified_std-2021.sssom.tsv"


def _edit(src, dst, subject, obj, **cells):
    """Copy ``src`` to ``dst`` with the row (subject, object) changed; return its line number."""
    lines = src.read_text(encoding="utf-8").split("\n")
    header_at = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    header = lines[header_at].split("\t")
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{subject}\t") and f"\t{obj}\t" in line)
    row = dict(zip(header, lines[at].split("\t"), strict=True))
    row.update(cells)
    lines[at] = "\t".join(row[c] for c in header)
    dst.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def test_the_rules_are_registered():
    assert set(FAMILY_RULES) == {"sibling-no-relationship", "group-split"} and set(FAMILY_RULES) <= set(RULES)


def test_the_shipped_curated_sets_have_no_sibling_inconsistency(catalog):
    findings = lint_files(sorted((DATA / "mappings").glob("*.sssom.tsv")), catalog)
    assert [f for f in findings if f.rule in FAMILY_RULES] == []


def test_a_sibling_marked_no_relationship_among_intersected_ones_is_flagged(tmp_path, catalog):
    # 3.4.3.2 intersects 7.1.1(1) and 7.1.1(3); plant 7.1.1(2) back as the no_relationship it was before the review
    path = tmp_path / "planted.sssom.tsv"
    line = _edit(JIS_GUS, path, "JISQ15001-2006:3.4.3.2", "GUS-R3:7.1.1(2)", subject_id="sssom:NoTermFound",
                 subject_label="", strength="0", comment="相当する要求はJISにない。")
    findings = [f for f in lint_files([path], catalog) if f.rule == "sibling-no-relationship"]
    assert [(f.file, f.row) for f in findings] == [(str(path), line)]
    assert "JISQ15001-2006:3.4.3.2 intersects_with 2 items under GUS-R3:7.1.1" in findings[0].message


def test_a_no_relationship_row_whose_comment_names_the_control_is_a_reviewed_exception(tmp_path, catalog):
    path = tmp_path / "reviewed.sssom.tsv"
    _edit(JIS_GUS, path, "JISQ15001-2006:3.4.3.2", "GUS-R3:7.1.1(2)", subject_id="sssom:NoTermFound",
          subject_label="", strength="0", comment="3.4.3.2 の安全管理措置とは種類が異なるため対応させない。")
    assert [f for f in lint_files([path], catalog) if f.rule in FAMILY_RULES] == []


def test_a_sibling_left_out_of_its_siblings_group_is_flagged_unless_weaker(tmp_path, catalog):
    # MIC-03-04 → 3.2.1(3) is a member of G07 (strength 4) with its chapter-03 siblings; plant it outside
    path = tmp_path / "split.sssom.tsv"
    line = _edit(MIC_GUS, path, "MIC:MIC-03-04", "GUS-R3:3.2.1(3)", mapping_group="", combined_relation="",
                 combined_strength="")
    findings = [f for f in lint_files([path], catalog) if f.rule == "group-split"]
    assert [(f.file, f.row) for f in findings] == [(str(path), line)]
    assert "outside group G07" in findings[0].message and "MIC:MIC-03" in findings[0].message
    weaker = tmp_path / "weaker.sssom.tsv"
    _edit(MIC_GUS, weaker, "MIC:MIC-03-04", "GUS-R3:3.2.1(3)", mapping_group="", combined_relation="",
          combined_strength="", strength="1")
    assert [f for f in lint_files([weaker], catalog) if f.rule in FAMILY_RULES] == []


def test_lint_mappings_exits_1_on_a_planted_split(tmp_path, capsys):
    data = shutil.copytree(DATA / "mappings", tmp_path / "m")
    _edit(MIC_GUS, data / MIC_GUS.name, "MIC:MIC-03-04", "GUS-R3:3.2.1(3)", mapping_group="", combined_relation="",
          combined_strength="")
    assert main(["lint-mappings", str(data / MIC_GUS.name)]) == 1
    assert "group-split" in capsys.readouterr().out

"""controlmap.export on the shipped data: JSON, CSV (BOM), XLSX and Markdown files; spreadsheet safety."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import controlmap as cm
from controlmap.errors import ExportError
from controlmap.export.render import candidate_records, candidates_markdown, coverage_markdown, coverage_text
from controlmap.export.writers import (
    COVERAGE_FORMATS,
    GAP_WRITERS,
    format_coverage,
    safe_cell,
    write_coverage,
    write_gaps,
)
from controlmap.queries.candidates import PRIORITY_FORMULA

REFERENCES = ["jisq15001", "govt_unified_std"]
CSV_HEADERS = ["ID", "候補項目", "点検の問い(案)", "状態", "対象の要求事項", "部分的に対応する既存項目", "理由",
               "優先度", "優先度区分", "根拠の出典区分", "追加先の章(案)"]
DANGEROUS = ["=cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "+1+1", "\t=1", "\r=1"]


@pytest.fixture(scope="module")
def gap(kg):
    return cm.gaps(kg, source="mic", against=REFERENCES)


@pytest.fixture(scope="module")
def cov(kg):
    return cm.coverage(kg, source="mic", target="jisq15001")


@pytest.fixture(scope="module")
def workbook(gap, catalog, tmp_path_factory):
    path = write_gaps(gap, tmp_path_factory.mktemp("xlsx") / "gaps.xlsx", catalog=catalog)
    return openpyxl.load_workbook(path)


def with_first_title(gap, title):
    return replace(gap, candidates=(replace(gap.candidates[0], title=title), *gap.candidates[1:]))


def test_registries_name_the_documented_formats():
    assert set(GAP_WRITERS) == {".xlsx", ".csv", ".json", ".md"}
    assert set(COVERAGE_FORMATS) == {"table", "csv", "json", "md"}


# -- JSON ------------------------------------------------------------------------------------------
def test_gap_json_round_trips(gap, catalog, tmp_path):
    path = write_gaps(gap, tmp_path / "gaps.json", catalog=catalog)
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert set(doc) == {"source", "against", "priority_formula", "summary", "candidates"}
    assert doc["source"] == gap.source and doc["against"] == list(gap.against)
    assert doc["priority_formula"] == PRIORITY_FORMULA
    assert doc["candidates"] == candidate_records(gap, catalog=catalog)
    assert [c["id"] for c in doc["candidates"]] == [c.id for c in gap.candidates]
    assert gap.candidates[0].title in text, "Japanese is written as UTF-8, not \\u escapes"
    assert text.startswith("{\n  ")
    per_fw = {f["framework"]: f for f in doc["summary"]["frameworks"]}
    for c in gap.coverages:
        assert per_fw[c.target]["counts"] == c.counts()
    assert doc["summary"]["candidates"]["total"] == len(gap.candidates)
    assert sum(doc["summary"]["candidates"]["by_priority_level"].values()) == len(gap.candidates)


# -- CSV -------------------------------------------------------------------------------------------
def test_gap_csv_has_bom_and_one_row_per_candidate(gap, catalog, tmp_path):
    path = write_gaps(gap, tmp_path / "gaps.csv", catalog=catalog)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame.columns[:len(CSV_HEADERS)]) == CSV_HEADERS
    assert len(frame) == len(gap.candidates)
    assert list(frame["ID"]) == [c.id for c in gap.candidates]
    assert list(frame["候補項目"]) == [c.title for c in gap.candidates]
    assert [int(p) for p in frame["優先度"]] == [c.priority for c in gap.candidates]
    assert list(frame["根拠の出典区分"]) == [c.provenance_tags for c in gap.candidates]
    assert list(frame["状態"]) == [c.status.label_ja for c in gap.candidates]
    for cell, c in zip(frame["対象の要求事項"], gap.candidates, strict=True):
        assert all(t.split(":", 1)[1] in cell for t in c.targets)


@pytest.mark.parametrize("title", DANGEROUS)
def test_csv_neutralises_formulas(gap, tmp_path, title):
    path = write_gaps(with_first_title(gap, title), tmp_path / "gaps.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["候補項目"] == "'" + title
    assert rows[1]["候補項目"] == gap.candidates[1].title
    first_chars = {value[:1] for row in rows for value in row.values()}
    assert not first_chars & {"=", "+", "-", "@", "\t", "\r"}


def test_safe_cell_leaves_numbers_and_ordinary_text():
    assert safe_cell(-2) == -2 and safe_cell(3.5) == 3.5 and safe_cell(None) is None
    assert safe_cell("a=b") == "a=b" and safe_cell("情報") == "情報"
    assert safe_cell("=1") == "'=1"


# -- XLSX ------------------------------------------------------------------------------------------
def test_xlsx_sheets(gap, workbook):
    assert workbook.sheetnames == ["概要", *(f"候補_{fw}" for fw in gap.against), "カバレッジ"]
    for fw in gap.against:
        ws = workbook[f"候補_{fw}"]
        ids = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
        assert ids == [c.id for c in gap.candidates if fw in c.frameworks]
        assert [c.value for c in ws[1]][:len(CSV_HEADERS)] == CSV_HEADERS
    ws = workbook["カバレッジ"]
    assert ws.max_row - 1 == sum(len(c.items) for c in gap.coverages)


def test_xlsx_tables_have_frozen_bold_filtered_wrapped_headers(workbook):
    for name in workbook.sheetnames[1:]:
        ws = workbook[name]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert all(cell.font.bold for cell in ws[1])
        assert all(cell.alignment.wrap_text for cell in ws[2])
        assert all(ws.column_dimensions[cell.column_letter].width > 0 for cell in ws[1])


def test_xlsx_summary_holds_counts_rollup_and_formula(gap, workbook):
    values = [row for row in workbook["概要"].iter_rows(values_only=True)]
    flat = [v for row in values for v in row if v is not None]
    assert PRIORITY_FORMULA in flat
    assert any("[R]" in str(v) and "[I]" in str(v) for v in flat)
    for c in gap.coverages:
        row = next(r for r in values if r[0] == c.target)
        assert list(row[1:6]) == [c.counts()[s.value] for s in cm.Status]
        for r in c.rollup("section"):
            assert any(v[0] == c.target and v[1] == r.key and v[2] == r.title for v in values)


@pytest.mark.parametrize("title", DANGEROUS)
def test_xlsx_neutralises_formulas(gap, tmp_path, title):
    """The text reads as written (no visible ``'``) in a text cell with the quote-prefix style."""
    path = write_gaps(with_first_title(gap, title), tmp_path / "gaps.xlsx")
    wb = openpyxl.load_workbook(path)
    first = gap.candidates[0]
    ws = wb[f"候補_{first.frameworks[0]}"]
    cell = ws.cell(row=2, column=2)
    assert ws.cell(row=2, column=1).value == first.id
    assert cell.value == title.replace("\r", "\n")  # XML reads a lone CR back as LF
    assert cell.data_type == "s"
    assert cell.quotePrefix is True
    assert ws.cell(row=2, column=3).quotePrefix is not True  # ordinary text keeps the plain style
    assert not [c for sheet in wb for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_xlsx_drops_characters_xml_cannot_hold(gap, tmp_path):
    path = write_gaps(with_first_title(gap, "制御\x01文字"), tmp_path / "gaps.xlsx")
    ws = openpyxl.load_workbook(path)[f"候補_{gap.candidates[0].frameworks[0]}"]
    assert ws.cell(row=2, column=2).value == "制御文字"


# -- Markdown and suffixes -------------------------------------------------------------------------
def test_gap_markdown_file(gap, tmp_path):
    path = write_gaps(gap, tmp_path / "gaps.md")
    assert path.read_text(encoding="utf-8") == candidates_markdown(gap)


@pytest.mark.parametrize("name", ["gaps.pdf", "gaps", "gaps.xls"])
def test_unknown_suffix_raises_export_error(gap, tmp_path, name):
    with pytest.raises(ExportError, match=r"\.xlsx, \.csv, \.json, \.md"):
        write_gaps(gap, tmp_path / name)
    assert not (tmp_path / name).exists()


# -- coverage outputs ------------------------------------------------------------------------------
def test_coverage_formats(cov):
    doc = json.loads(format_coverage(cov, "json"))
    assert {"source", "target", "options", "counts", "rollup", "items"} <= set(doc)
    assert doc["counts"] == cov.counts()
    assert [i["target_id"] for i in doc["items"]] == [i.control.id for i in cov.items]
    assert doc["options"]["threshold"] == cov.options.threshold
    rows = list(csv.DictReader(format_coverage(cov, "csv").splitlines()))
    assert [r["ID"] for r in rows] == [i.control.id for i in cov.items]
    assert [r["状態"] for r in rows] == [i.status.label_ja for i in cov.items]
    assert format_coverage(cov, "table") == coverage_text(cov)
    assert format_coverage(cov, "md") == coverage_markdown(cov)
    with pytest.raises(ExportError, match="table, csv, json, md"):
        format_coverage(cov, "yaml")


def test_write_coverage_by_suffix(cov, tmp_path):
    csv_path = write_coverage(cov, tmp_path / "cov.csv")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(pd.read_csv(csv_path, encoding="utf-8-sig")) == len(cov.items)
    assert json.loads(write_coverage(cov, tmp_path / "cov.json").read_text(encoding="utf-8"))["target"] == cov.target
    with pytest.raises(ExportError):
        write_coverage(cov, tmp_path / "cov.xlsx")


def test_docs_describe_every_key_and_quote_the_formula(gap):
    text = (Path(__file__).resolve().parents[2] / "docs" / "outputs.md").read_text(encoding="utf-8")
    record = candidate_records(gap)[0]
    coverage = json.loads(format_coverage(gap.coverages[0], "json"))
    for key in [*record, *record["targets"][0], *coverage, *coverage["items"][0], *coverage["rollup"][0]]:
        assert f"`{key}`" in text, key
    quoted = " ".join(line.removeprefix(">").strip() for line in text.splitlines() if line.startswith(">"))
    assert PRIORITY_FORMULA in quoted
    assert all(h in text for h in CSV_HEADERS)

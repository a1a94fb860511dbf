"""Responsibility (市区町村 / 都道府県 / J-LIS / 委託先) in the scope: read and checked, carried to every candidate,
lowering the priority of another body's duty (R = 0.5), and shown in every output."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml

import controlmap as cm
from controlmap.errors import DataError
from controlmap.export.render import candidate_table, candidates_markdown, gap_summary_text, priority_level
from controlmap.export.report_page import render_report
from controlmap.export.writers import write_gaps
from controlmap.io.scope import parse_scope
from controlmap.queries.candidates import PRIORITY_FORMULA
from controlmap.queries.responsibility import responsibility_factor

SCOPE_FILE = Path(__file__).resolve().parents[2] / "data" / "scope" / "juki_net.yaml"
AGAINST = ["jisq15001", "govt_unified_std", "lg_guideline"]
BODIES = {"市区町村", "都道府県", "J-LIS", "委託先"}


@pytest.fixture(scope="module")
def doc() -> dict:
    return yaml.safe_load(SCOPE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gap(kg):
    return cm.gaps(kg, source="mic", against=AGAINST)


def _named(entry: dict) -> list[str]:
    return list(entry.get("controls") or [entry["control"]])


def _bodies(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def test_no_scope_entry_is_left_undecided(doc):
    assert doc["default_responsibility"] in BODIES
    for section in ("not_applicable", "responsibilities", "merge"):
        for n, entry in enumerate(doc.get(section) or [], start=1):
            assert str(entry.get("reason") or "").strip(), f"{section}[{n}] has no reason"
            assert entry.get("date"), f"{section}[{n}] has no date"
            if section == "responsibilities":
                assert set(_bodies(entry["responsibility"])) <= BODIES, f"{section}[{n}]"
            if entry.get("responsibility") and section == "not_applicable":
                assert set(_bodies(entry["responsibility"])) <= BODIES, f"{section}[{n}]"
    excluded = {c for e in doc["not_applicable"] for c in _named(e)}
    assigned = [c for e in doc["responsibilities"] for c in _named(e)]
    assert len(assigned) == len(set(assigned)) and not excluded & set(assigned)
    # no control left as a note in a comment (how the undecided ones were kept before 2026-12-07)
    comments = [line for line in SCOPE_FILE.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("#")]
    assert not [line for line in comments if re.search(r"\b(GUS-R3|JISQ15001-\d{4}|LGG-R5):\S", line)]


def test_the_reader_keeps_every_entry_and_its_bodies_in_order(kg, doc):
    scope = kg.scope("juki_net")
    assert scope.default_responsibility == "市区町村"
    expected = {c: _bodies(e["responsibility"]) for e in doc["responsibilities"] for c in _named(e)}
    assert {r.control_id: r.bodies for r in scope.responsibilities} == expected
    assert scope.responsibility("JISQ15001-2006:3.6") == ("都道府県", "J-LIS")
    assert scope.responsibility("GUS-R3:7.3.1(4)") == ("委託先", "J-LIS")
    assert scope.responsibility("GUS-R3:2.1.1(3)") == ("市区町村",)
    na = {c: _bodies(e["responsibility"]) for e in doc["not_applicable"] if e.get("responsibility")
          for c in _named(e)}
    assert {e.control_id: e.responsibility for e in scope.exclusions if e.responsibility} == na
    assert scope.reason("GUS-R3:6.1.5(2)").endswith("(責任主体: J-LIS)")


def test_every_candidate_has_the_responsibility_the_scope_gives_it(gap, doc):
    expected = {c: _bodies(e["responsibility"]) for e in doc["responsibilities"] for c in _named(e)}
    seen_other = set()
    for c in gap.candidates:
        named = [expected[t] for t in c.targets if t in expected]
        want = named[0] if named else (doc["default_responsibility"],)
        assert c.responsibility == want, c.id
        factor = c.priority_factors["R"]
        assert factor == (1.0 if want[0] == "市区町村" else 0.5), c.id
        if want[0] != "市区町村":
            seen_other.add(c.id)
            assert priority_level(c.priority) != "高", c.id
            assert c.municipal_role and "責任主体" in c.reason
    # the JIS data-subject rights and complaints, the remote-maintenance line and J-LIS's vulnerability data
    assert {"C-JISQ15001-2006-3.6", "C-JISQ15001-2006-3.4.4.1", "C-GUS-R3-7.3.1(4)", "C-LGG-R5-2-6-6"} <= seen_other


def test_another_bodys_duty_halves_the_priority(kg, gap):
    import dataclasses

    plain = cm.gaps(kg, source="mic", against=AGAINST,
                    scope=dataclasses.replace(kg.scope("juki_net"), responsibilities=()))
    before = {c.id: c.priority for c in plain.candidates}
    rights = next(c for c in gap.candidates if c.id == "C-JISQ15001-2006-3.4.4.1")
    assert before[rights.id] == 80 and rights.priority == 40
    assert all(c.priority_factors["R"] == 1.0 for c in plain.candidates)
    assert "R = 1.0 when the municipality" in PRIORITY_FORMULA and "0.5" in PRIORITY_FORMULA
    assert responsibility_factor(("委託先", "J-LIS")) == 0.5 and responsibility_factor(()) == 1.0


def test_every_output_shows_the_responsibility(kg, gap, tmp_path):
    rows = candidate_table(gap, catalog=kg.catalog)
    assert all(r["責任主体"] for r in rows)
    complaint = next(r for r in rows if r["ID"] == "C-JISQ15001-2006-3.6")
    assert complaint["責任主体"].startswith("都道府県、J-LIS(市区町村の役割: ")
    path = write_gaps(gap, tmp_path / "c.csv", catalog=kg.catalog)
    table = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(table) == len(gap.candidates) and all(r["責任主体"] for r in table)
    records = json.loads(write_gaps(gap, tmp_path / "c.json", catalog=kg.catalog).read_text(encoding="utf-8"))
    assert all(rec["responsibility"] for rec in records["candidates"])
    assert records["summary"]["candidates"]["by_responsibility"]["市区町村"] < len(gap.candidates)
    import openpyxl

    wb = openpyxl.load_workbook(write_gaps(gap, tmp_path / "c.xlsx", catalog=kg.catalog))
    sheet = next(ws for ws in wb.worksheets if ws.title.startswith("候補"))
    header = [c.value for c in sheet[1]]
    col = header.index("責任主体")
    assert all(row[col] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0])
    assert "| 責任主体 |" in candidates_markdown(gap, catalog=kg.catalog)
    text = gap_summary_text(gap)
    assert "責任主体: 市区町村" in text
    page = render_report(kg.catalog, gap, generated="2026-12-07")
    assert page.count('data-responsibility="') == len(gap.candidates)
    assert 'data-responsibility="都道府県、J-LIS"' in page


def test_bad_responsibility_entries_are_named(catalog):
    doc = {"id": "s", "default_responsibility": "県",
           "not_applicable": [{"control": "GUS-R3:1.3", "reason": "定義", "responsibility": ["J-LIS", "国"]}],
           "responsibilities": [
               {"control": "GUS-R3:1.3", "responsibility": "J-LIS", "reason": "重複"},
               {"controls": ["JISQ15001-2006:3.6"], "reason": "責任主体なし"},
               {"control": "JISQ15001-2006:3.5", "responsibility": "都道府県"},
               {"control": "JISQ15001-2006:3.4.4.1", "responsibility": ["都道府県", "都道府県"], "reason": "x"},
               {"control": "JISQ15001-2006:3.4.4.2", "responsibility": "J-LIS", "reason": "x", "owner": "x"}]}
    with pytest.raises(DataError) as err:
        parse_scope(doc, "s.yaml", catalog)
    text = str(err.value)
    for expected in ("s.yaml::default_responsibility: unknown responsibility '県'",
                     "not_applicable[1]:responsibility: unknown responsibility '国'",
                     "responsibilities[1]:control: GUS-R3:1.3 is also not_applicable",
                     "responsibilities[2]:responsibility: say whose duty it is",
                     "responsibilities[3]:reason: every responsibility entry needs a reason",
                     "responsibilities[4]:responsibility: a body is named twice",
                     "responsibilities[5]:owner: unknown key 'owner'"):
        assert expected in text, expected


def test_a_scope_without_the_new_keys_reads_as_before():
    scope = parse_scope({"id": "old", "not_applicable": [{"control": "X:1", "reason": "範囲外"}]}, "old.yaml")
    assert scope.default_responsibility == "市区町村" and scope.responsibilities == () and scope.merges == ()
    assert scope.reason("X:1") == "範囲外" and scope.responsibility("X:2") == ("市区町村",)


def test_validate_checks_the_scope_files_of_the_data(tmp_path, capsys):
    import shutil

    from controlmap.cli.main import main

    data = shutil.copytree(SCOPE_FILE.parents[1], tmp_path / "data")
    scope = data / "scope" / "juki_net.yaml"
    text = scope.read_text(encoding="utf-8")
    scope.write_text(text.replace("responsibility: [委託先, J-LIS]", "responsibility: [委託業者, J-LIS]"),
                     encoding="utf-8")
    assert main(["validate", str(data)]) == 1
    out = capsys.readouterr().out
    n = 1 + [e.get("control") for e in yaml.safe_load(text)["responsibilities"]].index("GUS-R3:7.3.1(4)")
    assert f"{scope}:responsibilities[{n}]:responsibility: unknown responsibility '委託業者'" in out
    assert main(["validate"]) == 0

"""controlmap.cli: frameworks, validate and export-rdf, called through main() as the console script does."""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

import controlmap as cm
from controlmap.cli.main import main

DATA = Path(__file__).resolve().parents[2] / "data"
PROBLEM_LINE = re.compile(r"^(?P<file>.+):(?P<row>\d*):(?P<column>[^:]*): (?P<message>.+)$")
COMPLETENESS = "full|partial|skeleton|reconstructed"


# -- frameworks ------------------------------------------------------------------------------------------
def _edition_line(out: str, key: str) -> re.Match:
    (line,) = [line for line in out.splitlines() if line.startswith(key + " ")]
    match = re.search(rf"(?P<default>\*)?\s+(?P<completeness>{COMPLETENESS})\s+(?P<controls>\d+)\s+"
                      rf"(?P<assessable>\d+)\s+(?P<R>\d+)\s+(?P<I>\d+)\s+(?P<share>[\d.]+)\s+(?P<levels>.*)$", line)
    assert match, line
    return match


def test_frameworks_prints_every_edition_with_counts_from_the_csv_files(capsys, shipped_editions):
    assert main(["frameworks"]) == 0
    out = capsys.readouterr().out
    for key, ed in shipped_editions.items():
        m = _edition_line(out, key)
        rows = [row for _, row in ed.rows]
        provenance = Counter(row["provenance"] for row in rows)
        assert int(m["controls"]) == len(rows)
        assert int(m["assessable"]) == len(ed.assessable_ids)
        assert (int(m["R"]), int(m["I"])) == (provenance["R"], provenance["I"])
        assert m["completeness"] == ed.meta["completeness"]
        assert bool(m["default"]) == bool(ed.meta.get("default"))
        levels = dict(item.rsplit(" ", 1) for item in m["levels"].split(", "))
        assert {k: int(v) for k, v in levels.items()} == dict(Counter(row["level"] for row in rows))


def test_frameworks_lists_every_mapping_set_with_its_row_count(capsys, shipped_mapping_files):
    assert main(["frameworks"]) == 0
    out = capsys.readouterr().out
    for f in shipped_mapping_files:
        assert f"  {f.subject_key} → {f.object_key}: {len(f.rows)} rows" in out


def test_frameworks_with_a_broken_extra_file_exits_1(capsys, tmp_path):
    bad = tmp_path / "framework.yaml"
    bad.write_text("id: x\nedition: '1'\nprefix: X\ntitle: 例\ncontrols: nowhere.csv\n", encoding="utf-8")
    assert main(["frameworks", str(bad)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{bad}::controls: controls file not found")


# -- validate --------------------------------------------------------------------------------------------
def test_validate_accepts_the_shipped_data(capsys):
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def _break_parent(csv_path: Path) -> int:
    """Point one row's parent at a clause that does not exist; return that row's line number."""
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    k = next(i for i, row in enumerate(rows[1:], start=1) if row[header.index("parent")])
    rows[k][header.index("parent")] = "99.99"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return k + 1


def _break_strength(sssom_path: Path) -> int:
    """Set one row's strength to 11; return that row's line number."""
    lines = sssom_path.read_text(encoding="utf-8").splitlines(keepends=True)
    header_at = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    header = lines[header_at].rstrip("\n").split("\t")
    at = header_at + 3
    cells = lines[at].rstrip("\n").split("\t")
    cells[header.index("strength")] = "11"
    lines[at] = "\t".join(cells) + "\n"
    sssom_path.write_text("".join(lines), encoding="utf-8")
    return at + 1


def test_validate_on_a_broken_copy_names_every_broken_file_and_row(capsys, tmp_path):
    data = shutil.copytree(DATA, tmp_path / "data")
    controls = data / "jisq15001" / "2006" / "controls.csv"
    mappings = data / "mappings" / "mic_govt_unified_std-2021.sssom.tsv"
    parent_row = _break_parent(controls)
    strength_row = _break_strength(mappings)

    assert main(["validate", str(data)]) == 1
    captured = capsys.readouterr()
    found = [PROBLEM_LINE.match(line) for line in captured.out.splitlines()]
    assert all(found), captured.out
    located = {(Path(m["file"]), m["row"], m["column"]) for m in found}
    assert located == {(controls, str(parent_row), "parent"), (mappings, str(strength_row), "strength")}
    assert "2 problem(s)" in captured.err


def test_validate_reports_a_user_mapping_file_with_an_unknown_control(capsys, tmp_path, shipped_mapping_files):
    (f,) = [f for f in shipped_mapping_files if f.path.name == "mic_jisq15001-2006.sssom.tsv"]
    line, row = f.rows[0]
    text = f.path.read_text(encoding="utf-8").replace(f.meta["mapping_set_id"], "https://example.org/mine")
    lines = text.splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(row["object_id"], "JISQ15001-2006:9.9.9", 1)
    path = tmp_path / "mine.sssom.tsv"
    path.write_text("".join(lines), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(f"{path}:{line}:object_id: ")


# -- export-rdf ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("suffix", "fmt"), [
    (".ttl", "turtle"), (".nt", "nt"),
    pytest.param(".jsonld", "json-ld",
                 marks=pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")),
])
def test_export_rdf_writes_a_file_that_parses_and_round_trips(capsys, tmp_path, catalog, suffix, fmt):
    out = tmp_path / "nested" / f"controlmap{suffix}"
    assert main(["export-rdf", "-o", str(out)]) == 0
    g = Graph().parse(out, format=fmt)
    assert f"wrote {out} ({len(g)} triples)" in capsys.readouterr().out
    assert cm.from_rdf(g) == catalog


def test_export_rdf_to_an_unknown_suffix_exits_2(capsys, tmp_path):
    assert main(["export-rdf", "-o", str(tmp_path / "x.txt")]) == 2
    assert "unknown RDF suffix" in capsys.readouterr().err


def test_validate_a_shipped_file_checks_it_with_the_data_not_twice(capsys):
    from conftest import DATA

    from controlmap.cli.main import main

    assert main(["validate", str(DATA / "mappings" / "mic_jisq15001-2006.sssom.tsv")]) == 0
    assert "loaded 2 times" not in capsys.readouterr().out


# -- errors become exit codes in one place ---------------------------------------------------------------
@pytest.mark.parametrize(("argv", "code", "stream", "message"), [
    (["isheet", "check", "missing.xlsx"], 1, "out", "missing.xlsx:::"),                   # DataError: the file
    (["publish", "--municipality", "131156", "-o", "x.ttl"], 2, "err", "nothing to publish"),  # UsageError
    (["decide", "C-NOPE", "--state", "under_review", "--reviewer", "委員会"], 2, "err", "'C-NOPE' is neither in"),
    (["decide", "P-1", "--state", "soon", "--reviewer", "委員会", "--proposals", "p.csv"], 1, "out", "p.csv"),
    (["export-oscal", "-o", "x.json"], 2, "err", "say what to export"),
])
def test_every_error_of_a_command_is_named_and_mapped_to_its_exit_code(argv, code, stream, message, capsys,
                                                                        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == code
    captured = capsys.readouterr()
    text = captured.out if stream == "out" else captured.err
    assert message in text
    if code == 2:
        assert text.startswith("controlmap: error: ") and "Traceback" not in text


def test_the_errors_of_the_cycle_are_controlmap_errors():
    for error in (cm.errors.TransitionError, cm.errors.UnknownDecisionError, cm.errors.ReviewError,
                  cm.errors.UsageError):
        assert issubclass(error, cm.ControlmapError) and issubclass(error, ValueError)
    with pytest.raises(cm.errors.UnknownDecisionError, match="no decision record 'X'"):
        cm.decisions.Decisions()["X"]
    with pytest.raises(cm.errors.ReviewError, match="unknown relation 'same'"):
        cm.review.accept(cm.Mapping("A:1", "B:1", cm.Relation.EQUAL, 5, 0.5, "semapv:x"), "山田", relation="same")

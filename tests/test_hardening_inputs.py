"""No input crashes or starves controlmap: each attack file is refused with a named error (file, row, column).

Deep nesting, a YAML alias bomb, an XLSX zip bomb, an oversized CSV, loose triples, NUL bytes, spaces
inside ids, a non-IRI source and an invalid IRI in Turtle, each read through the public loader and
``controlmap validate``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from controlmap.cli.main import main
from controlmap.errors import DataError, InputLimitError
from controlmap.io.frameworks import read_framework_file
from controlmap.io.limits import MAX_FILE_BYTES, MAX_XLSX_UNCOMPRESSED
from controlmap.io.loader import load_files

CSV = "id,parent,level,title,provenance\n1,,chapter,組織,R\n1.1,1,item,体制,R\n"


def problems(err: DataError) -> list[str]:
    return [str(p) for p in err.problems]


def test_deeply_nested_oscal_json_is_refused_not_a_recursion_error(tmp_path, capsys):
    path = tmp_path / "catalog.json"
    path.write_text('{"catalog": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with pytest.raises(DataError) as err:  # InputLimitError, collected with the other files' problems
        load_files([path])
    assert re.fullmatch(rf"{re.escape(str(path))}:1:\d+: mappings and lists nest deeper than 64 levels",
                        problems(err.value)[0])
    assert main(["validate", str(path)]) == 1
    assert "nest deeper than 64 levels" in capsys.readouterr().out


def test_a_yaml_alias_bomb_in_framework_yaml_is_refused_at_once(write_framework):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    assert len(bomb.encode()) < 500  # the 451-byte file of the report, give or take
    meta, _ = write_framework(CSV, meta="id: demo\nedition: '1'\nprefix: DEMO\ntitle: 例\ncontrols: {controls}\n"
                              + bomb)
    with pytest.raises(InputLimitError, match=r"framework\.yaml:\d+:\d+: aliases expand the document past"):
        read_framework_file(meta)


def test_too_many_aliases_and_deep_yaml_are_refused(write_framework):
    many = "x: &x 1\nlist: [" + ", ".join(["*x"] * 1001) + "]\n"
    meta, _ = write_framework(CSV, meta="id: demo\nedition: '1'\nprefix: DEMO\ntitle: 例\ncontrols: {controls}\n"
                              + many)
    with pytest.raises(InputLimitError, match="more than 1,000 aliases"):
        read_framework_file(meta)
    meta.write_text("levels: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(InputLimitError, match=r"framework\.yaml:1:\d+: mappings and lists nest deeper"):
        read_framework_file(meta)


def _bomb_xlsx(path: Path, extra_bytes: int) -> None:
    """A valid workbook plus one part that unpacks to ``extra_bytes`` zeros (deflate shrinks it ~1000x)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["id", "title"])
    wb.active.append(["1", "組織"])
    small = path.with_name("small.xlsx")
    wb.save(small)
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with dst.open("xl/media/bomb.bin", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(extra_bytes // len(chunk) + 1):
                fh.write(chunk)


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(write_framework):
    meta, controls = write_framework(b"", name="controls.xlsx")
    _bomb_xlsx(controls, MAX_XLSX_UNCOMPRESSED)
    assert controls.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(InputLimitError, match=r"controls\.xlsx::: the workbook unpacks to \d+ MB"):
        read_framework_file(meta)


def test_an_overlong_xlsx_cell_names_its_address(write_framework):
    from openpyxl import Workbook

    meta, controls = write_framework(b"", name="controls.xlsx")
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "parent", "level", "title", "provenance"])
    ws.append(["1", None, "chapter", "組" * 200_000, "R"])
    wb.save(controls)
    with pytest.raises(DataError, match=r"controls\.xlsx\[Sheet\]:2:D2: the cell reaches Excel's limit of 32,767"):
        read_framework_file(meta)


def test_an_oversized_csv_is_refused_without_reading_it(write_framework):
    meta, controls = write_framework(CSV)
    with controls.open("r+b") as fh:  # sparse: nothing is written to disk
        fh.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(InputLimitError, match=r"controls\.csv::: the file is 64 MB; controlmap reads input files "
                                              "of at most 64 MB"):
        read_framework_file(meta)


def test_an_overlong_csv_cell_names_its_row(write_framework):
    meta, _ = write_framework(CSV + "2,,chapter," + "長" * 140_000 + ",R\n")
    with pytest.raises(DataError, match=r"controls\.csv:4::.*field larger than field limit"):
        read_framework_file(meta)


def test_loose_triples_in_turtle_are_refused(tmp_path, capsys):
    path = tmp_path / "loose.ttl"
    path.write_text("@prefix d: <http://purl.org/dc/terms/> .\n"
                    + "".join(f'[] d:title "x{i}" .\n' for i in range(2000)), encoding="utf-8")
    with pytest.raises(DataError, match=r"2,000 triple.* belong to no typed resource"):
        load_files([path])
    assert main(["validate", str(path)]) == 1
    assert "belong to no typed resource" in capsys.readouterr().out


def test_a_turtle_file_that_adds_nothing_says_so(tmp_path):
    path = tmp_path / "thing.ttl"
    path.write_text("<http://example.org/a> a <http://example.org/Thing> .\n", encoding="utf-8")
    with pytest.raises(DataError, match="adds nothing to the knowledge graph"):
        load_files([path])


def test_an_invalid_iri_in_turtle_fails_validate_with_its_line(tmp_path, capsys):
    path = tmp_path / "bad.ttl"
    path.write_text('@prefix d: <http://purl.org/dc/terms/> .\n<http://example.org/a b> d:title "x" .\n',
                    encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert f"{path}:2:2: 'http://example.org/a b' is not a valid IRI" in captured.out


@pytest.mark.parametrize("cell, column", [("1\x00", "id"), ("組織\x00", "title"), ("体\x07制", "title")])
def test_control_characters_in_cells_are_refused_with_row_and_column(write_framework, cell, column):
    rows = {"id": f"{cell},,chapter,組織,R\n", "title": f"1,,chapter,{cell},R\n"}[column]
    meta, _ = write_framework("id,parent,level,title,provenance\n" + rows)
    with pytest.raises(DataError, match=rf"controls\.csv:2:{column}: the cell holds the control character U\+00"):
        read_framework_file(meta)


def test_nul_in_inline_yaml_controls_is_refused(write_framework):
    meta, _ = write_framework(CSV, meta='id: demo\nedition: "1"\nprefix: DEMO\ntitle: 例\n'
                              'controls:\n  - {{id: "1", level: chapter, title: "組\\0織", provenance: R}}\n')
    with pytest.raises(DataError, match=r"framework\.yaml#controls:1:title: the cell holds the control character"):
        read_framework_file(meta)


@pytest.mark.parametrize("raw", ["1 1", "1\u30001", "DEMO:1 1"])
def test_spaces_inside_ids_are_refused_not_removed(write_framework, raw):
    meta, _ = write_framework(f"id,parent,level,title,provenance\n{raw},,chapter,組織,R\n")
    with pytest.raises(DataError, match=r"controls\.csv:2:id: id .* has a space inside"):
        read_framework_file(meta)


def test_spaces_around_ids_and_full_width_digits_still_load(write_framework):
    meta, _ = write_framework("id,parent,level,title,provenance\n １ ,,chapter,組織,R\n")
    assert [c.id for c in read_framework_file(meta).controls] == ["DEMO:1"]


def test_a_source_that_is_not_an_iri_fails_validate_not_export(write_framework, tmp_path, capsys):
    meta, _ = write_framework(CSV, meta="id: demo\nedition: '1'\nprefix: DEMO\ntitle: 例\n"
                              "sources: ['https://example.org/a.pdf', '総務省 資料']\ncontrols: {controls}\n")
    with pytest.raises(DataError, match=r"framework\.yaml::sources\[2\]: '総務省 資料' is not an IRI"):
        read_framework_file(meta)
    assert main(["validate", str(meta)]) == 1
    assert main(["export-rdf", str(meta), "-o", str(tmp_path / "kg.ttl")]) == 1
    assert "sources[2]" in capsys.readouterr().out

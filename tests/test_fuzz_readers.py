"""Fuzzing every reader: whatever the bytes, a reader returns or raises a ControlmapError, never a traceback.

Bounded and reproducible for CI: a fixed number of examples per reader, derandomised, no deadline.
The generated files mix what people really write (Japanese text, cp932, BOMs, quotes, tabs, YAML and
JSON structure) with the odd bytes an attacker would add (NUL, lone surrogates' bytes, U+2028).
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from controlmap.errors import ControlmapError

FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

ALPHABET = st.sampled_from([*"id,parent level title\t\n\r\"'#:;[]{}&*!|>-@<>._/ 1２３組織体制\x00\u2028\ufeff\\",
                            "provenance", "R", "I", "MIC:", "https://", "%YAML", "---", "sssom", "curie_map"])
TEXT = st.lists(ALPHABET, max_size=80).map("".join)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=20)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp932"])


def _write(name: str, data: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    path = folder / name
    path.write_bytes(data)
    return path


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace") if encoding == "cp932" else text.encode(encoding, "surrogatepass")


def _safely(read, path: Path) -> None:
    with contextlib.suppress(ControlmapError):  # anything else fails the test with its traceback
        read(path)


@FUZZ
@given(TEXT, ENCODINGS)
def test_csv_controls(text, encoding):
    from controlmap.io.frameworks import read_framework_file

    folder = _write("controls.csv", _encode("id,parent,level,title,provenance\n" + text, encoding)).parent
    (folder / "framework.yaml").write_text("id: demo\nedition: '1'\nprefix: DEMO\ntitle: 例\ncontrols: controls.csv\n",
                                           encoding="utf-8")
    _safely(read_framework_file, folder / "framework.yaml")


@FUZZ
@given(st.lists(st.lists(st.none() | TEXT | st.integers() | st.floats(allow_nan=False), max_size=5), max_size=5))
def test_xlsx_controls(rows):
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    from controlmap.io.frameworks import read_framework_file

    meta = b"id: demo\nedition: '1'\nprefix: DEMO\ntitle: x\ncontrols: controls.xlsx\n"
    folder = _write("framework.yaml", meta).parent
    wb = Workbook()
    ws = wb.active
    try:
        ws.append(["id", "parent", "level", "title", "provenance"])
        for row in rows:
            ws.append(row)
    except IllegalCharacterError:  # openpyxl itself refuses to write control characters
        return
    wb.save(folder / "controls.xlsx")
    _safely(read_framework_file, folder / "framework.yaml")


@FUZZ
@given(st.binary(max_size=300))
def test_xlsx_bytes(data):
    from controlmap.io.table import read_xlsx

    _safely(read_xlsx, _write("x.xlsx", b"PK\x03\x04" + data))


@FUZZ
@given(TEXT, ENCODINGS)
def test_framework_yaml(text, encoding):
    from controlmap.io.frameworks import read_framework_file

    _safely(read_framework_file, _write("framework.yaml", _encode("id: demo\nprefix: D\n" + text, encoding)))


@FUZZ
@given(TEXT)
def test_sssom(text):
    from controlmap.io.sssom import read_sssom

    head = "#curie_map:\n#  MIC: https://w3id.org/controlmap/mic/\n#mapping_set_id: https://example.org/m\n"
    body = "subject_id\tpredicate_id\tobject_id\tmapping_justification\n"
    _safely(read_sssom, _write("m.sssom.tsv", (head + body + text).encode("utf-8", "surrogatepass")))


@FUZZ
@given(JSON)
def test_oscal_json(doc):
    from controlmap.io.oscal import read_oscal_catalog

    _safely(read_oscal_catalog, _write("catalog.json", json.dumps({"catalog": doc}, ensure_ascii=False).encode()))


@FUZZ
@given(TEXT)
def test_oscal_yaml(text):
    from controlmap.io.loader import load_files

    _safely(lambda p: load_files([p]), _write("catalog.yaml", ("catalog:\n  " + text).encode("utf-8", "surrogatepass")))


@FUZZ
@given(TEXT)
def test_turtle(text):
    from controlmap.io.loader import load_files

    prefix = "@prefix cm: <https://w3id.org/controlmap/vocab/> .\n@prefix d: <http://purl.org/dc/terms/> .\n"
    _safely(lambda p: load_files([p]), _write("x.ttl", (prefix + text).encode("utf-8", "surrogatepass")))


@FUZZ
@given(JSON)
def test_jsonld(doc):
    from controlmap.io.loader import load_files

    body = doc if isinstance(doc, dict) else {"@graph": doc}
    _safely(lambda p: load_files([p]), _write("x.jsonld", json.dumps(body, ensure_ascii=False).encode()))


@pytest.mark.parametrize("doc", [{"@context": "http://127.0.0.1:9/c"}, {"@context": {"@import": "http://127.0.0.1:9/"}}])
def test_jsonld_fuzz_never_reaches_the_network(doc):
    """The JSON-LD fuzzer may well generate a context IRI: it must be refused, never fetched."""
    from controlmap.io.loader import load_files

    with pytest.raises(ControlmapError, match="never fetches"):
        load_files([_write("x.jsonld", json.dumps(doc).encode())])

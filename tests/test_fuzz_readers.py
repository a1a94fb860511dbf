"""Fuzzing every reader: whatever the bytes, a reader returns or raises a ControlmapError, never a traceback.

Bounded and reproducible for CI: a fixed number of examples per reader, derandomised, no deadline.
The generated files mix what people really write (Japanese text, cp932, BOMs, quotes, tabs, YAML and
JSON structure) with the odd bytes an attacker would add (NUL, lone surrogates' bytes, U+2028).
"""

from __future__ import annotations

import contextlib
import functools
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


# -- structure-aware: a valid file with members replaced by values of the wrong JSON type ---------------
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WRONG = st.one_of(st.none(), st.booleans(), st.integers(-3, 12), st.floats(allow_nan=False, allow_infinity=False),
                  TEXT, st.just([]), st.just({}), st.lists(JSON, min_size=1, max_size=3),
                  st.dictionaries(TEXT, JSON, min_size=1, max_size=3))
STRUCTURE = settings(FUZZ, max_examples=150)


def _kind(value) -> str:
    """The JSON type of ``value`` (true/false apart from numbers, whole numbers apart from the others)."""
    for kind, types in (("null", type(None)), ("boolean", bool), ("integer", int), ("number", float), ("string", str),
                        ("array", list), ("object", dict)):
        if isinstance(value, types):
            return kind
    return type(value).__name__


def _members(value, path=()):
    """The path (keys and indexes) of every member of a JSON-like document, parents before children."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield (*path, key)
        yield from _members(item, (*path, key))


_GONE = object()


def _at(doc, path):
    """The member at ``path``, or ``_GONE`` when an earlier replacement removed it."""
    for key in path:
        inside = isinstance(doc, list) and isinstance(key, int) and key < len(doc)
        if not (inside or (isinstance(doc, dict) and key in doc)):
            return _GONE
        doc = doc[key]
    return doc


@st.composite
def mutated(draw, fixture: str):
    """A committed fixture with one to three members replaced by a value of another JSON type; also the
    ``(JSON pointer, value)`` of each replacement."""
    import yaml

    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    doc = json.loads(text) if fixture.endswith(".json") else yaml.safe_load(text)
    changes = []
    for path in draw(st.lists(st.sampled_from(list(_members(doc))), min_size=1, max_size=3, unique=True)):
        original = _at(doc, path)
        if original is not _GONE:
            value = draw(WRONG.filter(lambda v, o=original: _kind(v) != _kind(o)))
            _at(doc, path[:-1])[path[-1]] = value
            changes.append(("".join(f"/{key}" for key in path), value))
    return doc, changes


TEXT_KINDS = {"string", "integer", "number"}
#: what the format says a member the reader reads holds (first match wins; None: not read, no claim)
OSCAL_SHAPES = [
    (r"/back-matter/resources/\d+/|/parts/\d+/id$|/parties/\d+$", None),  # unread; a party not an object is noted
    (r"/(props|parts|links|params|parties|groups|controls|resources|values|choice)$", {"array"}),
    (r"/(props|parts|links|params|groups|controls|resources)/\d+$|/(metadata|back-matter|select)$", {"object"}),
    (r"/(title|prose|label|value|name|ns|rel|href|version|how-many|id|oscal-version|published|last-modified)$"
     r"|/(values|choice)/\d+$", TEXT_KINDS),
]
CISO_SHAPES = [
    (r"^/objects/.*/(implementation_groups_definition|translations|implementation_groups)/", None),  # not read
    (r"^/objects$|/(requirement_nodes|requirement_mappings|requirement_mapping_sets)/\d+$", {"object"}),
    (r"^/objects/(framework|requirement_mapping_sets)$", {"object", "array"}),
    (r"/(requirement_nodes|requirement_mappings)$", {"array"}),
    (r"^/urn$|^/objects/.*/(urn|ref_id|parent_urn|source_framework_urn|target_framework_urn"
     r"|source_requirement_urn|target_requirement_urn|relationship)$", {"string"}),
    (r"^/objects/.*/(name|description|annotation)$", TEXT_KINDS),
    (r"/depth$", {"integer"}),
    (r"/assessable$", {"boolean"}),
    (r"/stre?n?gth_of_relationship$", {"integer", "string", "null"}),
]


def _refused(shapes, pointer: str, value) -> bool:
    """True when the format says the member at ``pointer`` cannot hold ``value`` (null is absence: no claim)."""
    import re

    for pattern, kinds in shapes:
        if re.search(pattern, pointer):
            return kinds is not None and value is not None and _kind(value) not in kinds
    return False


def _reads_or_names_the_file(read, path: Path, changes, shapes) -> None:
    """``read(path)`` returns or raises a DataError whose every problem names the file; a member of the wrong
    shape (alone in its file) is a problem at it, above it or beside it (never read as something else)."""
    from controlmap.errors import DataError

    try:
        read(path)
    except ControlmapError as err:   # any other exception fails the test with its traceback
        assert isinstance(err, DataError), repr(err)
        assert err.problems and all(p.file == str(path) for p in err.problems), err.problems
        problems = [str(p.column) for p in err.problems]
    else:
        problems = []
    if len(changes) == 1 and _refused(shapes, *changes[0]):
        ptr = changes[0][0]
        parent = ptr.rsplit("/", 1)[0] + "/"
        assert any(ptr == c or ptr.startswith(c.rstrip("/") + "/") or c.startswith(parent) for c in problems), \
            f"{ptr} = {changes[0][1]!r} read silently (problems: {problems})"


@STRUCTURE
@given(mutated("oscal_sample_catalog.json"), st.sampled_from(["json", "yaml"]))
def test_oscal_catalog_with_wrong_types(mutation, suffix):
    import yaml

    from controlmap.io.oscal import read_oscal

    doc, changes = mutation
    text = json.dumps(doc, ensure_ascii=False) if suffix == "json" else yaml.safe_dump(doc, allow_unicode=True)
    _reads_or_names_the_file(read_oscal, _write(f"catalog.{suffix}", text.encode()), changes, OSCAL_SHAPES)


@functools.cache
def _shipped():
    """The shipped editions, which the fixture's mapping set refers to (not a fixture: Hypothesis would print it)."""
    import controlmap as cm

    return cm.load().catalog


@STRUCTURE
@given(mutation=mutated("ciso_library_sample.yaml"))
def test_ciso_library_with_wrong_types(mutation):
    import yaml

    from controlmap.io.ciso import read_ciso

    doc, changes = mutation
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    _reads_or_names_the_file(lambda p: read_ciso(p, _shipped()), _write("library.yaml", text.encode()), changes,
                             CISO_SHAPES)

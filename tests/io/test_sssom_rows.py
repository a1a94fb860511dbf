"""The SSSOM reader's fast path makes exactly the Mapping of the full path, or leaves the row to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from controlmap.io.sssom import _mapping, parse_sssom
from controlmap.io.sssom_rows import plain_mapping
from controlmap.io.sssom_text import split_sssom
from controlmap.model import Mapping

DATA = Path(__file__).resolve().parents[2] / "data"
CURIE_MAP = {"A": "https://w3id.org/controlmap/aa/1/", "B": "https://w3id.org/controlmap/bb/1/"}
BASE = {"subject_id": "A:1", "predicate_id": "skos:exactMatch", "object_id": "B:1",
        "mapping_justification": "semapv:ManualMappingCuration", "confidence": "0.9", "strength": "8"}


def _same(row: dict[str, str], default_justification: str = "") -> bool:
    """True when the fast path took the row; it then equals the full path's Mapping field by field."""
    fast = plain_mapping(row, "f.sssom.tsv", 12, default_justification, {})
    full, problems = _mapping(row, "f.sssom.tsv", 12, default_justification, CURIE_MAP)
    if fast is None:
        return False
    assert problems == [] and isinstance(full, Mapping)
    assert {n: getattr(fast, n) for n in Mapping.__slots__} == {n: getattr(full, n) for n in Mapping.__slots__}
    return True


@pytest.mark.parametrize("change", [
    {}, {"strength": ""}, {"confidence": ""}, {"predicate_id": "skos:broadMatch"},
    {"predicate_id": "oboInOwl:hasDbXref"}, {"mapping_provenance": "I", "subject_provenance": "R"},
    {"object_id": "sssom:NoTermFound", "predicate_id": "skos:exactMatch"}, {"subject_id": "sssom:NoTermFound"},
    {"mapping_group": "g1", "combined_relation": "subset_of", "combined_strength": "7"},
    {"comment": "注記", "author_label": "甲", "ext_note": "x", "subject_label": "一"},
    {"mapping_justification": ""},
])
def test_plain_rows_take_the_fast_path_and_match_the_full_one(change):
    assert _same(BASE | change, default_justification="semapv:ManualMappingCuration")


@pytest.mark.parametrize("change", [
    {"strength": "11"}, {"strength": "x"}, {"confidence": "1.5"}, {"confidence": "nan"}, {"predicate_id": ""},
    {"predicate_id": "exactMatch"}, {"object_id": "https://w3id.org/controlmap/bb/1/1"}, {"object_id": ""},
    {"object_id": "B:1|B:2"}, {"subject_id": "sssom:NoTermFound", "object_id": "sssom:NoTermFound"},
    {"object_id": "sssom:NoMapping"}, {"mapping_justification": "semapv:Guess"}, {"predicate_modifier": "Not"},
    {"mapping_group": "g1"}, {"mapping_group": "g1", "combined_relation": "near"}, {"combined_relation": "equal"},
    {"combined_strength": "3"}, {"mapping_group": "g", "combined_relation": "equal", "combined_strength": "12"},
    {"subject_type": "owl class"}, {"mapping_provenance": "X"}, {"object_provenance": "r"},
    {"similarity_score": "0.5"},
])
def test_doubtful_or_faulty_rows_are_left_to_the_full_path(change):
    assert not _same(BASE | change)


def test_every_shipped_row_read_either_way_gives_the_same_mapping():
    files = sorted((DATA / "mappings").glob("*.sssom.tsv")) + sorted((DATA / "crosswalks").glob("*.sssom.tsv"))
    fast = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        table = split_sssom(text, str(path))
        default = str(table.meta.get("mapping_justification") or "")
        curie_map = parse_sssom(text, str(path)).curie_map
        for number, cells in table.rows:
            row = dict(zip(table.header, (c.strip() for c in cells), strict=False))
            got = plain_mapping(row, str(path), number, default, {})
            want, _ = _mapping(row, str(path), number, default, curie_map)
            if got is not None:
                fast += 1
                assert want is not None
                assert [getattr(got, n) for n in Mapping.__slots__] == [getattr(want, n) for n in Mapping.__slots__]
    assert fast > 500  # the shipped rows are plain: the fast path is what the tests above check

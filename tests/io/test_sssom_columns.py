"""The SSSOM reader's columnar path gives exactly the mapping set of the row-by-row path, or leaves the file to it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from controlmap.errors import DataError
from controlmap.io import sssom
from controlmap.io.sssom_columns import plain_columns
from controlmap.io.sssom_text import split_sssom
from controlmap.model import Mapping

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
HEAD = ("#curie_map:\n#  A: https://w3id.org/controlmap/aa/1/\n#  B: https://w3id.org/controlmap/bb/1/\n"
        "#mapping_set_id: https://w3id.org/controlmap/mappings/t\n#subject_source: https://w3id.org/controlmap/aa/1\n"
        "#object_source: https://w3id.org/controlmap/bb/1\n")
COLUMNS = ("subject_id\tsubject_label\tpredicate_id\tobject_id\tconfidence\tstrength\tmapping_group\t"
           "combined_relation\tcombined_strength\tsubject_provenance\tcomment\text_note\tmapping_justification\n")
ROWS = [
    "A:2\t二\tskos:exactMatch\tB:1\t0.9\t8\t\t\t\t\t\t",
    "A:1\t一\tskos:broadMatch\tB:1\t\t\t\t\t\tR\t注記\tx",
    "sssom:NoTermFound\t\tskos:relatedMatch\tB:3\t\t\t\t\t\t\t\t",
    "A:3\t\toboInOwl:hasDbXref\tB:2\t0.5\t\tg1\tsubset_of\t6\t\t\t",
    "A:1\t\tskos:narrowMatch\tB:2\t1\t4\tg1\tsubset_of\t6\t\t\t",
    "A:1\t\tskos:exactMatch\tsssom:NoTermFound\t\t0\t\t\t\t\t\t",
]
ROWS = [row + ("\tsemapv:LexicalSimilarityThresholdMatching" if i == 3 else "\tsemapv:ManualMappingCuration")
        for i, row in enumerate(ROWS)]


def _fields(m: Mapping) -> dict:
    return {name: getattr(m, name) for name in Mapping.__slots__}


def _both(text: str, file: str, monkeypatch) -> tuple:
    """(columnar result, row-by-row result) of one text; the first is None when the columnar path declined."""
    table = split_sssom(text, file)
    taken = plain_columns(table, file, str(table.meta.get("mapping_justification") or ""))
    fast = sssom.parse_sssom(text, file)
    with monkeypatch.context() as m:
        m.setattr(sssom, "plain_columns", lambda *a: None)
        slow = sssom.parse_sssom(text, file)
    return (fast if taken is not None else None), slow


def _same(fast, slow) -> None:
    assert [_fields(m) for m in fast.mapping_set.mappings] == [_fields(m) for m in slow.mapping_set.mappings]
    assert fast.mapping_set == slow.mapping_set and fast.labels == slow.labels
    assert fast.claimed_provenance == {k: v for k, v in slow.claimed_provenance.items() if v != ("", "")}


def test_every_shipped_file_read_either_way_gives_the_same_set(monkeypatch):
    files = sorted((DATA / "mappings").glob("*.sssom.tsv")) + sorted((DATA / "crosswalks").glob("*.sssom.tsv"))
    taken = 0
    for path in files:
        fast, slow = _both(path.read_text(encoding="utf-8"), str(path), monkeypatch)
        if fast is not None:
            taken += 1
            _same(fast, slow)
    assert taken >= len(files) // 2  # the shipped files are plain: the columnar path is what this checks


def test_synthetic_files_read_either_way_give_the_same_set(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth

    root = synth.write_data_dir(synth.generate("tiny"), tmp_path / "d", notes=True)
    for path in sorted((root / "mappings").glob("*.sssom.tsv")):
        fast, slow = _both(path.read_text(encoding="utf-8"), str(path), monkeypatch)
        assert fast is not None
        _same(fast, slow)


def test_plain_rows_of_every_kind_are_read_as_columns_and_match(monkeypatch):
    fast, slow = _both(HEAD + COLUMNS + "\n".join(ROWS) + "\n", "t.sssom.tsv", monkeypatch)
    assert fast is not None
    _same(fast, slow)
    assert fast.mapping_set.mappings[0].origin == "t.sssom.tsv:9"  # rows sorted, origins kept


@pytest.mark.parametrize("change", [
    (0, "0.9", "1.5"), (0, "\t8\t", "\tx\t"), (0, "B:1", "B:1|B:2"), (0, "B:1", "https://w3id.org/controlmap/bb/1/1"),
    (2, "B:3", "sssom:NoTermFound"), (0, "B:1", " B:1"), (3, "subset_of", "near"), (3, "\t6\t", "\t\t"),
    (0, "\t\t\t\t\t\t\t", "\t\tequal\t\t\t\t\t"), (1, "\tR\t", "\tX\t"), (1, "\tx\t", "\tx\t\t"), (0, "A:2", '"A:2"'),
])
def test_any_doubtful_row_sends_the_whole_file_row_by_row(change, monkeypatch):
    row, old, new = change
    rows = list(ROWS)
    assert old in rows[row]
    rows[row] = rows[row].replace(old, new, 1)
    text = HEAD + COLUMNS + "\n".join(rows) + "\n"
    table = split_sssom(text, "t.sssom.tsv")
    assert plain_columns(table, "t.sssom.tsv", "semapv:ManualMappingCuration") is None
    try:
        fast, slow = _both(text, "t.sssom.tsv", monkeypatch)
    except DataError as err:  # a faulty row: the row-by-row path names it
        assert {p.row for p in err.problems} == {8 + row}
    else:
        assert fast is None and slow.mapping_set.size == len(ROWS)


def test_blank_and_comment_lines_keep_their_line_numbers(monkeypatch):
    text = HEAD + COLUMNS + ROWS[0] + "\n\n# a note\n" + ROWS[1] + "\n"
    fast, slow = _both(text, "t.sssom.tsv", monkeypatch)
    assert fast is None and [m.origin for m in slow.mapping_set.mappings] == ["t.sssom.tsv:11", "t.sssom.tsv:8"]


def test_loading_indexing_and_explaining_make_no_mapping_object(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth

    import controlmap as cm
    from controlmap.queries.rows import row_index

    cw = synth.generate("tiny")
    root = synth.write_data_dir(cw, tmp_path / "d", notes=True)
    kg = cm.load(data_dir=root)
    kg.index  # noqa: B018 - built for its side effect
    row_index(kg.catalog)
    sets = kg.catalog.mapping_sets
    assert sum(ms.size for ms in sets) == cw.subj.size
    assert all(ms.__dict__["_rows"] is None for ms in sets)  # rows still columns
    first = sets[0]
    assert len(first.mappings) == first.size and first.__dict__["_rows"] is not None  # made when read

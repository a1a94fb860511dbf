"""The table rows both benchmark reports share (benchmarks/_tables.py): one cell per size, unmeasured ones marked."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from _tables import row_writer  # noqa: E402


def test_a_row_has_one_cell_per_size_and_marks_what_was_not_measured():
    lines: list[str] = ["| work | small | large |"]
    row = row_writer(lines, [{"load_s": 0.5, "rdflib": {"s": 2.0}}, {"load_s": 12.25, "rdflib": None}], "skipped")
    row("load", lambda s: f"{s['load_s']:.2f} s")
    row("rdflib", lambda s: f"{s['rdflib']['s']:.1f} s")   # None['s'] is a TypeError
    row("oxigraph", lambda s: f"{s['oxigraph']:.1f} s")     # a KeyError
    assert lines[1:] == ["| load | 0.50 s | 12.25 s |", "| rdflib | 2.0 s | skipped |",
                         "| oxigraph | skipped | skipped |"]

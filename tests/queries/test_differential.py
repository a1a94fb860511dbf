"""Coverage and gaps give, to the character, the answers recorded from the code before the speed-ups.

``recorded/answers.json.gz`` holds every coverage item (status, explanation, best path, sources,
section) and every candidate of the questions below, computed by the pre-index implementation on
the shipped data and on seeded synthetic data generated here (``benchmarks/synth.py`` with comments
and carried rows). Re-record only for an intended change of answers:
``python tests/queries/test_differential.py --record``.
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from pathlib import Path

import pytest

import controlmap as cm

REPO = Path(__file__).resolve().parents[2]
RECORDED = Path(__file__).with_name("recorded") / "answers.json.gz"
sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # noqa: E402

SYNTH = synth.Size("differential", 5, 150, 3_000, 12)
SEED = 11


def _step(s) -> list:
    return [s.subject_id, s.relation.value, s.object_id, s.strength, s.confidence, s.mapping_set, s.inverted,
            list(s.combined_with)]


def _coverage(result) -> dict:
    items = []
    for i in result.items:
        best = None if i.best is None else [[_step(s) for s in i.best.steps], i.best.relation.value,
                                            i.best.strength, i.best.confidence]
        items.append([i.control.id, i.status.value, i.explanation, best, list(i.sources), i.not_applicable_reason,
                      i.section, i.section_title, i.part, i.part_title])
    return {"source": result.source, "target": result.target, "scope": result.scope, "items": items}


def _gaps(result) -> dict:
    cands = []
    for c in result.candidates:
        cands.append([c.id, c.title, c.check_question, c.status.value, list(c.targets), list(c.target_titles),
                      list(c.frameworks), list(c.partial_sources), c.reason, c.priority,
                      sorted(c.priority_factors.items()), [p.value for p in c.provenance], c.suggested_chapter,
                      c.suggested_chapter_title, list(c.explanation), list(c.partial_source_titles)])
    return {"against": list(result.against), "coverages": [_coverage(c) for c in result.coverages],
            "candidates": cands}


def shipped_answers() -> dict:
    kg = cm.load()
    others = [f.key for f in kg.frameworks if f.id != "mic"]
    out = {"gaps": _gaps(cm.gaps(kg, "mic", ["jisq15001", "govt_unified_std"])),
           "gaps_all": _gaps(cm.gaps(kg, "mic", others, scope=None)),
           "gaps_1hop": _gaps(cm.gaps(kg, "mic", ["jisq15001@2017", "govt_unified_std"], max_hops=1))}
    for key in others:
        out[f"coverage {key}"] = _coverage(cm.coverage(kg, "mic", key, scope=None, max_hops=3))
    return out


def synth_answers(root: Path) -> dict:
    kg = cm.load(data_dir=synth.write_data_dir(synth.generate(SYNTH, seed=SEED), root, notes=True))
    keys = [f.key for f in kg.frameworks]
    out = {}
    for source in keys[:2]:
        others = [k for k in keys if k != source]
        out[f"gaps {source}"] = _gaps(cm.gaps(kg, source, others, scope=None))
    out["gaps 1hop"] = _gaps(cm.gaps(kg, keys[2], keys[3:], scope=None, max_hops=1, threshold=5))
    return out


def answers(root: Path) -> dict:
    return {"shipped": shipped_answers(), "synth": synth_answers(root)}


@pytest.fixture(scope="module")
def recorded() -> dict:
    with gzip.open(RECORDED, "rt", encoding="utf-8") as f:
        return json.load(f)


def _compare(now: dict, then: dict) -> None:
    assert sorted(now) == sorted(then)
    for key in then:
        assert json.loads(json.dumps(now[key], ensure_ascii=False)) == then[key], key


def test_shipped_data_answers_equal_the_recorded_ones(recorded):
    _compare(shipped_answers(), recorded["shipped"])


def test_synthetic_answers_equal_the_recorded_ones(recorded, tmp_path):
    now = synth_answers(tmp_path / "data")
    assert sum(len(g["candidates"]) for g in now.values()) > 100  # the questions have plenty of answers
    _compare(now, recorded["synth"])


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    with tempfile.TemporaryDirectory() as tmp:
        result = answers(Path(tmp) / "data")
    RECORDED.parent.mkdir(exist_ok=True)
    with gzip.open(RECORDED, "wt", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, sort_keys=True)
    print(f"recorded {RECORDED}")

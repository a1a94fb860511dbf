"""Measure the mapping suggester on the shipped curated sets with held-out folds, against a naive baseline.

For each curated set in data/mappings/ the queries are its subject controls that have at least one
positive row (equal/subset_of/superset_of/intersects_with); every assessable control of the object
edition is ranked. Metrics per set: precision@1, precision@5, recall@10 and mean average precision.

Methods, all in the same run:
- ``baseline``: shared-character overlap (Jaccard of the sets of NFKC letters/digits/kanji/kana);
- ``lexical``: the suggester as shipped with no curated rows to learn from (TF-IDF, char 1–3-grams + parent title);
- ``lexical-2-3``: ablation, char 2–3-grams without the parent title;
- ``learned``: k-fold held out by subject control: ``Suggester.learn`` sees only the rows of the
  other folds' subjects, and the held-out subjects are scored.

Also: how often the suggested relation matches the curated one on the held-out gold pairs, the
logistic calibration of the lexical score (the constants in controlmap.suggest.DEFAULT_CALIBRATION),
and the speed of 1,500 x 1,500 suggestions on synthetic Japanese-like controls built from the shipped
titles and summaries. Writes benchmarks/results/suggest_eval.json and .md.

Run: .venv/bin/python benchmarks/suggest_eval.py [--folds 5] [--seed 0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

import numpy as np

import controlmap as cm
from controlmap.model import Catalog, Control, Framework, Mapping, MappingSet, Relation
from controlmap.queries.suggest import Suggester, _fit_logistic

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
METRICS = ("p@1", "p@5", "r@10", "map")


# -- metrics -------------------------------------------------------------------------------------
def rank_metrics(scores: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    """Mean P@1, P@5, R@10 and MAP over the rows of ``scores`` (queries x candidates); ties keep document order."""
    p1 = p5 = r10 = ap = 0.0
    n = gold.shape[0]
    for i in range(n):
        rel = gold[i][np.argsort(-scores[i], kind="stable")] > 0
        hits = np.flatnonzero(rel)
        p1 += rel[0]
        p5 += rel[:5].sum() / 5
        r10 += rel[:10].sum() / hits.size
        ap += float(np.mean((np.arange(hits.size) + 1) / (hits + 1)))
    return {"p@1": p1 / n, "p@5": p5 / n, "r@10": r10 / n, "map": ap / n}


def char_overlap(catalog: Catalog, queries: list[Control], targets: list[Control]) -> np.ndarray:
    """The naive baseline: Jaccard overlap of the sets of characters in title + summary."""
    def chars(c: Control) -> set[str]:
        text = unicodedata.normalize("NFKC", f"{c.title}{c.summary}").casefold()
        return {ch for ch in text if ch.isalnum()}

    A = [chars(c) for c in queries]
    B = [chars(c) for c in targets]
    return np.array([[len(a & b) / (len(a | b) or 1) for b in B] for a in A])


# -- one curated set ----------------------------------------------------------------------------
def evaluate_set(catalog: Catalog, ms: MappingSet, folds: int, seed: int) -> dict:
    s_all = Suggester(catalog, ms.subject_framework, ms.object_framework)
    gold_pairs: dict[str, dict[str, Relation]] = defaultdict(dict)
    for m in ms.mappings:
        if m.relation is not Relation.NO_RELATIONSHIP and m.subject_id in s_all.source_index:
            gold_pairs[m.subject_id][m.object_id] = m.relation
    queries = [c for c in s_all.sources if c.id in gold_pairs]
    rows = np.array([s_all.source_index[c.id] for c in queries])
    gold = np.zeros((len(queries), len(s_all.targets)))
    for i, c in enumerate(queries):
        for o in gold_pairs[c.id]:
            gold[i, s_all.target_index[o]] = 1.0

    out: dict[str, dict] = {}
    out["baseline"] = rank_metrics(char_overlap(catalog, queries, s_all.targets), gold)
    out["lexical"] = rank_metrics(s_all.lexical(rows), gold)
    ablation = Suggester(catalog, ms.subject_framework, ms.object_framework, ngram_range=(2, 3), context=False)
    out["lexical-2-3"] = rank_metrics(ablation.lexical(rows), gold)

    # held out: each fold's subjects are scored by a suggester that learned from the other folds only
    fold_of = np.random.default_rng(seed).permutation(len(queries)) % folds
    learned = np.zeros_like(gold)
    chosen_w = []
    rel_hits = rel_total = heur_hits = 0
    for f in range(folds):
        test = {queries[i].id for i in np.flatnonzero(fold_of == f)}
        train = [m for m in ms.mappings if m.subject_id not in test]
        s = Suggester(catalog, ms.subject_framework, ms.object_framework).learn(train)
        chosen_w.append(s.learned.knn_weight if s.learned else 0.0)
        idx = np.flatnonzero(fold_of == f)
        learned[idx] = s.scores(rows[idx])
        lexical = s.lexical(rows[idx])
        top1 = np.argmax(lexical, axis=1)
        fan = defaultdict(int)
        for t in top1.tolist():
            fan[t] += 1
        for k, i in enumerate(idx.tolist()):
            for o, rel in gold_pairs[queries[i].id].items():
                t = s.target_index[o]
                guess, _ = s.guess_relation(int(rows[i]), t, float(lexical[k, t]), fan[t])
                rel_hits += guess is rel
                rel_total += 1
        plain = Suggester(catalog, ms.subject_framework, ms.object_framework)
        for k, i in enumerate(idx.tolist()):
            for o, rel in gold_pairs[queries[i].id].items():
                t = plain.target_index[o]
                guess, _ = plain.guess_relation(int(rows[i]), t, float(lexical[k, t]), fan[t])
                heur_hits += guess is rel
    out["learned"] = rank_metrics(learned, gold)
    return {
        "set": Path(ms.origin).name, "subject": ms.subject_framework, "object": ms.object_framework,
        "queries": len(queries), "candidates": len(s_all.targets), "gold_pairs": int(gold.sum()),
        "methods": out, "knn_weight_chosen_per_fold": chosen_w,
        "relation_agreement": {"learned": rel_hits / rel_total, "heuristic_without_learning": heur_hits / rel_total,
                               "pairs": rel_total},
    }


def fit_default_calibration(catalog: Catalog, sets: list[MappingSet]) -> dict:
    """Logistic fit of P(curated pair | lexical score) over every (subject, object) pair of the sets."""
    xs, ys = [], []
    for ms in sets:
        s = Suggester(catalog, ms.subject_framework, ms.object_framework)
        pos = {(m.subject_id, m.object_id) for m in ms.mappings if m.relation is not Relation.NO_RELATIONSHIP}
        M = s.lexical()
        for i, a in enumerate(s.sources):
            for j, b in enumerate(s.targets):
                xs.append(M[i, j])
                ys.append((a.id, b.id) in pos)
    x, y = np.array(xs), np.array(ys, dtype=float)
    a, b = _fit_logistic(x, y)
    p = 1 / (1 + np.exp(-(a + b * x)))
    return {"intercept": a, "slope": b, "pairs": int(x.size), "positives": int(y.sum()),
            "brier": float(np.mean((p - y) ** 2)), "brier_of_base_rate": float(np.mean((y.mean() - y) ** 2))}


# -- speed ---------------------------------------------------------------------------------------
def synthetic_catalog(catalog: Catalog, n: int, seed: int) -> Catalog:
    """Two frameworks of ``n`` controls each whose texts recombine shipped titles and summaries."""
    rng = random.Random(seed)
    titles = [c.title for c in catalog.controls if c.title]
    summaries = [c.summary for c in catalog.controls if c.summary]
    frameworks, controls = [], []
    for fid, prefix in (("synth_a", "SA"), ("synth_b", "SB")):
        frameworks.append(Framework(id=fid, edition="1", prefix=prefix, title=f"合成 {fid}",
                                    levels=("chapter", "item")))
        chapters = max(1, n // 12)
        for k in range(chapters):
            controls.append(Control(id=f"{prefix}:C{k}", framework=f"{fid}@1", notation=f"C{k}", parent=None,
                                    level="chapter", title=rng.choice(titles), order=len(controls)))
        for k in range(n):
            title = rng.choice(titles) + ("・" + rng.choice(titles) if rng.random() < 0.4 else "")
            half = rng.choice(summaries)
            summary = half[: len(half) // 2] + rng.choice(summaries)[len(half) // 2:]
            controls.append(Control(id=f"{prefix}:I{k}", framework=f"{fid}@1", notation=f"I{k}",
                                    parent=f"{prefix}:C{k % chapters}", level="item", title=title,
                                    summary=summary, order=len(controls)))
    return Catalog(frameworks=tuple(frameworks), controls=tuple(controls))


def measure_speed(catalog: Catalog, n: int, repeat: int, seed: int) -> dict:
    synth = synthetic_catalog(catalog, n, seed)
    rng = random.Random(seed)
    curated = [Mapping(f"SA:I{i}", f"SB:I{rng.randrange(n)}", Relation.SUBSET_OF, 3) for i in range(0, n, 2)]
    lexical, learned, learn_only = [], [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        s = Suggester(synth, "synth_a", "synth_b")
        ms = s.suggest(top_k=5, date="2000-01-01")
        lexical.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        s = Suggester(synth, "synth_a", "synth_b")
        t1 = time.perf_counter()
        s.learn(curated)
        t2 = time.perf_counter()
        s.suggest(top_k=5, date="2000-01-01")
        learned.append(time.perf_counter() - t0)
        learn_only.append(t2 - t1)
    return {"sources": n, "targets": n, "top_k": 5, "rows": len(ms.mappings), "repeat": repeat,
            "lexical_seconds_median": statistics.median(lexical),
            "learned_seconds_median": statistics.median(learned),
            "learn_step_seconds_median": statistics.median(learn_only),
            "learned_with_curated_rows": len(curated)}


# -- report --------------------------------------------------------------------------------------
def markdown(result: dict) -> str:
    lines = ["# Mapping suggester: held-out evaluation on the shipped curated sets", "",
             f"Run {result['date']} on {result['machine']['cpus']} CPU(s), Python {result['machine']['python']}; "
             f"{result['folds']}-fold held out by subject control, seed {result['seed']}. "
             "Produced by `benchmarks/suggest_eval.py`.", "",
             "| set | queries | method | P@1 | P@5 | R@10 | MAP |", "|---|---:|---|---:|---:|---:|---:|"]
    for r in result["sets"]:
        for method, m in r["methods"].items():
            lines.append(f"| {r['set']} | {r['queries']} | {method} | {m['p@1']:.3f} | {m['p@5']:.3f} | "
                         f"{m['r@10']:.3f} | {m['map']:.3f} |")
    lines += ["", "Mean over the three sets:", "", "| method | P@1 | P@5 | R@10 | MAP |", "|---|---:|---:|---:|---:|"]
    for method, m in result["mean"].items():
        lines.append(f"| {method} | {m['p@1']:.3f} | {m['p@5']:.3f} | {m['r@10']:.3f} | {m['map']:.3f} |")
    lines += ["", "Suggested relation equal to the curated one, on the held-out gold pairs:", "",
              "| set | pairs | learned | without learning |", "|---|---:|---:|---:|"]
    for r in result["sets"]:
        a = r["relation_agreement"]
        lines.append(f"| {r['set']} | {a['pairs']} | {a['learned']:.3f} | {a['heuristic_without_learning']:.3f} |")
    cal = result["calibration"]
    sp = result["speed"]
    lines += ["", f"Calibration of the lexical score (logistic, all {cal['pairs']} pairs, {cal['positives']} curated): "
              f"intercept {cal['intercept']}, slope {cal['slope']}; Brier {cal['brier']:.4f} "
              f"(base rate alone {cal['brier_of_base_rate']:.4f}).", "",
              f"Speed, {sp['sources']:,} x {sp['targets']:,} synthetic controls, top {sp['top_k']} "
              f"({sp['rows']:,} rows), median of {sp['repeat']}: lexical {sp['lexical_seconds_median']:.2f} s "
              f"(vectorise + score + build the MappingSet); with learning from {sp['learned_with_curated_rows']} "
              f"curated rows {sp['learned_seconds_median']:.2f} s, "
              f"of which learn {sp['learn_step_seconds_median']:.2f} s.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--size", type=int, default=1500)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)

    catalog = cm.load().catalog
    sets = [ms for ms in catalog.mapping_sets if ms.kind == "curated" and "/mappings/" in ms.id]
    results = [evaluate_set(catalog, ms, args.folds, args.seed) for ms in sets]
    mean = {method: {k: float(np.mean([r["methods"][method][k] for r in results])) for k in METRICS}
            for method in results[0]["methods"]}
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "folds": args.folds, "seed": args.seed, "sets": results, "mean": mean,
        "calibration": fit_default_calibration(catalog, sets),
        "speed": measure_speed(catalog, args.size, args.repeat, args.seed),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "suggest_eval.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n",
                                                encoding="utf-8")
    text = markdown(result)
    (args.out / "suggest_eval.md").write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    print(f"wrote {args.out / 'suggest_eval.json'} and suggest_eval.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())

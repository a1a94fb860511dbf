"""Shared knowledge base at national scale: all 1,741 municipalities publish a year's items, then ask the peers query.

Starts a real Oxigraph server (PyPI ``oxigraph``) on 127.0.0.1 with a fresh database, builds one
publication per municipality (synthetic codes with valid JIS X 0402 check digits; 10-20 adopted
items each, drawn from the shipped gap candidates with a skewed popularity, about one in ten a
municipality's own item), publishes them from parallel clients through the Graph Store Protocol,
checks that every graph arrived, and times the peers query over all municipalities.
Aim (issue 7): the peers query within one second on a 2-core machine.

Writes benchmarks/results/store.json and .md.

Run: .venv/bin/python benchmarks/store_bench.py [--municipalities 1741] [--workers 4] [--repeat 5] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import controlmap as cm
from controlmap.graph.publication import AdoptedItem, adopted_items, coverage_summary, publication_graph
from controlmap.municipality import check_digit, graph_iri
from controlmap.store import RemoteStore
from controlmap.store.server import OxigraphServer, oxigraph_binary
from controlmap.workflows.peers import peers

RESULTS = Path(__file__).resolve().parent / "results"


def municipality_codes(n: int) -> list[str]:
    """``n`` distinct synthetic codes spread over the 47 prefectures, each with its check digit."""
    codes = []
    k = 0
    while len(codes) < n:
        pref = 1 + k % 47
        number = 201 + k // 47
        first = f"{pref:02d}{number:03d}"
        codes.append(first + check_digit(first))
        k += 1
    return codes


def build_items(rnd: random.Random, candidates, code: str, kg) -> tuple[AdoptedItem, ...]:
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(candidates))]  # a few items are popular
    count = rnd.randint(10, 20)
    picked: dict[str, object] = {}
    while len(picked) < count:
        c = rnd.choices(candidates, weights)[0]
        picked[c.id] = c
    items = list(adopted_items(picked.values()))
    if rnd.random() < 0.1:  # a municipality's own item, not from a candidate
        target = rnd.choice(candidates).targets[0]
        items.append(AdoptedItem(f"MIC-ADD-{len(items) + 1:02d}", f"独自項目 {code}", "独自の点検を行っているか。",
                                 (target,), "当団体の運用で必要と判断した。"))
    return tuple(items)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=1741)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    kg = cm.load()
    result = cm.gaps(kg, source="mic", against=["jisq15001", "govt_unified_std"])
    candidates = list(result.candidates)
    rnd = random.Random(args.seed)
    codes = municipality_codes(args.municipalities)

    t0 = time.perf_counter()
    publications = {}
    for code in codes:
        items = build_items(rnd, candidates, code, kg)
        publications[code] = publication_graph(code, items, coverage_summary(result, items), catalog=kg)
    build_s = time.perf_counter() - t0
    triples = sum(len(g) for g in publications.values())

    with tempfile.TemporaryDirectory() as tmp, OxigraphServer(Path(tmp) / "db", log=Path(tmp) / "server.log") as server:
        store = RemoteStore(server.url, timeout=60, retries=3)

        def send(code: str) -> float:
            started = time.perf_counter()
            store.replace_graph(graph_iri(code), publications[code])
            return time.perf_counter() - started

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            latencies = list(pool.map(send, codes))
        publish_s = time.perf_counter() - t0

        held = {g for g in store.graphs()}
        missing = [c for c in codes if graph_iri(c) not in held]
        sizes_ok = all(len(store.get_graph(graph_iri(c))) == len(publications[c]) for c in rnd.sample(codes, 20))

        timings: dict[str, list[float]] = {"peers_all": [], "peers_one": [], "peers_one_no_catalog": []}
        answer = None
        for r in range(args.repeat):
            t = time.perf_counter()
            peers(store, catalog=kg)
            timings["peers_all"].append(time.perf_counter() - t)
            t = time.perf_counter()
            answer = peers(store, codes[r % len(codes)], catalog=kg)
            timings["peers_one"].append(time.perf_counter() - t)
            t = time.perf_counter()
            peers(store, codes[r % len(codes)])
            timings["peers_one_no_catalog"].append(time.perf_counter() - t)
        version = subprocess.run([oxigraph_binary(), "--version"], capture_output=True, text=True).stdout.strip()

    items_total = sum(len(list(g.subjects(cm.vocab.CM.checkQuestion, None))) for g in publications.values())
    latencies.sort()
    out = {
        "municipalities": len(codes),
        "items": items_total,
        "triples": triples,
        "workers": args.workers,
        "seed": args.seed,
        "build_seconds": round(build_s, 3),
        "publish_seconds": round(publish_s, 3),
        "publish_graphs_per_second": round(len(codes) / publish_s, 1),
        "publish_triples_per_second": round(triples / publish_s),
        "publish_latency_ms": {"median": round(1000 * statistics.median(latencies), 1),
                               "p95": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
                               "max": round(1000 * latencies[-1], 1)},
        "graphs_missing_after_publish": len(missing),
        "sampled_graph_sizes_match": sizes_ok,
        "peers_query_seconds": {k: {"median": round(statistics.median(v), 3), "min": round(min(v), 3),
                                    "max": round(max(v), 3)} for k, v in timings.items()},
        "peers_items": len(answer.items) if answer else 0,
        "peers_municipalities_seen": answer.municipalities if answer else 0,
        "aim_peers_under_1s": max(timings["peers_one"] + timings["peers_all"] + timings["peers_one_no_catalog"]) < 1.0,
        "server": version,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "store.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md = [
        "# Shared knowledge base benchmark (benchmarks/store_bench.py)", "",
        f"{out['municipalities']} municipalities publish {out['items']} adopted items ({triples} triples) to "
        f"{version} on 127.0.0.1 from {args.workers} parallel clients; {os.cpu_count()} CPUs.", "",
        "| measure | value |", "|---|---|",
        f"| building the publications (Python) | {out['build_seconds']} s |",
        f"| publishing all (wall) | {out['publish_seconds']} s |",
        f"| publish throughput | {out['publish_graphs_per_second']} graphs/s, "
        f"{out['publish_triples_per_second']} triples/s |",
        f"| publish latency median / p95 / max | {out['publish_latency_ms']['median']} / "
        f"{out['publish_latency_ms']['p95']} / {out['publish_latency_ms']['max']} ms |",
        f"| graphs missing after publishing | {len(missing)} |",
        f"| peers query, all municipalities (median of {args.repeat}) | "
        f"{out['peers_query_seconds']['peers_all']['median']} s |",
        f"| peers query for one municipality (median / max) | {out['peers_query_seconds']['peers_one']['median']} / "
        f"{out['peers_query_seconds']['peers_one']['max']} s |",
        f"| same, control titles read from the server instead of the local catalog (median / max) | "
        f"{out['peers_query_seconds']['peers_one_no_catalog']['median']} / "
        f"{out['peers_query_seconds']['peers_one_no_catalog']['max']} s |",
        f"| distinct items in the answer | {out['peers_items']} |",
        f"| aim: peers query within 1 s | {'met' if out['aim_peers_under_1s'] else 'NOT met'} |",
        "", "The peers query time is what `controlmap peers` waits for: the SPARQL queries, HTTP and JSON parsing "
        "in the client.", "",
    ]
    (args.out / "store.md").write_text("\n".join(md), encoding="utf-8")
    print("\n".join(md))
    return 0 if not missing and sizes_ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Interoperability benchmark: reading other people's libraries and catalogs, validating them, parsing big SSSOM sets.

Timed (median of ``--repeat`` runs, wall clock):

1. reading CISO Assistant's NIST SP 800-53 rev5 library, Spain's ENS library, and CSF 2.0 + ISO 27001:2022 + their
   mapping library together (with the doc-pol reference controls they cite), through ``controlmap.load``;
2. ``validate_paths`` (what ``controlmap validate`` runs) on the SP 800-53 library and on NIST's OSCAL catalog,
   with the user's SHACL cache (after the first run it holds the findings) and without it (``--no-cache``);
3. parsing a synthetic SSSOM set of 10,000 and 200,000 rows as TSV and as SSSOM/JSON (``parse_sssom`` /
   ``parse_sssom_json``: every row checked, nothing resolved), and writing it as TSV, JSON and Turtle (10k only).

Other people's files are looked for in ``$CONTROLMAP_EXTERNAL_FIXTURES`` or ``../shared/external`` beside the
repository (tests/fixtures/external/PROVENANCE.md); the parts that need them are skipped, saying so, when absent.
Results: ``benchmarks/results/interop.md`` (and ``interop.json``).
Usage: ``python benchmarks/interop_bench.py [--repeat 5] [--sizes 10000 200000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

import controlmap as cm  # noqa: E402
from controlmap.io.sssom import parse_sssom  # noqa: E402
from controlmap.io.sssom_json import parse_sssom_json  # noqa: E402
from controlmap.workflows.validate import validate_paths  # noqa: E402

READS = {
    "CISO SP 800-53 rev5 library": ["nist-sp-800-53-rev5.yaml"],
    "CISO ENS (RD 311/2022) library": ["ens-rd-311-2022.yaml"],
    "CISO CSF 2.0 + ISO 27001:2022 + mapping (+ doc-pol)": [
        "key-reference-controls.yaml", "nist-csf-2.0.yaml", "iso27001-2022.yaml",
        "mapping-nist-csf-2.0-to-iso27001-2022.yaml"],
}
VALIDATE = {
    "validate: CISO SP 800-53 rev5 library": "ciso/nist-sp-800-53-rev5.yaml",
    "validate: OSCAL SP 800-53 rev5 catalog (5.0.1)": "oscal/NIST_SP-800-53_rev5_catalog.json",
}
T = TypeVar("T")
PREDICATES = ("skos:exactMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch")


def external_dir() -> Path:
    env = os.environ.get("CONTROLMAP_EXTERNAL_FIXTURES")
    return Path(env) if env else REPO.parent / "shared" / "external"


def timed(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """(median seconds, the last result)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def synthetic_sssom(rows: int) -> str:
    """An SSSOM TSV set of ``rows`` rows between two made-up prefixes (labels, confidence, comment, a date)."""
    head = ("#curie_map:\n#  A: https://example.org/a/\n#  B: https://example.org/b/\n"
            "#mapping_set_id: https://example.org/bench\n#license: https://creativecommons.org/publicdomain/zero/1.0/\n"
            "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\tconfidence\t"
            "mapping_date\tcomment\n")
    body = "".join(
        f"A:{i:07d}\tsubject {i}\t{PREDICATES[i % 4]}\tB:{(i * 7919) % rows:07d}\tobject {i}\t"
        f"semapv:ManualMappingCuration\t{0.5 + (i % 50) / 100:.2f}\t2026-11-26\trow {i} 対応の説明\n"
        for i in range(rows))
    return head + body


def bench_reads(ext: Path, repeat: int) -> list[dict[str, Any]]:
    seconds, kg = timed(cm.load, repeat)
    out: list[dict[str, Any]] = [{"what": "the shipped data alone (included in every read below)", "seconds": seconds,
            "frameworks": len(kg.catalog.frameworks)}]
    for name, files in READS.items():
        paths = [ext / "ciso" / f for f in files]
        missing = [p.name for p in paths if not p.is_file()]
        if missing:
            out.append({"what": name, "skipped": f"missing {', '.join(missing)} (set CONTROLMAP_EXTERNAL_FIXTURES)"})
            continue
        seconds, kg = timed(partial(cm.load, *paths), repeat)
        added = [f for f in kg.catalog.frameworks if f.key not in _shipped_keys()]
        nodes = sum(len(kg.catalog.controls_of(f)) for f in added)
        rows = sum(len(s.mappings) for s in kg.catalog.mapping_sets if s.id.startswith("urn:"))
        out.append({"what": name, "seconds": seconds, "frameworks": len(added), "nodes": nodes,
                    "mapping_rows": rows})
    return out


_SHIPPED: set[str] = set()


def _shipped_keys() -> set[str]:
    if not _SHIPPED:
        _SHIPPED.update(f.key for f in cm.load().catalog.frameworks)
    return _SHIPPED


def bench_validate(ext: Path, repeat: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, rel in VALIDATE.items():
        path = ext / rel
        if not path.is_file():
            out.append({"what": name, "skipped": f"missing {rel} (set CONTROLMAP_EXTERNAL_FIXTURES)"})
            continue
        for cache, label in ((True, name), (False, f"{name}, --no-cache")):
            seconds, (checked, problems) = timed(partial(validate_paths, [path], cache=cache), repeat)
            out.append({"what": label, "seconds": seconds, "problems": len(problems),
                        "controls": len(checked.catalog.controls) if checked is not None else None})
    return out


def bench_sssom(sizes: list[int], repeat: int) -> list[dict[str, Any]]:
    from controlmap.export.sssom import write_sssom_json, write_sssom_rdf
    from controlmap.io.sssom import write_sssom

    out: list[dict[str, Any]] = []
    for rows in sizes:
        text = synthetic_sssom(rows)
        runs = max(1, repeat if rows <= 20_000 else 3)
        seconds, parsed = timed(partial(parse_sssom, text, "bench.sssom.tsv"), runs)
        assert len(parsed.mapping_set.mappings) == rows
        out.append({"what": f"parse SSSOM TSV, {rows:,} rows", "seconds": seconds, "rows_per_s": rows / seconds})
        kg = cm.load()
        catalog = kg.catalog.merge(_external_part(parsed, kg.catalog))
        (ms,) = [s for s in catalog.mapping_sets if s.id == "https://example.org/bench"]
        doc = json.loads(write_sssom_json(ms, catalog))
        seconds, parsed_json = timed(partial(parse_sssom_json, doc, "bench.sssom.json"), runs)
        assert len(parsed_json.mapping_set.mappings) == rows
        out.append({"what": f"parse SSSOM/JSON, {rows:,} rows", "seconds": seconds, "rows_per_s": rows / seconds})
        if rows <= 20_000:
            for label, writer in (("TSV", write_sssom), ("JSON", write_sssom_json), ("RDF/Turtle", write_sssom_rdf)):
                seconds, _ = timed(partial(writer, ms, catalog), max(1, repeat // 2))
                out.append({"what": f"write SSSOM {label}, {rows:,} rows", "seconds": seconds,
                            "rows_per_s": rows / seconds})
    return out


def _external_part(parsed, catalog):
    from controlmap.io.sssom import resolve_set

    part, problems = resolve_set(parsed, catalog)
    assert not problems, problems[:3]
    return part


def markdown(results: dict) -> str:
    lines = ["# Interoperability benchmark", "",
             f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
             f"median of {results['repeat']} runs (3 for the 200k-row parses). Written by "
             "`benchmarks/interop_bench.py`.", "",
             "| what | time | figures |", "|---|---:|---|"]
    for section in ("reads", "validate", "sssom"):
        for r in results[section]:
            if "skipped" in r:
                lines.append(f"| {r['what']} | skipped | {r['skipped']} |")
                continue
            figures = ", ".join(f"{k.replace('_', ' ')} {v:,.0f}" if isinstance(v, float)
                                else f"{k.replace('_', ' ')} {v:,}"
                                for k, v in r.items() if k not in ("what", "seconds") and v is not None)
            lines.append(f"| {r['what']} | {r['seconds'] * 1000:,.0f} ms | {figures} |")
    lines += ["", "Reads go through `controlmap.load(files)`, so they include loading the shipped data (first row); "
              "*nodes* are the controls of the frameworks the files add, *mapping rows* both "
              "directions of the CISO mapping library. `validate` loads the shipped data with the file and runs "
              "every check of `controlmap validate` over the whole catalog. The SSSOM parses check every row "
              "(justification, ids, numbers) but resolve nothing; the Turtle writer is rdflib's serialiser."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000])
    parser.add_argument("--out", default=str(HERE / "results"))
    args = parser.parse_args()
    ext = external_dir()
    _shipped_keys()
    results = {"repeat": args.repeat, "external": ext.is_dir(),
               "reads": bench_reads(ext, args.repeat), "validate": bench_validate(ext, args.repeat),
               "sssom": bench_sssom(args.sizes, args.repeat)}
    text = markdown(results)
    print(text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "interop.md").write_text(text, encoding="utf-8")
    (out / "interop.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

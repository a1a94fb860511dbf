"""The ``controlmap`` command: parse arguments, call a workflow, print, set the exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ControlmapError, DataError
from ..textwidth import pad
from . import interop, isheet, store, suggest, viz
from .common import add_query_options, emit, print_problems

__all__ = ["build_parser", "main"]

# Feature areas keep their thin commands in their own module, each with register(subparsers).
COMMAND_MODULES = (viz, suggest, isheet, store, interop)


def cmd_frameworks(args: argparse.Namespace) -> int:
    from ..export.tables import framework_summary
    from ..workflows.kg import load

    kg = load(*args.files)
    print(f"{'framework edition':24} {pad('edition', 30)} {'def':3} {'completeness':13} {'controls':>8} "
          f"{'assess.':>7} {'[R]':>5} {'[I]':>5} {'%R':>5}  levels")
    for s in framework_summary(kg.catalog):
        share = 100 * s["R"] / s["controls"] if s["controls"] else 0.0
        levels = ", ".join(f"{k} {v}" for k, v in s["levels"].items())
        print(f"{s['framework']:24} {pad(s['edition'], 30)} {'*' if s['default'] else '':3} "
              f"{s['completeness']:13} {s['controls']:8d} {s['assessable']:7d} {s['R']:5d} {s['I']:5d} "
              f"{share:5.1f}  {levels}")
    print("def * = default edition; assess. = controls that coverage is decided for; "
          "[R] read in a cited source, [I] reconstructed")
    sets = kg.catalog.mapping_sets
    print(f"\n{len(sets)} mapping sets:")
    for ms in sets:
        print(f"  {ms.subject_framework} → {ms.object_framework}: {len(ms.mappings)} rows, {ms.kind}"
              f"{', complete' if ms.complete else ''}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from ..workflows.validate import validate_paths

    kg, problems = validate_paths(args.files, cache=not args.no_cache)
    if problems or kg is None:
        raise DataError(problems)
    c = kg.catalog
    print(f"ok: {len(c.frameworks)} framework editions, {len(c.controls)} controls, "
          f"{sum(len(s.mappings) for s in c.mapping_sets)} mappings; SHACL conforms")
    return 0


def cmd_export_rdf(args: argparse.Namespace) -> int:
    from ..workflows.kg import load
    from ..workflows.validate import export_rdf

    kg = load(*args.files)
    path = export_rdf(kg, args.output)
    print(f"wrote {path} ({len(kg.rdf)} triples)")
    return 0


def _scope_arg(args: argparse.Namespace):
    return None if args.no_scope else args.scope


def cmd_coverage(args: argparse.Namespace) -> int:
    from ..export.writers import format_coverage
    from ..workflows.kg import coverage, load

    kg = load(*args.files)
    result = coverage(kg, args.source, args.target, scope=_scope_arg(args), threshold=args.threshold,
                      max_hops=args.max_hops)
    emit(format_coverage(result, args.format), args.output, args.format)
    return 0


def cmd_gaps(args: argparse.Namespace) -> int:
    from ..export.render import gap_summary_text
    from ..export.writers import write_gaps
    from ..workflows.kg import gaps, load

    kg = load(*args.files)
    result = gaps(kg, args.source, args.against, scope=_scope_arg(args), threshold=args.threshold,
                  max_hops=args.max_hops)
    if args.output:
        path = write_gaps(result, args.output, catalog=kg.catalog)
        print(f"wrote {path} ({len(result.candidates)} candidates)")
    sys.stdout.write(gap_summary_text(result) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="controlmap",
        description="Security and privacy controls of several frameworks as one knowledge graph.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("frameworks", help="list framework editions with control counts and [R]/[I] shares")
    p.add_argument("files", nargs="*", help="extra framework/mapping files to load")
    p.set_defaults(func=cmd_frameworks)

    p = sub.add_parser("validate", help="check data files (own checks + SHACL); exit 1 on any problem")
    p.add_argument("files", nargs="*", help="files to check on top of the shipped data, or a data directory")
    p.add_argument("--no-cache", action="store_true",
                   help="run SHACL even when the user cache holds the findings for exactly these inputs")
    p.set_defaults(func=cmd_validate)

    from ..export.writers import COVERAGE_FORMATS

    p = sub.add_parser("coverage", help="status of every target control (covered/partial/gap/unassessed/n.a.)")
    p.add_argument("--source", required=True, help="checklist framework, e.g. mic")
    p.add_argument("--target", required=True, help="reference framework, e.g. jisq15001 or jisq15001@2017")
    p.add_argument("--format", choices=list(COVERAGE_FORMATS), default="table")
    p.add_argument("-o", "--output", type=Path, help="write to a file instead of the terminal")
    add_query_options(p)
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser("gaps", help="candidate additional check items against reference frameworks")
    p.add_argument("--source", required=True, help="checklist framework, e.g. mic")
    p.add_argument("--against", required=True, action="append", help="reference framework (repeatable)")
    p.add_argument("-o", "--output", type=Path,
                   help="file to write; the format comes from the suffix (.xlsx, .csv, .json, .md)")
    add_query_options(p)
    p.set_defaults(func=cmd_gaps)

    p = sub.add_parser("export-rdf", help="write the knowledge graph as .ttl, .nt or .jsonld")
    p.add_argument("-o", "--output", required=True, type=Path)
    p.add_argument("files", nargs="*", help="extra files to load")
    p.set_defaults(func=cmd_export_rdf)

    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; the one place errors become exit codes.

    Problems in input files (:class:`~controlmap.errors.DataError`) are printed one per line and exit 1;
    every other :class:`~controlmap.errors.ControlmapError` prints its message and exits 2.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DataError as err:
        print_problems(err.problems, sys.stdout)
        print(f"{len(err.problems)} problem(s) found", file=sys.stderr)
        return 1
    except ControlmapError as err:
        print(f"controlmap: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head and closed early
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Commands ``suggest``, ``review`` and ``lint-mappings``: thin wrappers over suggest, review and lint."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register"]

REJECTIONS_NAME = "rejections.tsv"


def _rejections_path(args: argparse.Namespace, folder: Path) -> Path:
    return args.rejections if args.rejections else folder / REJECTIONS_NAME


def cmd_suggest(args: argparse.Namespace) -> int:
    from ..cycle.review import read_rejections, rejected_pairs
    from ..io.sssom import write_sssom
    from ..queries.suggest import suggest
    from ..workflows.kg import load

    kg = load(*args.files)
    rejections_path = _rejections_path(args, args.output.parent if args.output else Path.cwd())
    rejected = rejected_pairs(read_rejections(rejections_path))
    ms = suggest(kg.catalog, args.source, args.target, top_k=args.top_k, min_score=args.min_score,
                 rejected=rejected, learn=not args.no_learn, include_curated=args.include_curated)
    text = write_sssom(ms, kg.catalog)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        sources = len({m.subject_id for m in ms.mappings})
        skipped = f"; {len(rejected)} rejected pair(s) in {rejections_path} skipped" if rejected else ""
        print(f"wrote {args.output}: {len(ms.mappings)} suggestions for {sources} source controls "
              f"({ms.subject_framework} → {ms.object_framework}){skipped}")
        print("suggestions never count as coverage; review them: fill the 'review' column with accept/reject "
              f"and run: controlmap review {args.output} --reviewer NAME")
    else:
        sys.stdout.write(text)
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from ..cycle.review import append_curated, apply_review, read_reviewed, write_rejections
    from ..io.sssom import write_sssom
    from ..workflows.kg import load

    kg = load(*args.files)
    catalog = kg.catalog
    ms, decisions, reviewers = read_reviewed(args.suggestions, catalog)
    if args.accept or args.reject:
        decisions = {}
        for verdict, pairs in (("accept", args.accept or []), ("reject", args.reject or [])):
            for s, o in pairs:
                key = (catalog.control(s).id, catalog.control(o).id)
                if decisions.get(key, verdict) != verdict:
                    raise ValueError(f"{key[0]} → {key[1]} is both accepted and rejected")
                decisions[key] = verdict
    if not decisions:
        raise ValueError("nothing to review: fill the 'review' column (accept/reject) or pass --accept/--reject")
    if not args.reviewer and any(k not in reviewers for k in decisions):
        raise ValueError("--reviewer is needed (or a reviewer_label on every decided row)")
    outcome = apply_review(ms.mappings, decisions, args.reviewer or "", date=args.date, relation=args.relation,
                           strength=args.strength, confidence=args.confidence, comment=args.comment,
                           reviewers=reviewers)
    curated = args.to or args.suggestions.with_name("reviewed.sssom.tsv")
    rejections = _rejections_path(args, args.suggestions.parent)
    if outcome.accepted:
        path, added = append_curated(curated, outcome.accepted, catalog, ms.subject_framework, ms.object_framework)
        print(f"accepted {len(outcome.accepted)} → {path} ({added} new curated row(s); "
              f"load it with --load {path} to count it in coverage)")
    if outcome.rejected:
        path, added = write_rejections(rejections, outcome.rejected)
        print(f"rejected {len(outcome.rejected)} → {path} ({added} new; never suggested again)")
    if args.prune:
        from dataclasses import replace

        args.suggestions.write_text(write_sssom(replace(ms, mappings=outcome.pending), catalog), encoding="utf-8")
        print(f"{len(outcome.pending)} undecided suggestion(s) left in {args.suggestions}")
    else:
        print(f"{len(outcome.pending)} suggestion(s) still undecided")
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from ..io.loader import default_data_dir, load_data_dir
    from ..queries.lint import EQUAL_MIN_SIMILARITY, RULES, lint_files

    catalog = load_data_dir(include_mappings=False)
    if args.load:
        from ..io.loader import load_files

        catalog = load_files(args.load, catalog)
    paths = args.paths or sorted((default_data_dir() / "mappings").glob("*.sssom.tsv"))
    threshold = EQUAL_MIN_SIMILARITY if args.equal_min_similarity is None else args.equal_min_similarity
    findings = lint_files(paths, catalog, equal_min_similarity=threshold)
    for f in findings:
        print(f)
    if findings:
        counts = {}
        for f in findings:
            counts[f.rule] = counts.get(f.rule, 0) + 1
        print(f"{len(findings)} finding(s) in {len(paths)} file(s): "
              + ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)
        return 1
    print(f"ok: {len(paths)} file(s), no findings ({', '.join(RULES)})")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``suggest``, ``review`` and ``lint-mappings`` to the ``controlmap`` command."""
    from ..model import Relation

    p = sub.add_parser("suggest", help="propose mappings by Japanese text similarity (SSSOM; never counted until reviewed)")
    p.add_argument("--source", required=True, help="framework whose controls are matched, e.g. mic")
    p.add_argument("--target", required=True, help="framework matched against, e.g. govt_unified_std")
    p.add_argument("--top-k", type=int, default=5, help="suggestions per source control (default 5)")
    p.add_argument("--min-score", type=float, default=0.0,
                   help="lowest calibrated confidence (0-1) to keep (default 0: keep the top k)")
    p.add_argument("-o", "--output", type=Path, help="SSSOM TSV to write (default: print)")
    p.add_argument("--rejections", type=Path,
                   help=f"rejected pairs never to propose (default: {REJECTIONS_NAME} beside the output)")
    p.add_argument("--no-learn", action="store_true", help="do not learn from curated rows between the editions")
    p.add_argument("--include-curated", action="store_true", help="also propose pairs a curated set already states")
    p.add_argument("--load", dest="files", action="append", default=[], metavar="FILE",
                   help="extra framework or mapping file to load, e.g. reviewed.sssom.tsv (repeatable)")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser("review", help="accept/reject suggestions: accepted → curated SSSOM, rejected → rejections file")
    p.add_argument("suggestions", type=Path, help="suggestions SSSOM TSV, optionally with a 'review' column")
    p.add_argument("--reviewer", help="reviewer name written to reviewer_label")
    p.add_argument("--accept", nargs=2, action="append", metavar=("SUBJECT", "OBJECT"),
                   help="accept one suggestion by control ids (repeatable); overrides the review column")
    p.add_argument("--reject", nargs=2, action="append", metavar=("SUBJECT", "OBJECT"),
                   help="reject one suggestion by control ids (repeatable)")
    p.add_argument("--relation", choices=[r.value for r in Relation if r is not Relation.NO_RELATIONSHIP],
                   help="relation for the accepted rows (default: as suggested or edited in the file)")
    p.add_argument("--strength", type=int, help="strength 0-10 for the accepted rows")
    p.add_argument("--confidence", type=float, help="confidence 0-1 for the accepted rows")
    p.add_argument("--comment", help="comment for accepted rows / reason for rejected ones")
    p.add_argument("--date", help="review date (default: today)")
    p.add_argument("--to", type=Path, help="curated SSSOM file to append to (default: reviewed.sssom.tsv beside)")
    p.add_argument("--rejections", type=Path, help=f"rejections file (default: {REJECTIONS_NAME} beside)")
    p.add_argument("--prune", action="store_true", help="rewrite the suggestions file with the undecided rows only")
    p.add_argument("--load", dest="files", action="append", default=[], metavar="FILE",
                   help="extra framework file to load (repeatable)")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("lint-mappings", help="flag curated mapping rows to look at again; exit 1 on findings")
    p.add_argument("paths", nargs="*", type=Path, help="SSSOM files (default: the shipped data/mappings/)")
    p.add_argument("--equal-min-similarity", type=float, default=None,
                   help="flag equal rows whose texts are less similar than this (default 0.04)")
    p.add_argument("--load", action="append", default=[], metavar="FILE",
                   help="extra framework file the mapping files refer to (repeatable)")
    p.set_defaults(func=cmd_lint)

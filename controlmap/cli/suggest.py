"""Commands ``suggest``, ``review`` and ``lint-mappings``: thin wrappers over suggest, review and lint."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register"]

def cmd_suggest(args: argparse.Namespace) -> int:
    from ..workflows.review import suggest_file

    made = suggest_file(args.files, args.source, args.target, output=args.output, rejections=args.rejections,
                        top_k=args.top_k, min_score=args.min_score, learn=not args.no_learn,
                        include_curated=args.include_curated)
    if made.output is None:
        sys.stdout.write(made.text)
        return 0
    ms = made.mapping_set
    sources = len({m.subject_id for m in ms.mappings})
    skipped = f"; {made.rejected} rejected pair(s) in {made.rejections} skipped" if made.rejected else ""
    print(f"wrote {made.output}: {len(ms.mappings)} suggestions for {sources} source controls "
          f"({ms.subject_framework} → {ms.object_framework}){skipped}")
    print("suggestions never count as coverage; review them: fill the 'review' column with accept/reject "
          f"and run: controlmap review {made.output} --reviewer NAME")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from ..workflows.review import review_file

    done = review_file(args.suggestions, args.files, reviewer=args.reviewer or "", accepted=args.accept or (),
                       rejected=args.reject or (), date=args.date, relation=args.relation, strength=args.strength,
                       confidence=args.confidence, comment=args.comment, to=args.to, rejections=args.rejections,
                       prune=args.prune)
    outcome = done.outcome
    if done.curated is not None:
        path, added = done.curated
        print(f"accepted {len(outcome.accepted)} → {path} ({added} new curated row(s); "
              f"load it with --load {path} to count it in coverage)")
    if done.rejections is not None:
        path, added = done.rejections
        print(f"rejected {len(outcome.rejected)} → {path} ({added} new; never suggested again)")
    if done.pruned is not None:
        print(f"{len(outcome.pending)} undecided suggestion(s) left in {done.pruned}")
    else:
        print(f"{len(outcome.pending)} suggestion(s) still undecided")
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from ..workflows.lint import RULES, lint_paths

    findings, paths = lint_paths(args.paths, load=args.load, equal_min_similarity=args.equal_min_similarity)
    for f in findings:
        print(f)
    if findings:
        counts: dict[str, int] = {}
        for f in findings:
            counts[f.rule] = counts.get(f.rule, 0) + 1
        print(f"{len(findings)} finding(s) in {len(paths)} file(s): "
              + ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)
        return 1
    print(f"ok: {len(paths)} file(s), no findings ({', '.join(RULES)})")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``suggest``, ``review`` and ``lint-mappings`` to the ``controlmap`` command."""
    from ..model import REJECTIONS_NAME, Relation  # not workflows.review: it imports rdflib, ~0.1 s on every command

    p = sub.add_parser("suggest",
                       help="propose mappings by Japanese text similarity (SSSOM; never counted until reviewed)")
    p.add_argument("--source", required=True, help="framework whose controls are matched, e.g. mic")
    p.add_argument("--target", required=True, help="framework matched against, e.g. govt_unified_std")
    p.add_argument("--top-k", type=int, default=5, help="suggestions per source control (default 5)")
    p.add_argument("--min-score", type=float, default=0.0,
                   help="lowest calibrated confidence (0-1) to keep (default 0: keep the top k)")
    p.add_argument("-o", "--output", type=Path,
                   help="SSSOM file to write: .sssom.tsv, .sssom.json or .sssom.ttl (default: print TSV)")
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

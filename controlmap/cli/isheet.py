"""Thin commands of the yearly cycle: isheet new/check/diff/rdf, survey new/import, decide, decisions, share."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..errors import DataError
from .common import DEFAULT_AGAINST, emit

__all__ = ["register"]



def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-26") from None


def _share(text: str) -> float:
    value = text.strip()
    try:
        number = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share like 0.8 or 80%") from None
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 1 (or 1%–100%)")
    return number


# -- isheet ---------------------------------------------------------------------------------------------------
def cmd_isheet_new(args: argparse.Namespace) -> int:
    from ..export.files import refuse_overwrite
    from ..workflows.isheet import new_isheet_file

    refuse_overwrite(args.output, args.previous, args.decisions)
    made = new_isheet_file(args.year, args.output, source=args.source, previous=args.previous,
                           decisions=args.decisions, subject=args.subject)
    sheet, previous = made.sheet, made.previous
    added = [r.notation for r in sheet.rows if r.item_id.startswith("MICADD:")]
    print(f"wrote {made.path}: {len(sheet.rows)} check items for fiscal year {sheet.year}"
          + (f" including {len(added)} adopted additional item(s): {', '.join(added)}" if added else ""))
    if previous is not None:
        print(f"carried over from {args.previous} ({previous.year}): measures, confirmation methods, evidence, "
              f"persons in charge, notes, own practices" + (f" and {len(previous.extra_columns)} added column(s)"
                                                             if previous.extra_columns else ""))
    return 0


def cmd_isheet_check(args: argparse.Namespace) -> int:
    from ..workflows.isheet import check_isheet, read_isheet

    problems = check_isheet(args.file, as_of=args.as_of, complete=args.complete)
    if problems:
        raise DataError(problems)
    sheet = read_isheet(args.file, as_of=args.as_of)
    counts = ", ".join(f"{k} {v}" for k, v in sheet.counts().items() if v)
    print(f"ok: {args.file}: {len(sheet.rows)} items ({counts})")
    return 0


def cmd_isheet_diff(args: argparse.Namespace) -> int:
    from ..workflows.isheet import DIFF_FORMATS, diff_files

    d, problems = diff_files(args.old, args.new)
    for path, found in problems:
        if found:
            print(f"note: {path} has {found} problem(s); see 'controlmap isheet check {path}'", file=sys.stderr)
    emit(DIFF_FORMATS[args.format](d), args.output, args.format)
    return 0


def cmd_isheet_rdf(args: argparse.Namespace) -> int:
    from ..workflows.isheet import isheet_rdf_file

    path, triples, assertions = isheet_rdf_file(args.file, args.output)
    print(f"wrote {path} ({triples} triples, {assertions} EARL assertions)")
    return 0


# -- survey ---------------------------------------------------------------------------------------------------
def cmd_survey_new(args: argparse.Namespace) -> int:
    from ..workflows.survey import new_questionnaire_file

    path, questions = new_questionnaire_file(args.output, source=args.source, items=args.items,
                                             decisions=args.decisions)
    print(f"wrote {path}: {len(questions)} items that depend on staff practice: "
          + ", ".join(q.notation for q in questions))
    return 0


def cmd_survey_import(args: argparse.Namespace) -> int:
    from ..workflows.survey import import_survey, rates_table

    result = import_survey(args.files, threshold=args.threshold, year=args.year, min_answers=args.min_answers,
                           output=args.output, decisions=args.decisions)
    sys.stdout.write(rates_table(result.rates, {p.item_id for p in result.proposals}))
    print(f"{result.answers} answers on {len(result.rates)} items; {len(result.proposals)} proposal(s) below "
          f"{args.threshold:.0%}")
    for p in result.proposals:
        print(f"  {p.id}: {p.action.label_ja} — {p.reason}")
    if result.written is not None:
        print(f"wrote {result.written}")
    if result.registered is not None:
        print(f"registered {result.registered} new proposal(s) in {args.decisions}")
    return 0


# -- decisions ------------------------------------------------------------------------------------------------
def cmd_decide(args: argparse.Namespace) -> int:
    from ..workflows.decisions import decide_id

    d = decide_id(args.decisions, args.id, args.state, reviewer=args.reviewer, reason=args.reason, day=args.date,
                  source=args.source, against=args.against or DEFAULT_AGAINST, proposals=args.proposals)
    extra = f" as {d.adopted_id}" if d.adopted_id and d.state.value == "adopted" else ""
    print(f"{d.id}: {d.history[-2].state.value} → {d.state.value} ({d.state.label_ja}){extra} on {d.date} "
          f"by {d.reviewer}; recorded in {args.decisions}")
    return 0


def cmd_decisions(args: argparse.Namespace) -> int:
    from ..workflows.decisions import decisions_text

    sys.stdout.write(decisions_text(args.decisions, args.format))
    return 0


def cmd_share(args: argparse.Namespace) -> int:
    from ..workflows.sharing import share

    for p in share(args.decisions, args.output, isheets=args.isheets):
        print(f"wrote {p}")
    print("evidence, persons' names, survey comments and decision history are not included")
    return 0


# -- registration ---------------------------------------------------------------------------------------------
def register(sub) -> None:
    """Add the I-sheet, survey, decision and sharing commands to the ``controlmap`` parser."""
    from ..workflows.decisions import DEFAULT_PATH, DecisionState
    from ..workflows.isheet import DIFF_FORMATS

    p = sub.add_parser("isheet", help="the I-sheet: new workbook, check a filled one, diff two years, RDF")
    isub = p.add_subparsers(dest="isheet_command", required=True)

    q = isub.add_parser("new", help="write a new I-sheet workbook for a fiscal year")
    q.add_argument("--year", type=int, required=True, help="fiscal year (年度), e.g. 2026")
    q.add_argument("--previous", type=Path, help="last year's filled I-sheet: measures, evidence, persons carry over")
    q.add_argument("--decisions", type=Path, help="decisions file: adopted items (MIC-ADD-nn) join the sheet")
    q.add_argument("--subject", help="what is assessed, e.g. '杉並区 住基ネット' (default 住基ネット)")
    q.add_argument("--source", default="mic", help="checklist framework (default mic)")
    q.add_argument("-o", "--output", type=Path, required=True)
    q.set_defaults(func=cmd_isheet_new)

    q = isub.add_parser("check", help="check a filled I-sheet; every problem is named by sheet and cell")
    q.add_argument("file", type=Path)
    q.add_argument("--complete", action="store_true", help="also require a 状況 for every item")
    q.add_argument("--as-of", type=_date, help="the day of the check (default today): later dates are errors")
    q.set_defaults(func=cmd_isheet_check)

    q = isub.add_parser("diff", help="what changed between two years' I-sheets (for the handover)")
    q.add_argument("old", type=Path)
    q.add_argument("new", type=Path)
    q.add_argument("--format", choices=list(DIFF_FORMATS), default="table")
    q.add_argument("-o", "--output", type=Path)
    q.set_defaults(func=cmd_isheet_diff)

    q = isub.add_parser("rdf", help="write a filled I-sheet as RDF (EARL assertions, PROV, DCTERMS)")
    q.add_argument("file", type=Path)
    q.add_argument("-o", "--output", type=Path, required=True, help=".ttl, .nt or .jsonld")
    q.set_defaults(func=cmd_isheet_rdf)

    p = sub.add_parser("survey", help="staff questionnaire: generate it, import answers, propose measures")
    ssub = p.add_subparsers(dest="survey_command", required=True)
    q = ssub.add_parser("new", help="write the questionnaire for the items that depend on staff practice")
    q.add_argument("-o", "--output", type=Path, required=True, help=".xlsx or .csv")
    q.add_argument("--item", dest="items", action="append", help="ask this item (repeatable; default: by rule)")
    q.add_argument("--decisions", type=Path, help="decisions file: also ask adopted additional items")
    q.add_argument("--source", default="mic")
    q.set_defaults(func=cmd_survey_new)
    q = ssub.add_parser("import", help="import answers (CSV/XLSX), show rates per item, propose measures")
    q.add_argument("files", nargs="+", type=Path)
    q.add_argument("--threshold", type=_share, default=0.8, help="rate below which a measure is proposed (0.8)")
    q.add_argument("--year", type=int, help="fiscal year of the survey (default: the current one)")
    q.add_argument("--min-answers", type=int, default=1, help="fewest answers an item needs to be judged")
    q.add_argument("-o", "--output", type=Path, help="write the proposals (.csv or .md)")
    q.add_argument("--decisions", type=Path, help="register the proposals in this decisions file")
    q.set_defaults(func=cmd_survey_import)

    p = sub.add_parser("decide", help="move a candidate or proposal: under_review, adopted, rejected, deferred")
    p.add_argument("id", help="candidate id (C-…) or proposal id (P-…)")
    p.add_argument("--state", required=True, help="new state: " + ", ".join(s.value for s in DecisionState))
    p.add_argument("--reason", default="", help="why (required for adopted, rejected, deferred)")
    p.add_argument("--reviewer", required=True, help="who decided (e.g. 運用監視委員会)")
    p.add_argument("--date", type=_date, help="date of the decision (default today)")
    p.add_argument("--decisions", type=Path, default=DEFAULT_PATH, help="decisions file (default decisions.yaml)")
    p.add_argument("--proposals", type=Path, help="proposals CSV from 'survey import -o' (for P-… ids)")
    p.add_argument("--source", default="mic")
    p.add_argument("--against", action="append", help="reference frameworks for candidate ids (default: "
                                                      + ", ".join(DEFAULT_AGAINST) + ")")
    p.set_defaults(func=cmd_decide)

    p = sub.add_parser("decisions", help="list the committee's decision records")
    p.add_argument("--decisions", type=Path, default=DEFAULT_PATH)
    p.add_argument("--format", choices=("table", "md"), default="table")
    p.set_defaults(func=cmd_decisions)

    p = sub.add_parser("share", help="export adopted items, reasons and mappings (no evidence, no names)")
    p.add_argument("--decisions", type=Path, default=DEFAULT_PATH)
    p.add_argument("--isheet", dest="isheets", action="append", default=[], type=Path,
                   help="also redact the persons named in this I-sheet (repeatable)")
    p.add_argument("-o", "--output", type=Path, required=True, help="directory to write")
    p.set_defaults(func=cmd_share)

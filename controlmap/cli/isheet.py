"""Thin commands of the yearly cycle: isheet new/check/diff/rdf, survey new/import, decide, decisions, share."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .common import emit

__all__ = ["register"]

DEFAULT_AGAINST = ("jisq15001", "govt_unified_std")


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


def _decisions(path: Path | None):
    from ..cycle.decisions import Decisions, read_decisions

    return read_decisions(path) if path is not None else Decisions()


# -- isheet ---------------------------------------------------------------------------------------------------
def cmd_isheet_new(args: argparse.Namespace) -> int:
    from ..cycle.isheet import new_isheet, read_isheet, write_isheet
    from ..export.files import refuse_overwrite
    from ..workflows.kg import load

    refuse_overwrite(args.output, args.previous, args.decisions)
    kg = load()
    previous = read_isheet(args.previous, strict=False) if args.previous else None
    decisions = _decisions(args.decisions) if args.decisions else None
    sheet = new_isheet(kg, args.year, source=args.source, previous=previous, decisions=decisions,
                       subject=args.subject)
    path = write_isheet(sheet, args.output)
    added = [r.notation for r in sheet.rows if r.item_id.startswith("MICADD:")]
    print(f"wrote {path}: {len(sheet.rows)} check items for fiscal year {sheet.year}"
          + (f" including {len(added)} adopted additional item(s): {', '.join(added)}" if added else ""))
    if previous is not None:
        print(f"carried over from {args.previous} ({previous.year}): measures, confirmation methods, evidence, "
              f"persons in charge, notes, own practices" + (f" and {len(previous.extra_columns)} added column(s)"
                                                             if previous.extra_columns else ""))
    return 0


def cmd_isheet_check(args: argparse.Namespace) -> int:
    from ..cycle.isheet import check_isheet, read_isheet

    problems = check_isheet(args.file, as_of=args.as_of, complete=args.complete)
    if problems:
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    sheet = read_isheet(args.file, as_of=args.as_of)
    counts = ", ".join(f"{k} {v}" for k, v in sheet.counts().items() if v)
    print(f"ok: {args.file}: {len(sheet.rows)} items ({counts})")
    return 0


def cmd_isheet_diff(args: argparse.Namespace) -> int:
    from ..cycle.isheet import DIFF_FORMATS, check_isheet, diff_isheets, read_isheet

    sheets = []
    for path in (args.old, args.new):
        sheets.append(read_isheet(path, strict=False))
        found = check_isheet(path)
        if found:
            print(f"note: {path} has {len(found)} problem(s); see 'controlmap isheet check {path}'", file=sys.stderr)
    d = diff_isheets(*sheets)
    emit(DIFF_FORMATS[args.format](d), args.output, args.format)
    return 0


def cmd_isheet_rdf(args: argparse.Namespace) -> int:
    from ..cycle.isheet import isheet_to_rdf, read_isheet
    from ..export.rdf import write_rdf
    from ..workflows.kg import load

    sheet = read_isheet(args.file, strict=False)
    catalog = load().catalog
    g = isheet_to_rdf(sheet, catalog)
    path = write_rdf(g, args.output)
    print(f"wrote {path} ({len(g)} triples, {len(sheet.rows)} EARL assertions)")
    return 0


# -- survey ---------------------------------------------------------------------------------------------------
def _catalog_with_additional(decisions_path: Path | None):
    from ..cycle.decisions import additional_catalog
    from ..workflows.kg import load

    catalog = load().catalog
    if decisions_path is None:
        return catalog, None
    extra = additional_catalog(_decisions(decisions_path), catalog)
    return catalog, extra


def cmd_survey_new(args: argparse.Namespace) -> int:
    from ..cycle.survey import questionnaire, write_questionnaire

    catalog, extra = _catalog_with_additional(args.decisions)
    questions = questionnaire(catalog, args.source, items=args.items or None, extra=extra)
    path = write_questionnaire(questions, args.output)
    print(f"wrote {path}: {len(questions)} items that depend on staff practice: "
          + ", ".join(q.notation for q in questions))
    return 0


def cmd_survey_import(args: argparse.Namespace) -> int:
    from ..cycle.decisions import read_decisions, register, write_decisions
    from ..cycle.survey import aggregate, make_proposals, read_answers, write_proposals
    from ..textwidth import pad

    catalog, extra = _catalog_with_additional(args.decisions)
    both = catalog.merge(extra) if extra is not None else catalog
    answers = read_answers(*args.files, catalog=both)
    rates = aggregate(answers, both)
    proposals = make_proposals(rates, threshold=args.threshold, year=args.year, min_answers=args.min_answers)
    flagged = {p.item_id for p in proposals}

    def pct(x):
        return "   —" if x is None else f"{x:4.0%}"

    print(f"{pad('項番', 12)} {pad('点検項目', 30)} {'回答':>4} {'理解率':>6} {'実践率':>6}")
    for r in rates:
        mark = "  ← 提案" if r.item_id in flagged else ""
        print(f"{pad(r.notation, 12)} {pad(r.title, 30)} {r.answers:4d} {pct(r.understood_rate):>6} "
              f"{pct(r.practised_rate):>6}{mark}")
    print(f"{len(answers)} answers on {len(rates)} items; {len(proposals)} proposal(s) below {args.threshold:.0%}")
    for p in proposals:
        print(f"  {p.id}: {p.action.label_ja} — {p.reason}")
    if args.output:
        print(f"wrote {write_proposals(proposals, args.output)}")
    if args.decisions:
        before = read_decisions(args.decisions)
        after = register(before, proposals)
        write_decisions(after, args.decisions)
        print(f"registered {len(after) - len(before)} new proposal(s) in {args.decisions}")
    return 0


# -- decisions ------------------------------------------------------------------------------------------------
def cmd_decide(args: argparse.Namespace) -> int:
    from ..cycle.decisions import decide, read_decisions
    from ..normalize import norm

    candidates = []
    proposals = []
    known = read_decisions(args.decisions).get(args.id) is not None
    if not known and norm(args.id).startswith("C-"):
        from ..workflows.kg import gaps, load

        candidates = list(gaps(load(), args.source, list(args.against or DEFAULT_AGAINST)).candidates)
    if not known and args.proposals:
        from ..cycle.survey import read_proposals

        proposals = read_proposals(args.proposals)
    d = decide(args.decisions, args.id, args.state, reviewer=args.reviewer, reason=args.reason, day=args.date,
               candidates=candidates, proposals=proposals)
    extra = f" as {d.adopted_id}" if d.adopted_id and d.state.value == "adopted" else ""
    print(f"{d.id}: {d.history[-2].state.value} → {d.state.value} ({d.state.label_ja}){extra} on {d.date} "
          f"by {d.reviewer}; recorded in {args.decisions}")
    return 0


def cmd_decisions(args: argparse.Namespace) -> int:
    from ..cycle.decisions import decisions_records, read_decisions
    from ..export.render import md_cell
    from ..textwidth import pad

    records = decisions_records(read_decisions(args.decisions))
    if args.format == "md":
        lines = ["| ID | 種別 | 項目 | 状態 | 追加項目番号 | 理由 | 確認者 | 日付 |", "|---|---|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(md_cell(r[k]) for k in ("id", "kind", "title", "state_ja", "adopted_id", "reason",
                                                             "reviewer", "date")) + " |" for r in records]
        emit("\n".join(lines) + "\n", None)
        return 0
    print(f"{pad('ID', 28)} {pad('状態', 8)} {pad('番号', 11)} {pad('項目', 30)} {pad('日付', 10)} 理由")
    for r in records:
        print(f"{pad(r['id'], 28)} {pad(r['state_ja'], 8)} {pad(r['adopted_id'], 11)} {pad(r['title'], 30)} "
              f"{pad(r['date'], 10)} {r['reason']}")
    print(f"{len(records)} record(s) in {args.decisions}")
    return 0


def cmd_share(args: argparse.Namespace) -> int:
    from ..cycle.isheet import read_isheet
    from ..cycle.sharing import export_shared
    from ..workflows.kg import load

    names = [r.responsible for path in args.isheets for r in read_isheet(path, strict=False).rows if r.responsible]
    paths = export_shared(_decisions(args.decisions), load().catalog, args.output, names=names)
    for p in paths:
        print(f"wrote {p}")
    print("evidence, persons' names, survey comments and decision history are not included")
    return 0


# -- registration ---------------------------------------------------------------------------------------------
def register(sub) -> None:
    """Add the I-sheet, survey, decision and sharing commands to the ``controlmap`` parser."""
    from ..cycle.decisions import DEFAULT_PATH, DecisionState
    from ..cycle.isheet.diff import DIFF_FORMATS

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

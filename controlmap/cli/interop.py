"""Thin commands for interoperability: OSCAL in and out, CISO Assistant libraries, framework editions."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import emit

__all__ = ["register"]


def cmd_import_oscal(args: argparse.Namespace) -> int:
    from ..workflows.interop import import_oscal_file

    imp, path = import_oscal_file(args.file, framework_id=args.id, edition=args.edition, prefix=args.prefix,
                                  output=args.output)
    fw, c = imp.framework, imp.catalog
    levels: dict[str, int] = {}
    for ctl in c.controls:
        levels[ctl.level] = levels.get(ctl.level, 0) + 1
    print(f"{fw.key} (prefix {fw.prefix}): {fw.title} — {len(c.controls)} controls "
          f"({', '.join(f'{k} {v}' for k, v in levels.items())}), {len(c.assessable(fw))} assessable")
    for line in imp.notes:
        print(f"  note: {line}")
    if path is not None:
        print(f"wrote {path}/framework.yaml and controls.csv (load with --load {path})")
    return 0


def cmd_import_ciso(args: argparse.Namespace) -> int:
    from ..workflows.interop import import_ciso_file

    imp, written = import_ciso_file(args.file, args.files, output=args.output)
    c = imp.catalog
    for fw in c.frameworks:
        print(f"framework {fw.key} (prefix {fw.prefix}): {fw.title} — {len(c.controls_of(fw))} requirement nodes")
    for ms in c.mapping_sets:
        print(f"mapping set {ms.subject_framework} → {ms.object_framework}: {len(ms.mappings)} rows ({ms.id})")
    for line in imp.notes:
        print(f"  note: {line}")
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_export_oscal(args: argparse.Namespace) -> int:
    from ..workflows.interop import export_oscal_file

    path, what = export_oscal_file(args.files, args.output, framework=args.framework, mapping_set=args.mapping_set,
                                   source=args.source, against=args.against or (), only=args.only or (),
                                   adopted=args.adopted, scope=None if args.no_scope else args.scope)
    print(f"wrote {path}: OSCAL {what}")
    return 0


def cmd_export_ciso(args: argparse.Namespace) -> int:
    from ..workflows.interop import export_ciso_files

    out, written = export_ciso_files(args.files, args.output, frameworks=args.framework or (),
                                     include_crosswalks=args.include_crosswalks, reverse=args.reverse,
                                     split=args.split)
    for path in written:
        print(f"wrote {path}")
    for line in out.notes:
        print(f"  note: {line}")
    return 0


def cmd_editions_diff(args: argparse.Namespace) -> int:
    from ..workflows.interop import diff_text

    emit(diff_text(args.files, args.source, args.target, args.format), args.output)
    return 0


def cmd_editions_carry(args: argparse.Namespace) -> int:
    from ..export.files import refuse_overwrite
    from ..workflows.interop import carry_file

    refuse_overwrite(args.output, args.mappings, *args.files)
    result = carry_file(args.files, args.mappings, args.to, args.output, date=args.date)
    new = result.mapping_set
    gaps = sum(1 for r in result.rows if r.mapping.subject_id == "sssom:NoTermFound")
    print(f"wrote {args.output}: {len(new.mappings)} inferred rows {new.subject_framework} → {new.object_framework} "
          f"({gaps} carried gaps), {result.review_count} flagged [要確認 needs_review]")
    if result.not_carried:
        print(f"{len(result.not_carried)} curated row(s) not carried:")
        for m, why in result.not_carried[: args.show]:
            print(f"  {m.subject_id} {m.relation.value} {m.object_id}: {why}")
        if len(result.not_carried) > args.show:
            print(f"  … and {len(result.not_carried) - args.show} more")
    print(f"use it with: controlmap gaps --source {new.subject_framework.split('@')[0]} "
          f"--against {new.object_framework} --load {args.output}")
    return 0


def _files(p: argparse.ArgumentParser) -> None:
    p.add_argument("--load", dest="files", action="append", default=[], metavar="FILE",
                   help="extra framework, mapping, OSCAL or CISO Assistant file to load (repeatable)")


def register(sub) -> None:
    """Add the interoperability commands to the ``controlmap`` parser."""
    p = sub.add_parser("import-oscal", help="read an OSCAL catalog (JSON/YAML) as a framework edition")
    p.add_argument("file", type=Path)
    p.add_argument("--id", help="framework id (default: from the file name)")
    p.add_argument("--edition", help="edition (default: metadata.version)")
    p.add_argument("--prefix", help="id prefix of its controls (default: ID-EDITION in capitals)")
    p.add_argument("-o", "--output", type=Path, help="directory to write framework.yaml + controls.csv into")
    p.set_defaults(func=cmd_import_oscal)

    p = sub.add_parser("import-ciso", help="read a CISO Assistant library (frameworks and mapping sets)")
    p.add_argument("file", type=Path)
    p.add_argument("-o", "--output", type=Path, help="directory to write the frameworks and SSSOM mapping sets into")
    _files(p)
    p.set_defaults(func=cmd_import_ciso)

    p = sub.add_parser("export-oscal", help="write candidates, a framework edition or a mapping set as OSCAL JSON")
    p.add_argument("--source", help="checklist framework for candidate items, e.g. mic")
    p.add_argument("--against", action="append", help="reference framework for candidate items (repeatable)")
    p.add_argument("--only", action="append", metavar="ID", help="export only these (adopted) candidate ids")
    p.add_argument("--adopted", type=Path,
                   help="file listing adopted candidate ids (one per line, or CSV first column)")
    p.add_argument("--scope", default="juki_net", help="scope for the candidates (default: juki_net)")
    p.add_argument("--no-scope", action="store_true")
    p.add_argument("--framework", help="export this edition as an OSCAL catalog instead")
    p.add_argument("--mapping-set",
                   help="export this mapping set (id or SSSOM file name) as an OSCAL mapping collection")
    p.add_argument("-o", "--output", required=True, type=Path)
    _files(p)
    p.set_defaults(func=cmd_export_oscal)

    p = sub.add_parser("export-ciso", help="write frameworks and curated mapping sets as a CISO Assistant library")
    p.add_argument("-o", "--output", required=True, type=Path,
                   help="a .yaml file (one library) or a directory (one library per framework and mapping set)")
    p.add_argument("--framework", action="append", help="edition to export (repeatable; default: all loaded)")
    p.add_argument("--include-crosswalks", action="store_true", help="also export the edition crosswalks")
    p.add_argument("--reverse", action="store_true", help="add the reverse of each mapping set, as CISO Assistant does")
    p.add_argument("--split", action="store_true", help="one library per framework and mapping set")
    _files(p)
    p.set_defaults(func=cmd_export_ciso)

    p = sub.add_parser("editions", help="compare framework editions and carry mappings between them")
    esub = p.add_subparsers(dest="editions_command", required=True)
    q = esub.add_parser("diff", help="renumbered, renamed, split, merged, new and removed clauses between two editions")
    q.add_argument("source", help="edition to compare from, e.g. jisq15001@2006")
    q.add_argument("target", help="edition to compare to, e.g. jisq15001@2017")
    q.add_argument("--format", choices=["table", "md", "json"], default="table")
    q.add_argument("-o", "--output", type=Path)
    _files(q)
    q.set_defaults(func=cmd_editions_diff)
    q = esub.add_parser("carry", help="re-target curated mappings to another edition through the crosswalk")
    q.add_argument("--mappings", required=True, help="mapping set: SSSOM file or set id")
    q.add_argument("--to", required=True, help="edition to carry to, e.g. jisq15001@2017")
    q.add_argument("-o", "--output", required=True, type=Path,
                   help="SSSOM file to write: .sssom.tsv, .sssom.json or .sssom.ttl")
    q.add_argument("--date", help="mapping_date of the carried rows (default: today)")
    q.add_argument("--show", type=int, default=10, help="how many rows not carried to list (default 10)")
    _files(q)
    q.set_defaults(func=cmd_editions_carry)

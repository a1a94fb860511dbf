"""Thin commands for interoperability: OSCAL in and out, CISO Assistant libraries, framework editions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ControlmapError

__all__ = ["register"]


def _load(files):
    from ..workflows.kg import load

    return load(*files)


def _find_set(catalog, name: str):
    """A mapping set by id, by the name of an SSSOM file (shipped or given), or by a unique part of its id."""
    from ..io.sssom import read_sssom

    path = Path(name)
    if path.suffix == ".tsv" and path.exists():
        name = read_sssom(path).mapping_set.id
    exact = [s for s in catalog.mapping_sets if s.id == name]
    if exact:
        return exact[0]
    stem = name.removesuffix(".sssom.tsv").rsplit("/", 1)[-1]
    found = [s for s in catalog.mapping_sets if s.id.endswith("/" + stem) or stem in s.id]
    if len(found) == 1:
        return found[0]
    known = "\n  ".join(s.id for s in catalog.mapping_sets)
    raise ControlmapError(f"{'ambiguous' if found else 'unknown'} mapping set {name!r}; loaded sets:\n  {known}")


def _load_with_set(files: list, name: str):
    """The knowledge graph, with ``name`` added when it is an SSSOM file not loaded yet."""
    from ..io.sssom import read_sssom

    kg = _load(files)
    path = Path(name)
    if path.suffix == ".tsv" and path.exists():
        set_id = read_sssom(path).mapping_set.id
        if not any(s.id == set_id for s in kg.catalog.mapping_sets):
            kg = _load([*files, str(path)])
    return kg


def cmd_import_oscal(args: argparse.Namespace) -> int:
    from ..io.oscal import read_oscal, save_framework

    imp = read_oscal(args.file, framework_id=args.id, edition=args.edition, prefix=args.prefix)
    fw = imp.framework
    c = imp.catalog
    levels = {}
    for ctl in c.controls:
        levels[ctl.level] = levels.get(ctl.level, 0) + 1
    print(f"{fw.key} (prefix {fw.prefix}): {fw.title} — {len(c.controls)} controls "
          f"({', '.join(f'{k} {v}' for k, v in levels.items())}), {len(c.assessable(fw))} assessable")
    for line in imp.notes:
        print(f"  note: {line}")
    if args.output:
        path = save_framework(c, fw, args.output)
        print(f"wrote {path}/framework.yaml and controls.csv (load with --load {path})")
    return 0


def cmd_import_ciso(args: argparse.Namespace) -> int:
    from ..io.ciso import read_ciso
    from ..io.oscal import save_framework
    from ..io.sssom import write_sssom
    from ..workflows.kg import load

    base = load(*args.files).catalog
    imp = read_ciso(args.file, base)
    c = imp.catalog
    for fw in c.frameworks:
        print(f"framework {fw.key} (prefix {fw.prefix}): {fw.title} — {len(c.controls_of(fw))} requirement nodes")
    for ms in c.mapping_sets:
        print(f"mapping set {ms.subject_framework} → {ms.object_framework}: {len(ms.mappings)} rows ({ms.id})")
    for line in imp.notes:
        print(f"  note: {line}")
    if args.output:
        merged = base.merge(c)
        for fw in c.frameworks:
            path = save_framework(merged, fw, Path(args.output) / fw.id / fw.edition)
            print(f"wrote {path}")
        for ms in c.mapping_sets:
            name = f"{ms.subject_framework}_{ms.object_framework}".replace("@", "-") + ".sssom.tsv"
            out = Path(args.output) / name
            out.write_text(write_sssom(ms, merged), encoding="utf-8")
            print(f"wrote {out}")
    return 0


def cmd_export_oscal(args: argparse.Namespace) -> int:
    from ..export.oscal import candidates_catalog, framework_catalog, mapping_collection, write_oscal
    from ..workflows.kg import gaps

    kg = _load(args.files)
    if args.framework:
        doc = framework_catalog(kg.catalog, args.framework)
        what = f"catalog of {kg.framework(args.framework).key}"
    elif args.mapping_set:
        ms = _find_set(kg.catalog, args.mapping_set)
        doc = mapping_collection(ms, kg.catalog)
        what = f"mapping collection of {ms.id} ({len(ms.mappings)} rows)"
    elif args.source and args.against:
        only = list(args.only or [])
        if args.adopted:
            only += [line.split(",")[0].strip() for line in Path(args.adopted).read_text(encoding="utf-8-sig").splitlines()
                     if line.strip() and not line.startswith(("#", "id,"))]
        result = gaps(kg, args.source, args.against, scope=None if args.no_scope else args.scope)
        doc = candidates_catalog(result, kg.catalog, only=only or None)
        n = sum(len(g["controls"]) for g in doc["catalog"].get("groups", []))
        what = f"catalog of {n} {'adopted items' if only else 'candidate items'}"
    else:
        raise ControlmapError("say what to export: --source and --against (candidates), --framework or --mapping-set")
    path = write_oscal(doc, args.output)
    print(f"wrote {path}: OSCAL {what}")
    return 0


def cmd_export_ciso(args: argparse.Namespace) -> int:
    from ..export.ciso import ciso_library, write_ciso

    kg = _load(args.files)
    out = ciso_library(kg.catalog, args.framework or None, include_crosswalks=args.include_crosswalks,
                       reverse=args.reverse, split=args.split or args.output.suffix.lower() not in (".yaml", ".yml"))
    for path in write_ciso(out, args.output):
        print(f"wrote {path}")
    for line in out.notes:
        print(f"  note: {line}")
    return 0


def cmd_editions_diff(args: argparse.Namespace) -> int:
    from ..export.editions import format_diff
    from ..queries.editions import diff_editions

    kg = _load(args.files)
    text = format_diff(diff_editions(kg.catalog, args.source, args.target), kg.catalog, args.format)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_editions_carry(args: argparse.Namespace) -> int:
    from ..io.sssom import write_sssom
    from ..queries.editions import carry_mappings

    kg = _load_with_set(args.files, args.mappings)
    ms = _find_set(kg.catalog, args.mappings)
    result = carry_mappings(kg.catalog, ms, args.to, date=args.date)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(write_sssom(result.mapping_set, kg.catalog), encoding="utf-8")
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
    p.add_argument("--adopted", type=Path, help="file listing adopted candidate ids (one per line, or CSV first column)")
    p.add_argument("--scope", default="juki_net", help="scope for the candidates (default: juki_net)")
    p.add_argument("--no-scope", action="store_true")
    p.add_argument("--framework", help="export this edition as an OSCAL catalog instead")
    p.add_argument("--mapping-set", help="export this mapping set (id or SSSOM file name) as an OSCAL mapping collection")
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
    q.add_argument("-o", "--output", required=True, type=Path, help="SSSOM TSV file to write")
    q.add_argument("--date", help="mapping_date of the carried rows (default: today)")
    q.add_argument("--show", type=int, default=10, help="how many rows not carried to list (default 10)")
    _files(q)
    q.set_defaults(func=cmd_editions_carry)

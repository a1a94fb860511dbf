"""Framework editions from files: metadata YAML plus controls in CSV, XLSX or inline YAML."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from ..model import Answer, Catalog, Control, Framework, Provenance
from .controls import FIELDS, REQUIRED, Columns, parse_controls
from .limits import read_text
from .safe_yaml import load_yaml
from .table import Table, cell_problems, read_csv, read_xlsx

__all__ = ["parse_framework_meta", "read_framework_file", "read_framework_table", "read_yaml"]

META_KEYS = {
    "id", "edition", "prefix", "title", "edition_label", "publisher", "date", "default", "completeness",
    "description", "source_ref", "rights", "sources", "levels", "assessable_levels", "controls",
}
COMPLETENESS = ("full", "partial", "skeleton", "reconstructed")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f]+$")  # what RDF accepts as an IRI


def read_yaml(path: str | Path) -> Any:
    """Parse a YAML file (UTF-8 or cp932); a syntax error names its line and column, a bomb is refused."""
    p = Path(path)
    return load_yaml(read_text(p), str(p))


def parse_framework_meta(doc: Any, file: str) -> Framework:
    """A Framework from a metadata mapping; unknown or missing keys are errors."""
    if not isinstance(doc, dict):
        raise DataError([Problem(file, 1, None, "expected a mapping of framework metadata")])
    problems = [Problem(file, None, key, f"unknown key {key!r}; known keys: {', '.join(sorted(META_KEYS))}")
                for key in doc if key not in META_KEYS]
    for key in ("id", "edition", "prefix", "title"):
        if not str(doc.get(key) or "").strip():
            problems.append(Problem(file, None, key, f"missing {key!r}"))
    completeness = str(doc.get("completeness") or "full")
    if completeness not in COMPLETENESS:
        problems.append(Problem(file, None, "completeness",
                                f"completeness must be one of {', '.join(COMPLETENESS)}, not {completeness!r}"))
    for key in ("sources", "levels", "assessable_levels"):
        if doc.get(key) is not None and not isinstance(doc.get(key), list):
            problems.append(Problem(file, None, key, f"{key!r} must be a list"))
    if isinstance(doc.get("sources"), list):
        problems += [Problem(file, None, f"sources[{i}]", f"{s!r} is not an IRI; sources are the URLs of the "
                             "documents read (https://…)")
                     for i, s in enumerate(doc["sources"], start=1) if not _IRI.match(str(s))]
    if problems:
        raise DataError(problems)
    return Framework(
        id=str(doc["id"]).strip(),
        edition=str(doc["edition"]).strip(),
        prefix=str(doc["prefix"]).strip(),
        title=str(doc["title"]).strip(),
        publisher=str(doc.get("publisher") or ""),
        edition_label=str(doc.get("edition_label") or ""),
        date=str(doc.get("date") or ""),
        rights=str(doc.get("rights") or "").strip(),
        sources=tuple(str(s) for s in doc.get("sources") or ()),
        is_default=bool(doc.get("default", False)),
        completeness=completeness,
        description=str(doc.get("description") or "").strip(),
        source_ref=str(doc.get("source_ref") or "").strip(),
        levels=tuple(str(s) for s in doc.get("levels") or ()),
        assessable_levels=tuple(str(s) for s in doc.get("assessable_levels") or ()),
        origin=file,
    )


def read_framework_table(
    path: str | Path,
    framework: Framework,
    *,
    sheet: str | None = None,
    header_row: int = 1,
    columns: dict[str, str] | None = None,
    default_level: str = "item",
    default_provenance: Provenance | str | None = None,
) -> tuple[list[Control], list[Answer]]:
    """Controls of ``framework`` from a CSV or XLSX file, with columns renamed as given.

    ``columns`` maps our field names (id, parent, level, title, summary, source_ref, provenance,
    text, answer) to the headers of the user's sheet; every field named there must exist.
    """
    p = Path(path)
    table: Table
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        table = read_xlsx(p, sheet=sheet, header_row=header_row)
    elif p.suffix.lower() in (".csv", ".txt"):
        table = read_csv(p)
    else:
        raise DataError([Problem(str(p), None, None, "controls must be a .csv or .xlsx file")])
    cols = Columns()
    if columns:
        unknown = [k for k in columns if k not in FIELDS]
        if unknown:
            raise DataError([Problem(str(p), None, k, f"unknown field {k!r}; fields: {', '.join(FIELDS)}")
                             for k in unknown])
        names = {f: f for f in FIELDS} | {k: str(v) for k, v in columns.items()}
        cols = Columns(names=names, required=frozenset(REQUIRED) | set(columns))
    prov = Provenance(default_provenance) if isinstance(default_provenance, str) else default_provenance
    cols = Columns(names=cols.names, required=cols.required, default_level=default_level,
                   default_provenance=prov)
    return parse_controls(table, framework, cols)


def read_framework_file(path: str | Path) -> Catalog:
    """One framework edition from its metadata YAML (``framework.yaml`` or a user's profile).

    ``controls`` in the YAML is a CSV/XLSX path relative to the YAML, a mapping with ``file``,
    ``sheet``, ``header_row``, ``columns``, ``default_level`` and ``default_provenance``, or an
    inline list of control mappings.
    """
    p = Path(path)
    doc = read_yaml(p)
    framework = parse_framework_meta(doc, str(p))
    spec = doc.get("controls")
    if isinstance(spec, str):
        spec = {"file": spec}
    if isinstance(spec, dict):
        known = {"file", "sheet", "header_row", "columns", "default_level", "default_provenance"}
        bad = [k for k in spec if k not in known]
        if bad or not spec.get("file"):
            raise DataError([Problem(str(p), None, "controls",
                                     f"controls needs 'file' and only the keys {', '.join(sorted(known))}")])
        target = (p.parent / str(spec["file"])).resolve()
        problems = []
        if not target.exists():
            problems.append(Problem(str(p), None, "controls", f"controls file not found: {target}"))
        header_row = spec.get("header_row", 1)
        if not (str(header_row).isdigit() and int(header_row) >= 1):
            problems.append(Problem(str(p), None, "controls.header_row",
                                    f"header_row must be a row number (1, 2, ...), not {header_row!r}"))
        default_provenance = spec.get("default_provenance")
        if default_provenance is not None and default_provenance not in ("R", "I"):
            problems.append(Problem(str(p), None, "controls.default_provenance",
                                    f"default_provenance must be R or I, not {default_provenance!r}"))
        if problems:
            raise DataError(problems)
        controls, answers = read_framework_table(
            target, framework, sheet=spec.get("sheet"), header_row=int(header_row),
            columns=spec.get("columns"), default_level=str(spec.get("default_level", "item")),
            default_provenance=default_provenance,
        )
    elif isinstance(spec, list):
        records = []
        for i, item in enumerate(spec, start=1):
            if not isinstance(item, dict):
                raise DataError([Problem(str(p), f"controls[{i}]", None, "each control must be a mapping")])
            records.append((i, {str(k): "" if v is None else str(v) for k, v in item.items()}))
            problems = [q for k, v in records[-1][1].items() for q in cell_problems(f"{p}#controls", i, k, v)]
            if problems:
                raise DataError(problems)
        header = tuple(dict.fromkeys(k for _, r in records for k in r))
        table = Table(f"{p}#controls", header, tuple(records))
        controls, answers = parse_controls(table, framework)
    else:
        raise DataError([Problem(str(p), None, "controls", "missing 'controls' (a file name or a list)")])
    return Catalog(frameworks=(framework,), controls=tuple(controls), answers=tuple(answers))

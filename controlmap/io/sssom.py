"""SSSOM TSV in: any SSSOM 1.1 set, checked row by row, every problem of a file reported together.

Rows are read in one pass (``sssom_text``) and each becomes one :class:`Mapping`. The columns controlmap models
(``sssom_slots.NATIVE_COLUMNS``) fill its fields; every other SSSOM slot, declared extension (``ext_*``) and
set-level key is kept in ``Mapping.extra`` / ``MappingSet.extra`` and written back by ``write_sssom``.
A row without ``strength`` gets ``strength_for(relation, confidence)``. Ids are resolved against the catalog
by ``resolve_set``: a controlmap framework IRI as ``subject_source`` / ``object_source``, or the ``curie_map``
expansion of the ids' prefixes; ids of no loaded framework become the terms of an *external* framework.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..columns import MappingColumns
from ..errors import DataError, Problem, UnsupportedFormatError
from ..model import BASE_IRI, NO_TERM, Mapping, MappingSet, Provenance, Relation
from .encoding import decode
from .sssom_columns import plain_columns
from .sssom_resolve import resolve_ids, resolve_set
from .sssom_rows import plain_mapping
from .sssom_slots import (
    COLUMNS,
    ENTITY_TYPES,
    EXTENSIONS,
    JUSTIFICATIONS,
    MAPPING_SLOTS,
    NATIVE_COLUMNS,
    PREDICATE_OF,
    RELATION_OF,
    SET_SLOTS,
    STANDARD_PREFIXES,
    relation_of_predicate,
    strength_for,
)
from .sssom_text import external_metadata_path, split_sssom, yaml_mapping
from .sssom_write import write_sssom

__all__ = [
    "COLUMNS",
    "PREDICATE_OF",
    "RELATION_OF",
    "SssomFile",
    "parse_sssom",
    "parse_sssom_records",
    "read_sssom",
    "resolve_ids",
    "resolve_set",
    "write_sssom",
]

_SCHEME = re.compile(re.escape(BASE_IRI) + r"([^/]+)/([^/]+)/?$")
#: set keys controlmap models itself; every other key goes to MappingSet.extra
_SET_NATIVE = {"mapping_set_id", "mapping_set_title", "mapping_set_description", "license",
               "mapping_set_version", "creator_label", "other", "extension_definitions", "curie_map"}
_CARDINALITIES = {"1:1", "1:n", "n:1", "n:n", "1:0", "0:1", "0:0"}
_NO_MAPPING = "sssom:NoMapping"  # the pre-1.0 spelling of sssom:NoTermFound


@dataclass(frozen=True)
class SssomFile:
    """A parsed SSSOM file: the mapping set, its CURIE map, the provenance (by origin; a row claiming none may be
    left out) and labels the rows claim."""

    mapping_set: MappingSet
    curie_map: dict[str, str]
    claimed_provenance: dict[str, tuple[str, str]]
    labels: dict[str, str] = field(default_factory=dict)
    subject_source: str = ""
    object_source: str = ""


def _scheme_key(value: object) -> str | None:
    match = _SCHEME.match(str(value or ""))
    return f"{match.group(1)}@{match.group(2)}" if match else None


def _parse_other(text: str) -> tuple[dict[str, str], str]:
    """``complete=…; kind=…`` from ``other``, and the rest of the text (kept)."""
    out: dict[str, str] = {}
    rest: list[str] = []
    for part in re.split(r"[;,]\s*", text):
        key, sep, value = part.partition("=")
        if sep and key.strip() in ("complete", "kind"):
            out[key.strip()] = value.strip()
        elif part.strip():
            rest.append(part.strip())
    return out, "; ".join(rest)


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _declared_extensions(meta: dict) -> set[str]:
    return {str(d.get("slot_name")) for d in _as_list(meta.get("extension_definitions")) if isinstance(d, dict)}


def _check_meta(meta: dict, file: str, problems: list[Problem]) -> None:
    for key in meta:
        if key not in SET_SLOTS and not str(key).startswith("ext_"):
            problems.append(Problem(file, None, str(key), f"unknown SSSOM metadata key {key!r}: not an SSSOM 1.1 "
                                    "slot; prefix extensions with ext_ and declare them in extension_definitions"))
    for key in ("subject_source", "object_source"):
        value = str(meta.get(key) or "")
        if value.startswith(BASE_IRI) and _scheme_key(value) is None:
            problems.append(Problem(file, None, key, f"{key} must be a framework edition IRI like "
                                    f"{BASE_IRI}jisq15001/2006"))


def _check_header(header: list[str], meta: dict, file: str, line: int, problems: list[Problem]) -> None:
    declared = _declared_extensions(meta)
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(Problem(file, line, col, f"column {col!r} is given twice"))
        seen.add(col)
        if col not in MAPPING_SLOTS and col not in EXTENSIONS and col not in declared and not col.startswith("ext_"):
            problems.append(Problem(file, line, col, f"unknown column {col!r}: not an SSSOM 1.1 slot; prefix "
                                    "extensions with ext_ and declare them in extension_definitions"))
    for side in ("subject", "object"):
        if f"{side}_id" not in header and f"{side}_label" in header:
            raise UnsupportedFormatError([*problems, Problem(
                file, line, f"{side}_id", f"literal mappings ({side}_label without {side}_id) are not supported: "
                "controlmap maps controls and terms, which need an id; give every row a "
                f"{side}_id (a CURIE in the curie_map)")])
    for col in ("subject_id", "predicate_id", "object_id"):
        if col not in header:
            problems.append(Problem(file, line, col, f"missing column {col!r}"))
    if "mapping_justification" not in header and not meta.get("mapping_justification"):
        problems.append(Problem(file, line, "mapping_justification",
                                "missing column 'mapping_justification' (and no set-level mapping_justification)"))


def parse_sssom(text: str, file: str, kind: str = "curated", external: dict | None = None) -> SssomFile:
    """Parse SSSOM TSV text (``external`` = metadata of a ``.sssom.yml`` beside it); all problems together."""
    table = split_sssom(text, file, external)
    problems: list[Problem] = []
    _check_meta(table.meta, file, problems)
    _check_header(table.header, table.meta, file, table.header_line, problems)
    if any(p.row == table.header_line and p.message.startswith("missing column") for p in problems):
        raise DataError(problems)
    default_justification = str(table.meta.get("mapping_justification") or "")
    plain = None if problems else plain_columns(table, file, default_justification)
    if plain is not None:  # every row plain: the whole file as columns, no object per row
        return _sssom_file(table.meta, plain[0], file, kind, plain[1], plain[2])
    width = len(table.header)
    records: list[tuple[int, dict[str, str]]] = []
    for number, cells in table.rows:
        if len(cells) != width and not (len(cells) > width and not any(c.strip() for c in cells[width:])):
            problems.append(Problem(file, number, None, f"{len(cells)} cells, the header has {width}"))
            continue
        records.append((number, dict(zip(table.header, (c.strip() for c in cells[:width]), strict=True))))
    return parse_sssom_records(table.meta, records, file, kind, problems)


def parse_sssom_records(meta: dict, records: list[tuple[int, dict[str, str]]], file: str, kind: str = "curated",
                        problems: list[Problem] | None = None) -> SssomFile:
    """A mapping set from SSSOM metadata and (line, {slot: value}) rows (TSV and JSON share this)."""
    problems = list(problems or [])
    curie_map = _curie_map(meta)
    mappings: list[Mapping] = []
    claimed: dict[str, tuple[str, str]] = {}
    labels: dict[str, str] = {}
    default_justification = str(meta.get("mapping_justification") or "")
    memo: dict[tuple[str, str], object] = {}
    for number, row in records:
        mapping = plain_mapping(row, file, number, default_justification, memo)
        if mapping is None:  # not a plain row (or a faulty one): every check, every message
            mapping, row_problems = _mapping(row, file, number, default_justification, curie_map)
            problems.extend(row_problems)
        if mapping is not None:
            mappings.append(mapping)
            claimed[mapping.origin] = (row.get("subject_provenance", ""), row.get("object_provenance", ""))
            for side in ("subject", "object"):
                if row.get(f"{side}_label"):
                    labels.setdefault(getattr(mapping, f"{side}_id"), row[f"{side}_label"])
    if problems:
        raise DataError(problems)
    return _sssom_file(meta, tuple(mappings), file, kind, claimed, labels)


def _curie_map(meta: dict) -> dict[str, str]:
    return STANDARD_PREFIXES | {str(k): str(v) for k, v in (meta.get("curie_map") or {}).items()}


def _sssom_file(meta: dict, mappings: tuple[Mapping, ...] | MappingColumns, file: str, kind: str,
                claimed: dict[str, tuple[str, str]], labels: dict[str, str]) -> SssomFile:
    """The SssomFile of a set's metadata and its checked rows."""
    other, other_rest = _parse_other(str(meta.get("other") or ""))
    extra = [(str(k), v) for k, v in meta.items() if k not in _SET_NATIVE and v not in (None, "")]
    extra += [(k, meta[k]) for k in ("curie_map", "extension_definitions") if meta.get(k)]
    if other_rest:
        extra.append(("other", other_rest))
    set_id = str(meta.get("mapping_set_id") or "")
    if not set_id:  # SSSOM 1.1 requires it, sssom-py does not: name the set after its file and say so
        set_id = f"{BASE_IRI}mappings/{Path(file).name.split('.')[0]}"
        extra.append(("comment", f"{meta.get('comment') or ''} [no mapping_set_id in {Path(file).name}]".strip()))
    ms = MappingSet(
        id=set_id,
        title=str(meta.get("mapping_set_title") or ""),
        subject_framework=_scheme_key(meta.get("subject_source")) or "",
        object_framework=_scheme_key(meta.get("object_source")) or "",
        mappings=mappings,  # type: ignore[arg-type]  # MappingColumns: Mapping objects made on read
        complete=other.get("complete", "false").lower() == "true",
        kind=other.get("kind", kind),
        description=str(meta.get("mapping_set_description") or "").strip(),
        license=str(meta.get("license") or ""),
        version=str(meta.get("mapping_set_version") or ""),
        creators=tuple(str(c) for c in _as_list(meta.get("creator_label"))),
        origin=file,
        extra=tuple(extra),
    )
    return SssomFile(ms, _curie_map(meta), claimed, labels, str(meta.get("subject_source") or ""),
                     str(meta.get("object_source") or ""))


def _contract(value: str, curie_map: dict[str, str]) -> str:
    """A full IRI written as a CURIE of the curie_map (longest namespace first); CURIEs stay."""
    if not value.startswith(("http://", "https://")):
        return value
    best = max((p for p, ns in curie_map.items() if value.startswith(ns)), key=lambda p: len(curie_map[p]),
               default=None)
    return f"{best}:{value[len(curie_map[best]):]}" if best else value


def _mapping(row: dict[str, str], file: str, line: int, default_justification: str,
             curie_map: dict[str, str]) -> tuple[Mapping | None, list[Problem]]:
    """One row -> Mapping (80 lines: one check per slot, in column order, so that every problem is found)."""
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem(file, line, column, message))

    extra: list[tuple[str, str]] = []
    subject = _contract(row.get("subject_id", ""), curie_map)
    obj = _contract(row.get("object_id", ""), curie_map)
    predicate = _contract(row.get("predicate_id", ""), curie_map)
    for side, value in (("subject", subject), ("object", obj)):
        if not value:
            bad(f"{side}_id", f"empty {side}_id")
        elif "|" in value:
            bad(f"{side}_id", f"{side}_id {value!r} holds several ids; SSSOM allows one per row")
    if subject == _NO_MAPPING or obj == _NO_MAPPING:
        extra.append(("subject_id" if subject == _NO_MAPPING else "object_id", _NO_MAPPING))
        subject, obj = (NO_TERM if v == _NO_MAPPING else v for v in (subject, obj))
    if subject == NO_TERM and obj == NO_TERM:
        bad("object_id", "subject and object cannot both be sssom:NoTermFound")
    if not predicate or ":" not in predicate:
        bad("predicate_id", f"predicate {predicate!r} is not a CURIE or IRI (e.g. {', '.join(RELATION_OF)})")
    modifier = row.get("predicate_modifier", "")
    if modifier and modifier != "Not":
        bad("predicate_modifier", f"predicate_modifier {modifier!r}: SSSOM 1.1 allows only 'Not'")
    if NO_TERM in (subject, obj) or modifier == "Not":
        relation = Relation.NO_RELATIONSHIP  # reviewed: no counterpart, or "is not a match"
    else:
        relation = relation_of_predicate(predicate)
    if predicate and predicate != PREDICATE_OF[relation]:
        extra.append(("predicate_id", predicate))
    justification = row.get("mapping_justification") or default_justification
    if justification not in JUSTIFICATIONS:
        bad("mapping_justification", f"unknown mapping_justification {justification!r}: not one of the "
            "SEMAPV matching processes SSSOM 1.1 allows (semapv:ManualMappingCuration, semapv:LexicalMatching …)")
    confidence = _float(row.get("confidence", ""), "confidence", bad, default=1.0)
    default_strength = strength_for(relation, confidence if 0 <= confidence <= 1 else 1.0)
    strength = _int(row.get("strength", ""), "strength", 0, 10, bad, default=default_strength)
    if row.get("similarity_score"):
        _float(row["similarity_score"], "similarity_score", bad, default=0.0)
    for col in ("subject_type", "object_type", "predicate_type"):
        if row.get(col) and row[col] not in ENTITY_TYPES:
            bad(col, f"{col} {row[col]!r} is not an SSSOM entity type (owl class, skos concept, rdfs literal …)")
    if row.get("mapping_cardinality") and row["mapping_cardinality"] not in _CARDINALITIES:
        bad("mapping_cardinality", f"mapping_cardinality must be one of {', '.join(sorted(_CARDINALITIES))}")
    combined = row.get("combined_relation", "")
    combined_rel: Relation | None = None
    if combined:
        try:
            combined_rel = Relation(combined)
        except ValueError:
            bad("combined_relation",
                f"unknown relation {combined!r}; use one of {', '.join(r.value for r in Relation)}")
    if (combined or row.get("combined_strength")) and not row.get("mapping_group"):
        bad("mapping_group", "combined_relation/combined_strength need a mapping_group")
    if row.get("mapping_group") and not combined:
        bad("combined_relation", "a mapping_group row needs combined_relation")
    combined_strength = (_int(row.get("combined_strength", ""), "combined_strength", 0, 10, bad, default=None)
                         if row.get("mapping_group") else None)
    provenance = None
    if row.get("mapping_provenance"):
        if row["mapping_provenance"] not in ("R", "I"):
            bad("mapping_provenance", "mapping_provenance must be R or I")
        else:
            provenance = Provenance(row["mapping_provenance"])
    for col in ("subject_provenance", "object_provenance"):
        if row.get(col) and row[col] not in ("R", "I"):
            bad(col, f"{col} must be R or I")
    if problems:
        return None, problems
    extra += [(c, v) for c, v in row.items() if v and c not in NATIVE_COLUMNS]
    return Mapping(
        subject_id=subject, object_id=obj, relation=relation, strength=strength or 0,
        confidence=confidence, justification=justification, author=row.get("author_label", ""),
        reviewer=row.get("reviewer_label", ""), date=row.get("mapping_date", ""), comment=row.get("comment", ""),
        group=row.get("mapping_group", ""), combined_relation=combined_rel, combined_strength=combined_strength,
        change_type=row.get("change_type", ""), provenance=provenance, origin=f"{file}:{line}", extra=tuple(extra),
    ), []


def _int(raw: str, column: str, low: int, high: int, bad, default: int | None) -> int | None:
    if raw == "":
        if default is None:
            bad(column, f"missing {column} (an integer {low}–{high})")
        return default
    try:
        value = int(raw)
    except ValueError:
        bad(column, f"{column} must be an integer {low}–{high}, not {raw!r}")
        return default
    if not low <= value <= high:
        bad(column, f"{column} {value} is outside {low}–{high}")
    return value


def _float(raw: str, column: str, bad, default: float) -> float:
    if raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        bad(column, f"{column} must be a number 0–1, not {raw!r}")
        return 0.0
    if not 0.0 <= value <= 1.0:
        bad(column, f"{column} {value} is outside 0–1")
    return value


def read_sssom(path: str | Path, kind: str = "curated", meta: str | Path | None = None) -> SssomFile:
    """Read an SSSOM TSV file (UTF-8 or cp932), with its ``.sssom.yml`` metadata beside it when there is one."""
    p = Path(path)
    meta_path = Path(meta) if meta is not None else external_metadata_path(p)
    external = None
    if meta_path is not None:
        external = yaml_mapping(decode(meta_path.read_bytes(), str(meta_path)), str(meta_path))
    return parse_sssom(decode(p.read_bytes(), str(p)), str(p), kind=kind, external=external)

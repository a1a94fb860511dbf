"""SSSOM TSV in and out: the metadata block, the spec's columns and our extension slots."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import DataError, Problem
from ..model import BASE_IRI, NO_TERM, Catalog, Mapping, MappingSet, Provenance, Relation
from .encoding import decode

__all__ = [
    "PREDICATE_OF",
    "RELATION_OF",
    "SssomFile",
    "parse_sssom",
    "read_sssom",
    "resolve_ids",
    "write_sssom",
]

RELATION_OF = {
    "skos:exactMatch": Relation.EQUAL,
    "skos:broadMatch": Relation.SUBSET_OF,
    "skos:narrowMatch": Relation.SUPERSET_OF,
    "skos:relatedMatch": Relation.INTERSECTS_WITH,
}
PREDICATE_OF = {v: k for k, v in RELATION_OF.items()} | {Relation.NO_RELATIONSHIP: "skos:relatedMatch"}

STANDARD_PREFIXES = {
    "semapv": "https://w3id.org/semapv/vocab/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sssom": "https://w3id.org/sssom/",
}
XSD = "http://www.w3.org/2001/XMLSchema#"
EXTENSIONS = {
    # slot -> (property local name, type)
    "strength": ("strength", "integer"),
    "mapping_group": ("mappingGroup", "string"),
    "combined_relation": ("combinedRelation", "string"),
    "combined_strength": ("combinedStrength", "integer"),
    "subject_provenance": ("subjectProvenance", "string"),
    "object_provenance": ("objectProvenance", "string"),
    "change_type": ("changeType", "string"),
    "mapping_provenance": ("mappingProvenance", "string"),
}
COLUMNS = (
    "subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
    "confidence", "strength", "mapping_group", "combined_relation", "combined_strength",
    "subject_provenance", "object_provenance", "change_type", "mapping_provenance",
    "author_label", "reviewer_label", "mapping_date", "comment",
)
REQUIRED = ("subject_id", "predicate_id", "object_id", "mapping_justification")
JUSTIFICATIONS = {
    "semapv:ManualMappingCuration", "semapv:LexicalSimilarityThresholdMatching", "semapv:LexicalMatching",
    "semapv:MappingChaining", "semapv:MappingReview", "semapv:UnspecifiedMatching",
    "semapv:SemanticSimilarityThresholdMatching", "semapv:StructuralMatching", "semapv:CompositeMatching",
}
_SCHEME = re.compile(re.escape(BASE_IRI) + r"([^/]+)/([^/]+)/?$")


@dataclass(frozen=True)
class SssomFile:
    """A parsed SSSOM file: the mapping set, its CURIE map and the provenance each row claims."""

    mapping_set: MappingSet
    curie_map: dict[str, str]
    claimed_provenance: dict[str, tuple[str, str]]


def parse_sssom(text: str, file: str, kind: str = "curated") -> SssomFile:
    """Parse SSSOM TSV text; every problem of the file is raised together."""
    meta_lines: list[str] = []
    body: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            if body:
                continue  # a comment inside the table is ignored as SSSOM says
            meta_lines.append(line[1:])
        elif line.strip():
            body.append((number, line))
    try:
        meta = yaml.safe_load("\n".join(meta_lines)) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise DataError([Problem(file, mark.line + 1 if mark else 1, None,
                                 f"invalid SSSOM metadata block: {err}")]) from err
    problems: list[Problem] = []
    if not isinstance(meta, dict):
        raise DataError([Problem(file, 1, None, "the metadata block must be a YAML mapping")])
    curie_map = {str(k): str(v) for k, v in (meta.get("curie_map") or {}).items()}
    curie_map = STANDARD_PREFIXES | curie_map
    subject_fw = _scheme_key(meta.get("subject_source"))
    object_fw = _scheme_key(meta.get("object_source"))
    for key, value in (("subject_source", subject_fw), ("object_source", object_fw)):
        if value is None:
            problems.append(Problem(file, None, key,
                                    f"{key} must be a framework edition IRI like {BASE_IRI}jisq15001/2006"))
    if not meta.get("mapping_set_id"):
        problems.append(Problem(file, None, "mapping_set_id", "missing mapping_set_id"))
    other = _parse_other(str(meta.get("other") or ""))
    if not body:
        problems.append(Problem(file, len(meta_lines) + 1, None, "no header row"))
        raise DataError(problems)
    header_line, header_text = body[0]
    header = header_text.split("\t")
    for col in REQUIRED:
        if col not in header:
            problems.append(Problem(file, header_line, col, f"missing column {col!r}"))
    unknown = [c for c in header if c not in COLUMNS and c not in _SSSOM_OTHER]
    for col in unknown:
        problems.append(Problem(file, header_line, col, f"unknown column {col!r}"))
    if problems:
        raise DataError(problems)

    mappings: list[Mapping] = []
    claimed: dict[str, tuple[str, str]] = {}
    for number, line in body[1:]:
        cells = line.split("\t")
        if len(cells) != len(header):
            problems.append(Problem(file, number, None, f"{len(cells)} cells, the header has {len(header)}"))
            continue
        row = dict(zip(header, (c.strip() for c in cells)))
        mapping, row_problems = _mapping(row, file, number)
        problems.extend(row_problems)
        if mapping is not None:
            mappings.append(mapping)
            claimed[mapping.origin] = (row.get("subject_provenance", ""), row.get("object_provenance", ""))
    if problems:
        raise DataError(problems)
    ms = MappingSet(
        id=str(meta["mapping_set_id"]),
        title=str(meta.get("mapping_set_title") or ""),
        subject_framework=subject_fw or "",
        object_framework=object_fw or "",
        mappings=tuple(mappings),
        complete=other.get("complete", "false").lower() == "true",
        kind=other.get("kind", kind),
        description=str(meta.get("mapping_set_description") or "").strip(),
        license=str(meta.get("license") or ""),
        version=str(meta.get("mapping_set_version") or ""),
        creators=tuple(str(c) for c in _as_list(meta.get("creator_label"))),
        origin=file,
    )
    return SssomFile(ms, curie_map, claimed)


_SSSOM_OTHER = {"subject_source", "object_source", "mapping_tool", "predicate_modifier", "subject_type",
                "object_type", "see_also", "match_string", "similarity_score", "similarity_measure",
                "predicate_label", "author_id", "reviewer_id", "creator_id", "creator_label"}


def _mapping(row: dict[str, str], file: str, line: int) -> tuple[Mapping | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem(file, line, column, message))

    subject, obj, predicate = row["subject_id"], row["object_id"], row["predicate_id"]
    if row.get("predicate_modifier"):
        bad("predicate_modifier", "predicate_modifier is not supported; use sssom:NoTermFound rows")
    if not subject:
        bad("subject_id", "empty subject_id")
    if not obj:
        bad("object_id", "empty object_id")
    if subject == NO_TERM and obj == NO_TERM:
        bad("object_id", "subject and object cannot both be sssom:NoTermFound")
    if NO_TERM in (subject, obj):
        relation = Relation.NO_RELATIONSHIP
    elif predicate in RELATION_OF:
        relation = RELATION_OF[predicate]
    else:
        relation = Relation.NO_RELATIONSHIP
        bad("predicate_id", f"predicate {predicate!r} is not one of {', '.join(RELATION_OF)}")
    justification = row["mapping_justification"]
    if justification not in JUSTIFICATIONS:
        bad("mapping_justification", f"unknown mapping_justification {justification!r}")
    strength = _int(row.get("strength", ""), "strength", 0, 10, bad, default=0 if relation is Relation.NO_RELATIONSHIP else None)
    confidence = _float(row.get("confidence", ""), bad)
    combined = row.get("combined_relation", "")
    combined_rel: Relation | None = None
    if combined:
        try:
            combined_rel = Relation(combined)
        except ValueError:
            bad("combined_relation", f"unknown relation {combined!r}; use one of {', '.join(r.value for r in Relation)}")
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
    return Mapping(
        subject_id=subject, object_id=obj, relation=relation, strength=strength or 0,
        confidence=confidence, justification=justification, author=row.get("author_label", ""),
        reviewer=row.get("reviewer_label", ""), date=row.get("mapping_date", ""), comment=row.get("comment", ""),
        group=row.get("mapping_group", ""), combined_relation=combined_rel, combined_strength=combined_strength,
        change_type=row.get("change_type", ""), provenance=provenance, origin=f"{file}:{line}",
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


def _float(raw: str, bad) -> float:
    if raw == "":
        return 1.0
    try:
        value = float(raw)
    except ValueError:
        bad("confidence", f"confidence must be a number 0–1, not {raw!r}")
        return 0.0
    if not 0.0 <= value <= 1.0:
        bad("confidence", f"confidence {value} is outside 0–1")
    return value


def _scheme_key(value: object) -> str | None:
    match = _SCHEME.match(str(value or ""))
    return f"{match.group(1)}@{match.group(2)}" if match else None


def _parse_other(text: str) -> dict[str, str]:
    out = {}
    for part in re.split(r"[;,]\s*", text):
        key, sep, value = part.partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def read_sssom(path: str | Path, kind: str = "curated") -> SssomFile:
    """Read an SSSOM TSV file (UTF-8 or cp932)."""
    p = Path(path)
    return parse_sssom(decode(p.read_bytes(), str(p)), str(p), kind=kind)


def resolve_ids(parsed: SssomFile, catalog: Catalog) -> tuple[MappingSet, list[Problem]]:
    """Rewrite CURIEs to the catalog's ids and check every reference and the completeness claim."""
    ms = parsed.mapping_set
    by_ns = {f.namespace: f for f in catalog.frameworks}
    problems: list[Problem] = []
    file = ms.origin
    frameworks = {}
    for side, key in (("subject_source", ms.subject_framework), ("object_source", ms.object_framework)):
        try:
            frameworks[side] = catalog.framework(key)
        except KeyError as err:
            problems.append(Problem(file, None, side, str(err)))
    if problems:
        return ms, problems

    def resolve(curie: str, side: str, line: str) -> str:
        if curie == NO_TERM:
            return curie
        prefix, sep, local = curie.partition(":")
        base = parsed.curie_map.get(prefix)
        fw = by_ns.get(base) if base else None
        if not sep or fw is None:
            problems.append(_at(line, f"{side}_id", f"{curie!r}: prefix {prefix!r} is not a loaded framework "
                                                    "edition in the curie_map"))
            return curie
        control_id = f"{fw.prefix}:{local}"
        expected = frameworks[f"{side}_source"]
        if fw.key != expected.key:
            problems.append(_at(line, f"{side}_id", f"{curie!r} belongs to {fw.key}, but {side}_source is {expected.key}"))
        elif not catalog.has_control(control_id):
            problems.append(_at(line, f"{side}_id", f"unknown control {curie!r} in {fw.key}"))
        return control_id

    resolved = []
    for m in ms.mappings:
        s = resolve(m.subject_id, "subject", m.origin)
        o = resolve(m.object_id, "object", m.origin)
        for side, cid, claim in zip(("subject", "object"), (s, o), parsed.claimed_provenance.get(m.origin, ("", ""))):
            if claim and cid != NO_TERM and catalog.has_control(cid):
                actual = catalog.control(cid).provenance.value
                if claim != actual:
                    problems.append(_at(m.origin, f"{side}_provenance",
                                        f"says {claim} but {cid} is tagged [{actual}] in its framework data"))
        # most CURIEs already are the catalog's ids: keep the (frozen) row instead of copying it
        same = s == m.subject_id and o == m.object_id
        resolved.append(m if same else Mapping(**{**_fields(m), "subject_id": s, "object_id": o}))
    out = MappingSet(**{**_fields(ms), "mappings": tuple(resolved)})
    if ms.complete and not problems:
        mapped = {m.object_id for m in out.mappings}
        for c in catalog.assessable(frameworks["object_source"]):
            if c.id not in mapped:
                problems.append(Problem(file, None, "object_id",
                                        f"the set says complete=true but {c.id} ({c.title}) has no row"))
    return out, problems


def _at(origin: str, column: str, message: str) -> Problem:
    file, _, line = origin.rpartition(":")
    return Problem(file, int(line) if line.isdigit() else line, column, message)


def _fields(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def write_sssom(ms: MappingSet, catalog: Catalog) -> str:
    """SSSOM TSV text for a mapping set, with labels and provenance taken from the catalog."""
    subject_fw = catalog.framework(ms.subject_framework)
    object_fw = catalog.framework(ms.object_framework)
    curie_map = {subject_fw.prefix: subject_fw.namespace, object_fw.prefix: object_fw.namespace}
    curie_map |= STANDARD_PREFIXES
    used = [c for c in COLUMNS if _column_used(c, ms)]
    meta = {
        "curie_map": curie_map,
        "mapping_set_id": ms.id,
        "mapping_set_title": ms.title,
        "mapping_set_description": ms.description or None,
        "license": ms.license or None,
        "subject_source": subject_fw.iri,
        "object_source": object_fw.iri,
        "mapping_set_version": ms.version or None,
        "creator_label": list(ms.creators) or None,
        "extension_definitions": [
            {"slot_name": slot, "property": f"https://w3id.org/controlmap/vocab/{prop}", "type_hint": XSD + kind}
            for slot, (prop, kind) in EXTENSIONS.items() if slot in used
        ],
        "other": f"complete={'true' if ms.complete else 'false'}; kind={ms.kind}",
    }
    meta = {k: v for k, v in meta.items() if v not in (None, [], "")}
    block = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    out = io.StringIO()
    for line in block.splitlines():
        out.write(f"#{line}\n")
    out.write("\t".join(used) + "\n")
    for m in ms.mappings:
        row = _row(m, catalog)
        out.write("\t".join(_clean(row[c]) for c in used) + "\n")
    return out.getvalue()


def _column_used(column: str, ms: MappingSet) -> bool:
    optional = {
        "mapping_group": lambda m: m.group, "combined_relation": lambda m: m.combined_relation,
        "combined_strength": lambda m: m.combined_strength is not None, "change_type": lambda m: m.change_type,
        "mapping_provenance": lambda m: m.provenance, "reviewer_label": lambda m: True,
    }
    test = optional.get(column)
    return test is None or any(test(m) for m in ms.mappings)


def _row(m: Mapping, catalog: Catalog) -> dict[str, str]:
    def label(cid: str) -> tuple[str, str]:
        if cid == NO_TERM or not catalog.has_control(cid):
            return "", ""
        c = catalog.control(cid)
        return c.title, c.provenance.value

    s_label, s_prov = label(m.subject_id)
    o_label, o_prov = label(m.object_id)
    return {
        "subject_id": m.subject_id, "subject_label": s_label, "predicate_id": PREDICATE_OF[m.relation],
        "object_id": m.object_id, "object_label": o_label, "mapping_justification": m.justification,
        "confidence": f"{m.confidence:g}", "strength": str(m.strength), "mapping_group": m.group,
        "combined_relation": m.combined_relation.value if m.combined_relation else "",
        "combined_strength": "" if m.combined_strength is None else str(m.combined_strength),
        "subject_provenance": s_prov, "object_provenance": o_prov, "change_type": m.change_type,
        "mapping_provenance": m.provenance.value if m.provenance else "", "author_label": m.author,
        "reviewer_label": m.reviewer, "mapping_date": m.date, "comment": m.comment,
    }


def _clean(value: str) -> str:
    return " ".join(str(value).replace("\t", " ").splitlines())

"""A MappingSet -> SSSOM TSV text: our columns, the extension definitions, and every slot the set came with.

Kept in ``io`` because ``cycle`` writes SSSOM too and may not import ``export``; ``export.sssom`` adds the
SSSOM/JSON and SSSOM/RDF writers on top of :func:`sssom_records`.
"""

from __future__ import annotations

import csv
import io

import yaml

from ..model import NO_TERM, Catalog, Mapping, MappingSet
from .sssom_slots import EXTENSIONS, NATIVE_COLUMNS, PREDICATE_OF, STANDARD_PREFIXES, XSD

__all__ = ["sssom_metadata", "sssom_records", "write_sssom"]

_OVERRIDES = ("subject_id", "object_id", "predicate_id")
#: well-known prefixes written into the curie_map when a cell uses them
_KNOWN_PREFIXES = STANDARD_PREFIXES | {
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}
_SET_ORDER = ("curie_map", "mapping_set_id", "mapping_set_title", "mapping_set_description", "license",
              "subject_source", "object_source", "mapping_set_version", "creator_label")


def _extra(obj: Mapping | MappingSet) -> dict:
    return dict(obj.extra)


def sssom_records(ms: MappingSet, catalog: Catalog) -> tuple[list[str], list[dict[str, str]]]:
    """(columns in use, one {column: text} per row): labels and provenance come from the catalog."""
    external = {f.key for f in catalog.frameworks if f.completeness == "external"}
    rows = [_row(m, catalog, external) for m in ms.mappings]
    used = [c for c in NATIVE_COLUMNS if _column_used(c, ms)]
    more: dict[str, None] = {}
    for m in ms.mappings:
        for column, _ in m.extra:
            if column not in NATIVE_COLUMNS:
                more.setdefault(column)
    used += list(more)  # in the order the set came with (so that reading it back gives the same extra)
    if not any(r["subject_provenance"] or r["object_provenance"] for r in rows):
        used = [c for c in used if c not in ("subject_provenance", "object_provenance")]
    return used, rows


def sssom_metadata(ms: MappingSet, catalog: Catalog, used: list[str], rows: list[dict[str, str]]) -> dict:
    """The set's SSSOM metadata block as a dict, in SSSOM's key order."""
    extra = _extra(ms)
    curie_map: dict[str, str] = {}
    for key in (ms.subject_framework, ms.object_framework):
        try:
            fw = catalog.framework(key)
        except KeyError:
            continue
        if fw.completeness != "external":
            curie_map[fw.prefix] = fw.namespace
    ours = set(curie_map.values())  # ids were rewritten to our prefixes: drop the file's synonyms of them
    for prefix, namespace in (extra.pop("curie_map", None) or {}).items():
        if str(namespace) not in ours and str(prefix) not in curie_map:
            curie_map[str(prefix)] = str(namespace)
            ours.add(str(namespace))
    for row in rows:
        for column in ("subject_id", "object_id", "predicate_id", "mapping_justification"):
            prefix = row.get(column, "").partition(":")[0]
            if prefix in _KNOWN_PREFIXES and prefix not in curie_map:
                curie_map[prefix] = _KNOWN_PREFIXES[prefix]
    curie_map |= {p: ns for p, ns in STANDARD_PREFIXES.items() if ns not in ours or curie_map.get(p) == ns}
    foreign_ext = [d for d in (extra.pop("extension_definitions", None) or []) if isinstance(d, dict)]
    our_ext = [{"slot_name": slot, "property": f"https://w3id.org/controlmap/vocab/{prop}", "type_hint": XSD + kind}
            for slot, (prop, kind) in EXTENSIONS.items() if slot in used]
    names = {d["slot_name"] for d in our_ext}
    other = f"complete={'true' if ms.complete else 'false'}; kind={ms.kind}"
    if extra.get("other"):
        other += f"; {extra.pop('other')}"
    meta = {
        "curie_map": curie_map,
        "mapping_set_id": ms.id,
        "mapping_set_title": ms.title,
        "mapping_set_description": ms.description or None,
        "license": ms.license or None,
        "subject_source": extra.pop("subject_source", None) or _iri(catalog, ms.subject_framework),
        "object_source": extra.pop("object_source", None) or _iri(catalog, ms.object_framework),
        "mapping_set_version": ms.version or None,
        "creator_label": list(ms.creators) or None,
    }
    meta |= extra
    meta["extension_definitions"] = our_ext + [d for d in foreign_ext if d.get("slot_name") not in names]
    meta["other"] = other
    return {k: v for k, v in meta.items() if v not in (None, [], "")}


def _iri(catalog: Catalog, key: str) -> str | None:
    try:
        return catalog.framework(key).iri
    except KeyError:
        return None


def write_sssom(ms: MappingSet, catalog: Catalog) -> str:
    """SSSOM TSV text for a mapping set, with labels and provenance taken from the catalog."""
    used, rows = sssom_records(ms, catalog)
    block = yaml.safe_dump(sssom_metadata(ms, catalog, used, rows), allow_unicode=True, sort_keys=False,
                           width=1000)
    out = io.StringIO()
    for line in block.split("\n"):
        if line:
            out.write(f"#{line}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(used)
    writer.writerows([_clean(row.get(c, "")) for c in used] for row in rows)
    return out.getvalue()


def _column_used(column: str, ms: MappingSet) -> bool:
    optional = {
        "mapping_group": lambda m: m.group, "combined_relation": lambda m: m.combined_relation,
        "combined_strength": lambda m: m.combined_strength is not None, "change_type": lambda m: m.change_type,
        "mapping_provenance": lambda m: m.provenance, "reviewer_label": lambda m: True,
        "author_label": lambda m: True, "mapping_date": lambda m: True, "comment": lambda m: True,
    }
    test = optional.get(column)
    return test is None or any(test(m) for m in ms.mappings)


def _row(m: Mapping, catalog: Catalog, external: set[str]) -> dict[str, str]:
    def label(cid: str) -> tuple[str, str]:
        if cid == NO_TERM or not catalog.has_control(cid):
            return "", ""
        c = catalog.control(cid)
        return c.title, "" if c.framework in external else c.provenance.value

    s_label, s_prov = label(m.subject_id)
    o_label, o_prov = label(m.object_id)
    extra = _extra(m)
    row = {
        "subject_id": m.subject_id, "subject_label": s_label, "predicate_id": PREDICATE_OF[m.relation],
        "object_id": m.object_id, "object_label": o_label, "mapping_justification": m.justification,
        "confidence": f"{m.confidence:g}", "strength": str(m.strength), "mapping_group": m.group,
        "combined_relation": m.combined_relation.value if m.combined_relation else "",
        "combined_strength": "" if m.combined_strength is None else str(m.combined_strength),
        "subject_provenance": s_prov, "object_provenance": o_prov, "change_type": m.change_type,
        "mapping_provenance": m.provenance.value if m.provenance else "", "author_label": m.author,
        "reviewer_label": m.reviewer, "mapping_date": m.date, "comment": m.comment,
    }
    row |= {k: v for k, v in extra.items() if k in _OVERRIDES}
    row |= {k: v for k, v in extra.items() if k not in NATIVE_COLUMNS}
    return row


def _clean(value: str) -> str:
    """One line per cell: tabs and line ends become spaces; other separators (U+2028) stay in the cell."""
    return str(value).replace("\t", " ").replace("\r\n", " ").replace("\r", " ").replace("\n", " ")

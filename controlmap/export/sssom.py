"""A MappingSet -> SSSOM/JSON and SSSOM/RDF (Turtle) text, and the writer a file's suffix names.

Both start from the rows and metadata of :func:`controlmap.io.sssom_write.sssom_records` (the TSV writer lives in
``io`` because ``cycle`` writes SSSOM too), so the three serialisations hold the same rows and slots. JSON is the
shape sssom-py writes (``@context`` = the curie_map, one object per mapping, multivalued slots as lists, numbers
as numbers); RDF follows the SSSOM/RDF spec: the set a ``sssom:MappingSet``, each row an ``owl:Axiom`` with
``owl:annotatedSource/Property/Target``, entity references as IRIs expanded through the curie_map, dates as
``xsd:date``, scores as ``xsd:double``, our extension slots under their declared property IRIs.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

from ..model import Catalog, MappingSet

__all__ = [
    "SSSOM_SUFFIXES",
    "UNSPECIFIED_LICENSE",
    "sssom_format",
    "write_sssom_json",
    "write_sssom_rdf",
    "write_sssom_text",
]

#: file suffix -> serialisation
SSSOM_SUFFIXES = {".tsv": "tsv", ".json": "json", ".ttl": "ttl"}
_MULTIVALUED = frozenset((
    "author_id", "author_label", "reviewer_id", "reviewer_label", "creator_id", "creator_label",
    "curation_rule", "curation_rule_text", "subject_match_field", "object_match_field", "match_string",
    "subject_preprocessing", "object_preprocessing", "see_also", "mapping_set_source",
))
_DOUBLE = frozenset(("confidence", "similarity_score", "mapping_set_confidence", "reviewer_agreement"))
_DATE = frozenset(("mapping_date", "publication_date", "review_date"))
#: slots whose values are entity references (CURIEs, expanded through the curie_map in RDF)
_ENTITY = frozenset((
    "subject_id", "predicate_id", "object_id", "mapping_justification", "author_id", "reviewer_id", "creator_id",
    "curation_rule", "issue_tracker_item", "mapping_source", "mapping_tool_id", "object_match_field",
    "object_preprocessing", "object_source", "record_id", "subject_match_field", "subject_preprocessing",
    "subject_source",
))
_URI = frozenset(("license", "mapping_provider", "mapping_set_source", "see_also", "issue_tracker"))
#: SSSOM slots stored under another property than ``sssom:<slot>`` (the SSSOM JSON-LD context)
_PROPERTY = {
    "author_id": "http://purl.org/pav/authoredBy", "comment": "http://www.w3.org/2000/01/rdf-schema#comment",
    "creator_id": "http://purl.org/dc/terms/creator", "license": "http://purl.org/dc/terms/license",
    "mapping_date": "http://purl.org/dc/terms/created",
    "mapping_set_description": "http://purl.org/dc/terms/description",
    "mapping_set_source": "http://www.w3.org/ns/prov#wasDerivedFrom",
    "mapping_set_title": "http://purl.org/dc/terms/title",
    "mapping_set_version": "http://www.w3.org/2002/07/owl#versionInfo",
    "subject_id": "http://www.w3.org/2002/07/owl#annotatedSource",
    "predicate_id": "http://www.w3.org/2002/07/owl#annotatedProperty",
    "object_id": "http://www.w3.org/2002/07/owl#annotatedTarget",
    "publication_date": "http://purl.org/dc/terms/issued", "see_also": "http://www.w3.org/2000/01/rdf-schema#seeAlso",
}
_SSSOM = "https://w3id.org/sssom/"
#: SSSOM's value for a set whose licence nobody stated (suggestions, carried rows)
UNSPECIFIED_LICENSE = "https://w3id.org/sssom/license/unspecified"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def sssom_format(path: str | Path) -> str:
    """``tsv``, ``json`` or ``ttl`` from a file name (``x.sssom.json``); anything else is TSV.

    >>> sssom_format("a.sssom.json"), sssom_format("a.sssom.ttl"), sssom_format("a.sssom.tsv"), sssom_format("a")
    ('json', 'ttl', 'tsv', 'tsv')
    """
    return SSSOM_SUFFIXES.get(Path(path).suffix.lower(), "tsv")


def write_sssom_text(ms: MappingSet, catalog: Catalog, path: str | Path) -> str:
    """The SSSOM text of ``ms`` in the serialisation ``path``'s suffix names."""
    from ..io.sssom_write import write_sssom

    fmt = sssom_format(path)
    if fmt == "json":
        return write_sssom_json(ms, catalog)
    if fmt == "ttl":
        return write_sssom_rdf(ms, catalog)
    return write_sssom(ms, catalog)


def _parts(ms: MappingSet, catalog: Catalog) -> tuple[dict, list[dict[str, str]], dict[str, str]]:
    """(metadata, rows with their non-empty cells, extension slot -> type hint local name)."""
    from ..io.sssom_write import sssom_metadata, sssom_records

    used, rows = sssom_records(ms, catalog)
    meta = {k: v.isoformat() if isinstance(v, (_dt.date, _dt.datetime)) else v
            for k, v in sssom_metadata(ms, catalog, used, rows).items()}
    meta.setdefault("license", UNSPECIFIED_LICENSE)  # required by SSSOM; sssom-py refuses JSON without it
    kinds = {str(d.get("slot_name")): str(d.get("type_hint") or "").rpartition("#")[2]
             for d in meta.get("extension_definitions", []) if isinstance(d, dict)}
    cells = [{c: str(row.get(c, "")) for c in used if str(row.get(c, "")) != ""} for row in rows]
    return meta, cells, kinds


def _json_value(slot: str, text: str, kinds: dict[str, str]) -> Any:
    if slot in _MULTIVALUED:
        return [v.strip() for v in text.split("|") if v.strip()]
    if slot in _DOUBLE:
        return float(text)
    kind = kinds.get(slot)
    if kind == "integer" and text.lstrip("-").isdigit():
        return int(text)
    if kind == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def _json_row(row: dict[str, str], kinds: dict[str, str]) -> dict[str, Any]:
    """One mapping object; extension slots go into ``other`` as ``slot=value`` pairs (see :func:`write_sssom_json`)."""
    from ..io.sssom_json import pack_other
    from ..io.sssom_slots import MAPPING_SLOTS

    out = {k: _json_value(k, v, kinds) for k, v in row.items() if k in MAPPING_SLOTS}
    other = pack_other({k: v for k, v in row.items() if k not in MAPPING_SLOTS}, row.get("other", ""))
    if other:
        out["other"] = other
    return out


def write_sssom_json(ms: MappingSet, catalog: Catalog) -> str:
    """SSSOM/JSON text as sssom-py writes and reads it: ``@context`` holds the curie_map.

    sssom-py loads SSSOM/JSON through the LinkML data classes, which refuse any key that is not an SSSOM slot, so
    a row's extension slots (``strength``, ``mapping_group`` …, declared in ``extension_definitions``) travel in
    its ``other`` slot as ``strength=8|mapping_group=g1`` (``|`` and ``%`` in values percent-encoded), after
    the row's own ``other`` text; controlmap's reader puts them back into their columns.
    """
    meta, rows, kinds = _parts(ms, catalog)
    curie_map = meta.pop("curie_map", {})
    doc: dict[str, Any] = {"@context": dict(curie_map) | {"@vocab": _SSSOM}, "@type": "MappingSet"}
    doc |= {k: _json_value(k, v, kinds) if isinstance(v, str) else v for k, v in meta.items()}
    doc["mappings"] = [_json_row(row, kinds) for row in rows]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write_sssom_rdf(ms: MappingSet, catalog: Catalog) -> str:
    """SSSOM/RDF as Turtle: the set, its extension definitions and one ``owl:Axiom`` per row."""
    from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

    meta, rows, kinds = _parts(ms, catalog)
    curie_map: dict[str, str] = dict(meta.pop("curie_map", {}))
    properties = {str(d["slot_name"]): str(d["property"]) for d in meta.get("extension_definitions", [])
                  if isinstance(d, dict) and d.get("slot_name") and d.get("property")}
    sssom = Namespace(_SSSOM)
    g = Graph()
    g.bind("cmv", Namespace("https://w3id.org/controlmap/vocab/"))
    for prefix, ns in curie_map.items():
        g.bind(prefix, Namespace(ns), override=True, replace=True)

    def iri(value: str) -> URIRef:
        prefix, sep, local = value.partition(":")
        if sep and prefix in curie_map and not local.startswith("//"):
            return URIRef(curie_map[prefix] + local)
        return URIRef(value)

    def node(slot: str, value: str) -> Any:
        if slot in _ENTITY:
            return iri(value)
        if slot in _URI:
            return URIRef(value)
        if slot in _DATE:
            return Literal(value, datatype=URIRef(_XSD + "date"))
        if slot in _DOUBLE:
            return Literal(float(value), datatype=URIRef(_XSD + "double"))
        if slot in kinds:
            return Literal(value, datatype=URIRef(_XSD + (kinds[slot] or "string")))
        return Literal(value)

    def add(subject: Any, slot: str, value: Any) -> None:
        prop = URIRef(_PROPERTY.get(slot) or properties.get(slot) or _SSSOM + slot)
        values = value if isinstance(value, list) else str(value).split("|") if slot in _MULTIVALUED else [value]
        for v in values:
            if str(v).strip():
                g.add((subject, prop, node(slot, str(v).strip())))

    root = URIRef(str(meta.pop("mapping_set_id")))
    g.add((root, RDF.type, sssom.MappingSet))
    for n, d in enumerate(meta.pop("extension_definitions", [])):
        ed = BNode(f"extension{n + 1}")  # named blank nodes: the same set gives the same text
        g.add((root, sssom.extension_definitions, ed))
        g.add((ed, RDF.type, sssom.ExtensionDefinition))
        g.add((ed, sssom.slot_name, Literal(str(d["slot_name"]))))
        for key in ("property", "type_hint"):
            if d.get(key):
                g.add((ed, sssom[key], URIRef(str(d[key]))))
    for slot, value in meta.items():
        if isinstance(value, (str, int, float, list)):
            add(root, slot, value)
        elif isinstance(value, dict):  # not an SSSOM set slot type: kept as text
            add(root, slot, json.dumps(value, ensure_ascii=False))
    for n, row in enumerate(rows):
        axiom = BNode(f"mapping{n + 1:06d}")
        g.add((root, sssom.mappings, axiom))
        g.add((axiom, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Axiom")))
        for slot, value in row.items():
            add(axiom, slot, value)
    return g.serialize(format="turtle")

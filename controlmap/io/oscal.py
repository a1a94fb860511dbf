"""OSCAL catalogs (JSON or YAML) as one framework edition: groups, controls, enhancements, parts and params.

Mapping (see docs/interop.md): a ``group`` becomes a parent control of level ``group``, a ``control``
one of level ``control``, a control nested in a control one of level ``enhancement``; a control whose
``props`` say ``status: withdrawn`` keeps its place with level ``withdrawn`` and a summary naming where
it went (``links`` with ``rel: moved-to`` / ``incorporated-into``). The ``statement`` part becomes the
control's text with ``{{ insert: param, … }}`` markers replaced by the parameter's values, selection or
label, NIST style; other parts (guidance, assessment objectives) are counted in the framework
description rather than dropped unmentioned. Control ids are ``prefix:<OSCAL id>``; the ``label``
prop, when present, is the notation people read (``AC-2(1)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError, Problem, UnsupportedFormatError
from ..model import BASE_IRI, Catalog, Control, Framework, Provenance
from .limits import load_json, read_text
from .naming import split_edition
from .safe_yaml import compose_yaml

__all__ = [
    "CM_NS",
    "FRAMEWORK_ID",
    "LEVELS",
    "PREFIX",
    "WITHDRAWN",
    "OscalImport",
    "is_oscal_file",
    "line_of",
    "load_document",
    "parse_oscal_catalog",
    "parse_yaml_with_lines",
    "read_oscal",
    "read_oscal_catalog",
    "render_params",
]

CM_NS = BASE_IRI + "vocab/"          # namespace of the props controlmap writes into OSCAL documents
WITHDRAWN = "withdrawn"
LEVELS = ("group", "control", "enhancement", WITHDRAWN)
_INSERT = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")
_GONE = ("moved-to", "incorporated-into")


@dataclass(frozen=True)
class OscalImport:
    """A parsed OSCAL catalog: the framework edition and what was not carried over."""

    catalog: Catalog
    notes: tuple[str, ...] = ()

    @property
    def framework(self) -> Framework:
        return self.catalog.frameworks[0]


# -- documents ---------------------------------------------------------------------------------
def load_document(path: str | Path) -> tuple[Any, dict[str, int]]:
    """A JSON or YAML document and, for YAML, the line of each JSON pointer; syntax errors name line/column."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".xml":
        refuse_unsupported(p)
    text = read_text(p)  # size limit (io/limits.py)
    if suffix == ".json":
        return load_json(text, str(p)), {}  # syntax errors name line/column; nesting depth limited
    return parse_yaml_with_lines(text, str(p))


def parse_yaml_with_lines(text: str, file: str) -> tuple[Any, dict[str, int]]:
    """YAML text as Python data plus ``{json pointer: line}`` for every mapping and sequence item."""
    data, node = compose_yaml(text, file)  # io/safe_yaml.py: aliases, expansion and depth limited
    lines: dict[str, int] = {}

    def walk(n: yaml.Node | None, pointer: str) -> None:
        if n is None:
            return
        lines[pointer] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                walk(value, f"{pointer}/{_escape(str(key.value))}")
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, f"{pointer}/{i}")

    walk(node, "")
    return data, lines


def line_of(lines: dict[str, int], pointer: str) -> int | None:
    """The line of ``pointer``, or of its nearest ancestor present in ``lines`` (None for JSON input)."""
    while pointer:
        if pointer in lines:
            return lines[pointer]
        pointer = pointer.rsplit("/", 1)[0]
    return lines.get("")


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


#: OSCAL models that are not catalogs; controlmap names them when it refuses them
OSCAL_MODELS = ("profile", "component-definition", "system-security-plan", "assessment-plan",
                "assessment-results", "plan-of-action-and-milestones", "mapping-collection")
_OSCAL_NS = "http://csrc.nist.gov/ns/oscal/1.0"


def oscal_model(path: str | Path) -> str | None:
    """The OSCAL model at the top of a JSON/YAML/XML file (``catalog``, ``profile`` ...), read cheaply; or None."""
    p = Path(path)
    try:
        head = p.read_bytes()[:4096].decode("utf-8", "ignore")
    except OSError:
        return None
    names = "|".join(re.escape(m) for m in ("catalog", *OSCAL_MODELS))
    if p.suffix.lower() == ".xml":
        found = re.search(rf"<({names})\b[^>]*xmlns=\"{re.escape(_OSCAL_NS)}\"", head)
    elif p.suffix.lower() == ".json":
        found = re.match(rf'\s*\{{\s*(?:"\$schema"\s*:\s*"[^"]*"\s*,\s*)?"({names})"\s*:', head)
    else:
        found = re.search(rf"^({names}):\s*$", head, re.M)
    return found.group(1) if found else None


def refuse_unsupported(path: str | Path) -> None:
    """Raise UnsupportedFormatError for OSCAL XML and for OSCAL models other than a catalog (names why)."""
    p = Path(path)
    model = oscal_model(p)
    if p.suffix.lower() == ".xml":
        what = f"OSCAL XML ({model})" if model else "XML"
        raise UnsupportedFormatError([Problem(str(p), 1, None, f"{what} is not read: controlmap reads OSCAL as "
                                              "JSON or YAML; convert it to JSON first (oscal-cli catalog convert "
                                              "--to=json) or use the JSON NIST publishes beside every XML file")])
    if model and model != "catalog":
        hint = (" (its imports are not resolved: load the resolved-profile catalog NIST publishes beside it, "
                "or the catalog it imports)" if model == "profile" else "")
        raise UnsupportedFormatError([Problem(str(p), 1, model, f"an OSCAL {model} is not read, only OSCAL "
                                              f"catalogs are{hint}")])


def is_oscal_file(path: str | Path) -> bool:
    """True when a .json/.yaml file's top level holds an OSCAL ``catalog`` (checked on the text, cheaply)."""
    p = Path(path)
    try:
        head = p.read_bytes()[:4096].decode("utf-8", "ignore")
    except OSError:
        return False
    if p.suffix.lower() == ".json":
        return re.match(r'\s*\{\s*(?:"\$schema"\s*:\s*"[^"]*"\s*,\s*)?"catalog"\s*:', head) is not None
    return re.search(r"^catalog:\s*$", head, re.M) is not None


# -- parameters ---------------------------------------------------------------------------------
def render_params(text: str, params: dict[str, dict], depth: int = 0) -> tuple[str, set[str]]:
    """``text`` with each ``{{ insert: param, id }}`` replaced; unknown ids stay as markers and are returned.

    Examples
    --------
    >>> params = {"p1": {"id": "p1", "label": "organization-defined frequency"},
    ...           "p2": {"id": "p2", "select": {"how-many": "one-or-more", "choice": ["daily", "weekly"]}},
    ...           "p3": {"id": "p3", "values": ["30 days"]}}
    >>> render_params("Review {{ insert: param, p1 }}; {{ insert: param, p2 }}; {{insert: param, p3}}.", params)[0]
    'Review [Assignment: organization-defined frequency]; [Selection (one or more): daily; weekly]; 30 days.'
    >>> render_params("{{ insert: param, nope }}", {})
    ('{{ insert: param, nope }}', {'nope'})
    """
    unknown: set[str] = set()

    def one(match: re.Match) -> str:
        pid = match.group(1)
        param = params.get(pid)
        if param is None or depth > 5:
            unknown.add(pid)
            return match.group(0)
        if param.get("values"):
            return ", ".join(str(v) for v in param["values"])
        select = param.get("select")
        if isinstance(select, dict):
            choices = []
            for choice in select.get("choice") or []:
                rendered, missing = render_params(str(choice), params, depth + 1)
                unknown.update(missing)
                choices.append(rendered)
            many = " (one or more)" if select.get("how-many") == "one-or-more" else ""
            return f"[Selection{many}: {'; '.join(choices)}]"
        if param.get("label"):
            return f"[Assignment: {param['label']}]"
        unknown.add(pid)
        return match.group(0)

    return _INSERT.sub(one, text), unknown


# -- catalog ------------------------------------------------------------------------------------
def _props(obj: dict) -> Iterator[tuple[str, str, str]]:
    for prop in obj.get("props") or []:
        if isinstance(prop, dict):
            yield str(prop.get("name", "")), str(prop.get("value", "")), str(prop.get("ns", ""))


def _prop(obj: dict, name: str, ns: str = "") -> str | None:
    for n, value, pns in _props(obj):
        if n == name and (pns == ns or (not ns and pns.startswith("http://csrc.nist.gov/ns/oscal"))):
            return value
    return None


def _slug(text: str, allowed: str = "0-9a-z_") -> str:
    return re.sub(f"[^{allowed}]+", "_", text.strip().lower()).strip("_.-") or "oscal"


FRAMEWORK_ID = re.compile(r"[a-z0-9_]+")            # what the SHACL shapes accept
PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


def parse_oscal_catalog(
    doc: Any,
    file: str,
    *,
    framework_id: str | None = None,
    edition: str | None = None,
    prefix: str | None = None,
    lines: dict[str, int] | None = None,
) -> OscalImport:
    """One framework edition from an OSCAL catalog document; every problem is raised together.

    ``framework_id``, ``edition`` and ``prefix`` default to what a controlmap export recorded in the
    metadata props, else to the file name, ``metadata.version`` and their upper-cased join.

    Examples
    --------
    >>> doc = {"catalog": {"uuid": "0c1b4d5e-6f70-4a8b-9c0d-1e2f3a4b5c6d",
    ...     "metadata": {"title": "Mini", "version": "1.0", "last-modified": "2026-01-01T00:00:00Z",
    ...                  "oscal-version": "1.1.2"},
    ...     "groups": [{"id": "ac", "title": "Access Control", "controls": [
    ...         {"id": "ac-1", "title": "Policy", "props": [{"name": "label", "value": "AC-1"}],
    ...          "parts": [{"id": "ac-1_smt", "name": "statement", "prose": "Have a policy."}]}]}]}}
    >>> imp = parse_oscal_catalog(doc, "mini.json", framework_id="mini", prefix="MINI")
    >>> [(c.id, c.notation, c.level, c.text) for c in imp.catalog.controls]
    [('MINI:ac', 'ac', 'group', ''), ('MINI:ac-1', 'AC-1', 'control', 'Have a policy.')]
    """
    lines = lines or {}
    problems: list[Problem] = []

    def bad(pointer: str, message: str) -> None:
        problems.append(Problem(file, line_of(lines, pointer), pointer or "/", message))

    if not isinstance(doc, dict) or not isinstance(doc.get("catalog"), dict):
        keys = ", ".join(sorted(doc)) if isinstance(doc, dict) else type(doc).__name__
        raise DataError([Problem(file, 1, "/", f"not an OSCAL catalog: expected a top-level 'catalog' object, found {keys}")])
    cat = doc["catalog"]
    meta = cat.get("metadata")
    if not isinstance(meta, dict):
        bad("/catalog/metadata", "missing metadata")
        meta = {}
    title = str(meta.get("title") or "").strip()
    if not title:
        bad("/catalog/metadata/title", "missing metadata.title")
    version = str(meta.get("version") or "").strip()
    named_id, named_edition = split_edition(re.sub(r"[_-]catalog$", "", Path(file).stem, flags=re.I))
    fid = framework_id or _prop(meta, "framework-id", CM_NS) or named_id
    # a version in the file name (…_v2.0, …_rev5) is the framework's edition; metadata.version the document's
    ed = edition or _prop(meta, "edition", CM_NS) or named_edition or _slug(version or "1", "0-9a-z_.-")
    pfx = prefix or _prop(meta, "prefix", CM_NS) or f"{fid}-{ed}".upper()
    if not FRAMEWORK_ID.fullmatch(fid):
        bad("/catalog/metadata", f"framework id {fid!r} must be lower-case letters, digits and _")
    if not re.fullmatch(r"[^\s:/#?]+", ed):
        bad("/catalog/metadata", f"edition {ed!r} must not contain spaces, ':', '/', '#' or '?'")
    if not PREFIX.fullmatch(pfx):
        bad("/catalog/metadata", f"prefix {pfx!r} must start with a letter and hold only letters, digits, _ . -")
    key = f"{fid}@{ed}"

    controls: list[Control] = []
    notes: dict[str, int] = {}
    unknown_params: set[str] = set()
    seen: dict[str, str] = {}
    withdrawn: list[tuple[int, list[tuple[str, str]]]] = []
    order = 0

    def note(what: str, n: int = 1) -> None:
        notes[what] = notes.get(what, 0) + n

    def text_of(parts: list, params: dict, pointer: str, wanted: str) -> str:
        out: list[str] = []

        def walk(part: Any, depth: int, ptr: str) -> None:
            if not isinstance(part, dict):
                bad(ptr, "a part must be an object")
                return
            label = _prop(part, "label") or ""
            prose, missing = render_params(str(part.get("prose") or ""), params)
            unknown_params.update(missing)
            line = " ".join(x for x in (label, prose.strip()) if x)
            if line:
                out.append("  " * depth + line)
            for j, sub in enumerate(part.get("parts") or []):
                walk(sub, depth + 1 if line else depth, f"{ptr}/parts/{j}")

        for i, part in enumerate(parts or []):
            if isinstance(part, dict) and part.get("name") == wanted:
                walk(part, 0, f"{pointer}/parts/{i}")
            elif isinstance(part, dict):
                note(f"{part.get('name', '?')} parts")
        return "\n".join(out)

    def local_params(obj: dict, inherited: dict) -> dict:
        found = dict(inherited)
        for p in obj.get("params") or []:
            if isinstance(p, dict) and p.get("id"):
                found[str(p["id"])] = p
        return found

    def add(obj: dict, pointer: str, parent: str | None, level: str, params: dict) -> str | None:
        nonlocal order
        oid = obj.get("id")
        if level == "group" and not oid:
            oid = "group-" + ".".join(str(int(i) + 1) for i in re.findall(r"/groups/(\d+)", pointer))
            note("groups without an id (id made from their position)")
        if not isinstance(oid, str) or not oid.strip():
            bad(f"{pointer}/id", f"a {level} needs an id")
            return None
        t = str(obj.get("title") or "").strip()
        if not t:
            bad(f"{pointer}/title", f"{level} {oid!r} has no title")
        cid = f"{pfx}:{oid.strip()}"
        if cid in seen:
            bad(f"{pointer}/id", f"duplicate id {oid!r} (first at {seen[cid]})")
            return None
        seen[cid] = pointer
        order += 1
        status = _prop(obj, "status")
        summary = ""
        lvl = level
        if status == WITHDRAWN:
            lvl = WITHDRAWN
            gone = [(str(link.get("rel")), str(link.get("href", "")).lstrip("#")) for link in obj.get("links") or []
                    if isinstance(link, dict) and link.get("rel") in _GONE]
            withdrawn.append((len(controls), gone))
            note("withdrawn controls (kept, level 'withdrawn', not assessed)")
        cm_summary = _prop(obj, "summary", CM_NS)
        cm_prov = _prop(obj, "provenance", CM_NS)
        local = _prop(obj, "local-id", CM_NS)
        if local and f"{pfx}:{local}" != cid:
            cid = f"{pfx}:{local}"
            if cid in seen:
                bad(f"{pointer}/props", f"duplicate local-id {local!r} (first at {seen[cid]})")
                return None
            seen[cid] = pointer
        controls.append(Control(
            id=cid, framework=key, notation=_prop(obj, "label") or oid.strip(), parent=parent,
            level=_prop(obj, "level", CM_NS) or lvl, title=t or oid, summary=cm_summary if cm_summary is not None else summary,
            source_ref=_prop(obj, "source-ref", CM_NS) or f"OSCAL {oid} ({title or file})",
            provenance=Provenance(cm_prov) if cm_prov in ("R", "I") else Provenance.READ,
            text=text_of(obj.get("parts") or [], params, pointer, "statement" if level != "group" else "overview"),
            order=order, origin=f"{file}:{lines.get(pointer, pointer)}",
        ))
        return cid

    def controls_in(items: Any, pointer: str, parent: str | None, level: str, params: dict) -> None:
        if items is None:
            return
        if not isinstance(items, list):
            bad(pointer, "must be a list")
            return
        for i, ctl in enumerate(items):
            ptr = f"{pointer}/{i}"
            if not isinstance(ctl, dict):
                bad(ptr, "a control must be an object")
                continue
            scope = local_params(ctl, params)
            cid = add(ctl, ptr, parent, level, scope)
            if cid is not None:
                controls_in(ctl.get("controls"), f"{ptr}/controls", cid, "enhancement", scope)

    def groups_in(items: Any, pointer: str, parent: str | None, params: dict) -> None:
        if items is None:
            return
        if not isinstance(items, list):
            bad(pointer, "must be a list")
            return
        for i, grp in enumerate(items):
            ptr = f"{pointer}/{i}"
            if not isinstance(grp, dict):
                bad(ptr, "a group must be an object")
                continue
            scope = local_params(grp, params)
            gid = add(grp, ptr, parent, "group", scope)
            if gid is not None:
                groups_in(grp.get("groups"), f"{ptr}/groups", gid, scope)
                controls_in(grp.get("controls"), f"{ptr}/controls", gid, "control", scope)

    root_params = local_params(cat, {})
    groups_in(cat.get("groups"), "/catalog/groups", None, root_params)
    controls_in(cat.get("controls"), "/catalog/controls", None, "control", root_params)
    label_of = {c.id.split(":", 1)[1]: c.notation for c in controls}
    for index, gone in withdrawn:
        where = "; ".join(f"{rel.replace('-', ' ')} {label_of.get(ref, ref)}" for rel, ref in gone)
        controls[index] = replace(controls[index], summary="[withdrawn]" + (f" {where}" if where else ""))
    if not controls and not problems:
        bad("/catalog", "the catalog has no groups and no controls")
    if problems:
        raise DataError(problems)
    if unknown_params:
        note("parameter inserts kept as {{ insert }} markers (no label, value or selection)", len(unknown_params))
    resources = (cat.get("back-matter") or {}).get("resources") or []
    if resources:
        note("back-matter resources", len(resources))
    parties = [p.get("name") for p in meta.get("parties") or [] if isinstance(p, dict) and p.get("name")]
    note_lines = tuple(f"{what}: {n}" for what, n in sorted(notes.items()))
    description = _prop(meta, "description", CM_NS) or (
        f"OSCAL catalog {title} (version {version or '-'}, oscal-version {meta.get('oscal-version', '-')}) "
        f"read from {Path(file).name}." + (" Import notes: " + "; ".join(note_lines) + "." if note_lines else ""))
    ours = _prop(meta, "framework-id", CM_NS) is not None   # written by controlmap: levels travel as props
    levels_prop = _prop(meta, "levels", CM_NS)
    assessable_prop = _prop(meta, "assessable-levels", CM_NS) or ("" if ours else None)
    fw = Framework(
        id=fid, edition=ed, prefix=pfx, title=_prop(meta, "title", CM_NS) or title or fid,
        publisher=_prop(meta, "publisher", CM_NS) or ", ".join(parties),
        edition_label=_prop(meta, "edition-label", CM_NS) or (f"{title} {version}".strip()),
        date=_prop(meta, "date", CM_NS) or str(meta.get("published") or meta.get("last-modified") or "")[:10],
        rights=_prop(meta, "rights", CM_NS) or "",
        sources=tuple(v for n, v, ns in _props(meta) if n == "source" and ns == CM_NS),
        is_default=_prop(meta, "default", CM_NS) == "true",
        completeness=_prop(meta, "completeness", CM_NS) or "full", description=description,
        source_ref=_prop(meta, "source-ref", CM_NS) or f"OSCAL catalog {Path(file).name} [R]",
        levels=tuple(levels_prop.split()) if levels_prop else (() if ours else LEVELS),
        assessable_levels=tuple(assessable_prop.split()) if assessable_prop is not None else ("control", "enhancement"),
    )
    return OscalImport(Catalog(frameworks=(fw,), controls=tuple(controls)), note_lines)


def read_oscal(path: str | Path, *, framework_id: str | None = None, edition: str | None = None,
               prefix: str | None = None) -> OscalImport:
    """Read an OSCAL catalog file (.json, .yaml or .yml, UTF-8)."""
    doc, lines = load_document(path)
    return parse_oscal_catalog(doc, str(path), framework_id=framework_id, edition=edition, prefix=prefix,
                               lines=lines)


def read_oscal_catalog(path: str | Path, catalog: Catalog | None = None) -> Catalog:
    """The loader's entry: an OSCAL catalog file as a Catalog of one framework edition."""
    return read_oscal(path).catalog

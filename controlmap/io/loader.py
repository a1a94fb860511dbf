"""Load the shipped data directory and users' files into one Catalog; READERS is the format registry."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..errors import DataError, Problem, UnsupportedFormatError
from ..model import Catalog
from .frameworks import read_framework_file
from .sssom import read_sssom, resolve_set

__all__ = ["READERS", "check_catalog", "default_data_dir", "load_data_dir", "load_files"]


def default_data_dir() -> Path:
    """The shipped data: ``$CONTROLMAP_DATA`` or ``data/`` beside the package in a checkout."""
    env = os.environ.get("CONTROLMAP_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "data"
    if not (path / "mic_checklist").is_dir():
        raise DataError([Problem(str(path), None, None,
                                 "shipped data not found; install from a checkout (pip install -e .) "
                                 "or set CONTROLMAP_DATA to the data directory")])
    return path


def _framework_files(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*/*/framework.yaml"))


FOLDER_HELP = ("nothing to load in this folder: controlmap reads a framework folder (framework.yaml), a data "
               "directory (<framework>/<edition>/framework.yaml, crosswalks/, mappings/) or a folder of "
               "<name>/framework.yaml and *.sssom.tsv / *.sssom.json files, as 'controlmap share' writes")


def _is_data_dir(folder: Path) -> bool:
    """A data directory as shipped: <framework>/<edition>/framework.yaml, crosswalks/ and mappings/."""
    return bool(_framework_files(folder)) or (folder / "mappings").is_dir() or (folder / "crosswalks").is_dir()


def _folder_files(folder: Path) -> list[Path]:
    """What controlmap reads in a shared folder: each <name>/framework.yaml, then the mapping sets beside them."""
    frameworks = sorted(folder.glob("*/framework.yaml"))
    mappings = sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith((".sssom.tsv", ".sssom.json")))
    return [*frameworks, *mappings]


def load_data_dir(root: str | Path | None = None, include_mappings: bool = True,
                  progress: Callable[[int, int, int], None] | None = None) -> Catalog:
    """Every framework edition under ``root``, then its crosswalks and curated mapping sets.

    ``progress(files done, files in all, rows so far)`` is called after each mapping file (for a bar).
    """
    base = Path(root) if root is not None else default_data_dir()
    problems: list[Problem] = []
    parts: list[Catalog] = []
    for path in _framework_files(base):
        try:
            parts.append(read_framework_file(path))
        except DataError as err:
            problems.extend(err.problems)
    catalog = Catalog().merge(*parts)
    problems.extend(check_catalog(catalog))
    files = sorted((base / "crosswalks").glob("*.sssom.tsv")) + sorted((base / "mappings").glob("*.sssom.tsv"))
    if problems:
        if include_mappings:  # still report what is wrong inside the mapping files, in the same pass
            problems.extend(_mapping_file_problems(files))
        raise DataError(problems)
    return _add_mapping_files(catalog, files, progress) if include_mappings else catalog


def _raise(problems: list[Problem], unsupported: list[Problem]) -> None:
    """One DataError for every problem; an UnsupportedFormatError when all of them say what is not read."""
    if problems:
        raise (UnsupportedFormatError if problems == unsupported else DataError)(problems)


def _mapping_file_problems(files: list[Path]) -> list[Problem]:
    """Problems found by parsing SSSOM files alone, for when the editions they refer to did not load."""
    problems: list[Problem] = []
    for path in files:
        try:
            _read_mapping_file(path)
        except DataError as err:
            problems.extend(err.problems)
    return problems


def _add_mapping_files(catalog: Catalog, files: list[Path],
                       progress: Callable[[int, int, int], None] | None = None) -> Catalog:
    """Resolve each set against the catalog so far (a set may name the external terms an earlier one added)."""
    problems: list[Problem] = []
    unsupported: list[Problem] = []
    merged = catalog  # frameworks and controls so far (what resolving reads); mapping sets merged once below
    sets: list = []
    rows = 0
    for done, path in enumerate(files, start=1):
        try:
            parsed = _read_mapping_file(path, kind="crosswalk" if path.parent.name == "crosswalks" else "curated")
        except DataError as err:
            problems.extend(err.problems)
            if isinstance(err, UnsupportedFormatError):
                unsupported.extend(err.problems)
            parsed = None
        rows += parsed.mapping_set.size if parsed is not None else 0
        if progress is not None:
            progress(done, len(files), rows)
        if parsed is None:
            continue
        part, found = resolve_set(parsed, merged)
        problems.extend(found)
        if not found:
            if part.frameworks or part.controls:
                merged = merged.merge(Catalog(frameworks=part.frameworks, controls=part.controls))
            sets.extend(part.mapping_sets)
    merged = merged.merge(Catalog(mapping_sets=tuple(sets))) if sets else merged
    _raise(problems, unsupported)
    problems.extend(check_catalog(merged))
    if problems:
        raise DataError(problems)
    return merged


def _read_mapping_file(path: Path, kind: str = "curated"):
    """SSSOM TSV, or SSSOM/JSON for a ``.json`` file."""
    if path.suffix.lower() == ".json":
        from .sssom_json import read_sssom_json

        return read_sssom_json(path, kind=kind)
    return read_sssom(path, kind=kind)


def _read_table_file(path: Path, catalog: Catalog) -> Catalog:
    profile = path.with_name("framework.yaml")
    if profile.exists():
        return read_framework_file(profile)
    raise DataError([Problem(str(path), None, None,
                             "a CSV/XLSX of controls needs a framework YAML: put framework.yaml beside it "
                             "or load a YAML profile whose 'controls' names this file")])


def _read_rdf_file(path: Path, catalog: Catalog) -> Catalog:
    from rdflib import RDF, URIRef

    from .rdf import check_belongs, from_rdf, read_rdf

    graph = read_rdf(path)
    if (None, RDF.type, URIRef("https://w3id.org/sssom/MappingSet")) in graph:
        raise UnsupportedFormatError([Problem(str(path), None, None, "SSSOM/RDF is not read: controlmap reads "
                                              "SSSOM as TSV or JSON; convert it first (sssom convert -O tsv)")])
    check_belongs(graph, str(path))
    found = from_rdf(graph)
    if not (found.frameworks or found.controls or found.mapping_sets or found.answers):
        raise DataError([Problem(str(path), None, None, "the file adds nothing to the knowledge graph: it holds no "
                                 "framework, control, mapping set or self-check answer")])
    return found


def _read_xml_file(path: Path, catalog: Catalog) -> Catalog:
    from .oscal import refuse_unsupported

    refuse_unsupported(path)
    raise AssertionError("unreachable")  # refuse_unsupported always raises for .xml


def _read_yaml_file(path: Path, catalog: Catalog) -> Catalog:
    """A framework YAML, or (told apart by content) a CISO Assistant library or an OSCAL catalog in YAML."""
    from .ciso import is_ciso_library, read_ciso_library
    from .oscal import is_oscal_file, read_oscal_catalog

    if is_ciso_library(path):
        return read_ciso_library(path, catalog)
    if is_oscal_file(path):
        return read_oscal_catalog(path, catalog)
    return read_framework_file(path)


def _read_json_file(path: Path, catalog: Catalog) -> Catalog:
    from .oscal import is_oscal_file, read_oscal_catalog, refuse_unsupported

    refuse_unsupported(path)
    if is_oscal_file(path):
        return read_oscal_catalog(path, catalog)
    raise DataError([Problem(str(path), 1, None, "controlmap reads JSON files that are OSCAL catalogs "
                             "(top-level 'catalog') or SSSOM/JSON mapping sets (top-level 'mappings'); "
                             "for JSON-LD use the .jsonld suffix")])


READERS: dict[str, Callable[[Path, Catalog], Catalog]] = {
    ".yaml": _read_yaml_file,
    ".yml": _read_yaml_file,
    ".json": _read_json_file,
    ".csv": _read_table_file,
    ".xlsx": _read_table_file,
    ".ttl": _read_rdf_file,
    ".nt": _read_rdf_file,
    ".jsonld": _read_rdf_file,
    ".xml": _read_xml_file,
}


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".sssom.tsv") or name.endswith(".tsv"):
        return ".sssom.tsv"
    return path.suffix.lower()


def _is_sssom_json(path: Path) -> bool:
    """A JSON file whose top level holds ``mappings`` (SSSOM/JSON), told from OSCAL by a cheap look first."""
    import json

    from .oscal import oscal_model
    from .sssom_json import is_sssom_json

    if oscal_model(path) is not None:
        return False
    try:
        return is_sssom_json(json.loads(path.read_bytes()))
    except (ValueError, OSError):
        return False


def load_files(paths: list[str | Path], base: Catalog | None = None) -> Catalog:
    """Add users' files to ``base``: frameworks (YAML/CSV/XLSX/RDF/OSCAL/CISO) first, then mapping files.

    Mapping files (SSSOM TSV/JSON, and CISO Assistant libraries that hold mapping sets only) are read after
    every framework of the call, so they may come in any order beside the frameworks they map.
    """
    catalog = base or Catalog()
    problems: list[Problem] = []
    unsupported: list[Problem] = []
    mapping_files: list[Path] = []
    later: list[Path] = []
    parts: list[Catalog] = []

    def read(reader: Callable[[Path, Catalog], Catalog], path: Path, on: Catalog) -> None:
        try:
            parts.append(reader(path, on))
        except DataError as err:
            problems.extend(err.problems)
            if isinstance(err, UnsupportedFormatError):
                unsupported.extend(err.problems)

    paths_left: list[str | Path] = list(paths)
    while paths_left:
        path = Path(paths_left.pop(0))
        if not path.exists():
            problems.append(Problem(str(path), None, None, "no such file"))
            continue
        if path.is_dir():
            if (path / "framework.yaml").exists():
                path = path / "framework.yaml"
            elif _is_data_dir(path):
                read(lambda p, _c: load_data_dir(p), path, catalog)
                continue
            else:
                inner = _folder_files(path)
                if not inner:
                    problems.append(Problem(str(path), None, None, FOLDER_HELP))
                paths_left.extend(inner)
                continue
        suffix = _suffix(path)
        if suffix == ".sssom.tsv" or (suffix == ".json" and _is_sssom_json(path)):
            mapping_files.append(path)
            continue
        reader = READERS.get(suffix)
        if reader is None:
            known = ", ".join(sorted([*READERS, ".sssom.tsv"]))
            problems.append(Problem(str(path), None, None, f"unknown file type {suffix!r}; controlmap reads {known}"))
            continue
        if suffix in (".yaml", ".yml") and _is_ciso_mapping_library(path):
            later.append(path)
            continue
        read(reader, path, catalog)
    for path in later:  # CISO mapping libraries: resolved against every framework of this call
        read(_read_yaml_file, path, catalog.merge(*parts))
    if problems:
        _raise(problems + _mapping_file_problems(mapping_files), unsupported)
    merged = catalog.merge(*parts)
    found = check_catalog(merged)
    if found:
        raise DataError(found + _mapping_file_problems(mapping_files))
    return _add_mapping_files(merged, mapping_files) if mapping_files else merged


def _is_ciso_mapping_library(path: Path) -> bool:
    from .ciso import is_ciso_mapping_library

    return is_ciso_mapping_library(path)


def check_catalog(catalog: Catalog) -> list[Problem]:
    """Problems that span files: a framework edition or a control id given twice, two default editions."""
    problems: list[Problem] = []
    for attr, column, what in (("key", "edition", "framework edition {} is loaded again"),
                               ("prefix", "prefix", "prefix {} is already used by another edition")):
        first: dict[str, str] = {}
        for f in catalog.frameworks:
            value = getattr(f, attr)
            if value in first:
                where = first[value] or "another file"
                problems.append(Problem(f.origin or value, None, column, what.format(value) + f" (first: {where})"))
            else:
                first[value] = f.origin
    defaults: dict[str, str] = {}
    for f in catalog.frameworks:
        if not f.is_default:
            continue
        if f.id in defaults:
            problems.append(Problem(f.origin or f.key, None, "default",
                                    f"{f.key} says default: true, but so does {defaults[f.id]}"))
        else:
            defaults[f.id] = f.key
    seen: dict[str, str] = {}
    for c in catalog.controls:
        if c.id in seen:
            file, _, row = c.origin.rpartition(":")
            problems.append(Problem(file or c.id, int(row) if file and row.isdigit() else None, "id",
                                    f"control {c.id} also defined at {seen[c.id] or 'another file'}"))
        else:
            seen[c.id] = c.origin
    set_ids = Counter(s.id for s in catalog.mapping_sets)
    for sid, n in set_ids.items():
        if n > 1:
            problems.append(Problem(sid, None, "mapping_set_id", f"mapping set {sid} is loaded {n} times"))
    return problems

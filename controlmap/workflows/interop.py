"""Interoperability use cases: OSCAL and CISO Assistant in and out, framework editions compared and carried.

``controlmap import-oscal``, ``import-ciso``, ``export-oscal``, ``export-ciso`` and ``editions`` call these.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ControlmapError, UsageError

if TYPE_CHECKING:
    from ..model import Catalog, MappingSet
    from ..scope import ScopeLike
    from .kg import KnowledgeGraph

__all__ = ["carry_file", "diff_text", "export_ciso_files", "export_oscal_file", "find_set", "import_ciso_file",
           "import_oscal_file", "load_with_set"]


def _load(files: Sequence[str | Path]) -> KnowledgeGraph:
    from .kg import load

    return load(*files)


def find_set(catalog: Catalog, name: str) -> MappingSet:
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


def load_with_set(files: Sequence[str | Path], name: str) -> KnowledgeGraph:
    """The knowledge graph, with ``name`` added when it is an SSSOM file not loaded yet."""
    from ..io.sssom import read_sssom

    kg = _load(files)
    path = Path(name)
    if path.suffix == ".tsv" and path.exists():
        set_id = read_sssom(path).mapping_set.id
        if not any(s.id == set_id for s in kg.catalog.mapping_sets):
            kg = _load([*files, str(path)])
    return kg


def import_oscal_file(file: Path, *, framework_id: str | None = None, edition: str | None = None,
                      prefix: str | None = None, output: Path | None = None) -> tuple[Any, Path | None]:
    """Read an OSCAL catalog as a framework edition; with ``output`` write its framework.yaml + controls.csv."""
    from ..export.framework_files import save_framework
    from ..io.oscal import read_oscal

    imp = read_oscal(file, framework_id=framework_id, edition=edition, prefix=prefix)
    path = save_framework(imp.catalog, imp.framework, output) if output else None
    return imp, path


def import_ciso_file(file: Path, files: Sequence[str | Path] = (), *,
                     output: Path | None = None) -> tuple[Any, list[Path]]:
    """Read a CISO Assistant library; with ``output`` write its frameworks and SSSOM mapping sets there."""
    from ..export.files import write_text
    from ..export.framework_files import save_framework
    from ..io.ciso import read_ciso
    from ..io.sssom import write_sssom

    base = _load(files).catalog
    imp = read_ciso(file, base)
    written: list[Path] = []
    if output:
        c = imp.catalog
        merged = base.merge(c)
        for fw in c.frameworks:
            written.append(save_framework(merged, fw, Path(output) / fw.id / fw.edition))
        for ms in c.mapping_sets:
            name = f"{ms.subject_framework}_{ms.object_framework}".replace("@", "-") + ".sssom.tsv"
            written.append(write_text(Path(output) / name, write_sssom(ms, merged)))
    return imp, written


def _adopted_ids(path: Path) -> list[str]:
    return [line.split(",")[0].strip() for line in path.read_text(encoding="utf-8-sig").splitlines()
            if line.strip() and not line.startswith(("#", "id,"))]


def export_oscal_file(files: Sequence[str | Path], output: Path, *, framework: str | None = None,
                      mapping_set: str | None = None, source: str | None = None,
                      against: Sequence[str] = (), only: Sequence[str] = (), adopted: Path | None = None,
                      scope: ScopeLike = "juki_net") -> tuple[Path, str]:
    """Write candidates, a framework edition or a mapping set as OSCAL JSON; returns the path and what it holds."""
    from ..export.oscal import candidates_catalog, framework_catalog, mapping_collection, write_oscal
    from .kg import gaps

    kg = _load(files)
    if framework:
        doc = framework_catalog(kg.catalog, framework)
        what = f"catalog of {kg.framework(framework).key}"
    elif mapping_set:
        ms = find_set(kg.catalog, mapping_set)
        doc = mapping_collection(ms, kg.catalog)
        what = f"mapping collection of {ms.id} ({len(ms.mappings)} rows)"
    elif source and against:
        wanted = list(only) + (_adopted_ids(adopted) if adopted else [])
        result = gaps(kg, source, list(against), scope=scope)
        doc = candidates_catalog(result, kg.catalog, only=wanted or None)
        n = sum(len(g["controls"]) for g in doc["catalog"].get("groups", []))
        what = f"catalog of {n} {'adopted items' if wanted else 'candidate items'}"
    else:
        raise UsageError("say what to export: --source and --against (candidates), --framework or --mapping-set")
    return write_oscal(doc, output), what


def export_ciso_files(files: Sequence[str | Path], output: Path, *, frameworks: Sequence[str] = (),
                      include_crosswalks: bool = False, reverse: bool = False,
                      split: bool = False) -> tuple[Any, list[Path]]:
    """Write frameworks and curated mapping sets as a CISO Assistant library (one file, or one per part)."""
    from ..export.ciso import ciso_library, write_ciso

    kg = _load(files)
    out = ciso_library(kg.catalog, list(frameworks) or None, include_crosswalks=include_crosswalks, reverse=reverse,
                       split=split or output.suffix.lower() not in (".yaml", ".yml"))
    return out, list(write_ciso(out, output))


def diff_text(files: Sequence[str | Path], source: str, target: str, fmt: str = "table") -> str:
    """What changed between two framework editions, as ``table``, ``md`` or ``json`` text."""
    from ..export.editions import format_diff
    from ..queries.editions import diff_editions

    kg = _load(files)
    return format_diff(diff_editions(kg.catalog, source, target), kg.catalog, fmt)


def carry_file(files: Sequence[str | Path], mappings: str, to: str, output: Path, *, date: str | None = None) -> Any:
    """Carry the curated set ``mappings`` to edition ``to``; write the rows to ``output`` (TSV/JSON/TTL by suffix)."""
    from ..export.files import write_text
    from ..export.sssom import write_sssom_text
    from ..queries.editions import carry_mappings

    kg = load_with_set(files, mappings)
    result = carry_mappings(kg.catalog, find_set(kg.catalog, mappings), to, date=date)
    write_text(output, write_sssom_text(result.mapping_set, kg.catalog, output))
    return result

"""CISO Assistant library files (YAML) read as framework editions and mapping sets: the thin file reader.

A library holds ``objects.frameworks`` (or the older ``objects.framework``), each with
``requirement_nodes`` (``urn``, ``parent_urn``, ``assessable``, ``depth``, ``ref_id``, ``name``,
``description``, ``annotation``), and ``objects.requirement_mapping_sets`` (or the older singular) whose
``requirement_mappings`` give ``source_requirement_urn``, ``target_requirement_urn``, ``relationship``
(``equal | subset | superset | intersect | not_related``, read for the source relative to the target,
as our subject relative to the object), ``strength_of_relationship`` (0–10), ``rationale``
(``syntactic | semantic | functional``) and ``annotation``. A mapping set may name frameworks of the
same file or of editions already loaded (by the URNs :func:`framework_urn` gives them).

The pure pieces: :mod:`.ciso_library` (document → catalog), :mod:`.ciso_nodes` (frameworks, requirement
nodes, reference controls), :mod:`.ciso_mappings` (mapping sets) and :mod:`.ciso_urns` (URNs, relations).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Catalog
from .ciso_library import CisoImport, parse_ciso_library
from .ciso_urns import CISO_RELATION, DEFAULT_STRENGTH, RELATION_OF_CISO, framework_urn, node_urn
from .limits import read_text
from .oscal_lines import parse_yaml_with_lines

__all__ = [
    "CISO_RELATION",
    "DEFAULT_STRENGTH",
    "RELATION_OF_CISO",
    "CisoImport",
    "framework_urn",
    "is_ciso_library",
    "is_ciso_mapping_library",
    "node_urn",
    "parse_ciso_library",
    "read_ciso",
    "read_ciso_library",
]


def is_ciso_library(path: str | Path) -> bool:
    """True when a YAML file's top level has ``urn:`` and ``objects:`` (a CISO Assistant library)."""
    try:
        text = Path(path).read_bytes()[:65536].decode("utf-8", "ignore")
    except OSError:
        return False
    return bool(re.search(r"^objects:", text, re.M) and re.search(r"^urn:", text, re.M))


def is_ciso_mapping_library(path: str | Path) -> bool:
    """A CISO Assistant library holding mapping sets and no framework (read after the frameworks it maps)."""
    if not is_ciso_library(path):
        return False
    text = Path(path).read_bytes()[:1 << 20].decode("utf-8", "ignore")
    return bool(re.search(r"^  requirement_mapping_sets?:", text, re.M)
                and not re.search(r"^  frameworks?:", text, re.M))


def read_ciso(path: str | Path, base: Catalog | None = None) -> CisoImport:
    """Read a CISO Assistant library YAML file (UTF-8 or cp932)."""
    p = Path(path)
    doc, lines = parse_yaml_with_lines(read_text(p), str(p))
    return parse_ciso_library(doc, str(p), base, lines)


def read_ciso_library(path: str | Path, catalog: Catalog | None = None) -> Catalog:
    """The loader's entry: a library's frameworks and mapping sets (referring to ``catalog`` where needed)."""
    return read_ciso(path, catalog).catalog

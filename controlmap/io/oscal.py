"""OSCAL catalog files (JSON or YAML) read as one framework edition: the thin file reader.

Mapping (see docs/interop.md): a ``group`` becomes a parent control of level ``group``, a ``control``
one of level ``control``, a control nested in a control one of level ``enhancement``; a control whose
``props`` say ``status: withdrawn`` keeps its place with level ``withdrawn`` and a summary naming where
it went (``links`` with ``rel: moved-to`` / ``incorporated-into``). The ``statement`` part becomes the
control's text with ``{{ insert: param, … }}`` markers replaced by the parameter's values, selection or
label, NIST style; other parts (guidance, assessment objectives) are counted in the framework
description rather than dropped unmentioned. Control ids are ``prefix:<OSCAL id>``; the ``label``
prop, when present, is the notation people read (``AC-2(1)``).

The pure pieces: :mod:`.oscal_catalog` (document → edition), :mod:`.oscal_controls` (groups, controls,
parts), :mod:`.oscal_params` (parameter inserts), :mod:`.oscal_props` (props and names),
:mod:`.oscal_detect` (which model a file holds; XML and profile refusal) and :mod:`.oscal_lines` (YAML
with lines, findings).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Catalog
from .limits import load_json, read_text
from .oscal_catalog import OscalImport, parse_oscal_catalog
from .oscal_detect import OSCAL_MODELS, is_oscal_file, oscal_model, refuse_unsupported
from .oscal_lines import line_of, parse_yaml_with_lines
from .oscal_params import render_params
from .oscal_props import CM_NS, FRAMEWORK_ID, LEVELS, PREFIX, WITHDRAWN

__all__ = [
    "CM_NS",
    "FRAMEWORK_ID",
    "LEVELS",
    "OSCAL_MODELS",
    "PREFIX",
    "WITHDRAWN",
    "OscalImport",
    "is_oscal_file",
    "line_of",
    "load_document",
    "oscal_model",
    "parse_oscal_catalog",
    "parse_yaml_with_lines",
    "read_oscal",
    "read_oscal_catalog",
    "refuse_unsupported",
    "render_params",
]


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


def read_oscal(path: str | Path, *, framework_id: str | None = None, edition: str | None = None,
               prefix: str | None = None) -> OscalImport:
    """Read an OSCAL catalog file (.json, .yaml or .yml, UTF-8)."""
    doc, lines = load_document(path)
    return parse_oscal_catalog(doc, str(path), framework_id=framework_id, edition=edition, prefix=prefix,
                               lines=lines)


def read_oscal_catalog(path: str | Path, catalog: Catalog | None = None) -> Catalog:
    """The loader's entry: an OSCAL catalog file as a Catalog of one framework edition."""
    return read_oscal(path).catalog

"""One framework edition in controlmap's own layout (``framework.yaml`` + ``controls.csv``, UTF-8), atomically."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..model import Catalog, Framework
from .files import ensure_folder, write_text

__all__ = ["save_framework"]


def save_framework(catalog: Catalog, framework: str | Framework, directory: str | Path) -> Path:
    """Write one edition into ``directory`` (created if need be); returns the directory.

    The directory then loads like the shipped data (``cm.load(directory)``) and can be edited by hand.
    Both files go through :mod:`controlmap.export.files` (never through a symbolic link).

    >>> import tempfile, pathlib, controlmap as cm
    >>> kg = cm.load()
    >>> out = save_framework(kg.catalog, "mic", pathlib.Path(tempfile.mkdtemp()) / "mic")
    >>> sorted(p.name for p in out.iterdir())
    ['controls.csv', 'framework.yaml']
    """
    import yaml

    fw = framework if isinstance(framework, Framework) else catalog.framework(framework)
    target = ensure_folder(directory)
    meta = {"id": fw.id, "edition": fw.edition, "prefix": fw.prefix, "title": fw.title,
            "edition_label": fw.edition_label, "publisher": fw.publisher, "date": fw.date, "default": fw.is_default,
            "completeness": fw.completeness, "description": fw.description, "source_ref": fw.source_ref,
            "rights": fw.rights, "sources": list(fw.sources), "levels": list(fw.levels),
            "assessable_levels": list(fw.assessable_levels), "controls": "controls.csv"}
    write_text(target / "framework.yaml",
               yaml.safe_dump({k: v for k, v in meta.items() if v not in ("", None)}, allow_unicode=True,
                              sort_keys=False, width=1000))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "parent", "level", "title", "summary", "source_ref", "provenance", "text"])
    for c in catalog.controls_of(fw):
        writer.writerow([c.id.split(":", 1)[1], c.parent.split(":", 1)[1] if c.parent else "", c.level, c.title,
                         c.summary, c.source_ref, c.provenance.value, c.text])
    write_text(target / "controls.csv", out.getvalue())
    return target

"""An imported framework edition written in controlmap's own layout: ``framework.yaml`` plus ``controls.csv``."""

from __future__ import annotations

from pathlib import Path

from ..model import Catalog, Framework

__all__ = ["save_framework"]


def save_framework(catalog: Catalog, framework: str | Framework, directory: str | Path) -> Path:
    """Write one edition in controlmap's own layout: ``framework.yaml`` plus ``controls.csv`` (UTF-8).

    The directory then loads like the shipped data (``cm.load(directory)``) and can be edited by hand.
    """
    import csv
    import io

    import yaml

    fw = framework if isinstance(framework, Framework) else catalog.framework(framework)
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    meta = {"id": fw.id, "edition": fw.edition, "prefix": fw.prefix, "title": fw.title,
            "edition_label": fw.edition_label, "publisher": fw.publisher, "date": fw.date, "default": fw.is_default,
            "completeness": fw.completeness, "description": fw.description, "source_ref": fw.source_ref,
            "rights": fw.rights, "sources": list(fw.sources), "levels": list(fw.levels),
            "assessable_levels": list(fw.assessable_levels), "controls": "controls.csv"}
    (target / "framework.yaml").write_text(
        yaml.safe_dump({k: v for k, v in meta.items() if v not in ("", None)}, allow_unicode=True, sort_keys=False,
                       width=1000), encoding="utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "parent", "level", "title", "summary", "source_ref", "provenance", "text"])
    for c in catalog.controls_of(fw):
        writer.writerow([c.id.split(":", 1)[1], c.parent.split(":", 1)[1] if c.parent else "", c.level, c.title,
                         c.summary, c.source_ref, c.provenance.value, c.text])
    (target / "controls.csv").write_text(out.getvalue(), encoding="utf-8")
    return target

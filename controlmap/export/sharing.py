"""Write the files shared with other municipalities: adopted items and measures (CSV), their mappings, a framework."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..cycle.isheet.cells import neutralise
from ..cycle.sharing import MEASURE_COLUMNS, SHARED_COLUMNS, known_names, scrub, shared_measures, shared_records
from .files import ensure_folder, write_text

if TYPE_CHECKING:
    from ..cycle.decisions import Decisions
    from ..model import Catalog

__all__ = ["export_shared"]


def _csv(columns: tuple[str, ...], records: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: neutralise(str(rec[k])) for k in columns})
    return buf.getvalue()


def export_shared(decisions: Decisions, catalog: Catalog, out_dir: str | Path, *,
                  names: Iterable[str] = ()) -> list[Path]:
    """Write the shareable files into ``out_dir`` and return their paths."""
    from dataclasses import replace

    from ..cycle.adopted import additional_catalog
    from ..io.sssom import write_sssom
    from ..model import MappingSet

    out = ensure_folder(out_dir)
    known = known_names(decisions, names)
    written: list[Path] = []
    records = shared_records(decisions, names=known)
    written.append(write_text(out / "adopted-items.csv", _csv(SHARED_COLUMNS, records), encoding="utf-8-sig"))
    measures = shared_measures(decisions, names=known)
    if measures:
        written.append(write_text(out / "adopted-measures.csv", _csv(MEASURE_COLUMNS, measures),
                                  encoding="utf-8-sig"))
    extra = additional_catalog(decisions, catalog)
    both = catalog.merge(extra)
    for ms in extra.mapping_sets:
        clean = MappingSet(**{**{f: getattr(ms, f) for f in ms.__dataclass_fields__}, "mappings": tuple(
            replace(m, author="", reviewer="", comment=scrub(m.comment, known)) for m in ms.mappings),
            "creators": ()})
        obj = ms.object_framework.replace("@", "-")
        written.append(write_text(out / f"mic_additional_{obj}.sssom.tsv", write_sssom(clean, both)))
    written += _framework_files(extra, out / "mic_additional")
    return written


def _framework_files(extra: Catalog, folder: Path) -> list[Path]:
    import yaml

    fw = extra.frameworks[0]
    meta = {"id": fw.id, "edition": fw.edition, "prefix": fw.prefix, "title": fw.title, "publisher": fw.publisher,
            "edition_label": fw.edition_label, "completeness": fw.completeness, "description": fw.description,
            "levels": list(fw.levels), "controls": "controls.csv"}
    meta_path = write_text(folder / "framework.yaml", yaml.safe_dump(meta, allow_unicode=True, sort_keys=False))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(("id", "parent", "level", "title", "summary", "source_ref", "provenance"))
    for c in extra.controls:
        writer.writerow((c.notation, "", c.level, c.title, c.summary, c.source_ref, c.provenance.value))
    controls_path = write_text(folder / "controls.csv", buf.getvalue())
    return [meta_path, controls_path]

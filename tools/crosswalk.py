"""Edition crosswalks (``source_id,target_id,relation,note``) as SSSOM mapping sets."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from controlmap.errors import DataError, Problem
from controlmap.io.encoding import decode
from controlmap.model import NO_TERM, Mapping, MappingSet, Provenance, Relation

__all__ = ["CHANGE_RELATION", "import_crosswalks", "parse_crosswalk"]

# change type of a crosswalk row -> (STRM relation of the old clause to the new one, strength)
CHANGE_RELATION: dict[str, tuple[Relation, int]] = {
    "equivalent": (Relation.EQUAL, 10),
    "renamed": (Relation.EQUAL, 9),
    "renumbered": (Relation.EQUAL, 9),
    "moved": (Relation.EQUAL, 8),
    "renumbered_modified": (Relation.INTERSECTS_WITH, 6),
    "extended": (Relation.SUBSET_OF, 7),   # the newer clause asks more than the older one
    "split": (Relation.SUPERSET_OF, 7),    # the source clause was split: each target part is narrower
    "merged": (Relation.SUPERSET_OF, 7),   # the source clause absorbed the target (and others)
    "partial": (Relation.INTERSECTS_WITH, 4),
    "new": (Relation.NO_RELATIONSHIP, 0),
    "removed": (Relation.NO_RELATIONSHIP, 0),
}
_TAG = re.compile(r"\s*\[(R|I)\]\s*$")


def parse_crosswalk(text: str, file: str, subject_framework: str, object_framework: str,
                    set_id: str, title: str) -> MappingSet:
    """A MappingSet (kind ``crosswalk``) from a crosswalk CSV text; ids must be full ids."""
    problems: list[Problem] = []
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    mappings = []
    for line, row in enumerate(rows, start=2):
        change = (row.get("relation") or "").strip()
        if change not in CHANGE_RELATION:
            problems.append(Problem(file, line, "relation", f"unknown change type {change!r}; "
                                    f"use one of {', '.join(CHANGE_RELATION)}"))
            continue
        note = (row.get("note") or "").strip()
        tag = _TAG.search(note)
        if not tag:
            problems.append(Problem(file, line, "note", "note must end with [R] or [I]"))
            continue
        relation, strength = CHANGE_RELATION[change]
        source = (row.get("source_id") or "").strip() or NO_TERM
        target = (row.get("target_id") or "").strip() or NO_TERM
        if source == NO_TERM and target == NO_TERM:
            problems.append(Problem(file, line, "source_id", "both source_id and target_id are empty"))
            continue
        if NO_TERM in (source, target):
            relation, strength = Relation.NO_RELATIONSHIP, 0
        mappings.append(Mapping(
            subject_id=source, object_id=target, relation=relation, strength=strength,
            confidence=0.9 if tag.group(1) == "R" else 0.7, justification="semapv:ManualMappingCuration",
            author="controlmap reference data (../shared/sources)", date="", comment=note[: tag.start()].strip(),
            change_type=change, provenance=Provenance(tag.group(1)), origin=f"{file}:{line}",
        ))
    if problems:
        raise DataError(problems)
    mappings = _by_cardinality(mappings)
    return MappingSet(id=set_id, title=title, subject_framework=subject_framework,
                      object_framework=object_framework, mappings=tuple(mappings), complete=False,
                      kind="crosswalk", license="https://creativecommons.org/licenses/by/4.0/",
                      creators=("controlmap reference data",), origin=file)


def _by_cardinality(mappings: list[Mapping]) -> list[Mapping]:
    """An 'equal' row cannot hold one-to-many: a source with several targets is a superset of each,
    a target with several sources a superset of each source (so the source is a subset_of it)."""
    from collections import Counter
    from dataclasses import replace

    per_source = Counter(m.subject_id for m in mappings if m.relation is Relation.EQUAL)
    per_target = Counter(m.object_id for m in mappings if m.relation is Relation.EQUAL)
    out = []
    for m in mappings:
        if m.relation is Relation.EQUAL:
            many_targets, many_sources = per_source[m.subject_id] > 1, per_target[m.object_id] > 1
            if many_targets and many_sources:
                m = replace(m, relation=Relation.INTERSECTS_WITH, strength=min(m.strength, 6))
            elif many_targets:
                m = replace(m, relation=Relation.SUPERSET_OF, strength=min(m.strength, 7))
            elif many_sources:
                m = replace(m, relation=Relation.SUBSET_OF, strength=min(m.strength, 7))
        out.append(m)
    return out


CROSSWALKS = [
    ("crosswalk_jisq15001-2006_jisq15001-2017.csv", "jisq15001@2006", "jisq15001@2017",
     "JIS Q 15001:2006 → 2017 箇条対応"),
    ("crosswalk_jisq15001-2023_jisq15001-2017.csv", "jisq15001@2023", "jisq15001@2017",
     "JIS Q 15001:2023 → 2017 箇条対応(箇条0〜6.2)"),
    ("crosswalk_gus-h26_gus-r3.csv", "govt_unified_std@2014", "govt_unified_std@2021",
     "統一基準 平成26年度版 → 令和3年度版 項番対応(1.1〜2.2.2, 目次比較による導出)"),
    ("crosswalk_gus-v4_gus-v3.csv", "govt_unified_std@2009", "govt_unified_std@2008",
     "統一基準 第4版 → 第3版 新旧対照(1行のみ)"),
]


def import_crosswalks(src: Path, data: Path) -> None:
    """Write data/crosswalks/*.sssom.tsv from the reference crosswalk CSVs (a maintenance step)."""
    from controlmap.io.loader import load_data_dir
    from controlmap.io.sssom import write_sssom

    catalog = load_data_dir(data, include_mappings=False)
    out_dir = data / "crosswalks"
    out_dir.mkdir(exist_ok=True)
    for file, subject, obj, title in CROSSWALKS:
        path = src / file
        s_fw, o_fw = catalog.framework(subject), catalog.framework(obj)
        name = f"{s_fw.id}-{s_fw.edition}_{o_fw.id}-{o_fw.edition}"
        ms = parse_crosswalk(decode(path.read_bytes(), str(path)), file, subject, obj,
                             f"https://w3id.org/controlmap/crosswalks/{name}", title)
        (out_dir / f"{name}.sssom.tsv").write_text(write_sssom(ms, catalog), encoding="utf-8")

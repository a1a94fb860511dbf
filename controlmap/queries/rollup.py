"""Rollups of a coverage result per part or section of the target framework."""

from __future__ import annotations

from ..results import CoverageResult, Rollup, Status

__all__ = ["rollup"]


def rollup(result: CoverageResult, by: str = "section") -> list[Rollup]:
    """Counts per status for each part (``by="part"``) or section (``by="section"``), in document order."""
    if by not in ("part", "section"):
        raise ValueError("rollup by 'part' or 'section'")
    groups: dict[str, dict[str, int]] = {}
    titles: dict[str, str] = {}
    for item in result.items:
        key = item.part if by == "part" else item.section
        counts = groups.setdefault(key, {s.value: 0 for s in Status})
        counts[item.status.value] += 1
        titles.setdefault(key, item.part_title if by == "part" else item.section_title)
    return [Rollup(key=k, title=titles[k], counts=v) for k, v in groups.items()]

"""Typed results of queries: coverage per target control, paths, rollups, candidate check items.

Results show themselves as tables (``to_frame()``, ``to_records()``, and ``_repr_html_`` in Jupyter)
through one hook: a :class:`Presenter` that the export layer registers with :func:`use_presenter`
when ``controlmap`` is imported (:mod:`controlmap.export.render`). This module imports only the
core, so the results never depend on how they are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .errors import SetupError, UnknownControlError, UsageError
from .labels import LabelledEnum
from .model import Control, Provenance, Relation

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Candidate",
    "CoverageItem",
    "CoverageOptions",
    "CoverageResult",
    "GapResult",
    "Path",
    "Presenter",
    "Rollup",
    "Status",
    "Step",
    "use_presenter",
]


class Status(LabelledEnum):
    """Coverage status of one target control; the value is written to files, ``label_ja`` shown.

    >>> Status.GAP.label_ja, Status.parse("対象外"), str(Status.PARTIAL)
    ('不足(ギャップ)', <Status.NOT_APPLICABLE: 'not_applicable'>, 'partial')
    """

    COVERED = "covered", "充足"
    PARTIAL = "partial", "部分的"
    GAP = "gap", "不足(ギャップ)", "不足", "ギャップ"
    UNASSESSED = "unassessed", "未評価"
    NOT_APPLICABLE = "not_applicable", "対象外", "not applicable", "n/a"


@dataclass(frozen=True, slots=True)
class CoverageOptions:
    """Thresholds of a coverage query."""

    threshold: int = 7
    max_hops: int = 2
    min_strength: int = 1


@dataclass(frozen=True, slots=True)
class Step:
    """One hop: ``subject relation object`` as read along the path (inverted when the row was object->subject).

    >>> Step("MIC:MIC-06-10", Relation.EQUAL, "JISQ15001-2006:3.4.3.1", 8, 0.9, "mic_jisq15001-2006").strength
    8
    """

    subject_id: str
    relation: Relation
    object_id: str
    strength: int
    confidence: float
    mapping_set: str
    inverted: bool = False
    combined_with: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Path:
    """A chain of steps from source controls to a target control; weakest link, confidence multiplied.

    >>> import controlmap as cm
    >>> best = cm.coverage(cm.load(), source="mic", target="jisq15001").item("3.4.3.1").best
    >>> best.relation.value, best.inferred, best.source_ids[0].startswith("MIC:")
    ('equal', False, True)
    """

    steps: tuple[Step, ...]
    relation: Relation
    strength: int
    confidence: float

    @property
    def hops(self) -> int:
        return len(self.steps)

    @property
    def inferred(self) -> bool:
        """True when the path goes through an intermediate framework (never written back as data)."""
        return len(self.steps) > 1

    @property
    def source_ids(self) -> tuple[str, ...]:
        first = self.steps[0]
        return (first.subject_id, *first.combined_with)


@dataclass(frozen=True, slots=True)
class CoverageItem:
    """The coverage of one target control by a source framework.

    >>> import controlmap as cm
    >>> item = cm.coverage(cm.load(), source="mic", target="jisq15001").item("3.6")
    >>> item.status.label_ja, item.control.title
    ('不足(ギャップ)', '苦情及び相談への対応')
    """

    control: Control
    status: Status
    best: Path | None
    sources: tuple[str, ...]
    explanation: str
    not_applicable_reason: str = ""
    section: str = ""
    section_title: str = ""
    part: str = ""
    part_title: str = ""

    @property
    def partial_sources(self) -> tuple[str, ...]:
        """Every source control that reaches this target when it is only partially covered."""
        return self.sources if self.status is Status.PARTIAL else ()


@dataclass(frozen=True, slots=True)
class Rollup:
    """Counts per status for one part or section of the target framework.

    >>> r = Rollup("3.4", "実施及び運用", {"covered": 3, "partial": 2, "gap": 1, "not_applicable": 4})
    >>> r.assessed, round(r.coverage_pct, 1), round(r.covered_pct, 1)
    (6, 66.7, 50.0)
    """

    key: str
    title: str
    counts: dict[str, int]

    @property
    def assessed(self) -> int:
        return sum(v for k, v in self.counts.items() if k not in ("not_applicable", "unassessed"))

    @property
    def coverage_pct(self) -> float:
        """Share of assessed, applicable targets that are covered (partial counts half)."""
        if not self.assessed:
            return 0.0
        return 100.0 * (self.counts.get("covered", 0) + 0.5 * self.counts.get("partial", 0)) / self.assessed

    @property
    def covered_pct(self) -> float:
        """Share of assessed, applicable targets that are fully covered."""
        return 100.0 * self.counts.get("covered", 0) / self.assessed if self.assessed else 0.0


@dataclass(frozen=True)
class CoverageResult:
    """Coverage of every assessable control of ``target`` by ``source``.

    >>> import controlmap as cm
    >>> cov = cm.coverage(cm.load(), source="mic", target="jisq15001")
    >>> cov.counts()["gap"], len(cov.by_status("covered")), cov.rollup("section")[0].key
    (7, 5, 'JISQ15001-2006:1')
    """

    source: str
    target: str
    options: CoverageOptions
    items: tuple[CoverageItem, ...]
    scope: str = ""

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Status}
        for item in self.items:
            out[item.status.value] += 1
        return out

    def by_status(self, status: Status | str) -> list[CoverageItem]:
        wanted = Status(status)
        return [i for i in self.items if i.status is wanted]

    def item(self, control_id: str) -> CoverageItem:
        for i in self.items:
            if i.control.id == control_id or i.control.notation == control_id:
                return i
        raise UnknownControlError(f"{control_id!r} is not a target control of this coverage of {self.target}")

    def rollup(self, by: str = "section") -> list[Rollup]:
        """Counts per status for each part (``by="part"``) or section (``by="section"``), in document order."""
        if by not in ("part", "section"):
            raise UsageError(f"rollup by 'part' or 'section', not {by!r}")
        groups: dict[str, dict[str, int]] = {}
        titles: dict[str, str] = {}
        for item in self.items:
            key = item.part if by == "part" else item.section
            counts = groups.setdefault(key, {s.value: 0 for s in Status})
            counts[item.status.value] += 1
            titles.setdefault(key, item.part_title if by == "part" else item.section_title)
        return [Rollup(key=k, title=titles[k], counts=v) for k, v in groups.items()]

    def to_frame(self) -> pd.DataFrame:
        """One row per target control (status, best path, explanation) as a DataFrame."""
        return _presenter().coverage_frame(self)

    def _repr_html_(self) -> str:
        return _presenter().coverage_html(self)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate additional self-check item made from gap/partial reference controls.

    >>> import controlmap as cm
    >>> c = next(c for c in cm.gaps(cm.load(), "mic", ["jisq15001"]).candidates if c.id == "C-JISQ15001-2006-3.6")
    >>> c.status.value, c.check_question.endswith("か。"), c.provenance_tags
    ('gap', True, '[I]')
    """

    id: str
    title: str
    check_question: str
    status: Status
    targets: tuple[str, ...]
    target_titles: tuple[str, ...]
    frameworks: tuple[str, ...]
    partial_sources: tuple[str, ...]
    reason: str
    priority: int
    priority_factors: dict[str, float]
    provenance: tuple[Provenance, ...]
    suggested_chapter: str
    suggested_chapter_title: str
    explanation: tuple[str, ...] = field(default=())
    partial_source_titles: tuple[str, ...] = field(default=())
    #: whose duty the requirement is, primary body first (市区町村 / 都道府県 / J-LIS / 委託先)
    responsibility: tuple[str, ...] = field(default=())
    #: what is left for the municipality when the duty is mainly another body's (from the scope)
    municipal_role: str = ""
    #: the scope's merge group (``M01``) this candidate was merged from, and the ids of the merged candidates
    merge_group: str = ""
    merged_from: tuple[str, ...] = field(default=())

    @property
    def responsibility_label(self) -> str:
        """The bodies joined with 「、」, primary first (``都道府県、J-LIS``); empty when not said."""
        return "、".join(self.responsibility)

    @property
    def provenance_tags(self) -> str:
        """``[R]``, ``[I]`` or ``[R][I]`` for the controls the candidate rests on."""
        return "".join(p.tag for p in Provenance if p in self.provenance)


@dataclass(frozen=True)
class GapResult:
    """Candidates for one source checklist against several reference frameworks.

    >>> import controlmap as cm
    >>> gap = cm.gaps(cm.load(), "mic", ["jisq15001", "govt_unified_std"])
    >>> gap.against, len(gap.coverages), gap.to_records()[0]["id"] == gap.candidates[0].id
    (('jisq15001@2006', 'govt_unified_std@2021'), 2, True)
    """

    source: str
    against: tuple[str, ...]
    coverages: tuple[CoverageResult, ...]
    candidates: tuple[Candidate, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate (Japanese headers, as in the CSV and XLSX exports) as a DataFrame."""
        return _presenter().candidates_frame(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per candidate, as written to JSON."""
        return _presenter().candidate_records(self)

    def _repr_html_(self) -> str:
        return _presenter().candidates_html(self)


class Presenter(Protocol):
    """What draws results as tables; :mod:`controlmap.export.render` is the one the package registers."""

    def coverage_frame(self, result: CoverageResult) -> pd.DataFrame: ...
    def coverage_html(self, result: CoverageResult) -> str: ...
    def candidates_frame(self, gap: GapResult) -> pd.DataFrame: ...
    def candidate_records(self, gap: GapResult) -> list[dict[str, Any]]: ...
    def candidates_html(self, gap: GapResult) -> str: ...


_PRESENTER: list[Presenter] = []


def use_presenter(presenter: Presenter) -> None:
    """Register what ``to_frame``, ``to_records`` and ``_repr_html_`` of every result call (the last one wins).

    >>> import controlmap.export.render as render
    >>> use_presenter(render)
    >>> _presenter() is render
    True
    """
    _PRESENTER[:] = [presenter]


def _presenter() -> Presenter:
    if not _PRESENTER:
        raise SetupError("no presenter registered: import controlmap first")
    return _PRESENTER[0]

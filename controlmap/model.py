"""Frozen value objects: Framework, Control, Mapping, MappingSet, Catalog (and the enums of :mod:`controlmap.enums`).

>>> c = Catalog(frameworks=(Framework(id="a", edition="1", prefix="A", title="A", is_default=True),))
>>> c.framework("a").key, Relation.SUBSET_OF.inverse.value
('a@1', 'superset_of')
>>> Mapping(NO_TERM, "B:1", Relation.NO_RELATIONSHIP).subject_id   # NO_TERM: a reviewed "no counterpart"
'sssom:NoTermFound'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol, runtime_checkable

from .columns import LazyRows, MappingColumns
from .enums import ANSWER_WORDS, INVERSE, Provenance, Relation, SelfCheckStatus, compose, parse_answer
from .errors import UnknownControlError, UnknownFrameworkError
from .normalize import norm_id
from .scope import RESPONSIBLE_BODIES, Exclusion, MergeGroup, Responsibility, Scope

__all__ = [
    "ANSWER_WORDS",
    "BASE_IRI",
    "INVERSE",
    "NO_TERM",
    "REJECTIONS_NAME",
    "RESPONSIBLE_BODIES",
    "Answer",
    "Catalog",
    "Control",
    "Exclusion",
    "Framework",
    "HasCatalog",
    "Mapping",
    "MappingSet",
    "MergeGroup",
    "Provenance",
    "Relation",
    "Responsibility",
    "Scope",
    "SelfCheckStatus",
    "as_catalog",
    "compose",
    "parse_answer",
]

BASE_IRI = "https://w3id.org/controlmap/"
NO_TERM = "sssom:NoTermFound"
REJECTIONS_NAME = "rejections.tsv"  # rejected suggestions, beside the suggestions file (``suggest``, ``review``)


@dataclass(frozen=True, slots=True)
class Framework:
    """One edition of a framework (a SKOS ConceptScheme).

    >>> fw = Framework(id="jisq15001", edition="2017", prefix="JISQ15001-2017", title="JIS Q 15001:2017")
    >>> fw.key, fw.namespace
    ('jisq15001@2017', 'https://w3id.org/controlmap/jisq15001/2017/')
    """

    id: str
    edition: str
    prefix: str
    title: str
    publisher: str = ""
    edition_label: str = ""
    date: str = ""
    rights: str = ""
    sources: tuple[str, ...] = ()
    is_default: bool = False
    completeness: str = "full"
    description: str = ""
    source_ref: str = ""
    levels: tuple[str, ...] = ()
    assessable_levels: tuple[str, ...] = ()
    origin: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        """``id@edition``, the name used everywhere to pick this edition."""
        return f"{self.id}@{self.edition}"

    @property
    def iri(self) -> str:
        """IRI of the ConceptScheme."""
        return f"{BASE_IRI}{self.id}/{self.edition}"

    @property
    def namespace(self) -> str:
        """IRI prefix of its controls (``prefix:`` in CURIEs)."""
        return self.iri + "/"


@dataclass(frozen=True, slots=True)
class Control:
    """One requirement, clause or check item (a SKOS Concept).

    >>> c = Control("JISQ15001-2006:3.6", "jisq15001@2006", "3.6", None, "clause", "苦情及び相談への対応")
    >>> c.label, c.provenance.tag
    ('3.6 苦情及び相談への対応', '[I]')
    """

    id: str
    framework: str
    notation: str
    parent: str | None
    level: str
    title: str
    summary: str = ""
    source_ref: str = ""
    provenance: Provenance = Provenance.RECONSTRUCTED
    text: str = ""
    order: int = 0
    origin: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        """``notation title`` for display."""
        return f"{self.notation} {self.title}"


@dataclass(frozen=True, slots=True)
class Mapping:
    """How a subject control relates to an object control (one SSSOM row).

    >>> m = Mapping("MIC:MIC-04-02", "JISQ15001-2006:3.4.3.2", Relation.SUBSET_OF, strength=6, confidence=0.8)
    >>> m.relation.inverse.value, m.is_curated
    ('superset_of', True)
    """

    subject_id: str
    object_id: str
    relation: Relation
    strength: int = 0
    confidence: float = 1.0
    justification: str = "semapv:ManualMappingCuration"
    author: str = ""
    reviewer: str = ""
    date: str = ""
    comment: str = ""
    group: str = ""
    combined_relation: Relation | None = None
    combined_strength: int | None = None
    change_type: str = ""
    provenance: Provenance | None = None
    origin: str = field(default="", compare=False)
    #: other SSSOM slots of the row, (column, value) in file order, kept so that writing the set keeps them
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def is_curated(self) -> bool:
        """True unless the row is a machine suggestion not yet accepted."""
        return self.justification != "semapv:LexicalSimilarityThresholdMatching"

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.subject_id, self.object_id, self.relation.value, self.group)


_ROWS = LazyRows(Mapping)


@dataclass(frozen=True)
class MappingSet:
    """The mapping rows between two framework editions (kept sorted by subject, object, relation, group).

    ``mappings`` may be given as :class:`~controlmap.columns.MappingColumns` (a reader's fast path): the
    Mapping objects are then made on first read; ``columns`` and ``size`` answer without making them.

    >>> rows = (Mapping("A:2", "B:1", Relation.EQUAL), Mapping("A:1", "B:1", Relation.SUBSET_OF))
    >>> [m.subject_id for m in MappingSet("s", "A to B", "a@1", "b@1", rows).mappings]
    ['A:1', 'A:2']
    """

    id: str
    title: str
    subject_framework: str
    object_framework: str
    mappings: tuple[Mapping, ...] = _ROWS  # type: ignore[assignment]
    complete: bool = False
    kind: str = "curated"
    description: str = ""
    license: str = ""
    version: str = ""
    creators: tuple[str, ...] = ()
    origin: str = field(default="", compare=False)
    #: other SSSOM metadata of the set (key, YAML value), kept so that writing the set keeps them
    extra: tuple[tuple[str, object], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "creators", tuple(sorted(self.creators)))

    @property
    def columns(self) -> MappingColumns:
        """The rows as columns, in ``mappings`` order."""
        return _ROWS.columns(self)

    @property
    def size(self) -> int:
        """The number of rows."""
        return _ROWS.size(self)


@dataclass(frozen=True, slots=True)
class Answer:
    """A self-check answer given to one check item.

    >>> Answer("MIC:MIC-04-02", SelfCheckStatus.parse("○")).status.value
    '適切に運用している'
    """

    control_id: str
    status: SelfCheckStatus
    note: str = ""
    origin: str = field(default="", compare=False)


@dataclass(frozen=True)
class Catalog:
    """Every framework edition, control, mapping set and answer loaded, in canonical order.

    >>> import controlmap as cm
    >>> cat = cm.load().catalog
    >>> cat.framework("jisq15001").key, cat.control("3.6").id, len(cat.assessable("mic"))
    ('jisq15001@2006', 'JISQ15001-2006:3.6', 117)
    """

    frameworks: tuple[Framework, ...] = ()
    controls: tuple[Control, ...] = ()
    mapping_sets: tuple[MappingSet, ...] = ()
    answers: tuple[Answer, ...] = ()

    def __post_init__(self) -> None:
        fw_rank = {f.key: i for i, f in enumerate(sorted(self.frameworks, key=_fw_sort))}
        object.__setattr__(self, "frameworks", tuple(sorted(self.frameworks, key=_fw_sort)))
        object.__setattr__(
            self,
            "controls",
            tuple(sorted(self.controls, key=lambda c: (fw_rank.get(c.framework, 1 << 30), c.order, c.id))),
        )
        object.__setattr__(self, "mapping_sets", tuple(sorted(self.mapping_sets, key=lambda s: s.id)))
        object.__setattr__(self, "answers", tuple(sorted(self.answers, key=lambda a: a.control_id)))

    # -- lookups -------------------------------------------------------------------------
    @cached_property
    def _by_id(self) -> dict[str, Control]:
        return {c.id: c for c in self.controls}

    @cached_property
    def _by_norm_id(self) -> dict[str, list[Control]]:
        index: dict[str, list[Control]] = {}
        for c in self.controls:
            index.setdefault(norm_id(c.id), []).append(c)
            index.setdefault(norm_id(c.notation), []).append(c)
        return index

    @cached_property
    def _children(self) -> dict[str | None, list[Control]]:
        kids: dict[str | None, list[Control]] = {}
        for c in self.controls:
            kids.setdefault(c.parent, []).append(c)
        return kids

    @cached_property
    def _by_framework(self) -> dict[str, list[Control]]:
        out: dict[str, list[Control]] = {f.key: [] for f in self.frameworks}
        for c in self.controls:
            out.setdefault(c.framework, []).append(c)
        return out

    @cached_property
    def _by_framework_id(self) -> dict[str, list[Framework]]:
        """Editions by case-folded framework id, in catalog order (framework() is called per control)."""
        out: dict[str, list[Framework]] = {}
        for f in self.frameworks:
            out.setdefault(f.id.casefold(), []).append(f)
        return out

    def framework(self, name: str) -> Framework:
        """The edition named ``id@edition``, or the default edition of ``id``.

        Names are compared after NFKC normalisation and case folding.
        """
        wanted = norm_id(name).casefold()
        fid, _, edition = wanted.partition("@")
        matches = self._by_framework_id.get(fid, [])
        if not matches:
            known = ", ".join(sorted({f.id for f in self.frameworks})) or "none"
            raise UnknownFrameworkError(f"unknown framework {name!r}; loaded: {known}")
        if edition:
            for f in matches:
                if f.edition.casefold() == edition or f.prefix.casefold() == edition:
                    return f
            editions = ", ".join(f.edition for f in matches)
            raise UnknownFrameworkError(f"unknown edition {name!r}; {fid} has editions: {editions}")
        defaults = [f for f in matches if f.is_default]
        return defaults[0] if defaults else matches[-1]

    def control(self, control_id: str) -> Control:
        """The control with this id (NFKC-insensitive; a unique clause number alone also works)."""
        found = self._by_id.get(control_id)
        if found is not None:
            return found
        candidates = self._by_norm_id.get(norm_id(control_id), [])
        unique = {c.id: c for c in candidates}
        if len(unique) == 1:
            return next(iter(unique.values()))
        if len(unique) > 1:
            raise UnknownControlError(
                f"ambiguous control id {control_id!r}: " + ", ".join(sorted(unique))
            )
        raise UnknownControlError(f"unknown control id {control_id!r}")

    def has_control(self, control_id: str) -> bool:
        return control_id in self._by_id

    def has_controls(self, control_ids: Iterable[str]) -> bool:
        """True when every id is a control's id (one set operation)."""
        return not set(control_ids).difference(self._by_id)

    def controls_of(self, framework: str | Framework) -> list[Control]:
        """Controls of one edition in document order."""
        fw = framework if isinstance(framework, Framework) else self.framework(framework)
        return list(self._by_framework.get(fw.key, []))

    def children(self, control_id: str | None) -> list[Control]:
        return list(self._children.get(control_id, []))

    def ancestors(self, control_id: str) -> Iterator[Control]:
        """Parent, grandparent, ... of a control."""
        seen: set[str] = set()
        current = self._by_id[control_id].parent
        while current is not None and current not in seen and current in self._by_id:
            seen.add(current)
            parent = self._by_id[current]
            yield parent
            current = parent.parent

    def is_assessable(self, control: Control) -> bool:
        """True for controls that carry a requirement of their own (leaves, or an assessable level)."""
        if control.level == "withdrawn":  # a withdrawn control (e.g. from an OSCAL catalog) asks nothing
            return False
        fw = self.framework(control.framework)
        return not self._children.get(control.id) or control.level in fw.assessable_levels

    def assessable(self, framework: str | Framework) -> list[Control]:
        """The controls of one edition that coverage is decided for (worked out once per edition)."""
        fw = framework if isinstance(framework, Framework) else self.framework(framework)
        if fw.key not in self._assessable:
            self._assessable[fw.key] = [c for c in self.controls_of(fw) if self.is_assessable(c)]
        return list(self._assessable[fw.key])

    @cached_property
    def _assessable(self) -> dict[str, list[Control]]:
        return {}

    def mapping_sets_between(self, subject: str, obj: str) -> list[MappingSet]:
        """Mapping sets whose subject and object are these edition keys."""
        return [
            s for s in self.mapping_sets
            if s.subject_framework == subject and s.object_framework == obj
        ]

    def merge(self, *others: Catalog) -> Catalog:
        """A new catalog holding this one's content and the others'."""
        parts = (self, *others)
        return Catalog(
            frameworks=tuple(f for p in parts for f in p.frameworks),
            controls=tuple(c for p in parts for c in p.controls),
            mapping_sets=tuple(s for p in parts for s in p.mapping_sets),
            answers=tuple(a for p in parts for a in p.answers),
        )


def _fw_sort(f: Framework) -> tuple[str, str]:
    return (f.id, f.edition)


@runtime_checkable
class HasCatalog(Protocol):
    """Anything that holds a loaded :class:`Catalog` (a ``KnowledgeGraph``), so lower layers need not import it."""

    @property
    def catalog(self) -> Catalog: ...


def as_catalog(source: Catalog | HasCatalog) -> Catalog:
    """The catalog itself, or the ``catalog`` a knowledge graph holds.

    >>> as_catalog(Catalog()) == Catalog()
    True
    """
    return source if isinstance(source, Catalog) else source.catalog

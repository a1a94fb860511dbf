"""Quality checks on curated mapping sets: rows a reviewer should look at again.

Rules (``RULES``), each a pure function over rows that returns :class:`Finding` s:

- ``equal-dissimilar``: an ``equal`` row between texts with almost nothing in common (the
  suggester's character n-gram similarity below a threshold);
- ``one-to-many-equal``: a control ``equal`` to two or more controls of the same other edition;
- ``contradiction``: two rows on the same pair with different relations (e.g. ``subset_of`` and
  ``superset_of``, also when one row is stated from the other edition's side), or a
  ``subset_of``/``superset_of`` direction the hierarchy contradicts (A ⊇ X and A ⊆ Y where Y is
  part of X);
- ``equal-and-no-relationship``: a control mapped ``equal`` (or any other relation) that the same
  editions' sets also mark ``no_relationship`` (``sssom:NoTermFound``);
- ``duplicate``: the same subject, object, relation and group stated twice;
- ``sibling-no-relationship`` and ``group-split``: sibling items rated inconsistently
  (:mod:`controlmap.queries.lint_family`).

Pure; :func:`controlmap.workflows.lint.lint_files` reads the SSSOM files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import NO_TERM, Catalog, Mapping, MappingSet, Relation
from .lint_family import FAMILY_RULES, family_findings

__all__ = ["EQUAL_MIN_SIMILARITY", "RULES", "Finding", "lint_sets"]

EQUAL_MIN_SIMILARITY = 0.04
RULES = {
    "equal-dissimilar": "equal between texts with almost nothing in common",
    "one-to-many-equal": "a control equal to two or more controls of the same edition",
    "contradiction": ("relations on one pair, or subset/superset directions, that contradict each other or "
                      "the hierarchy"),
    "equal-and-no-relationship": "a control both mapped and marked no_relationship between the same editions",
    "duplicate": "the same row stated twice",
    **FAMILY_RULES,
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One row to look at again: where it is, which rule, and why.

    >>> str(Finding("data/mappings/x.sssom.tsv", 12, "equal-unrelated", "texts share almost nothing"))
    'data/mappings/x.sssom.tsv:12: equal-unrelated: texts share almost nothing'
    """

    file: str
    row: int | None
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{'' if self.row is None else self.row}: {self.rule}: {self.message}"


@dataclass(frozen=True, slots=True)
class _Row:
    """A mapping row oriented from the lower-sorted edition key to the other (inverted when needed)."""

    a: str
    b: str
    relation: Relation
    pair: tuple[str, str]      # (edition of a, edition of b)
    mapping: Mapping

    @property
    def where(self) -> tuple[str, int | None]:
        file, _, line = self.mapping.origin.rpartition(":")
        return (file or self.mapping.origin, int(line) if line.isdigit() else None)

    def at(self) -> str:
        file, line = self.where
        return f"{Path(file).name}:{line}" if line is not None else Path(file).name


def _rows(sets: Sequence[MappingSet]) -> list[_Row]:
    out = []
    for ms in sets:
        if ms.kind == "suggested":
            continue
        flip = ms.subject_framework > ms.object_framework
        pair = (ms.object_framework, ms.subject_framework) if flip else (ms.subject_framework, ms.object_framework)
        for m in ms.mappings:
            if not m.is_curated:
                continue
            if flip:
                out.append(_Row(m.object_id, m.subject_id, m.relation.inverse, pair, m))
            else:
                out.append(_Row(m.subject_id, m.object_id, m.relation, pair, m))
    return sorted(out, key=lambda r: (r.where[0], r.where[1] or 0))


def _finding(row: _Row, rule: str, message: str) -> Finding:
    file, line = row.where
    return Finding(file, line, rule, message)


# -- rules ---------------------------------------------------------------------------------------
def check_duplicates(rows: Sequence[_Row]) -> list[Finding]:
    first: dict[tuple, _Row] = {}
    out = []
    for r in rows:
        key = (r.pair, r.a, r.b, r.relation, r.mapping.group)
        if key in first:
            out.append(_finding(r, "duplicate", f"{r.mapping.subject_id} {r.mapping.relation.value} "
                                                f"{r.mapping.object_id} is already stated at {first[key].at()}"))
        else:
            first[key] = r
    return out


def check_one_to_many_equal(rows: Sequence[_Row]) -> list[Finding]:
    out = []
    for side in ("a", "b"):
        other = "b" if side == "a" else "a"
        groups: dict[tuple, list[_Row]] = defaultdict(list)
        for r in rows:
            if r.relation is Relation.EQUAL:
                groups[(r.pair, getattr(r, side))].append(r)
        for (_, cid), rs in groups.items():
            partners = {getattr(r, other): r for r in rs}
            if len(partners) < 2:
                continue
            listed = ", ".join(f"{c} ({r.at()})" for c, r in partners.items())
            second = list(partners.values())[1]  # rows are in file order: the first row that breaks 1:1
            out.append(_finding(second, "one-to-many-equal",
                                f"{cid} is equal to {len(partners)} controls: {listed}; equal is one-to-one — "
                                "use subset_of/superset_of or a combined mapping group"))
    return out


def check_equal_dissimilar(rows: Sequence[_Row], catalog: Catalog, threshold: float) -> list[Finding]:
    from .suggest import pair_similarity

    equal = [r for r in rows if r.relation is Relation.EQUAL and catalog.has_control(r.a)
             and catalog.has_control(r.b)]
    sims = pair_similarity(catalog, [(r.a, r.b) for r in equal])
    out = []
    for r, sim in zip(equal, sims, strict=True):
        if sim < threshold:
            out.append(_finding(r, "equal-dissimilar",
                                f"{r.a} 「{catalog.control(r.a).title}」 equal {r.b} 「{catalog.control(r.b).title}」, "
                                f"but their texts have almost nothing in common (similarity {sim:.3f} < {threshold})"))
    return out


def check_no_relationship(rows: Sequence[_Row]) -> list[Finding]:
    mapped: dict[tuple[tuple[str, str], str], list[_Row]] = defaultdict(list)
    for r in rows:
        if r.relation is not Relation.NO_RELATIONSHIP:
            mapped[(r.pair, r.a)].append(r)
            mapped[(r.pair, r.b)].append(r)
    out = []
    for r in rows:
        if r.relation is not Relation.NO_RELATIONSHIP:
            continue
        cid = r.b if r.a == NO_TERM else r.a
        hits = mapped.get((r.pair, cid))
        if hits:
            listed = ", ".join(f"{h.mapping.relation.value} {h.b if h.a == cid else h.a} ({h.at()})" for h in hits)
            out.append(_finding(r, "equal-and-no-relationship",
                                f"{cid} is marked no_relationship here but is mapped: {listed}"))
    return out


def check_contradictions(rows: Sequence[_Row], catalog: Catalog) -> list[Finding]:
    out = []
    by_pair: dict[tuple, list[_Row]] = defaultdict(list)
    for r in rows:
        if r.relation is not Relation.NO_RELATIONSHIP:
            by_pair[(r.pair, r.a, r.b)].append(r)
    for rs in by_pair.values():
        first = rs[0]
        for r in rs[1:]:
            if r.relation is not first.relation:
                out.append(_finding(r, "contradiction",
                                    f"{r.mapping.subject_id} {r.mapping.relation.value} {r.mapping.object_id}, "
                                    f"but {first.at()} says {first.mapping.subject_id} "
                                    f"{first.mapping.relation.value} {first.mapping.object_id}"))
    # hierarchy: a1 ⊇ X (equal/superset_of) and a2 ⊆ Y (equal/subset_of) with a1 part of a2 and Y part of X
    # give a1 ⊆ a2 ⊆ Y ⊆ X ⊆ a1: every one equal, which a strict subset_of/superset_of denies.
    def self_and_ancestors(cid: str) -> list[str]:
        if not catalog.has_control(cid):
            return [cid]
        return [cid, *(c.id for c in catalog.ancestors(cid))]

    contains: dict[tuple, list[_Row]] = defaultdict(list)     # (pair, a) -> rows a ⊇ X
    for r in rows:
        if r.relation in (Relation.EQUAL, Relation.SUPERSET_OF):
            contains[(r.pair, r.a)].append(r)
    reported = set()
    for r2 in rows:
        if r2.relation not in (Relation.EQUAL, Relation.SUBSET_OF):
            continue
        y_up = set(self_and_ancestors(r2.b))
        for a1 in _self_and_descendants(catalog, r2.a):
            for r1 in contains.get((r2.pair, a1), ()):
                if r1 is r2 or (r1.a, r1.b) == (r2.a, r2.b) or r1.b not in y_up:
                    continue
                if r1.relation is Relation.EQUAL and r2.relation is Relation.EQUAL:
                    continue
                key = (id(r1), id(r2))
                if key in reported:
                    continue
                reported.add(key)
                later = max(r1, r2, key=lambda r: (r.where[0], r.where[1] or 0))
                earlier = r2 if later is r1 else r1
                out.append(_finding(later, "contradiction",
                                    f"{r1.a} {r1.relation.value} {r1.b} ({r1.at()}) and {r2.a} {r2.relation.value} "
                                    f"{r2.b} ({r2.at()}) contradict the hierarchy: {r2.b} is part of {r1.b}"
                                    + (f" and {a1} is part of {r2.a}" if a1 != r2.a else "")
                                    + f"; see also {earlier.at()}"))
    return out


def _self_and_descendants(catalog: Catalog, cid: str) -> list[str]:
    out, stack = [], [cid]
    while stack:
        c = stack.pop()
        out.append(c)
        if catalog.has_control(c):
            stack.extend(k.id for k in catalog.children(c))
    return out


# -- entry points --------------------------------------------------------------------------------
def lint_sets(sets: Sequence[MappingSet], catalog: Catalog, *,
              equal_min_similarity: float = EQUAL_MIN_SIMILARITY) -> list[Finding]:
    """Every finding of every rule over curated rows of ``sets`` (ids resolved against ``catalog``).

    Examples
    --------
    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> curated = [s for s in kg.catalog.mapping_sets if "/mappings/" in s.id]
    >>> lint_sets(curated, kg.catalog)
    []
    """
    rows = _rows(sets)
    findings = [
        *check_equal_dissimilar(rows, catalog, equal_min_similarity),
        *check_one_to_many_equal(rows),
        *check_contradictions(rows, catalog),
        *check_no_relationship(rows),
        *check_duplicates(rows),
        *(Finding(*f) for f in family_findings(sets, catalog)),
    ]
    return sorted(findings, key=lambda f: (f.file, f.row or 0, f.rule))

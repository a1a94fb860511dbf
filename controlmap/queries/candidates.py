"""Gaps and partial coverage -> candidate additional check items, merged across reference frameworks."""

from __future__ import annotations

from collections import Counter

from ..errors import UsageError
from ..model import Catalog, Control, Provenance, Scope
from ..normalize import norm
from ..results import Candidate, CoverageItem, CoverageResult, GapResult, Status
from .coverage import coverage, display_id
from .engine import EdgeIndex
from .merge import apply_scope  # the scope's merge groups and responsibilities (R): the one hook, in gaps()
from .phrasing import check_question
from .rows import RowIndex, row_index

__all__ = ["PRIORITY_FORMULA", "candidate_id", "gaps", "priority"]

PRIORITY_FORMULA = (
    "priority = round(100 × U × E × B × R); U = 1.0 for a gap, 1 − s/10 for partial coverage whose best path has "
    "strength s; E = mean over the cited reference controls of 1.0 for [R] and 0.7 for [I]; "
    "B = 1.0 when two or more reference frameworks ask for it (merged), else 0.8; "
    "R = 1.0 when the municipality (市区町村) is the primary responsible body, 0.5 when the scope names another "
    "body (都道府県, J-LIS, 委託先) first. A scope merge group's candidate (統合) takes the largest U of its "
    "members and E over all its targets, and is then capped at the group's priority_level (中 → at most 59, "
    "低 → at most 29). 高 ≥ 60, 中 30–59, 低 < 30."
)


def priority(items: list[CoverageItem], n_frameworks: int) -> tuple[int, dict[str, float]]:
    """Priority 0–100 of a candidate and the factors it was computed from (see PRIORITY_FORMULA)."""
    uncovered = max(1.0 if i.status is Status.GAP else 1.0 - (i.best.strength if i.best else 0) / 10
                    for i in items)
    evidence = sum(1.0 if i.control.provenance is Provenance.READ else 0.7 for i in items) / len(items)
    breadth = 1.0 if n_frameworks >= 2 else 0.8
    return round(100 * uncovered * evidence * breadth), {"U": round(uncovered, 3), "E": round(evidence, 3),
                                                          "B": breadth}


def candidate_id(primary: Control) -> str:
    """A stable id from the primary reference control: ``C-JISQ15001-2006-3.6``."""
    return "C-" + primary.id.replace(":", "-")


def gaps(
    catalog: Catalog,
    source: str,
    against: list[str] | tuple[str, ...],
    *,
    scope: Scope | None = None,
    threshold: int = 7,
    max_hops: int = 2,
    min_strength: int = 1,
    index: EdgeIndex | None = None,
) -> GapResult:
    """Candidate additional check items for ``source`` from the gaps and partials of each reference framework.

    Candidates whose reference controls map to each other as ``equal`` (a curated row between two
    reference frameworks) merge into one candidate citing all of them.
    """
    if not against:
        raise UsageError("name at least one reference framework to compare against")
    idx = index or EdgeIndex.from_catalog(catalog)
    coverages = tuple(
        coverage(catalog, source, ref, threshold=threshold, max_hops=max_hops, min_strength=min_strength,
                 scope=scope, index=idx)
        for ref in against
    )
    open_items: dict[str, CoverageItem] = {}
    for cov in coverages:
        for item in cov.items:
            if item.status in (Status.GAP, Status.PARTIAL):
                open_items[item.control.id] = item
    rows = row_index(catalog)
    clusters = _merge_equal(rows, list(open_items))
    source_fw = catalog.framework(source)
    chapters = _Chapters(catalog, _chapters(catalog, source_fw.key), coverages)
    candidates = []
    for cluster in clusters:
        items = [open_items[cid] for cid in cluster]
        primary = items[0]
        frameworks = tuple(dict.fromkeys(i.control.framework for i in items))
        prio, factors = priority(items, len(frameworks))
        status = Status.GAP if all(i.status is Status.GAP for i in items) else Status.PARTIAL
        partial_sources = tuple(dict.fromkeys(s for i in items for s in i.partial_sources))
        chapter = chapters.suggest(items)
        candidates.append(Candidate(
            id=candidate_id(primary.control),
            title=primary.control.title,
            check_question=check_question(primary.control.summary, primary.control.title),
            status=status,
            targets=tuple(i.control.id for i in items),
            target_titles=tuple(i.control.title for i in items),
            frameworks=frameworks,
            partial_sources=partial_sources,
            reason=" ".join(_reason(catalog, rows, i, source_fw.key) for i in items),
            priority=prio,
            priority_factors=factors,
            provenance=tuple(i.control.provenance for i in items),
            suggested_chapter=chapter.id if chapter else "",
            suggested_chapter_title=chapter.title if chapter else "",
            explanation=tuple(i.explanation for i in items),
            partial_source_titles=tuple(catalog.control(s).title for s in partial_sources),
        ))
    candidates = apply_scope(catalog, candidates, scope)
    candidates.sort(key=lambda c: (-c.priority, c.id))
    return GapResult(source=source_fw.key, against=tuple(c.target for c in coverages), coverages=coverages,
                     candidates=tuple(candidates))


def _merge_equal(rows: RowIndex, ids: list[str]) -> list[list[str]]:
    """Group open reference controls linked by curated ``equal`` rows (union-find), in input order."""
    parent = {cid: cid for cid in ids}
    position = {cid: i for i, cid in enumerate(ids)}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for subject, obj in rows.equal_pairs:
        if subject in parent and obj in parent:
            a, b = find(subject), find(obj)
            if a != b:
                parent[max(a, b, key=position.__getitem__)] = min(a, b, key=position.__getitem__)
    groups: dict[str, list[str]] = {}
    for cid in ids:
        groups.setdefault(find(cid), []).append(cid)
    return list(groups.values())


def _reason(catalog: Catalog, rows: RowIndex, item: CoverageItem, source_key: str) -> str:
    fw = catalog.framework(item.control.framework)
    c = item.control
    head = f"{fw.edition_label or fw.title} {c.notation}「{c.title}」{c.provenance.tag}"
    comment = _comment(catalog, rows, item, source_key)
    if item.status is Status.GAP:
        text = f"{head}に対応するチェックリスト項目がない(ギャップ)。"
    else:
        best = item.best
        srcs = ", ".join(display_id(catalog.control(s)) for s in item.partial_sources[:5])
        how = f"{best.relation.value}, 強度{best.strength}" if best else ""
        text = f"{head}は {srcs} が一部のみ対応({how}{'・推論' if best and best.inferred else ''})。"
    return text + (f" 理由: {comment}" if comment else "")


def _comment(catalog: Catalog, rows: RowIndex, item: CoverageItem, source_key: str) -> str:
    """The curator's comment on the row that decided this item: its best path's last row, or its
    no-relationship row, preferring the set whose subject is the checklist being examined."""
    if item.best is not None:
        step = item.best.steps[-1]
        text = rows.row_comment(catalog, step.mapping_set, step.subject_id, step.object_id)
        if text:
            return text
    return rows.none_comment(catalog, item.control.id, source_key)


def _chapters(catalog: Catalog, source_key: str) -> list[Control]:
    """Top-level groups of the source checklist (the MIC chapters)."""
    return [c for c in catalog.controls_of(source_key) if c.parent is None and catalog.children(c.id)]


class _Chapters:
    """Suggests the source chapter for a candidate; what every suggestion reads is computed once per gaps()."""

    def __init__(self, catalog: Catalog, chapters: list[Control], coverages: tuple[CoverageResult, ...]):
        self.catalog, self.chapters = catalog, chapters
        self.by_id = {c.id: c for c in chapters}
        self.rank = {c.id: i for i, c in enumerate(chapters)}
        self._chapter_of: dict[str, str | None] = {}
        self._under: dict[str, Counter[str]] | None = None
        self._own: dict[str, Counter[str]] = {}
        self._coverages = coverages
        self._grams: list[tuple[set[str], str]] | None = None

    def chapter_of(self, cid: str) -> str | None:
        """The chapter of the source checklist that holds ``cid`` (nearest first), None when none does."""
        if cid not in self._chapter_of:
            top = [c for c in [self.catalog.control(cid), *self.catalog.ancestors(cid)] if c.id in self.by_id]
            self._chapter_of[cid] = top[0].id if top else None
        return self._chapter_of[cid]

    def _votes(self, sources: tuple[str, ...]) -> Counter[str]:
        votes: Counter[str] = Counter()
        for src in sources:
            ch = self.chapter_of(src)
            if ch:
                votes[ch] += 1
        return votes

    def _tables(self) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
        """Chapter votes of every coverage item summed under each of its ancestors, and per control."""
        if self._under is None:
            self._under = {}
            for cov in self._coverages:
                for other in cov.items:
                    votes = self._votes(other.sources)
                    if not votes:
                        continue
                    self._own.setdefault(other.control.id, Counter()).update(votes)
                    for a in self.catalog.ancestors(other.control.id):
                        self._under.setdefault(a.id, Counter()).update(votes)
        return self._under, self._own

    def suggest(self, items: list[CoverageItem]) -> Control | None:
        """The chapter whose items touch this requirement, else its siblings, else its section; else by wording."""
        if not self.chapters:
            return None
        votes: Counter[str] = Counter()
        for item in items:
            votes.update(self._votes(item.sources))
        # else: what the checklist does for the requirement's siblings, then for its section
        for depth in (1, 2):
            if votes:
                break
            under_votes, own = self._tables()
            for item in items:
                ancestors = list(self.catalog.ancestors(item.control.id))
                if len(ancestors) < depth:
                    continue
                found = under_votes.get(ancestors[depth - 1].id, Counter()) - own.get(item.control.id, Counter())
                votes.update(found)
        scores: dict[str, float] = dict(votes) if votes else self._by_wording(items)
        best = max(scores.items(), key=lambda kv: (kv[1], -self.rank[kv[0]]))
        return self.by_id[best[0]]

    def _by_wording(self, items: list[CoverageItem]) -> dict[str, float]:
        """Nothing of the checklist touches it: vote with the three items closest in wording (character bigrams)."""
        if self._grams is None:
            self._grams = [(_bigrams(m.title + " " + m.summary), ch.id)
                           for ch in self.chapters for m in [ch, *self.catalog.children(ch.id)]]
        grams = _bigrams(" ".join(i.control.title + " " + i.control.summary for i in items))
        scored = [(len(grams & g) / (len(grams | g) or 1), ch_id) for g, ch_id in self._grams]
        votes: dict[str, float] = {}
        for score, ch_id in sorted(scored, reverse=True)[:3]:
            votes[ch_id] = votes.get(ch_id, 0.0) + score
        return votes


def _bigrams(text: str) -> set[str]:
    t = norm(text)
    return {t[i:i + 2] for i in range(len(t) - 1)}

"""Coverage of every assessable target control by a source framework, with the best path explained."""

from __future__ import annotations

from ..errors import UsageError
from ..model import NO_TERM, Catalog, Control, Scope
from ..results import CoverageItem, CoverageOptions, CoverageResult, Path, Status, Step
from .engine import RELATIONS, EdgeIndex, PathTable, search
from .rows import RowIndex, row_index

__all__ = ["coverage", "display_id", "explain_path"]


def display_id(control: Control) -> str:
    """The id as a person reads it: ``MIC-04-02`` rather than ``MIC:MIC-04-02``."""
    prefix = control.id.split(":", 1)[0]
    return control.notation if control.notation.startswith(prefix) else control.id


def coverage(
    catalog: Catalog,
    source: str,
    target: str,
    *,
    threshold: int = 7,
    max_hops: int = 2,
    min_strength: int = 1,
    scope: Scope | None = None,
    index: EdgeIndex | None = None,
) -> CoverageResult:
    """Decide covered / partial / gap / unassessed / not applicable for each assessable ``target`` control.

    ``source`` and ``target`` name framework editions (``mic``, ``jisq15001@2017``). A target is
    covered when a path of at most ``max_hops`` mappings reaches it as equal or superset_of with
    strength (weakest link) at or above ``threshold``; partial when only weaker paths reach it; a gap
    when it was assessed (complete mapping sets from the source, or an explicit no_relationship row)
    and nothing reaches it; unassessed otherwise. Controls the ``scope`` excludes are not applicable.
    """
    if not 0 <= threshold <= 10:
        raise UsageError(f"threshold is a strength from 0 to 10, not {threshold!r}")
    if max_hops < 1:
        raise UsageError(f"max_hops must be at least 1, not {max_hops!r}")
    s_fw, t_fw = catalog.framework(source), catalog.framework(target)
    idx = index or EdgeIndex.from_catalog(catalog)
    paths = search(idx, s_fw.key, t_fw.key, max_hops=max_hops, min_strength=min_strength)
    best = paths.best_per_target(threshold)
    sources = paths.sources_per_target()
    s_i = idx.fw_index[s_fw.key]
    assessed_fws = idx.assessed_pairs(s_i, max_hops)
    whole_target_assessed = idx.fw_index[t_fw.key] in assessed_fws
    rows = row_index(catalog)
    groups = sorted({int(g) for g in paths.group.tolist() if g >= 0})
    assessed_by = _assessed_by_set(catalog, s_fw.key, t_fw.key)
    items = []
    for control in catalog.assessable(t_fw):
        ci = idx.index_of[control.id]
        reason = scope.reason(control.id) if scope else None
        path = _path(catalog, idx, paths, best[ci]) if ci in best else None
        contributors = tuple(_contributors(idx, paths, sources.get(ci, []), best.get(ci), groups))
        if reason is not None:
            status, text = Status.NOT_APPLICABLE, f"対象外: {reason}"
        elif path is not None and path.relation.covers and path.strength >= threshold:
            status, text = Status.COVERED, "充足: " + _explain(catalog, rows, path)
        elif path is not None:
            status = Status.PARTIAL
            others = [c for c in contributors if c not in path.source_ids]
            more = f"; ほかに {', '.join(_show(catalog, c) for c in others[:6])}" if others else ""
            text = "部分的: " + _explain(catalog, rows, path) + more
        elif whole_target_assessed or (s_i, ci) in idx.no_relation:
            status = Status.GAP
            by = assessed_by or _assessed_by_rows(rows, s_fw.key, control)
            text = f"ギャップ: {s_fw.title} のどの項目も対応しない(確認済み: {by})"
        else:
            status = Status.UNASSESSED
            text = f"未評価: {s_fw.key} から {t_fw.key} への完全な対応付けセットがなく、まだ誰も確認していない"
        top, second = _part_section(catalog, control)
        items.append(CoverageItem(control=control, status=status, best=path, sources=contributors,
                                  explanation=text, not_applicable_reason=reason or "",
                                  section=second.id, section_title=second.title, part=top.id, part_title=top.title))
    return CoverageResult(source=s_fw.key, target=t_fw.key,
                          options=CoverageOptions(threshold, max_hops, min_strength), items=tuple(items),
                          scope=scope.id if scope else "")


def _contributors(idx: EdgeIndex, paths: PathTable, source_rows: list[int], best_row: int | None,
                  groups: list[int]) -> list[str]:
    """The controls that reach a target: the best path's first, then every other source, then group members.

    ``groups`` are the group numbers used anywhere in ``paths`` (sorted), computed once per query.
    """
    out: list[str] = []
    if best_row is not None:
        g = int(paths.group[best_row])
        members = idx.groups[g][0] if g >= 0 else (int(paths.source[best_row]),)
        out.extend(idx.ids[m] for m in members)
    seen = set(out)
    for s in source_rows:
        cid = idx.ids[s]
        if cid not in seen:
            out.append(cid)
            seen.add(cid)
    if not source_rows or not groups:
        return out
    reaching = set(source_rows)
    for g in groups:
        for m in idx.groups[g][0]:
            cid = idx.ids[m]
            if cid not in seen and int(m) in reaching:
                out.append(cid)
                seen.add(cid)
    return out


def _path(catalog: Catalog, idx: EdgeIndex, paths: PathTable, row: int) -> Path:
    steps = []
    for edge, group in paths.trail(row):
        if edge < 0:
            subjects, obj, rel, strength, conf, set_i = idx.groups[group]
            ms = catalog.mapping_sets[set_i]
            steps.append(Step(subject_id=idx.ids[subjects[0]], relation=RELATIONS[rel], object_id=idx.ids[obj],
                              strength=int(strength), confidence=float(conf), mapping_set=ms.id,
                              combined_with=tuple(idx.ids[s] for s in subjects[1:])))
            continue
        set_i, _ = idx.refs[int(idx.ref[edge])]
        ms = catalog.mapping_sets[set_i]
        steps.append(Step(subject_id=idx.ids[int(idx.subj[edge])], relation=RELATIONS[int(idx.rel[edge])],
                          object_id=idx.ids[int(idx.obj[edge])], strength=int(idx.strength[edge]),
                          confidence=float(idx.conf[edge]), mapping_set=ms.id, inverted=bool(idx.inverted[edge])))
    return Path(steps=tuple(steps), relation=RELATIONS[int(paths.rel[row])], strength=int(paths.strength[row]),
                confidence=round(float(paths.conf[row]), 4))


def _show(catalog: Catalog, cid: str) -> str:
    return cid if cid == NO_TERM else display_id(catalog.control(cid))


def explain_path(catalog: Catalog, path: Path) -> str:
    """One line naming the source controls and each hop, e.g. ``MIC-04-02 →[equal 8] GUS-R3:6.1.1(1)``."""
    return _explain(catalog, row_index(catalog), path)


def _explain(catalog: Catalog, rows: RowIndex, path: Path) -> str:
    parts = []
    for i, step in enumerate(path.steps):
        if i == 0:
            head = "+".join(_show(catalog, c) for c in (step.subject_id, *step.combined_with))
            parts.append(f"{head}「{catalog.control(step.subject_id).title}」" if not step.combined_with else head)
        kind = "combined " if step.combined_with else ""
        carried = " 繰越・推論" if _chained(catalog, rows, step) else ""
        parts.append(f"→[{kind}{step.relation.value} {step.strength}{carried}] {_show(catalog, step.object_id)}")
    text = " ".join(parts)
    if path.inferred:
        text += f" ⇒ {path.relation.value}(推論, 最弱リンク {path.strength})"
    return text


def _chained(catalog: Catalog, rows: RowIndex, step: Step) -> bool:
    """True when the hop's row was carried to another edition (semapv:MappingChaining), not curated by a person."""
    a, b = (step.object_id, step.subject_id) if step.inverted else (step.subject_id, step.object_id)
    return rows.is_chained(catalog, step.mapping_set, a, b)


def _assessed_by_set(catalog: Catalog, source_key: str, target_key: str) -> str:
    """The first complete mapping set from the source to the target edition, by title; "" if none."""
    names = [ms.title or ms.id for ms in catalog.mapping_sets
             if ms.subject_framework == source_key and ms.object_framework == target_key and ms.complete]
    return names[0] if names else ""


def _assessed_by_rows(rows: RowIndex, source_key: str, control: Control) -> str:
    chained = (source_key, control.id) in rows.none_chained_by
    return "旧版から繰り越した no_relationship 行(推論・要確認)" if chained else "no_relationship 行"


def _part_section(catalog: Catalog, control: Control) -> tuple[Control, Control]:
    """The top-level ancestor (part) and the one below it (section) of a control."""
    chain = [control, *catalog.ancestors(control.id)]
    return chain[-1], chain[-2] if len(chain) >= 2 else chain[-1]



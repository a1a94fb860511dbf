"""What the committee adopted, as a checklist and as records: MIC-ADD items, follow-ups, tables for the report."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from .decisions import ADDITIONAL_PREFIX, ADOPTED_STRENGTH, Decisions, DecisionState

if TYPE_CHECKING:
    from ..model import Catalog, Control, Framework, Mapping
    from ..results import Candidate, GapResult
    from .proposals import Proposal

__all__ = ["additional_catalog", "additional_framework", "decisions_records", "follow_ups",
           "review_records"]


def additional_framework() -> Framework:
    """The framework edition holding the municipality's adopted additional check items."""
    from ..model import Framework

    return Framework(
        id="mic_additional", edition="local", prefix=ADDITIONAL_PREFIX,
        title="自治体の追加点検項目(運用監視委員会で採択)", publisher="運用監視委員会",
        edition_label="追加項目", completeness="partial", levels=("item",),
        description="ギャップ分析の候補から運用監視委員会が採択し、自治体のチェックリストに加えた点検項目。",
    )


def additional_catalog(decisions: Decisions, catalog: Catalog) -> Catalog:
    """The adopted candidates as ``mic_additional@local``: controls MICADD:MIC-ADD-nn and their mappings.

    Each item is mapped ``equal`` (strength 8, manual curation: the committee adopted it) to every
    reference requirement it was made from, one mapping set per reference edition; targets that are
    not in ``catalog`` are left out of the mappings.
    """
    from ..model import BASE_IRI, Catalog, Control, Mapping, MappingSet, Provenance, Relation

    fw = additional_framework()
    controls: list[Control] = []
    by_object: dict[str, list[Mapping]] = {}
    for order, d in enumerate(decisions.adopted("candidate"), start=1):
        cid = f"{ADDITIONAL_PREFIX}:{d.adopted_id}"
        read = d.provenance and "[I]" not in d.provenance
        controls.append(Control(
            id=cid, framework=fw.key, notation=d.adopted_id, parent=None, level="item", title=d.title,
            summary=d.check_question, source_ref=f"運用監視委員会 {d.adopted_on} 採択 ({d.id}); 根拠: "
                                                 + ", ".join(d.targets) + f" {d.provenance}",
            provenance=Provenance.READ if read else Provenance.RECONSTRUCTED, order=order, origin=d.origin,
        ))
        for target in d.targets:
            if not catalog.has_control(target):
                continue
            by_object.setdefault(catalog.control(target).framework, []).append(Mapping(
                subject_id=cid, object_id=target, relation=Relation.EQUAL, strength=ADOPTED_STRENGTH,
                confidence=1.0, justification="semapv:ManualMappingCuration", date=d.adopted_on,
                comment=d.reason,
            ))
    sets = tuple(MappingSet(
        id=f"{BASE_IRI}mappings/mic_additional-local_{obj.replace('@', '-')}",
        title=f"自治体の追加点検項目 → {obj}", subject_framework=fw.key, object_framework=obj,
        mappings=tuple(rows), complete=False, kind="curated",
    ) for obj, rows in sorted(by_object.items()))
    return Catalog(frameworks=(fw,), controls=tuple(controls), mapping_sets=sets)


def follow_ups(decisions: Decisions, *, since_year: int | None = None) -> dict[str, list[str]]:
    """Adopted decisions as text per check item id, for the I-sheet's 前年度の委員会決定 column.

    ``since_year`` keeps only decisions adopted in that fiscal year or later.
    """
    from .isheet.cells import fiscal_year

    out: dict[str, list[str]] = {}
    for d in decisions.adopted():
        day = d.adopted_on
        if since_year is not None and day and fiscal_year(date.fromisoformat(day)) < since_year:
            continue
        item = f"{ADDITIONAL_PREFIX}:{d.adopted_id}" if d.kind == "candidate" else d.item
        what = "追加項目として採択" if d.kind == "candidate" else (d.check_question or "改善措置を採択")
        out.setdefault(item, []).append(f"{day} {d.id}: {what}(理由: {d.reason})")
    return out




def decisions_records(decisions: Decisions) -> list[dict]:
    """One plain dict per decision record (current state, last reason/reviewer/date, number of steps)."""
    return [{
        "id": d.id, "kind": d.kind, "title": d.title, "state": d.state.value, "state_ja": d.state.label_ja,
        "adopted_id": d.adopted_id, "reason": d.reason, "reviewer": d.reviewer, "date": d.date, "item": d.item,
        "targets": ", ".join(d.targets), "provenance": d.provenance, "steps": len(d.history),
    } for d in decisions.records]


def review_records(candidates: GapResult | Iterable[Candidate] = (), proposals: Iterable[Proposal] = (),
                   decisions: Decisions | None = None) -> list[dict]:
    """Candidates and survey proposals side by side with their decision state, for the committee report.

    Items without a record are ``proposed``; records whose candidate or proposal is no longer
    produced (e.g. closed by a new mapping) are listed after them. Keys of each row: ``kind``
    (candidate/proposal), ``kind_ja``, ``id``, ``title``, ``proposal`` (check question or measure),
    ``basis`` (why it was proposed), ``priority`` (candidates only), ``provenance`` ([R]/[I]),
    ``item`` (the existing item a proposal concerns), ``targets``, ``state``, ``state_ja``,
    ``decision_reason``, ``reviewer``, ``date``, ``adopted_id``.
    """
    decisions = decisions or Decisions()
    cands = candidates.candidates if hasattr(candidates, "candidates") else tuple(candidates)
    rows: list[dict] = []
    seen: set[str] = set()

    def with_state(base: dict) -> dict:
        d = decisions.get(base["id"])
        seen.add(base["id"])
        base |= {"state": d.state.value if d else "proposed",
                 "state_ja": d.state.label_ja if d else DecisionState.PROPOSED.label_ja,
                 "decision_reason": d.reason if d and len(d.history) > 1 else "",
                 "reviewer": d.reviewer if d else "", "date": d.date if d and len(d.history) > 1 else "",
                 "adopted_id": d.adopted_id if d else ""}
        return base

    for c in cands:
        rows.append(with_state({
            "kind": "candidate", "kind_ja": "追加候補", "id": c.id, "title": c.title, "proposal": c.check_question,
            "basis": c.reason, "priority": c.priority, "provenance": c.provenance_tags, "item": "",
            "targets": ", ".join(c.targets),
        }))
    for p in proposals:
        rows.append(with_state({
            "kind": "proposal", "kind_ja": "アンケート提案", "id": p.id, "title": f"{p.notation} {p.title}",
            "proposal": p.measure, "basis": p.reason, "priority": None, "provenance": p.provenance,
            "item": p.item_id, "targets": "",
        }))
    for d in decisions.records:
        if d.id in seen:
            continue
        rows.append(with_state({
            "kind": d.kind, "kind_ja": "追加候補" if d.kind == "candidate" else "アンケート提案", "id": d.id,
            "title": d.title, "proposal": d.check_question, "basis": d.basis, "priority": None,
            "provenance": d.provenance, "item": d.item, "targets": ", ".join(d.targets),
        }))
    return rows

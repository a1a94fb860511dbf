"""What changed between two years' I-sheets, for the handover document: statuses, evidence, items, people.

Pure; the handover text (Markdown, terminal table, CSV) is written by :mod:`controlmap.export.isheet_diff`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...labels import LabelledEnum
from ...model import SelfCheckStatus
from .model import STATUS_RANK, ISheet, ISheetRow

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Change", "ChangeKind", "ISheetDiff", "diff_isheets"]


class ChangeKind(LabelledEnum):
    """Kinds of change a successor needs to know about, in the order the handover lists them."""

    NEW_ITEM = "new_item", "新しい項目"
    REMOVED_ITEM = "removed_item", "なくなった項目"
    STATUS = "status_changed", "状況の変化"
    EVIDENCE_REMOVED = "evidence_removed", "根拠資料の削除"
    EVIDENCE_MISSING = "evidence_missing", "根拠資料なし"
    EVIDENCE_ADDED = "evidence_added", "根拠資料の追加"
    RESPONSIBLE = "responsible_changed", "担当者の交代"
    MEASURE = "measure_changed", "実施している対策の変更"


@dataclass(frozen=True, slots=True)
class Change:
    """One change of one item between the two sheets."""

    kind: ChangeKind
    item_id: str
    notation: str
    title: str
    old: str = ""
    new: str = ""
    note: str = ""
    provenance: str = ""


@dataclass(frozen=True)
class ISheetDiff:
    """The changes from ``old_year``'s I-sheet to ``new_year``'s, grouped by kind in item order."""

    old_year: int
    new_year: int
    changes: tuple[Change, ...]

    def by_kind(self, kind: ChangeKind | str) -> list[Change]:
        wanted = ChangeKind(kind)
        return [c for c in self.changes if c.kind is wanted]

    def counts(self) -> dict[str, int]:
        return {k.value: len(self.by_kind(k)) for k in ChangeKind}

    def to_records(self) -> list[dict]:
        return [{"kind": c.kind.value, "kind_ja": c.kind.label_ja, "item_id": c.item_id, "notation": c.notation,
                 "title": c.title, "old": c.old, "new": c.new, "note": c.note, "provenance": c.provenance}
                for c in self.changes]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.to_records())


def _status(s: SelfCheckStatus | None) -> str:
    return s.value if s else "未記入"


def diff_isheets(old: ISheet, new: ISheet) -> ISheetDiff:
    """Compare two I-sheets item by item.

    Examples
    --------
    >>> from controlmap.model import SelfCheckStatus as S
    >>> a = ISheet(2025, (ISheetRow("MIC:MIC-04-12", "MIC-04-12", "離席時のログオフ", status=S.ESTABLISHED,
    ...                             evidence=("手順書",), responsible="住民課 A"),))
    >>> b = ISheet(2026, (ISheetRow("MIC:MIC-04-12", "MIC-04-12", "離席時のログオフ", status=S.OPERATING,
    ...                             evidence=("手順書", "操作ログ"), responsible="住民課 B"),))
    >>> [c.kind.value for c in diff_isheets(a, b).changes]
    ['status_changed', 'evidence_added', 'responsible_changed']
    """
    before = {r.item_id: r for r in old.rows}
    after = {r.item_id: r for r in new.rows}
    changes: list[Change] = []

    def add(kind: ChangeKind, row: ISheetRow, old_value: str = "", new_value: str = "", note: str = "") -> None:
        changes.append(Change(kind, row.item_id, row.notation, row.title, old_value, new_value, note, row.provenance))

    for r in new.rows:
        if r.item_id not in before:
            add(ChangeKind.NEW_ITEM, r, "", _status(r.status), r.follow_up.splitlines()[0] if r.follow_up else "")
    for r in old.rows:
        if r.item_id not in after:
            add(ChangeKind.REMOVED_ITEM, r, _status(r.status), "")
    for r in new.rows:
        o = before.get(r.item_id)
        if o is None:
            continue
        if o.status is not r.status:
            add(ChangeKind.STATUS, r, _status(o.status), _status(r.status), _direction(o.status, r.status))
        removed = [e for e in o.evidence if e not in r.evidence]
        if removed:
            add(ChangeKind.EVIDENCE_REMOVED, r, "\n".join(removed), "\n".join(r.evidence),
                "前年度の根拠資料が今年度は挙げられていない")
    for r in new.rows:
        if r.status in (SelfCheckStatus.OPERATING, SelfCheckStatus.ESTABLISHED) and not r.evidence:
            o = before.get(r.item_id)
            add(ChangeKind.EVIDENCE_MISSING, r, "\n".join(o.evidence) if o else "", "",
                f"{r.status.value} だが根拠資料がない")
    for r in new.rows:
        o = before.get(r.item_id)
        if o is None:
            continue
        added = [e for e in r.evidence if e not in o.evidence]
        if added:
            add(ChangeKind.EVIDENCE_ADDED, r, "\n".join(o.evidence), "\n".join(added))
        if o.responsible != r.responsible:
            add(ChangeKind.RESPONSIBLE, r, o.responsible, r.responsible,
                "引継ぎ: 根拠資料と確認方法を前任者と確認する" if o.responsible and r.responsible else "")
        if o.implemented != r.implemented:
            add(ChangeKind.MEASURE, r, o.implemented, r.implemented)
    order = {k: i for i, k in enumerate(ChangeKind)}
    position = {r.item_id: i for i, r in enumerate(new.rows)} | {
        r.item_id: len(new.rows) + i for i, r in enumerate(old.rows) if r.item_id not in after}
    changes.sort(key=lambda c: (order[c.kind], position.get(c.item_id, 0)))
    return ISheetDiff(old.year, new.year, tuple(changes))


def _direction(old: SelfCheckStatus | None, new: SelfCheckStatus | None) -> str:
    if old in STATUS_RANK and new in STATUS_RANK:
        return "改善" if STATUS_RANK[new] > STATUS_RANK[old] else "悪化"
    if new is None:
        return "未記入"
    return ""

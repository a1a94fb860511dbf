"""The I-sheet's layout: its sheets, its columns (header, width, who fills them in) and their order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .model import ISheet

__all__ = [
    "BY_HEADER",
    "BY_KEY",
    "COLUMNS",
    "EXTRA_WIDTH",
    "FORMAT",
    "INSTRUCTIONS_SHEET",
    "META_SHEET",
    "NO",
    "SHEET",
    "YES",
    "Column",
    "RawSheet",
    "layout_of",
]

SHEET = "I-sheet"
INSTRUCTIONS_SHEET = "記入要領"
META_SHEET = "_controlmap"
FORMAT = "controlmap-isheet/1"
YES, NO = "はい", "いいえ"


@dataclass(frozen=True, slots=True)
class Column:
    """One column the I-sheet defines: field name, header, width, whether people fill it in, whether it must exist."""

    key: str
    header: str
    width: float
    editable: bool = False
    required: bool = False
    hidden: bool = False
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("item_id", "管理ID", 18, required=True, hidden=True, help="項目の識別子(非表示)。変更しないでください。"),
    Column("notation", "項番", 12, required=True, help="チェックリストの項番。変更しないでください。"),
    Column("provenance", "出典", 6, help="[R] 出典の原文で確認した項目、[I] 再構成した項目。"),
    Column("chapter", "区分", 18, help="チェックリストの章。"),
    Column("title", "点検項目", 24, help="点検項目の名称。"),
    Column("required", "求められる対策", 40, help="この項目で求められる対策(点検の問い)。"),
    Column("implemented", "実施している対策", 40, editable=True,
           help="自治体で実際に行っている対策を具体的に書く(規程名・手順名・運用の内容)。"),
    Column("status", "状況", 16, editable=True, required=True,
           help="適切に運用している / 整備している / 整備していない / 該当なし から選ぶ。"),
    Column("confirmation", "確認方法", 14, editable=True, required=True,
           help="どのように確認したか。複数のときは「、」で区切る(例: 文書確認、ログ確認)。"),
    Column("evidence", "根拠資料", 32, editable=True, required=True,
           help="確認に用いた資料・記録を後任者や監査人が辿れるように書く(文書名・条項・保管場所・記録の期間)。"
                "複数のときは改行で区切る。「同上」は使わない。"),
    Column("responsible", "担当者", 12, editable=True, required=True, help="確認した担当者(所属・氏名)。"),
    Column("confirmed_on", "確認日", 12, editable=True, required=True,
           help="確認した日(例: 2026-05-10)。数式(=TODAY() など)は使わない。"),
    Column("own_practice", "独自の実践", 10, editable=True,
           help="チェックリストの求め以上に自治体独自で行っている実践があれば「はい」。内容は備考に書く。"),
    Column("notes", "備考", 32, editable=True,
           help="補足。「該当なし」のときはその理由を必ず書く。独自の実践の内容もここに書く。"),
    Column("previous_status", "前年度の状況", 16, help="前年度の I-sheet の状況(参考)。"),
    Column("follow_up", "前年度の委員会決定", 30, help="運用監視委員会の決定で、この項目に関わるもの。"),
)
BY_KEY = {c.key: c for c in COLUMNS}
BY_HEADER = {c.header: c for c in COLUMNS}
EXTRA_WIDTH = 18


def layout_of(sheet: ISheet) -> list[str]:
    """Headers in the order they are written: the sheet's layout, then any missing defined column in place."""
    known = [c.header for c in COLUMNS]
    order = [h for h in sheet.layout if h in BY_HEADER or h in sheet.extra_columns]
    for i, header in enumerate(known):
        if header not in order:
            before = [h for h in known[:i] if h in order]
            pos = order.index(before[-1]) + 1 if before else 0
            order.insert(pos, header)
    order += [h for h in sheet.extra_columns if h not in order]
    return order


class RawSheet(Protocol):
    """The cells of a filled I-sheet as typed (what :func:`controlmap.io.isheet.read_raw` returns).

    Values by (row, column) as openpyxl holds them, the cells that hold formulas, merged ranges,
    the hidden ``_controlmap`` sheet as key/value text (None when it is missing) and its issued items.
    """

    @property
    def file(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def header(self) -> tuple[str, ...]: ...
    @property
    def rows(self) -> tuple[tuple[int, tuple[object, ...]], ...]: ...
    @property
    def formulas(self) -> frozenset[tuple[int, int]]: ...
    @property
    def merged(self) -> tuple[tuple[int, int, int, int], ...]: ...
    @property
    def meta(self) -> dict[str, str] | None: ...
    @property
    def issued(self) -> tuple[tuple[str, str], ...]: ...

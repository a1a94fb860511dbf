"""The I-sheet as frozen values: one row per check item, what was confirmed, how, on what evidence, by whom."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ...errors import UnknownControlError
from ...labels import LabelledEnum
from ...model import Answer, SelfCheckStatus
from ...normalize import norm, norm_id

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONFIRMATION_WORDS",
    "STATUS_RANK",
    "ConfirmationMethod",
    "ISheet",
    "ISheetRow",
    "parse_confirmation",
]


class ConfirmationMethod(LabelledEnum):
    """How the person in charge confirmed the state of a measure; the value is written to the workbook.

    A member is declared ``value (= its Japanese label), English label, *other words people write``.

    >>> ConfirmationMethod.parse("ヒアリング"), ConfirmationMethod.INTERVIEW.label_en
    (<ConfirmationMethod.INTERVIEW: '聞き取り'>, 'interview')
    >>> len(ConfirmationMethod)
    8
    """

    DOCUMENT = ("文書確認", "", "document review", "文書", "書類確認", "書面確認", "規程確認", "文書の確認", "document",
                "doc")
    ON_SITE = ("現地確認", "", "on-site observation", "現地", "現場確認", "実地確認", "目視", "目視確認", "on-site",
               "onsite", "observation")
    INTERVIEW = ("聞き取り", "", "interview", "ヒアリング", "聴取", "聞取り", "聞き取り調査", "インタビュー", "面談")
    LOG_REVIEW = ("ログ確認", "", "log review", "ログ", "ログの確認", "操作履歴確認", "操作履歴", "アクセスログ確認",
                  "log")
    RECORD_REVIEW = ("記録簿確認", "", "register review", "記録簿", "管理簿確認", "台帳確認", "記録確認", "record",
                     "register")
    SETTINGS = ("設定確認", "", "settings inspection", "設定", "システム設定確認", "画面確認", "設定の確認", "settings",
                "configuration")
    TEST = "実地テスト", "", "test", "テスト", "試験", "訓練", "動作確認"
    SURVEY = "職員アンケート", "", "staff questionnaire", "アンケート", "職員調査", "survey", "questionnaire"

    @property
    def label_en(self) -> str:
        """The English label (the first synonym)."""
        return self.synonyms[0]


#: every word a person may write for a confirmation method (NFKC, case folded) -> the method
CONFIRMATION_WORDS: dict[str, ConfirmationMethod] = ConfirmationMethod.words()
_SEPARATORS = re.compile(r"[\n,、，;；/／・]+")

# order used to say whether a status improved or worsened (該当なし is outside the scale)
STATUS_RANK = {
    SelfCheckStatus.NOT_ESTABLISHED: 0,
    SelfCheckStatus.ESTABLISHED: 1,
    SelfCheckStatus.OPERATING: 2,
}


def parse_confirmation(text: str) -> tuple[tuple[ConfirmationMethod, ...], tuple[str, ...]]:
    """The methods named in a cell (several may be separated by 、 ・ / or new lines) and the unknown words.

    Examples
    --------
    >>> parse_confirmation("文書確認・ヒアリング")
    ((<ConfirmationMethod.DOCUMENT: '文書確認'>, <ConfirmationMethod.INTERVIEW: '聞き取り'>), ())
    >>> parse_confirmation("なんとなく")
    ((), ('なんとなく',))
    """
    found: list[ConfirmationMethod] = []
    unknown: list[str] = []
    for part in _SEPARATORS.split(text):
        word = norm(part).casefold()
        if not word:
            continue
        method = CONFIRMATION_WORDS.get(word)
        if method is None:
            unknown.append(part.strip())
        elif method not in found:
            found.append(method)
    return tuple(found), tuple(unknown)


@dataclass(frozen=True, slots=True)
class ISheetRow:
    """One check item of the I-sheet with the confirmation recorded for it.

    ``item_id`` is the control id (``MIC:MIC-04-12``, ``MICADD:MIC-ADD-01``); ``notation``, ``chapter``,
    ``title``, ``required`` and ``provenance`` are shown for reading and come from the checklist.
    ``extra`` holds the cells of columns a user added, as ``(header, value)`` pairs.

    >>> import controlmap as cm
    >>> row = cm.isheet.new_isheet(cm.load(), 2026).row("MIC-04-12")
    >>> row.item_id, row.chapter, row.provenance, row.answered          # a new sheet: nothing answered yet
    ('MIC:MIC-04-12', 'MIC-04 アクセス管理', '[R]', False)
    """

    item_id: str
    notation: str
    title: str
    chapter: str = ""
    required: str = ""
    provenance: str = ""
    implemented: str = ""
    status: SelfCheckStatus | None = None
    confirmation: tuple[ConfirmationMethod, ...] = ()
    evidence: tuple[str, ...] = ()
    responsible: str = ""
    confirmed_on: date | None = None
    notes: str = ""
    own_practice: bool = False
    previous_status: SelfCheckStatus | None = None
    follow_up: str = ""
    extra: tuple[tuple[str, str], ...] = ()
    origin: str = field(default="", compare=False)

    @property
    def answered(self) -> bool:
        return self.status is not None

    def extra_value(self, header: str) -> str:
        return dict(self.extra).get(header, "")


@dataclass(frozen=True)
class ISheet:
    """The I-sheet of one fiscal year: every check item of the checklist plus the adopted additional items.

    ``issued`` lists the item ids the workbook was generated with (so a deleted row is noticed);
    ``layout`` is the column order a user left, including columns they added (``extra_columns``).

    >>> import controlmap as cm
    >>> sheet = cm.isheet.new_isheet(cm.load(), 2026)
    >>> sheet.year, sheet.source, len(sheet.rows)                      # every check item of the MIC checklist
    (2026, 'mic@2009', 117)
    >>> sheet.counts()["未記入"]                                         # none answered yet
    117
    """

    year: int
    rows: tuple[ISheetRow, ...]
    source: str = "mic@2009"
    subject: str = "住基ネット"
    extra_columns: tuple[str, ...] = ()
    layout: tuple[str, ...] = field(default=(), compare=False)
    issued: tuple[str, ...] = ()

    def row(self, item: str) -> ISheetRow:
        """The row of an item given by id or 項番 (NFKC-insensitive)."""
        wanted = norm_id(item)
        for r in self.rows:
            if r.item_id == item or norm_id(r.item_id) == wanted or norm_id(r.notation) == wanted:
                return r
        raise UnknownControlError(f"no row for {item!r} in the I-sheet of fiscal year {self.year}")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.item_id for r in self.rows)

    def counts(self) -> dict[str, int]:
        """Rows per status, plus ``未記入`` for rows without one."""
        out = {s.value: 0 for s in SelfCheckStatus} | {"未記入": 0}
        for r in self.rows:
            out[r.status.value if r.status else "未記入"] += 1
        return out

    def answers(self) -> tuple[Answer, ...]:
        """The statuses as self-check Answers, ready to merge into a Catalog."""
        return tuple(Answer(r.item_id, r.status, r.notes, origin=r.origin) for r in self.rows if r.status)

    def to_records(self) -> list[dict]:
        """One plain dict per row (dates as ISO text), for DataFrames, CSV and JSON."""
        out = []
        for r in self.rows:
            rec = {
                "item_id": r.item_id, "notation": r.notation, "provenance": r.provenance, "chapter": r.chapter,
                "title": r.title, "required": r.required, "implemented": r.implemented,
                "status": r.status.value if r.status else "",
                "confirmation": "、".join(m.value for m in r.confirmation),
                "evidence": "\n".join(r.evidence), "responsible": r.responsible,
                "confirmed_on": r.confirmed_on.isoformat() if r.confirmed_on else "", "notes": r.notes,
                "own_practice": r.own_practice,
                "previous_status": r.previous_status.value if r.previous_status else "",
                "follow_up": r.follow_up,
            }
            rec.update({h: r.extra_value(h) for h in self.extra_columns})
            out.append(rec)
        return out

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.to_records())

"""Share adopted items with other municipalities: items, reasons and mappings, without evidence or names.

:func:`controlmap.export.sharing.export_shared` writes, into one directory:

* ``adopted-items.csv``    one row per adopted candidate (MIC-ADD-nn): its candidate id, check
  question, the reference requirements it was made from, the committee's reason, [R]/[I] tags;
* ``adopted-measures.csv`` adopted survey proposals (training, procedure changes), when any;
* ``mic_additional_<reference>.sssom.tsv`` the ``equal`` mappings of the items to each reference edition;
* ``mic_additional/framework.yaml`` + ``controls.csv`` so that ``controlmap.load()`` reads the items
  and the SSSOM files back.

What is left out: evidence, I-sheet contents, survey comments, reviewers and every other person's
name, the decision history. Reasons are kept, with every known name (reviewers, and any ``names``
given, e.g. the persons in charge of an I-sheet), e-mail addresses, phone numbers and words with
an honorific (〇〇さん, 〇〇様, 〇〇氏) replaced by ``(氏名削除)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..normalize import norm

if TYPE_CHECKING:
    from .decisions import Decisions

__all__ = ["MEASURE_COLUMNS", "REDACTED", "SHARED_COLUMNS", "known_names", "scrub", "shared_measures",
           "shared_records"]

SHARED_COLUMNS = ("id", "candidate_id", "title", "check_question", "relation", "targets", "target_titles",
                  "frameworks", "provenance", "suggested_chapter", "suggested_chapter_title", "reason", "adopted_on")
MEASURE_COLUMNS = ("id", "item", "title", "action", "measure", "reason", "adopted_on", "provenance")
REDACTED = "(氏名削除)"
_HONORIFIC = re.compile(r"[\u3005\u4e00-\u9fffァ-ヶー]{1,6}(?:さん|様|氏(?!名)|君|くん)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)0\d{1,4}-\d{1,4}-\d{3,4}(?!\d)")


def scrub(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with the given names, e-mail addresses, phone numbers and honorific-marked names redacted.

    Examples
    --------
    >>> scrub("山田さんの提案で採択。連絡先 yamada@example.jp", names=["佐藤 一郎"])
    '(氏名削除)の提案で採択。連絡先 (氏名削除)'
    >>> scrub("佐藤一郎委員が説明", names=["佐藤 一郎"])
    '(氏名削除)委員が説明'
    """
    out = norm(text) if text else ""
    out = _EMAIL.sub(REDACTED, out)
    out = _PHONE.sub(REDACTED, out)
    variants: set[str] = set()
    for name in names:
        n = norm(name)
        if len(n) < 2:
            continue
        variants |= {n, n.replace(" ", "")}
        variants |= {part for part in n.split(" ") if len(part) >= 2}
    for v in sorted(variants, key=len, reverse=True):
        out = out.replace(v, REDACTED)
    out = _HONORIFIC.sub(REDACTED, out)
    return re.sub(rf"(?:{re.escape(REDACTED)})+", REDACTED, out)


def known_names(decisions: Decisions, extra: Iterable[str]) -> list[str]:
    """Every reviewer named in the decisions, and the ``extra`` names, to be redacted."""
    found = {e.reviewer for d in decisions for e in d.history if e.reviewer}
    return sorted(found | {n for n in extra if n})


def shared_records(decisions: Decisions, *, names: Iterable[str] = ()) -> list[dict]:
    """The adopted candidates as records safe to share (see the module docstring for what is left out)."""
    known = known_names(decisions, names)
    return [{
        "id": d.adopted_id, "candidate_id": d.id, "title": d.title, "check_question": d.check_question,
        "relation": "equal", "targets": "; ".join(d.targets), "target_titles": "; ".join(d.target_titles),
        "frameworks": "; ".join(d.frameworks), "provenance": d.provenance,
        "suggested_chapter": d.suggested_chapter, "suggested_chapter_title": d.suggested_chapter_title,
        "reason": scrub(d.reason, known), "adopted_on": d.adopted_on,
    } for d in decisions.adopted("candidate")]


def shared_measures(decisions: Decisions, *, names: Iterable[str] = ()) -> list[dict]:
    """The adopted survey proposals (measures for existing items) as records safe to share."""
    known = known_names(decisions, names)
    return [{
        "id": d.id, "item": d.item, "title": d.title, "action": d.action, "measure": d.check_question,
        "reason": scrub(d.reason, known), "adopted_on": d.adopted_on, "provenance": d.provenance,
    } for d in decisions.adopted("proposal")]

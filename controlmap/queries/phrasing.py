"""Turn a requirement summary into a check question in the MIC style (「…しているか。」)."""

from __future__ import annotations

import re

__all__ = ["check_question"]

_I_ROW = set("いきしちにひみりぎじぢびぴ")
_E_ROW = set("えけせてねへめれげぜでべぺ")
_GODAN_TE = {"う": "って", "つ": "って", "る": "って", "く": "いて", "ぐ": "いで", "す": "して",
             "む": "んで", "ぶ": "んで", "ぬ": "んで"}
_NEG_GODAN = {"わ": "って", "た": "って", "ら": "って", "か": "いて", "が": "いで", "さ": "して",
              "ま": "んで", "ば": "んで", "な": "んで"}
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
_ICHIDAN_KANJI = set("得見経寝着居出似煮")  # kanji + る verbs that are ichidan (得る, 見る, ...)


def _te_form(verb_phrase: str) -> str | None:
    """The phrase with its final dictionary-form verb in て/で form, or None when it ends otherwise."""
    if verb_phrase.endswith("する"):
        return verb_phrase[:-2] + "して"
    if verb_phrase.endswith("行く"):
        return verb_phrase[:-2] + "行って"
    last = verb_phrase[-1:]
    if last == "る" and len(verb_phrase) >= 2:
        before = verb_phrase[-2]
        if before in _I_ROW or before in _E_ROW or before in _ICHIDAN_KANJI:
            return verb_phrase[:-1] + "て"
        return verb_phrase[:-1] + "って"
    if (last in _GODAN_TE and len(verb_phrase) >= 2 and not _HIRAGANA.fullmatch(verb_phrase[-2])) or (
        last in _GODAN_TE and last != "る"
    ):
        return verb_phrase[:-1] + _GODAN_TE[last]
    return None


def check_question(summary: str, title: str = "") -> str:
    """A yes/no self-check question for a requirement summary.

    Examples
    --------
    >>> check_question("苦情・相談を受け付け適切かつ迅速に対応する体制を整えること。")
    '苦情・相談を受け付け適切かつ迅速に対応する体制を整えているか。'
    >>> check_question("例外措置の手続を定める。")
    '例外措置の手続を定めているか。'
    >>> check_question("不正プログラムへの対策を行う。")
    '不正プログラムへの対策を行っているか。'
    >>> check_question("区域の区分に応じた入退管理等の対策。")
    '区域の区分に応じた入退管理等の対策を実施しているか。'
    >>> check_question("所定事項を明示し本人の同意を得る。")
    '所定事項を明示し本人の同意を得ているか。'
    >>> check_question("役割を兼務させないこと。")
    '役割を兼務させていないか。'
    """
    text = summary.strip().rstrip("。.").strip()
    if not text:
        return f"「{title}」に関する措置を講じているか。"
    if text.endswith("こと"):
        text = text[:-2]
    if text.endswith("ない"):
        stem = text[:-2]
        if stem.endswith("し"):
            return stem + "ていないか。"
        if stem[-1:] in _NEG_GODAN:
            return stem[:-1] + _NEG_GODAN[stem[-1]] + "いないか。"
        return stem + "ていないか。"
    te = _te_form(text)
    if te is not None:
        return te + "いるか。"
    return f"{text}を実施しているか。"

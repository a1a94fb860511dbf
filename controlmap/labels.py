"""A string enum whose members carry a Japanese label and the words people write for them.

Several vocabularies of controlmap are closed lists whose value is written to files, shown in Japanese
and typed by people in many spellings (a coverage status, a mapping relation, a self-check answer, a
committee decision). :class:`LabelledEnum` holds the three together: a member is declared as
``NAME = value, label_ja, *synonyms``, ``str(member)`` is the value, ``member.label_ja`` the label, and
:meth:`LabelledEnum.parse` reads any of value, name, label or synonym after NFKC and case folding.

>>> class Colour(LabelledEnum):
...     RED = "red", "赤", "あか", "R"
...     BLUE = "blue", "青"
>>> Colour.RED.label_ja, str(Colour.BLUE), Colour("blue") is Colour.BLUE
('赤', 'blue', True)
>>> Colour.parse(" ＲＥＤ "), Colour.parse("青"), Colour.lookup("green") is None
(<Colour.RED: 'red'>, <Colour.BLUE: 'blue'>, True)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Self

from .errors import UnknownLabelError
from .normalize import norm

__all__ = ["LabelledEnum"]

_WORDS: dict[type, dict[str, Any]] = {}


class LabelledEnum(StrEnum):
    """A :class:`~enum.StrEnum` whose members are declared ``value, label_ja, *synonyms``.

    The value alone is the member's string (written to files and compared with ``==``); the Japanese
    label defaults to the value.
    """

    _label_ja: str
    _synonyms: tuple[str, ...]

    def __new__(cls, value: str, label_ja: str = "", *synonyms: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label_ja = label_ja or value
        member._synonyms = synonyms
        return member

    def __str__(self) -> str:
        return str(self.value)

    @property
    def label_ja(self) -> str:
        """The member's Japanese label, as shown in outputs."""
        return self._label_ja

    @property
    def synonyms(self) -> tuple[str, ...]:
        """Other words that name this member (besides its value, name and label)."""
        return self._synonyms

    @classmethod
    def words(cls) -> dict[str, Self]:
        """Every accepted word (NFKC, case folded) -> member; the earlier member wins a clash."""
        table = _WORDS.get(cls)
        if table is None:
            table = {}
            for member in cls:
                for word in (member.value, member.name, member._label_ja, *member._synonyms):
                    table.setdefault(_key(word), member)
            _WORDS[cls] = table
        return table

    @classmethod
    def lookup(cls, text: str) -> Self | None:
        """The member ``text`` names (value, name, label or synonym), or None."""
        return cls.words().get(_key(text))

    @classmethod
    def parse(cls, text: str) -> Self:
        """The member ``text`` names; :class:`~controlmap.errors.UnknownLabelError` lists the choices if none."""
        found = cls.lookup(text)
        if found is None:
            choices = ", ".join(f"{m.value} ({m.label_ja})" if m.label_ja != m.value else m.value for m in cls)
            raise UnknownLabelError(f"unknown {cls.__name__} {text!r}; use one of: {choices}")
        return found


def _key(word: str) -> str:
    return norm(word).casefold()

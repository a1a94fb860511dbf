"""Cell values people type in Excel: safe text out, dates, yes/no and lists back in."""

from __future__ import annotations

import re
from datetime import date, datetime

from ...normalize import norm

__all__ = ["fiscal_year", "fiscal_year_start", "join_list", "neutralise", "parse_date", "parse_yes_no",
           "restore", "split_list"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_YES = {"はい", "yes", "y", "true", "1", "○", "◯", "〇", "✓", "✔", "レ", "有", "あり", "する", "している", "済"}
_NO = {"いいえ", "no", "n", "false", "0", "×", "✗", "無", "なし", "しない", "していない"}
_ERA = {"令和": 2018, "平成": 1988, "r": 2018, "h": 1988}
_DATE_FORMS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_WAREKI = re.compile(r"^(令和|平成|r|h)(\d{1,2}|元)[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"[\n;；]+")


def neutralise(value: str) -> str:
    """Text safe to put in a spreadsheet cell: formula starts get a leading ``'``; XML-illegal characters go.

    >>> neutralise("=SUM(A1)"), neutralise("文書確認")
    ("'=SUM(A1)", '文書確認')
    """
    value = _ILLEGAL_XML.sub("", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def restore(value: str) -> str:
    """The text :func:`neutralise` was given.

    >>> restore("'=SUM(A1)"), restore("'quoted")
    ('=SUM(A1)', "'quoted")
    """
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def fiscal_year(day: date) -> int:
    """The Japanese fiscal year (年度, April to March) a day belongs to.

    >>> fiscal_year(date(2027, 3, 31)), fiscal_year(date(2027, 4, 1))
    (2026, 2027)
    """
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_start(year: int) -> date:
    """1 April of fiscal year ``year``."""
    return date(year, 4, 1)


def parse_date(value: object) -> date:
    """A date from what a cell holds: a date, an Excel serial number, or text (2026-05-10, 2026/5/10, 2026年5月10日,
    令和8年5月10日).

    Raises ValueError saying why the value is not a date.

    >>> parse_date("2026/5/10"), parse_date("令和8年5月10日"), parse_date(46152)
    (datetime.date(2026, 5, 10), datetime.date(2026, 5, 10), datetime.date(2026, 5, 10))
    >>> parse_date("5月10日")
    Traceback (most recent call last):
    ...
    ValueError: '5月10日' is not a date; write it as 2026-05-10
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 36526 <= value < 73051:  # Excel serial numbers of 2000-01-01 .. 2099-12-31
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        if isinstance(value, int) or float(value).is_integer():
            value = str(int(value))
        else:
            raise ValueError(f"{value!r} is not a date; write it as 2026-05-10")
    text = norm(str(value))
    try:
        for form in _DATE_FORMS:
            m = form.match(text)
            if m:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _WAREKI.match(text)
        if m:
            year = 1 if m.group(2) == "元" else int(m.group(2))
            return date(_ERA[m.group(1).lower()] + year, int(m.group(3)), int(m.group(4)))
    except ValueError:
        raise ValueError(f"{text!r} is not a valid calendar date") from None
    raise ValueError(f"{text!r} is not a date; write it as 2026-05-10")


def parse_yes_no(value: object) -> bool | None:
    """True/False for the usual ways of writing yes and no (はい/いいえ, ○/×, 1/0, yes/no); None otherwise.

    >>> parse_yes_no("はい"), parse_yes_no("×"), parse_yes_no(1), parse_yes_no("たぶん")
    (True, False, True, None)
    """
    if isinstance(value, bool):
        return value
    text = norm(str(value)).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def split_list(text: str) -> tuple[str, ...]:
    """The entries of a cell holding one per line (or separated by ``;``).

    >>> split_list("規程 第5条\\n入退室管理簿 2026年度; ")
    ('規程 第5条', '入退室管理簿 2026年度')
    """
    return tuple(part.strip() for part in _LIST_SPLIT.split(text) if part.strip())


def join_list(values: tuple[str, ...] | list[str]) -> str:
    """One entry per line, as :func:`split_list` reads it back."""
    return "\n".join(values)

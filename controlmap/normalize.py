"""Japanese-aware text normalisation: NFKC for comparing, originals kept for display."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["norm", "norm_id"]

_SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    """Return ``text`` in NFKC form with runs of white space folded to one ASCII space.

    全角 digits, letters and the ideographic space become their ASCII forms, so that
    user files written in Excel compare equal to the shipped data.

    Examples
    --------
    >>> norm("３．４．３．２　安全管理措置")
    '3.4.3.2 安全管理措置'
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def norm_id(text: str) -> str:
    """Return an identifier in comparable form: NFKC, no white space at all.

    Examples
    --------
    >>> norm_id(" ＭＩＣ－０４－０２ ")
    'MIC-04-02'
    >>> norm_id("６.１.１（１）")
    '6.1.1(1)'
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))

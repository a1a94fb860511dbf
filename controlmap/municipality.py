"""全国地方公共団体コード (JIS X 0402 with check digit): validation and the named graph of a municipality."""

from __future__ import annotations

from urllib.parse import quote

from .errors import MunicipalityCodeError
from .model import BASE_IRI

__all__ = ["MUNICIPALITY_BASE", "check_digit", "graph_iri", "municipality_code", "municipality_of_graph"]

MUNICIPALITY_BASE = f"{BASE_IRI}municipality/"
_WEIGHTS = (6, 5, 4, 3, 2)


def check_digit(first_five: str) -> str:
    """The check digit of a five-digit JIS X 0402 code: 11 minus (weighted sum mod 11), last digit.

    Examples
    --------
    >>> check_digit("13115"), check_digit("01100"), check_digit("13101")
    ('6', '2', '6')
    """
    if len(first_five) != 5 or not first_five.isascii() or not first_five.isdigit():
        raise MunicipalityCodeError(f"{first_five!r}: a check digit needs exactly five ASCII digits")
    remainder = sum(int(d) * w for d, w in zip(first_five, _WEIGHTS, strict=True)) % 11
    return str((11 - remainder) % 10)


def municipality_code(code: str | int) -> str:
    """The six-digit 全国地方公共団体コード, checked; full-width digits are accepted and normalised.

    Examples
    --------
    >>> municipality_code("131156")      # 杉並区
    '131156'
    >>> municipality_code("１３１０１６")  # 千代田区, full-width
    '131016'
    >>> municipality_code("131157")
    Traceback (most recent call last):
    ...
    controlmap.errors.MunicipalityCodeError: '131157': the check digit should be 6 (全国地方公共団体コード 13115 + 6)
    """
    import unicodedata

    text = unicodedata.normalize("NFKC", str(code)).strip()
    if isinstance(code, int) and len(text) == 5:  # an int drops the leading zero of 011002
        text = "0" + text
    if len(text) != 6 or not text.isascii() or not text.isdigit():
        raise MunicipalityCodeError(
            f"{str(code)!r}: a 全国地方公共団体コード has six digits (five of JIS X 0402 and a check digit), "
            "e.g. 131156 for 杉並区")
    expected = check_digit(text[:5])
    if text[5] != expected:
        raise MunicipalityCodeError(
            f"{str(code)!r}: the check digit should be {expected} (全国地方公共団体コード {text[:5]} + {expected})")
    if text[:2] in ("00",) or int(text[:2]) > 47:
        raise MunicipalityCodeError(f"{str(code)!r}: the first two digits name a prefecture, 01 to 47")
    return text


def graph_iri(code: str | int) -> str:
    """IRI of the named graph that holds one municipality's publication.

    >>> graph_iri("131156")
    'https://w3id.org/controlmap/municipality/131156'
    """
    return MUNICIPALITY_BASE + quote(municipality_code(code), safe="")


def municipality_of_graph(iri: str) -> str | None:
    """The municipality code a graph IRI names, or None for any other graph.

    >>> municipality_of_graph("https://w3id.org/controlmap/municipality/011002")
    '011002'
    >>> municipality_of_graph("https://example.org/other") is None
    True
    """
    if not iri.startswith(MUNICIPALITY_BASE):
        return None
    try:
        return municipality_code(iri[len(MUNICIPALITY_BASE):])
    except MunicipalityCodeError:
        return None

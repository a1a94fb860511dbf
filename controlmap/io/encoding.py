"""Decode text files written by people: UTF-8 (with or without BOM) or cp932 from Japanese Excel."""

from __future__ import annotations

from ..errors import DataError, Problem

__all__ = ["ENCODINGS", "decode"]

ENCODINGS = ("utf-8-sig", "cp932")


def decode(data: bytes, file: str) -> str:
    """Return the text of ``data``, trying UTF-8 (BOM allowed) and then cp932.

    Raises DataError naming the line and column of the first byte that is valid in neither.

    Examples
    --------
    >>> decode("項番".encode("cp932"), "x.csv")
    '項番'
    >>> decode(b"\\xef\\xbb\\xbfid", "x.csv")
    'id'
    """
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        start = err.start
    prefix = data[:start]
    line = prefix.count(b"\n") + 1
    line_start = prefix.rfind(b"\n") + 1
    column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
    raise DataError([Problem(
        file, line, str(column),
        f"byte 0x{data[start]:02x} is neither UTF-8 nor cp932 (Shift_JIS); save the file as UTF-8",
    )])

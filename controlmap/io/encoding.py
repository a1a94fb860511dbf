"""Decode text files written by people: UTF-8 (with or without BOM) or cp932 from Japanese Excel."""

from __future__ import annotations

import codecs
import re

from ..errors import DataError, Problem

__all__ = ["decode"]


# Python's cp932 decodes the single bytes that Shift_JIS leaves undefined (0x80, 0xA0, 0xFD-0xFF) to
# U+0080 and private-use code points; no Japanese text holds them, so such a file is not cp932.
_CP932_UNDEFINED = re.compile("[\u0080\uf8f0-\uf8f3]")


def decode(data: bytes, file: str) -> str:
    """Return the text of ``data``, trying UTF-8 (BOM allowed) and then cp932.

    Raises DataError naming the line and column of the first byte that is valid in neither.

    Examples
    --------
    >>> decode("項番".encode("cp932"), "x.csv")
    '項番'
    >>> decode(b"\\xef\\xbb\\xbfid", "x.csv")
    'id'
    >>> decode(b"id\\n\\xff\\xfd", "x.csv")
    Traceback (most recent call last):
    ...
    controlmap.errors.DataError: 1 problem(s) in input data:
    x.csv:2:1: byte 0xff is neither UTF-8 nor cp932 (Shift_JIS); save the file as UTF-8
    """
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_stop = bom + err.start
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError as err:
        cp932_stop = err.start
    else:
        undefined = _CP932_UNDEFINED.search(text)
        if undefined is None:
            return text
        cp932_stop = len(text[: undefined.start()].encode("cp932"))
    # report where the encoding that read further stopped: the file is most likely in that one
    start, encoding = max((utf8_stop, "utf-8"), (cp932_stop, "cp932"))
    prefix = data[:start]
    line = prefix.count(b"\n") + 1
    line_start = max(prefix.rfind(b"\n") + 1, bom)
    column = len(data[line_start:start].decode(encoding, errors="replace")) + 1
    raise DataError([Problem(
        file, line, str(column),
        f"byte 0x{data[start]:02x} is neither UTF-8 nor cp932 (Shift_JIS); save the file as UTF-8",
    )])

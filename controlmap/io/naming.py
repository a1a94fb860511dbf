"""Framework id and edition from a name (file name, URN tail): the trailing version token is the edition.

CISO Assistant and OSCAL readers share it, so one framework gets one key from both (``nist-csf-2.0`` and
``NIST_CSF_v2.0_catalog`` are both ``nist_csf@2.0``; ``nist-sp-800-53-rev5`` and ``NIST_SP-800-53_rev5`` are both
``nist_sp_800_53@rev5``).
"""

from __future__ import annotations

import re

__all__ = ["slug", "split_edition"]

_EDITION = re.compile(r"^(.*?)[-_ ]+(?:v(?:ersion)?[-_ ]?)?(\d+\.\d+(?:\.\d+)*|(?:19|20)\d\d|rev[-_ ]?\d+)$", re.I)


def slug(text: str, fallback: str = "framework") -> str:
    """Lower case, runs of other characters than a–z, 0–9 and ``_`` made one ``_``."""
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_") or fallback


def split_edition(name: str) -> tuple[str, str | None]:
    """``(id, edition)`` when the name ends in a version (``2.0``, ``v2.0``, a year, ``rev5``), else ``(id, None)``.

    >>> split_edition("nist-csf-2.0"), split_edition("NIST_CSF_v2.0"), split_edition("iso27001-2022")
    (('nist_csf', '2.0'), ('nist_csf', '2.0'), ('iso27001', '2022'))
    >>> split_edition("nist-sp-800-53-rev5"), split_edition("NIST_SP-800-53_rev5"), split_edition("cps-234")
    (('nist_sp_800_53', 'rev5'), ('nist_sp_800_53', 'rev5'), ('cps_234', None))
    """
    match = _EDITION.match(name.strip())
    if not match or not match.group(1):
        return slug(name), None
    edition = re.sub(r"[-_ ]", "", match.group(2).lower())
    return slug(match.group(1)), edition

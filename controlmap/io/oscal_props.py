"""OSCAL ``props`` read by name and namespace, and the names and levels controlmap gives a catalog's parts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import BASE_IRI

__all__ = ["CM_NS", "FRAMEWORK_ID", "LEVELS", "PREFIX", "WITHDRAWN", "prop", "props", "slug"]

CM_NS = BASE_IRI + "vocab/"          # namespace of the props controlmap writes into OSCAL documents
WITHDRAWN = "withdrawn"
LEVELS = ("group", "control", "enhancement", WITHDRAWN)
FRAMEWORK_ID = re.compile(r"[a-z0-9_]+")            # what the SHACL shapes accept
PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


def props(obj: dict) -> Iterator[tuple[str, str, str]]:
    """``(name, value, ns)`` of each prop of an OSCAL object (props that are not objects are skipped)."""
    for item in obj.get("props") or []:
        if isinstance(item, dict):
            yield str(item.get("name", "")), str(item.get("value", "")), str(item.get("ns", ""))


def prop(obj: dict, name: str, ns: str = "") -> str | None:
    """The first prop ``name`` in namespace ``ns`` (no ``ns``: OSCAL's own, or none given); else None.

    Examples
    --------
    >>> ctl = {"props": [{"name": "label", "value": "AC-1"}, {"name": "label", "value": "x", "ns": "urn:o"}]}
    >>> prop(ctl, "label"), prop(ctl, "label", "urn:o"), prop(ctl, "status")
    ('AC-1', 'x', None)
    """
    for n, value, pns in props(obj):
        if n == name and (pns == ns or (not ns and pns.startswith("http://csrc.nist.gov/ns/oscal"))):
            return value
    return None


def slug(text: str, allowed: str = "0-9a-z_") -> str:
    """``text`` lower-cased with every run of other characters as ``_`` (``oscal`` when nothing is left).

    Examples
    --------
    >>> slug(" Rev 5.0 ", "0-9a-z_.-"), slug("!!")
    ('rev_5.0', 'oscal')
    """
    return re.sub(f"[^{allowed}]+", "_", text.strip().lower()).strip("_.-") or "oscal"

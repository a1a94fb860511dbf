"""The names CISO Assistant libraries and controlmap share: URNs, relationship words, default strengths."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import Control, Framework, Relation

__all__ = ["CISO_RELATION", "DEFAULT_STRENGTH", "RELATION_OF_CISO", "LibraryHead", "framework_urn", "local_id",
           "node_urn"]

RELATION_OF_CISO: dict[str, Relation] = {
    "equal": Relation.EQUAL,
    "subset": Relation.SUBSET_OF,
    "superset": Relation.SUPERSET_OF,
    "intersect": Relation.INTERSECTS_WITH,
    "not_related": Relation.NO_RELATIONSHIP,
}
CISO_RELATION: dict[Relation, str] = {v: k for k, v in RELATION_OF_CISO.items()}
# strength used when a library row gives no strength_of_relationship (counted in the set's description)
DEFAULT_STRENGTH: dict[Relation, int] = {
    Relation.EQUAL: 10, Relation.SUPERSET_OF: 10, Relation.SUBSET_OF: 5, Relation.INTERSECTS_WITH: 5,
    Relation.NO_RELATIONSHIP: 0,
}
_URN_SAFE = re.compile(r"[^0-9a-z\[\]()\-._]")


def _urn_token(text: str) -> str:
    return _URN_SAFE.sub("_", text.lower())


def framework_urn(framework: Framework) -> str:
    """The URN controlmap gives an edition in CISO Assistant libraries.

    Examples
    --------
    >>> framework_urn(Framework("jisq15001", "2017", "JISQ15001-2017", "t"))
    'urn:controlmap:risk:framework:jisq15001-2017'
    """
    return f"urn:controlmap:risk:framework:{_urn_token(framework.id)}-{_urn_token(framework.edition)}"


def node_urn(framework: Framework, control: Control) -> str:
    """The URN of a control's requirement node (lower case, as CISO Assistant stores URNs).

    Examples
    --------
    >>> fw = Framework("govt_unified_std", "2021", "GUS-R3", "t")
    >>> node_urn(fw, Control("GUS-R3:6.1.1(1)", fw.key, "6.1.1(1)", None, "item", "t"))
    'urn:controlmap:risk:req_node:govt_unified_std-2021:6.1.1(1)'
    """
    tail = framework_urn(framework).rsplit(":", 1)[1]
    return f"urn:controlmap:risk:req_node:{tail}:{_urn_token(control.notation)}"


def local_id(ref: str, nurn: str, furn: str, used: dict[str, str], position: int) -> str:
    """A node's local id: its ref_id; else (or when the ref_id repeats) its URN tail, then the URN past the
    framework's node prefix (``artículo-2.1``), then that with the node's position: always unique.

    Examples
    --------
    >>> furn = "urn:x:risk:framework:ens"
    >>> local_id("", "urn:x:risk:req_node:ens:art:2.1", furn, {}, 3)
    '2.1'
    >>> local_id("", "urn:x:risk:req_node:ens:art:2.1", furn, {"2.1": "u"}, 3)
    'art.2.1'
    """
    node_prefix = furn.replace(":framework:", ":req_node:", 1) + ":"
    rest = nurn[len(node_prefix):] if nurn.startswith(node_prefix) else nurn.rsplit(":", 1)[-1]
    for candidate in (ref, nurn.rsplit(":", 1)[-1], rest.replace(":", "."), f"{rest.replace(':', '.')}~{position}"):
        if candidate and candidate not in used:
            return candidate
    return f"node~{position}"


@dataclass(frozen=True)
class LibraryHead:
    """What a library's top level says about all it holds: its URN, version, provider, rights and date."""

    urn: str
    version: str
    provider: str
    copyright: str
    publication_date: str

    @classmethod
    def of(cls, doc: dict[str, Any]) -> LibraryHead:
        """The head of a library document that has a ``urn``.

        Examples
        --------
        >>> LibraryHead.of({"urn": "urn:l", "packager": "intuitem"})
        LibraryHead(urn='urn:l', version='1', provider='intuitem', copyright='', publication_date='')
        """
        return cls(urn=str(doc["urn"]), version=str(doc.get("version") or "1"),
                   provider=str(doc.get("provider") or doc.get("packager") or ""),
                   copyright=str(doc.get("copyright") or ""), publication_date=str(doc.get("publication_date") or ""))

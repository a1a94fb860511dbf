"""Which OSCAL model a file holds (read cheaply from its head), and the refusal of OSCAL XML and of non-catalogs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NoReturn

from ..errors import Problem, UnsupportedFormatError

__all__ = ["OSCAL_MODELS", "is_oscal_file", "oscal_model", "refuse_unsupported"]

#: OSCAL models that are not catalogs; controlmap names them when it refuses them
OSCAL_MODELS = ("profile", "component-definition", "system-security-plan", "assessment-plan",
                "assessment-results", "plan-of-action-and-milestones", "mapping-collection")
_OSCAL_NS = "http://csrc.nist.gov/ns/oscal/1.0"


def _head(path: Path) -> str | None:
    try:
        return path.read_bytes()[:4096].decode("utf-8", "ignore")
    except OSError:
        return None


def oscal_model(path: str | Path) -> str | None:
    """The OSCAL model at the top of a JSON/YAML/XML file (``catalog``, ``profile`` ...), read cheaply; or None."""
    p = Path(path)
    head = _head(p)
    if head is None:
        return None
    names = "|".join(re.escape(m) for m in ("catalog", *OSCAL_MODELS))
    if p.suffix.lower() == ".xml":
        found = re.search(rf"<({names})\b[^>]*xmlns=\"{re.escape(_OSCAL_NS)}\"", head)
    elif p.suffix.lower() == ".json":
        found = re.match(rf'\s*\{{\s*(?:"\$schema"\s*:\s*"[^"]*"\s*,\s*)?"({names})"\s*:', head)
    else:
        found = re.search(rf"^({names}):\s*$", head, re.M)
    return found.group(1) if found else None


def refuse_unsupported(path: str | Path) -> None:
    """Raise UnsupportedFormatError for OSCAL XML and for OSCAL models other than a catalog (names why)."""
    p = Path(path)
    model = oscal_model(p)
    if p.suffix.lower() == ".xml":
        _refuse_xml(p, model)
    if model and model != "catalog":
        _refuse_model(p, model)


def _refuse_xml(p: Path, model: str | None) -> NoReturn:
    what = f"OSCAL XML ({model})" if model else "XML"
    raise UnsupportedFormatError([Problem(str(p), 1, None, f"{what} is not read: controlmap reads OSCAL as "
                                          "JSON or YAML; convert it to JSON first (oscal-cli catalog convert "
                                          "--to=json) or use the JSON NIST publishes beside every XML file")])


def _refuse_model(p: Path, model: str) -> NoReturn:
    hint = (" (its imports are not resolved: load the resolved-profile catalog NIST publishes beside it, "
            "or the catalog it imports)" if model == "profile" else "")
    raise UnsupportedFormatError([Problem(str(p), 1, model, f"an OSCAL {model} is not read, only OSCAL "
                                          f"catalogs are{hint}")])


def is_oscal_file(path: str | Path) -> bool:
    """True when a .json/.yaml file's top level holds an OSCAL ``catalog`` (checked on the text, cheaply)."""
    p = Path(path)
    head = _head(p)
    if head is None:
        return False
    if p.suffix.lower() == ".json":
        return re.match(r'\s*\{\s*(?:"\$schema"\s*:\s*"[^"]*"\s*,\s*)?"catalog"\s*:', head) is not None
    return re.search(r"^catalog:\s*$", head, re.M) is not None

"""OSCAL parameter inserts (``{{ insert: param, id }}``) rendered NIST style: values, selection or label."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["local_params", "render_params"]

_INSERT = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")


def render_params(text: str, params: dict[str, dict], depth: int = 0) -> tuple[str, set[str]]:
    """``text`` with each ``{{ insert: param, id }}`` replaced; unknown ids stay as markers and are returned.

    Examples
    --------
    >>> params = {"p1": {"id": "p1", "label": "organization-defined frequency"},
    ...           "p2": {"id": "p2", "select": {"how-many": "one-or-more", "choice": ["daily", "weekly"]}},
    ...           "p3": {"id": "p3", "values": ["30 days"]}}
    >>> render_params("Review {{ insert: param, p1 }}; {{ insert: param, p2 }}; {{insert: param, p3}}.", params)[0]
    'Review [Assignment: organization-defined frequency]; [Selection (one or more): daily; weekly]; 30 days.'
    >>> render_params("{{ insert: param, nope }}", {})
    ('{{ insert: param, nope }}', {'nope'})
    """
    unknown: set[str] = set()

    def one(match: re.Match) -> str:
        pid = match.group(1)
        param = params.get(pid)
        if param is None or depth > 5:
            unknown.add(pid)
            return match.group(0)
        if param.get("values"):
            return ", ".join(str(v) for v in param["values"])
        select = param.get("select")
        if isinstance(select, dict):
            return _selection(select, params, depth, unknown)
        if param.get("label"):
            return f"[Assignment: {param['label']}]"
        unknown.add(pid)
        return match.group(0)

    return _INSERT.sub(one, text), unknown


def _selection(select: dict, params: dict[str, dict], depth: int, unknown: set[str]) -> str:
    choices = []
    for choice in select.get("choice") or []:
        rendered, missing = render_params(str(choice), params, depth + 1)
        unknown.update(missing)
        choices.append(rendered)
    many = " (one or more)" if select.get("how-many") == "one-or-more" else ""
    return f"[Selection{many}: {'; '.join(choices)}]"


def local_params(obj: dict, inherited: dict[str, Any]) -> dict[str, Any]:
    """The params a catalog, group or control sees: those it inherits, overridden by its own ``params``.

    Examples
    --------
    >>> sorted(local_params({"params": [{"id": "p2"}, {"label": "no id"}]}, {"p1": {"id": "p1"}}))
    ['p1', 'p2']
    """
    found = dict(inherited)
    for p in obj.get("params") or []:
        if isinstance(p, dict) and p.get("id"):
            found[str(p["id"])] = p
    return found

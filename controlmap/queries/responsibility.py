"""Whose duty a candidate is (市区町村 / 都道府県 / J-LIS / 委託先), from the scope, and the priority factor R."""

from __future__ import annotations

from ..model import RESPONSIBLE_BODIES, Provenance, Responsibility, Scope
from ..results import Candidate

__all__ = ["MUNICIPALITY", "OTHER_BODY_FACTOR", "rescore", "responsibility_entry", "responsibility_factor",
           "with_responsibility"]

MUNICIPALITY = RESPONSIBLE_BODIES[0]
#: R for a requirement whose primary body is not the municipality: not a 高 self-check item on its own.
OTHER_BODY_FACTOR = 0.5


def responsibility_entry(scope: Scope | None, targets: tuple[str, ...]) -> Responsibility | None:
    """The scope's ``responsibilities`` entry naming the first of ``targets`` that has one, or None."""
    if scope is None:
        return None
    return next((e for t in targets if (e := scope.responsibility_entry(t)) is not None), None)


def responsibility_factor(bodies: tuple[str, ...]) -> float:
    """R = 1.0 when the municipality is the primary body (or nothing is said), else OTHER_BODY_FACTOR.

    >>> responsibility_factor(("市区町村",)), responsibility_factor(("都道府県", "J-LIS"))
    (1.0, 0.5)
    """
    return 1.0 if not bodies or bodies[0] == MUNICIPALITY else OTHER_BODY_FACTOR


def rescore(c: Candidate, *, r: float, cap: int | None = None) -> tuple[int, dict[str, float]]:
    """Priority and factors of ``c`` with the responsibility factor ``r``, capped at ``cap`` when given.

    U and B are the candidate's own factors; E is recomputed exactly from the provenance of every
    target, so that a merged candidate's E covers all of them.
    """
    factors = dict(c.priority_factors)
    evidence = sum(1.0 if p is Provenance.READ else 0.7 for p in c.provenance) / (len(c.provenance) or 1)
    u, b = float(factors.get("U", 1.0)), float(factors.get("B", 1.0))
    prio = round(100 * u * evidence * b * r)
    factors.update({"E": round(evidence, 3), "R": r})
    if cap is not None:
        prio = min(prio, cap)
        factors["cap"] = float(cap)
    return prio, factors


def with_responsibility(c: Candidate, scope: Scope | None) -> Candidate:
    """``c`` with its responsibility (a ``responsibilities`` entry naming any target, else the default),
    the municipality's role, and a priority carrying the factor R."""
    from dataclasses import replace

    entry = responsibility_entry(scope, c.targets)
    bodies = entry.bodies if entry else ((scope.default_responsibility,) if scope else (MUNICIPALITY,))
    reason = c.reason
    if entry is not None:
        role = f" 市区町村の役割: {entry.municipal_role}" if entry.municipal_role else ""
        reason += f" 責任主体: {'、'.join(bodies)}({entry.reason}){role}"
    prio, factors = rescore(c, r=responsibility_factor(bodies), cap=_cap(c))
    return replace(c, responsibility=bodies, municipal_role=entry.municipal_role if entry else "",
                   reason=reason, priority=prio, priority_factors=factors)


def _cap(c: Candidate) -> int | None:
    cap = c.priority_factors.get("cap")
    return int(cap) if cap is not None else None

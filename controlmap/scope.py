"""Scope types: the controls a committee excluded for a scope, whose duty each control is, and merge groups."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

__all__ = ["RESPONSIBLE_BODIES", "Exclusion", "MergeGroup", "Responsibility", "Scope", "ScopeLike"]

RESPONSIBLE_BODIES = ("市区町村", "都道府県", "J-LIS", "委託先")


@dataclass(frozen=True, slots=True)
class Responsibility:
    """An in-scope control whose duty lies mainly with ``bodies`` (primary first), with the reason and what is
    left for the municipality (``municipal_role``)."""

    control_id: str
    bodies: tuple[str, ...]
    reason: str
    municipal_role: str = ""
    reviewer: str = ""
    date: str = ""
    origin: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class MergeGroup:
    """A curated group of target controls whose candidates ask the same thing and merge into ``primary``'s,
    its priority capped at ``priority_level`` (高/中/低, or "" for no cap)."""

    id: str
    title: str
    controls: tuple[str, ...]
    primary: str
    priority_level: str = ""
    reason: str = ""
    reviewer: str = ""
    date: str = ""
    origin: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A target control a reviewer marked not applicable for a scope, with the reason.

    >>> Exclusion("JISQ15001-2006:3.4.2.4", "住基ネットでは本人から直接取得しない").reason[:5]
    '住基ネット'
    """

    control_id: str
    reason: str
    reviewer: str = ""
    date: str = ""
    origin: str = field(default="", compare=False)
    responsibility: tuple[str, ...] = ()  # who holds the duty instead, primary first; () = not said


@dataclass(frozen=True, slots=True)
class Scope:
    """The controls a committee excluded for one scope (e.g. 住基ネット), whose duty each control is, and the
    curated groups of controls whose candidates merge into one.

    >>> s = Scope("juki_net", "住基ネット", (Exclusion("B:1", "対象外の業務"),))
    >>> s.reason("B:1"), s.reason("B:2")
    ('対象外の業務', None)
    """

    id: str
    title: str
    exclusions: tuple[Exclusion, ...] = ()
    description: str = ""
    default_responsibility: str = "市区町村"
    responsibilities: tuple[Responsibility, ...] = ()
    merges: tuple[MergeGroup, ...] = ()

    def reason(self, control_id: str) -> str | None:
        """The reason ``control_id`` is excluded (with 「(責任主体: …)」 when the entry names the body holding
        the duty instead), or None."""
        for e in self.exclusions:
            if e.control_id == control_id:
                return e.reason + (f"(責任主体: {'、'.join(e.responsibility)})" if e.responsibility else "")
        return None

    def responsibility_entry(self, control_id: str) -> Responsibility | None:
        """The ``responsibilities`` entry naming ``control_id``, or None."""
        return next((r for r in self.responsibilities if r.control_id == control_id), None)

    def responsibility(self, control_id: str) -> tuple[str, ...]:
        """Whose duty ``control_id`` is, primary body first: its entry's bodies, else the default.

        >>> Scope("s", "").responsibility("X:1")
        ('市区町村',)
        """
        entry = self.responsibility_entry(control_id)
        if entry is not None:
            return entry.bodies
        excluded = next((e for e in self.exclusions if e.control_id == control_id), None)
        if excluded is not None and excluded.responsibility:
            return excluded.responsibility
        return (self.default_responsibility,)


#: what the workflow functions take as ``scope``: a Scope, the name of a shipped scope (``"juki_net"``), the path
#: of a scope YAML file, or None for no exclusions
ScopeLike: TypeAlias = Scope | str | Path | None

"""Carry a scope's exclusions to another edition of the same framework through the edition crosswalks."""

from __future__ import annotations

from dataclasses import replace

from ..model import NO_TERM, Catalog, Exclusion, Relation, Scope

__all__ = ["scope_for"]


def scope_for(scope: Scope, catalog: Catalog, target: str) -> Scope:
    """``scope`` plus the exclusions its other-edition entries imply for the edition ``target``.

    An excluded clause of one edition makes a clause of ``target`` not applicable when a crosswalk
    row says the new clause asks the same (``equal``) or only part of it (the old clause is
    ``superset_of`` it). Carried exclusions keep the reason and say where they came from; an entry
    the scope already has for ``target`` always wins.

    Examples
    --------
    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> carried = scope_for(kg.scope("juki_net"), kg.catalog, "jisq15001@2017")
    >>> carried.reason("JISQ15001-2017:A.3.4.2.5") is not None
    True
    """
    fw = catalog.framework(target)
    excluded = {e.control_id: e for e in scope.exclusions}
    own = {cid for cid in excluded if catalog.has_control(cid) and catalog.control(cid).framework == fw.key}
    carried: dict[str, Exclusion] = {}
    for ms in catalog.mapping_sets:
        if ms.kind != "crosswalk" or fw.key not in (ms.subject_framework, ms.object_framework):
            continue
        for m in ms.mappings:
            if NO_TERM in (m.subject_id, m.object_id):
                continue
            old, new, relation = ((m.subject_id, m.object_id, m.relation) if ms.object_framework == fw.key
                                  else (m.object_id, m.subject_id, m.relation.inverse))
            if old not in excluded or new in own or new in carried:
                continue
            if relation in (Relation.EQUAL, Relation.SUPERSET_OF):
                source = excluded[old]
                carried[new] = replace(source, control_id=new, reason=(
                    f"{source.reason}({old} から版の対応表で繰越: {m.change_type or relation.value})"),
                    origin=source.origin)
    if not carried:
        return scope
    return replace(scope, exclusions=scope.exclusions + tuple(carried[k] for k in sorted(carried)))

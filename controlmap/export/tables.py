"""Model -> pandas DataFrames for analysts (controls, framework summaries, mappings)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ..model import NO_TERM, Catalog

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["controls_frame", "frameworks_frame", "mappings_frame"]


def controls_frame(catalog: Catalog, framework: str) -> pd.DataFrame:
    """Controls of one edition: id, notation, parent, level, title, summary, provenance, assessable."""
    import pandas as pd

    fw = catalog.framework(framework)
    rows = [{
        "id": c.id, "notation": c.notation, "parent": c.parent, "level": c.level, "title": c.title,
        "summary": c.summary, "source_ref": c.source_ref, "provenance": c.provenance.value,
        "assessable": catalog.is_assessable(c),
    } for c in catalog.controls_of(fw)]
    return pd.DataFrame(rows, columns=["id", "notation", "parent", "level", "title", "summary", "source_ref",
                                       "provenance", "assessable"]).set_index("id")


def framework_summary(catalog: Catalog) -> list[dict]:
    """Per edition: key, labels, counts per level (in the edition's level order) and R/I counts."""
    out = []
    for f in catalog.frameworks:
        controls = catalog.controls_of(f)
        levels = Counter(c.level for c in controls)
        order = list(f.levels) + sorted(set(levels) - set(f.levels))
        prov = Counter(c.provenance.value for c in controls)
        out.append({
            "framework": f.key, "title": f.title, "edition": f.edition_label or f.edition,
            "default": f.is_default, "completeness": f.completeness, "controls": len(controls),
            "assessable": len(catalog.assessable(f)),
            "levels": {lv: levels[lv] for lv in order if levels[lv]},
            "R": prov["R"], "I": prov["I"],
        })
    return out


def frameworks_frame(catalog: Catalog) -> pd.DataFrame:
    """framework_summary as a DataFrame, with the share of [R] rows."""
    import pandas as pd

    rows = []
    for s in framework_summary(catalog):
        total = s["controls"] or 1
        rows.append({**{k: v for k, v in s.items() if k != "levels"},
                     "levels": ", ".join(f"{k} {v}" for k, v in s["levels"].items()),
                     "share_R": round(s["R"] / total, 3)})
    return pd.DataFrame(rows).set_index("framework")


def mappings_frame(catalog: Catalog, subject: str | None = None, obj: str | None = None) -> pd.DataFrame:
    """Mapping rows with both titles, relation, strength, confidence and the set they belong to."""
    import pandas as pd

    s_key = catalog.framework(subject).key if subject else None
    o_key = catalog.framework(obj).key if obj else None

    def title(cid: str) -> str:
        return "" if cid == NO_TERM else catalog.control(cid).title

    rows = []
    for ms in catalog.mapping_sets:
        if (s_key and ms.subject_framework != s_key) or (o_key and ms.object_framework != o_key):
            continue
        for m in ms.mappings:
            rows.append({
                "subject_id": m.subject_id, "subject_title": title(m.subject_id), "relation": m.relation.value,
                "object_id": m.object_id, "object_title": title(m.object_id), "strength": m.strength,
                "confidence": m.confidence, "group": m.group or None,
                "combined_relation": m.combined_relation.value if m.combined_relation else None,
                "mapping_set": ms.id, "kind": ms.kind, "comment": m.comment,
            })
    return pd.DataFrame(rows)

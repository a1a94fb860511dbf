"""Sharing adopted items with other municipalities (``cm.sharing``): the redacted records and the export.

Offers everything :mod:`controlmap.cycle.sharing` exports, with :func:`~controlmap.export.sharing.export_shared`,
and ``controlmap share`` (:func:`share`), which also redacts the persons named in I-sheets. Another
municipality loads the written files as one more framework with its mappings:

>>> import tempfile
>>> from pathlib import Path
>>> import controlmap as cm
>>> folder = Path(tempfile.mkdtemp())
>>> found = cm.gaps(cm.load(), "mic", ["jisq15001"]).candidates
>>> for state, reason in (("under_review", "審議する"), ("adopted", "窓口がない。担当は山田さん")):
...     _ = cm.decisions.decide(folder / "decisions.yaml", "C-JISQ15001-2006-3.6", state, reviewer="委員会",
...                             reason=reason, day="2026-06-01", candidates=found)
>>> written = cm.sharing.share(folder / "decisions.yaml", folder / "shared")
>>> sorted(p.relative_to(folder / "shared").as_posix() for p in written)   # doctest: +NORMALIZE_WHITESPACE
['adopted-items.csv', 'mic_additional/controls.csv', 'mic_additional/framework.yaml',
 'mic_additional_jisq15001-2006.sssom.tsv']
>>> text = (folder / "shared" / "adopted-items.csv").read_text(encoding="utf-8")
>>> f"窓口がない。担当は{cm.sharing.REDACTED}" in text, "山田" in text     # the reason is shared, the name is not
(True, False)
>>> other = cm.load(folder / "shared" / "mic_additional", *(folder / "shared").glob("*.sssom.tsv"))
>>> other.catalog.control("MICADD:MIC-ADD-01").title
'苦情及び相談への対応'
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..cycle import sharing as _sharing
from ..cycle.sharing import *  # noqa: F403 -- the namespace re-exports the cycle module's __all__
from ..export.sharing import export_shared

__all__ = [*_sharing.__all__, "export_shared", "share"]  # the cycle module's names, then this module's own


def share(decisions: str | Path, output: str | Path, *, isheets: Iterable[str | Path] = ()) -> list[Path]:
    """Write the shareable files of a decisions file into ``output``; the persons in charge named in
    ``isheets`` are redacted from reasons too."""
    from .decisions import read_decisions
    from .isheet import read_isheet
    from .kg import load

    names = [r.responsible for path in isheets for r in read_isheet(path, strict=False).rows if r.responsible]
    return export_shared(read_decisions(decisions), load().catalog, output, names=names)

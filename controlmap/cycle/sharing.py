"""Share adopted items with other municipalities: items, reasons and mappings, without evidence or names.

``export_shared`` writes, into one directory:

* ``adopted-items.csv``    one row per adopted candidate (MIC-ADD-nn): its candidate id, check
  question, the reference requirements it was made from, the committee's reason, [R]/[I] tags;
* ``adopted-measures.csv`` adopted survey proposals (training, procedure changes), when any;
* ``mic_additional_<reference>.sssom.tsv`` the ``equal`` mappings of the items to each reference edition;
* ``mic_additional/framework.yaml`` + ``controls.csv`` so that ``controlmap.load()`` reads the items
  and the SSSOM files back.

What is left out: evidence, I-sheet contents, survey comments, reviewers and every other person's
name, the decision history. Reasons are kept, with every known name (reviewers, and any ``names``
given, e.g. the persons in charge of an I-sheet), e-mail addresses, phone numbers and words with
an honorific (〇〇さん, 〇〇様, 〇〇氏) replaced by ``(氏名削除)``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..normalize import norm
from .isheet.cells import neutralise

if TYPE_CHECKING:
    from ..model import Catalog
    from .decisions import Decisions

__all__ = ["MEASURE_COLUMNS", "SHARED_COLUMNS", "export_shared", "scrub", "shared_measures", "shared_records"]

SHARED_COLUMNS = ("id", "candidate_id", "title", "check_question", "relation", "targets", "target_titles",
                  "frameworks", "provenance", "suggested_chapter", "suggested_chapter_title", "reason", "adopted_on")
MEASURE_COLUMNS = ("id", "item", "title", "action", "measure", "reason", "adopted_on", "provenance")
REDACTED = "(氏名削除)"
_HONORIFIC = re.compile(r"[\u3005\u4e00-\u9fffァ-ヶー]{1,6}(?:さん|様|氏(?!名)|君|くん)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)0\d{1,4}-\d{1,4}-\d{3,4}(?!\d)")


def scrub(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with the given names, e-mail addresses, phone numbers and honorific-marked names redacted.

    Examples
    --------
    >>> scrub("山田さんの提案で採択。連絡先 yamada@example.jp", names=["佐藤 一郎"])
    '(氏名削除)の提案で採択。連絡先 (氏名削除)'
    >>> scrub("佐藤一郎委員が説明", names=["佐藤 一郎"])
    '(氏名削除)委員が説明'
    """
    out = norm(text) if text else ""
    out = _EMAIL.sub(REDACTED, out)
    out = _PHONE.sub(REDACTED, out)
    variants: set[str] = set()
    for name in names:
        n = norm(name)
        if len(n) < 2:
            continue
        variants |= {n, n.replace(" ", "")}
        variants |= {part for part in n.split(" ") if len(part) >= 2}
    for v in sorted(variants, key=len, reverse=True):
        out = out.replace(v, REDACTED)
    out = _HONORIFIC.sub(REDACTED, out)
    return re.sub(rf"(?:{re.escape(REDACTED)})+", REDACTED, out)


def _names(decisions: Decisions, extra: Iterable[str]) -> list[str]:
    found = {e.reviewer for d in decisions for e in d.history if e.reviewer}
    return sorted(found | {n for n in extra if n})


def shared_records(decisions: Decisions, *, names: Iterable[str] = ()) -> list[dict]:
    """The adopted candidates as records safe to share (see the module docstring for what is left out)."""
    known = _names(decisions, names)
    return [{
        "id": d.adopted_id, "candidate_id": d.id, "title": d.title, "check_question": d.check_question,
        "relation": "equal", "targets": "; ".join(d.targets), "target_titles": "; ".join(d.target_titles),
        "frameworks": "; ".join(d.frameworks), "provenance": d.provenance,
        "suggested_chapter": d.suggested_chapter, "suggested_chapter_title": d.suggested_chapter_title,
        "reason": scrub(d.reason, known), "adopted_on": d.adopted_on,
    } for d in decisions.adopted("candidate")]


def shared_measures(decisions: Decisions, *, names: Iterable[str] = ()) -> list[dict]:
    """The adopted survey proposals (measures for existing items) as records safe to share."""
    known = _names(decisions, names)
    return [{
        "id": d.id, "item": d.item, "title": d.title, "action": d.action, "measure": d.check_question,
        "reason": scrub(d.reason, known), "adopted_on": d.adopted_on, "provenance": d.provenance,
    } for d in decisions.adopted("proposal")]


def _csv(columns: tuple[str, ...], records: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: neutralise(str(rec[k])) for k in columns})
    return buf.getvalue()


def export_shared(decisions: Decisions, catalog: Catalog, out_dir: str | Path, *,
                  names: Iterable[str] = ()) -> list[Path]:
    """Write the shareable files into ``out_dir`` and return their paths."""
    from dataclasses import replace

    from ..io.sssom import write_sssom
    from ..model import MappingSet
    from .decisions import additional_catalog

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    known = _names(decisions, names)
    written: list[Path] = []
    records = shared_records(decisions, names=known)
    path = out / "adopted-items.csv"
    path.write_text(_csv(SHARED_COLUMNS, records), encoding="utf-8-sig")
    written.append(path)
    measures = shared_measures(decisions, names=known)
    if measures:
        path = out / "adopted-measures.csv"
        path.write_text(_csv(MEASURE_COLUMNS, measures), encoding="utf-8-sig")
        written.append(path)
    extra = additional_catalog(decisions, catalog)
    both = catalog.merge(extra)
    for ms in extra.mapping_sets:
        clean = MappingSet(**{**{f: getattr(ms, f) for f in ms.__dataclass_fields__}, "mappings": tuple(
            replace(m, author="", reviewer="", comment=scrub(m.comment, known)) for m in ms.mappings),
            "creators": ()})
        obj = ms.object_framework.replace("@", "-")
        path = out / f"mic_additional_{obj}.sssom.tsv"
        path.write_text(write_sssom(clean, both), encoding="utf-8")
        written.append(path)
    written += _framework_files(extra, out / "mic_additional")
    return written


def _framework_files(extra: Catalog, folder: Path) -> list[Path]:
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    fw = extra.frameworks[0]
    meta = {"id": fw.id, "edition": fw.edition, "prefix": fw.prefix, "title": fw.title, "publisher": fw.publisher,
            "edition_label": fw.edition_label, "completeness": fw.completeness, "description": fw.description,
            "levels": list(fw.levels), "controls": "controls.csv"}
    meta_path = folder / "framework.yaml"
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(("id", "parent", "level", "title", "summary", "source_ref", "provenance"))
    for c in extra.controls:
        writer.writerow((c.notation, "", c.level, c.title, c.summary, c.source_ref, c.provenance.value))
    controls_path = folder / "controls.csv"
    controls_path.write_text(buf.getvalue(), encoding="utf-8")
    return [meta_path, controls_path]

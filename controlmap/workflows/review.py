"""Review of suggested mappings (``cm.review``): the pure review, its files, and the ``suggest``/``review`` use cases.

Offers everything :mod:`controlmap.cycle.review` exports, with the readers of the reviewed-suggestions and
rejections files, the writer of the rejections file and the append to a curated SSSOM file. Accepted
suggestions become curated mappings; rejected pairs are never suggested again:

>>> import tempfile
>>> from pathlib import Path
>>> import controlmap as cm
>>> folder = Path(tempfile.mkdtemp())
>>> made = cm.review.suggest_file([], "mic", "jisq15001@2023", output=folder / "suggestions.sssom.tsv", top_k=1)
>>> len(made.mapping_set.mappings), made.rejected          # one suggestion per check item, none rejected yet
(117, 0)
>>> first, second = made.mapping_set.mappings[:2]
>>> done = cm.review.review_file(made.output, reviewer="山田", date="2026-11-26",
...                              accepted=[(first.subject_id, first.object_id)],
...                              rejected=[(second.subject_id, second.object_id)])
>>> done.curated[1], done.rejections[1], len(done.outcome.pending)
(1, 1, 115)
>>> again = cm.review.suggest_file([], "mic", "jisq15001@2023", rejections=done.rejections[0], top_k=1)
>>> again.rejected, (second.subject_id, second.object_id) in {(m.subject_id, m.object_id)
...                                                           for m in again.mapping_set.mappings}
(1, False)
>>> len(cm.load(done.curated[0]).catalog.mapping_sets) - len(cm.load().catalog.mapping_sets)
1
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..cycle import review as _review
from ..cycle.review import *  # noqa: F403 -- the namespace re-exports the cycle module's __all__
from ..cycle.review import (
    ACCEPT,
    REJECT,
    Rejection,
    ReviewOutcome,
    apply_review,
    parse_rejections,
    parse_reviewed,
    rejected_pairs,
)
from ..errors import DataError, Problem, ReviewError
from ..export.files import write_bytes, write_text
from ..export.review import format_rejections, write_rejections_file
from ..io.encoding import decode
from ..io.sssom import parse_sssom, resolve_ids, write_sssom
from ..model import BASE_IRI, REJECTIONS_NAME, Catalog, Mapping, MappingSet, Relation

__all__ = [  # the cycle module's names, then the files' and this module's own
    *_review.__all__,
    "ACCEPT", "REJECT", "REJECTIONS_NAME", "ReviewResult", "SuggestResult", "append_curated", "format_rejections",
    "read_rejections", "read_reviewed", "review_file", "suggest_file", "write_rejections",
]


def read_reviewed(path: str | Path, catalog: Catalog) -> tuple[MappingSet, dict[tuple[str, str], str],
                                                                  dict[tuple[str, str], str]]:
    """A suggestions file: (mapping set with catalog ids, decisions by pair, reviewers by pair)."""
    p = Path(path)
    text, by_line = parse_reviewed(decode(p.read_bytes(), str(p)), str(p))
    ms, problems = resolve_ids(parse_sssom(text, str(p), kind="suggested"), catalog)
    if problems:
        raise DataError(problems)
    decisions, reviewers = {}, {}
    for m in ms.mappings:
        line = int(m.origin.rpartition(":")[2])
        if line in by_line:
            decisions[(m.subject_id, m.object_id)] = by_line[line]
        if m.reviewer:
            reviewers[(m.subject_id, m.object_id)] = m.reviewer
    return ms, decisions, reviewers


def read_rejections(path: str | Path | None) -> tuple[Rejection, ...]:
    """Rejections from a file; none when the file does not exist yet."""
    if path is None or not Path(path).exists():
        return ()
    p = Path(path)
    return parse_rejections(decode(p.read_bytes(), str(p)), str(p))


def write_rejections(path: str | Path, new: Iterable[Rejection]) -> tuple[Path, int]:
    """Add rejections to the file (created when missing); returns the path and how many were new."""
    p = Path(path)
    old = read_rejections(p)
    known = rejected_pairs(old)
    added = [r for r in new if (r.subject_id, r.object_id) not in known]
    write_rejections_file(p, [*old, *added])
    return p, len(added)


def append_curated(path: str | Path, rows: Iterable[Mapping], catalog: Catalog, subject: str,
                   obj: str) -> tuple[Path, int]:
    """Append accepted rows to a curated SSSOM file, created when missing; returns (path, rows added).

    An existing file keeps its metadata and rows byte for byte; rows whose (subject, object) pair it
    already holds are skipped. A new file is a mapping set of its own (complete=false).
    """
    p = Path(path)
    rows = list(rows)
    s_fw, o_fw = catalog.framework(subject), catalog.framework(obj)
    if not p.exists():
        ms = MappingSet(
            id=f"{BASE_IRI}mappings/{s_fw.id}-{s_fw.edition}_{o_fw.id}-{o_fw.edition}-reviewed-{p.name.split('.')[0]}",
            title=f"レビュー済みの対応付け: {s_fw.title} → {o_fw.title}", subject_framework=s_fw.key,
            object_framework=o_fw.key, mappings=tuple(_unique(rows)), complete=False, kind="curated",
            description="controlmap suggest の提案をレビューで採用した対応付け。",
        )
        write_text(p, write_sssom(ms, catalog))
        return p, len(ms.mappings)
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError([Problem(str(p), None, None, "rows can only be appended to a UTF-8 file; "
                                 "save it as UTF-8 (it looks like cp932) and review again")]) from None
    existing, problems = resolve_ids(parse_sssom(text, str(p)), catalog)
    if problems:
        raise DataError(problems)
    if (existing.subject_framework, existing.object_framework) != (s_fw.key, o_fw.key):
        raise DataError([Problem(str(p), None, "subject_source",
                                 f"maps {existing.subject_framework} → {existing.object_framework}, "
                                 f"the accepted rows map {s_fw.key} → {o_fw.key}")])
    have = {(m.subject_id, m.object_id) for m in existing.mappings}
    new = [m for m in _unique(rows) if (m.subject_id, m.object_id) not in have]
    if not new:
        return p, 0
    header = next(line for line in text.splitlines() if line.strip() and not line.startswith("#")).split("\t")
    fresh = write_sssom(MappingSet(id="x", title="", subject_framework=s_fw.key, object_framework=o_fw.key,
                                   mappings=tuple(new)), catalog)
    body = [line for line in fresh.splitlines() if not line.startswith("#")]
    fresh_header = body[0].split("\t")
    rows_of = [dict(zip(fresh_header, r.split("\t"), strict=False)) for r in body[1:]]
    missing = [c for c in fresh_header if c not in header and any(cells.get(c) for cells in rows_of)]
    if missing:
        raise DataError([Problem(str(p), None, None, "the file has no column for " + ", ".join(missing)
                                 + "; add the column(s) to its header first")])
    lines = []
    for cells in rows_of:
        lines.append("\t".join(cells.get(c, "") for c in header))
    sep = "" if text.endswith("\n") else "\n"
    write_bytes(p, raw + (sep + "\n".join(lines) + "\n").encode("utf-8"))  # the old bytes stay as they were
    return p, len(new)


def _unique(rows: Iterable[Mapping]) -> list[Mapping]:
    out, seen = [], set()
    for m in rows:
        if (m.subject_id, m.object_id) not in seen:
            seen.add((m.subject_id, m.object_id))
            out.append(m)
    return out


# -- use cases: ``controlmap suggest`` and ``controlmap review`` ---------------------------------------------
@dataclass(frozen=True)
class SuggestResult:
    """What :func:`suggest_file` produced: the suggestions, their SSSOM text, and the rejected pairs skipped."""

    mapping_set: MappingSet
    text: str
    rejected: int
    rejections: Path
    output: Path | None = None


def suggest_file(files: Iterable[str | Path], source: str, target: str, *, output: Path | None = None,
                 rejections: Path | None = None, top_k: int = 5, min_score: float = 0.0, learn: bool = True,
                 include_curated: bool = False) -> SuggestResult:
    """Suggest mappings ``source`` → ``target`` (skipping rejected pairs); write them to ``output`` (TSV/JSON/TTL)."""
    from ..queries.suggest import suggest
    from .kg import load

    kg = load(*files)
    rejections_path = rejections or (output.parent if output else Path.cwd()) / REJECTIONS_NAME
    rejected = rejected_pairs(read_rejections(rejections_path))
    ms = suggest(kg.catalog, source, target, top_k=top_k, min_score=min_score, rejected=rejected, learn=learn,
                 include_curated=include_curated)
    text = write_sssom(ms, kg.catalog)
    if output is not None:
        from ..export.sssom import sssom_format, write_sssom_text

        write_text(output, text if sssom_format(output) == "tsv" else write_sssom_text(ms, kg.catalog, output))
    return SuggestResult(ms, text, len(rejected), rejections_path, output)


@dataclass(frozen=True)
class ReviewResult:
    """What :func:`review_file` did: the outcome, and (path, rows added) of the curated and rejections files."""

    outcome: ReviewOutcome
    curated: tuple[Path, int] | None = None
    rejections: tuple[Path, int] | None = None
    pruned: Path | None = None


def _verdicts(catalog: Catalog, accepted: Iterable[tuple[str, str]],
              rejected: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    decisions: dict[tuple[str, str], str] = {}
    for word, pairs in (("accept", accepted), ("reject", rejected)):
        for s, o in pairs:
            key = (catalog.control(s).id, catalog.control(o).id)
            if decisions.get(key, word) != word:
                raise ReviewError(f"{key[0]} → {key[1]} is both accepted and rejected")
            decisions[key] = word
    return decisions


def review_file(suggestions: Path, files: Iterable[str | Path] = (), *, reviewer: str = "",
                accepted: Iterable[tuple[str, str]] = (), rejected: Iterable[tuple[str, str]] = (),
                date: str | None = None, relation: Relation | str | None = None, strength: int | None = None,
                confidence: float | None = None, comment: str | None = None, to: Path | None = None,
                rejections: Path | None = None, prune: bool = False) -> ReviewResult:
    """Apply the review of a suggestions file: its ``review`` column, or the ``accepted``/``rejected`` pairs.

    Accepted rows are appended to ``to`` (default ``reviewed.sssom.tsv`` beside), rejected pairs to
    ``rejections`` (default ``rejections.tsv`` beside); ``prune`` leaves only undecided rows in the file.
    """
    from .kg import load

    catalog = load(*files).catalog
    ms, decisions, reviewers = read_reviewed(suggestions, catalog)
    accepted, rejected = list(accepted), list(rejected)
    if accepted or rejected:
        decisions = _verdicts(catalog, accepted, rejected)
    if not decisions:
        raise ReviewError("nothing to review: fill the 'review' column (accept/reject) or pass --accept/--reject")
    if not reviewer and any(k not in reviewers for k in decisions):
        raise ReviewError("--reviewer is needed (or a reviewer_label on every decided row)")
    outcome = apply_review(ms.mappings, decisions, reviewer, date=date, relation=relation, strength=strength,
                           confidence=confidence, comment=comment, reviewers=reviewers)
    result = ReviewResult(outcome)
    if outcome.accepted:
        curated = to or suggestions.with_name("reviewed.sssom.tsv")
        result = replace(result, curated=append_curated(curated, outcome.accepted, catalog, ms.subject_framework,
                                                        ms.object_framework))
    if outcome.rejected:
        path = rejections or suggestions.parent / REJECTIONS_NAME
        result = replace(result, rejections=write_rejections(path, outcome.rejected))
    if prune:
        write_text(suggestions, write_sssom(replace(ms, mappings=outcome.pending), catalog))
        result = replace(result, pruned=suggestions)
    return result

"""Review of suggested mappings: accepted rows become curated SSSOM rows, rejected pairs are remembered.

Rejections file
---------------
A small UTF-8 TSV (not SSSOM, so that no loader can ever count a rejected pair as a mapping)::

    # controlmap rejected suggestions: ...
    subject_id	object_id	predicate_id	reviewer_label	mapping_date	comment
    MIC:MIC-01-01	GUS-R3:2.1.1(3)	skos:broadMatch	山田	2026-11-26	監査責任者とは別の役割

``subject_id``/``object_id`` are controlmap control ids (``PREFIX:local``, the same strings as the
CURIEs of the shipped SSSOM files); ``predicate_id`` is the relation that was proposed, kept for the
record only: a rejected pair is never proposed again whatever the relation. Lines starting with ``#``
are comments.

Reviewed suggestions file
-------------------------
The SSSOM TSV written by ``controlmap suggest`` with one more column, ``review``, holding
``accept`` or ``reject`` (also ``yes``/``no``, ``ok``/``ng``, ``採用``/``却下``) or left empty for
undecided. A reviewer may edit ``predicate_id``, ``strength``, ``confidence``, ``comment`` and
``reviewer_label`` of a row before accepting it; the accepted row keeps those edits.

Pure: :mod:`controlmap.workflows.review` reads the files and appends to the curated one, and
:mod:`controlmap.export.review` writes the rejections file.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..errors import DataError, Problem, ReviewError
from ..model import Mapping, Relation
from ..rdfterms import SKOS_PREDICATE

__all__ = [
    "CURATED_JUSTIFICATION",
    "REJECTION_COLUMNS",
    "Rejection",
    "ReviewOutcome",
    "accept",
    "apply_review",
    "parse_rejections",
    "parse_reviewed",
    "reject",
    "rejected_pairs",
    "verdict",
]

CURATED_JUSTIFICATION = "semapv:ManualMappingCuration"
REJECTION_COLUMNS = ("subject_id", "object_id", "predicate_id", "reviewer_label", "mapping_date", "comment")
#: SSSOM predicate CURIE -> relation (skos:broadMatch -> subset_of, ...), from the core's one table
RELATION_OF = {f"skos:{iri.split('#')[-1]}": rel for rel, iri in SKOS_PREDICATE.items()}
_PENDING = "自動提案(未レビュー"
_ACCEPTED = "自動提案をレビューで採用("
ACCEPT = {"accept", "accepted", "yes", "y", "ok", "true", "1", "採用", "承認", "○", "◯"}
REJECT = {"reject", "rejected", "no", "n", "ng", "false", "0", "却下", "不採用", "×", "✕"}


@dataclass(frozen=True, slots=True)
class Rejection:
    """A (subject, object) pair a reviewer rejected, with who, when and why."""

    subject_id: str
    object_id: str
    relation: Relation | None = None
    reviewer: str = ""
    date: str = ""
    reason: str = ""
    origin: str = ""


@dataclass(frozen=True)
class ReviewOutcome:
    """What one review produced: curated rows, rejections, and the suggestions still undecided."""

    accepted: tuple[Mapping, ...] = ()
    rejected: tuple[Rejection, ...] = ()
    pending: tuple[Mapping, ...] = ()


def _today() -> str:
    return _dt.date.today().isoformat()


#: slots of a suggestion that say what the suggester measured; a curated row does not keep them
_SUGGESTER_SLOTS = frozenset({"similarity_score", "similarity_measure"})


def accept(m: Mapping, reviewer: str, *, date: str | None = None, relation: Relation | str | None = None,
           strength: int | None = None, confidence: float | None = None, comment: str | None = None) -> Mapping:
    """The curated row a reviewer makes of a suggestion (ManualMappingCuration, reviewer, date).

    Examples
    --------
    >>> s = Mapping("MIC:MIC-03-06", "GUS-R3:3.2.1(3)", Relation.SUBSET_OF, 3, 0.8,
    ...             "semapv:LexicalSimilarityThresholdMatching", author="controlmap suggest")
    >>> c = accept(s, "山田", date="2026-11-26", strength=4)
    >>> c.is_curated, c.reviewer, c.date, c.strength, c.relation.value
    (True, '山田', '2026-11-26', 4, 'subset_of')
    """
    if not reviewer:
        raise ReviewError("a reviewer name is needed to accept a suggestion")
    try:
        rel = Relation(relation) if relation is not None else m.relation
    except ValueError:
        raise ReviewError(f"unknown relation {relation!r}; use one of: "
                          + ", ".join(r.value for r in Relation)) from None
    if rel is Relation.NO_RELATIONSHIP:
        raise ReviewError("accepting as no_relationship is a rejection; use reject()")
    if strength is not None and not 0 <= strength <= 10:
        raise ReviewError(f"strength {strength} is outside 0–10")
    if confidence is not None and not 0.0 <= confidence <= 1.0:
        raise ReviewError(f"confidence {confidence} is outside 0–1")
    if comment is None and m.comment.startswith(_PENDING):
        comment = _ACCEPTED + m.comment[len(_PENDING):]
    return replace(
        m, relation=rel, strength=m.strength if strength is None else strength,
        confidence=m.confidence if confidence is None else confidence,
        justification=CURATED_JUSTIFICATION, reviewer=reviewer, date=date or _today(),
        comment=m.comment if comment is None else comment, origin="",
        extra=tuple((k, v) for k, v in m.extra if k not in _SUGGESTER_SLOTS),
    )


def reject(m: Mapping, reviewer: str, *, date: str | None = None, reason: str = "") -> Rejection:
    """The record of a rejected suggestion."""
    if not reviewer:
        raise ReviewError("a reviewer name is needed to reject a suggestion")
    return Rejection(m.subject_id, m.object_id, m.relation, reviewer, date or _today(), reason)


def rejected_pairs(rejections: Iterable[Rejection]) -> set[tuple[str, str]]:
    """The (subject id, object id) pairs never to propose again."""
    return {(r.subject_id, r.object_id) for r in rejections}


def verdict(text: str) -> str | None:
    """``accept``, ``reject`` or None (undecided) for a cell of the ``review`` column; ReviewError otherwise.

    >>> verdict(" 採用 "), verdict("NG"), verdict("")
    ('accept', 'reject', None)
    """
    word = text.strip().casefold()
    if not word:
        return None
    if word in ACCEPT:
        return "accept"
    if word in REJECT:
        return "reject"
    raise ReviewError(f"review must be accept or reject (or empty), not {text.strip()!r}")


def apply_review(suggestions: Iterable[Mapping], decisions: dict[tuple[str, str], str], reviewer: str, *,
                 date: str | None = None, relation: Relation | str | None = None, strength: int | None = None,
                 confidence: float | None = None, comment: str | None = None,
                 reviewers: dict[tuple[str, str], str] | None = None) -> ReviewOutcome:
    """Split suggestions by ``decisions`` ((subject, object) -> ``accept``/``reject``); pure.

    ``relation``/``strength``/``confidence``/``comment`` override what accepted rows say (the comment
    is the reason for rejected ones). ``reviewers`` gives a reviewer per pair (from the file's
    ``reviewer_label``); ``reviewer`` is used where none is given.
    """
    accepted, rejected, pending = [], [], []
    reviewers = reviewers or {}
    seen = set()
    for m in suggestions:
        key = (m.subject_id, m.object_id)
        seen.add(key)
        who = reviewers.get(key) or reviewer
        decision = decisions.get(key)
        if decision == "accept":
            accepted.append(accept(m, who, date=date, relation=relation, strength=strength,
                                   confidence=confidence, comment=comment))
        elif decision == "reject":
            rejected.append(reject(m, who, date=date, reason=comment or ""))
        else:
            pending.append(m)
    missing = sorted(set(decisions) - seen)
    if missing:
        raise ReviewError("not among the suggestions: " + ", ".join(f"{s} → {o}" for s, o in missing))
    return ReviewOutcome(tuple(accepted), tuple(rejected), tuple(pending))


# -- the reviewed suggestions file ---------------------------------------------------------------
def parse_reviewed(text: str, file: str) -> tuple[str, dict[int, str]]:
    """Split off the ``review`` column: (SSSOM text without it, line number -> accept/reject). Pure.

    Line numbers stay those of the file, so problems found later still point at the right line.
    """
    lines = text.splitlines()
    decisions: dict[int, str] = {}
    problems: list[Problem] = []
    column = None
    out = []
    for number, line in enumerate(lines, start=1):
        if line.startswith("#") or not line.strip():
            out.append(line)
            continue
        cells = line.split("\t")
        if column is None:  # the header row
            names = [c.strip() for c in cells]
            column = names.index("review") if "review" in names else -1
        elif column >= 0 and column < len(cells):
            try:
                v = verdict(cells[column])
            except ReviewError as err:
                problems.append(Problem(file, number, "review", str(err)))
                v = None
            if v:
                decisions[number] = v
        if column is not None and 0 <= column < len(cells):
            cells = cells[:column] + cells[column + 1:]
        out.append("\t".join(cells))
    if problems:
        raise DataError(problems)
    return "\n".join(out) + "\n", decisions


def parse_rejections(text: str, file: str) -> tuple[Rejection, ...]:
    """Rejections from the TSV text; every problem is raised together. Pure.

    >>> text = "subject_id\\tobject_id\\treviewer_label\\nMIC:MIC-01-01\\tGUS-R3:2.1.1(3)\\t山田\\n"
    >>> [(r.subject_id, r.object_id, r.reviewer) for r in parse_rejections(text, "rejections.tsv")]
    [('MIC:MIC-01-01', 'GUS-R3:2.1.1(3)', '山田')]
    """
    header: list[str] | None = None
    rows: list[Rejection] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#") or not line.strip():
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = cells
            for col in ("subject_id", "object_id"):
                if col not in header:
                    problems.append(Problem(file, number, col, f"missing column {col!r}"))
            if problems:
                raise DataError(problems)
            continue
        row = dict(zip(header, cells, strict=False))  # a short row leaves the last cells empty
        if len(cells) > len(header):
            problems.append(Problem(file, number, None, f"{len(cells)} cells, the header has {len(header)}"))
            continue
        if not row.get("subject_id") or not row.get("object_id"):
            problems.append(Problem(file, number, "subject_id", "subject_id and object_id are both needed"))
            continue
        rel = None
        pred = row.get("predicate_id", "")
        if pred:
            if pred in RELATION_OF:
                rel = RELATION_OF[pred]
            else:
                problems.append(Problem(file, number, "predicate_id", f"unknown predicate {pred!r}"))
                continue
        rows.append(Rejection(row["subject_id"], row["object_id"], rel, row.get("reviewer_label", ""),
                              row.get("mapping_date", ""), row.get("comment", ""), f"{file}:{number}"))
    if problems:
        raise DataError(problems)
    return tuple(rows)

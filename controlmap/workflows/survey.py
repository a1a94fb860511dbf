"""The staff survey (``cm.survey``): questionnaire, answers, rates and proposals, with their files.

Offers everything :mod:`controlmap.cycle.survey` and :mod:`controlmap.cycle.proposals` export, with the
readers of answers (CSV in UTF-8 or cp932, XLSX) and proposals, and the writers of the questionnaire and
proposals. The questionnaire asks the items that depend on staff practice; an item whose answers fall
below the threshold becomes a proposal to the committee:

>>> import os, tempfile
>>> import controlmap as cm
>>> folder = tempfile.mkdtemp()
>>> written, questions = cm.survey.new_questionnaire_file(os.path.join(folder, "survey.xlsx"))
>>> len(questions), questions[0].notation
(19, 'MIC-02-04')
>>> answers = os.path.join(folder, "answers.csv")
>>> rows = ["role,item,understood,practised,comment", "操作者,MIC-04-12,はい,いいえ,混雑時に忘れる",
...         "操作者,MIC-04-12,はい,はい,", "操作者,MIC-06-08,はい,はい,"]
>>> with open(answers, "w", encoding="utf-8") as f:
...     _ = f.write("\\n".join(rows))
>>> found = cm.survey.import_survey([answers], year=2026, output=os.path.join(folder, "proposals.csv"))
>>> found.answers, [(r.notation, r.practised_rate) for r in found.rates]
(3, [('MIC-04-12', 0.5), ('MIC-06-08', 1.0)])
>>> [(p.id, str(p.action)) for p in cm.survey.read_proposals(found.written)]   # practised by half: below 80%
[('P-2026-MIC-04-12', 'procedure')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..cycle import proposals as _proposals
from ..cycle import survey as _survey
from ..cycle.proposals import *  # noqa: F403 -- the namespace re-exports the cycle modules' __all__
from ..cycle.proposals import Proposal, make_proposals, parse_proposals
from ..cycle.survey import *  # noqa: F403
from ..cycle.survey import ItemRate, Question, SurveyAnswer, aggregate, parse_answers, questionnaire
from ..errors import DataError, Problem
from ..export.survey import proposals_markdown, rates_table, write_proposals, write_questionnaire

if TYPE_CHECKING:
    from ..model import Catalog

__all__ = [  # the cycle modules' names, then the files' and this module's own
    *_survey.__all__, *_proposals.__all__,
    "SurveyImport", "import_survey", "new_questionnaire_file", "proposals_markdown", "rates_table", "read_answers",
    "read_proposals", "write_proposals", "write_questionnaire",
]


def read_answers(*paths: str | Path, catalog: Catalog) -> list[SurveyAnswer]:
    """Answers from CSV (UTF-8 or cp932) and XLSX files; the problems of all files are raised together."""
    from ..io.table import read_csv, read_xlsx

    problems: list[Problem] = []
    out: list[SurveyAnswer] = []
    for path in paths:
        p = Path(path)
        try:
            if not p.exists():
                raise DataError([Problem(str(p), None, None, "no such file")])
            if p.suffix.lower() in (".xlsx", ".xlsm"):
                table = read_xlsx(p)
            elif p.suffix.lower() in (".csv", ".txt"):
                table = read_csv(p)
            else:
                raise DataError([Problem(str(p), None, None, "answers must be a .csv or .xlsx file")])
            out.extend(parse_answers(table, catalog))
        except DataError as err:
            problems.extend(err.problems)
    if problems:
        raise DataError(problems)
    return out


def read_proposals(path: str | Path) -> list[Proposal]:
    """Proposals from a CSV written by :func:`write_proposals`."""
    from ..io.table import read_csv

    if not Path(path).exists():
        raise DataError([Problem(str(path), None, None, "no such file; write it with 'controlmap survey import -o'")])
    return parse_proposals(read_csv(path))


# -- use cases: ``controlmap survey new/import`` -------------------------------------------------------------
def _catalogs(decisions: str | Path | None) -> tuple[Catalog, Catalog | None]:
    """The shipped catalog, and the adopted additional items of ``decisions`` (None without a file)."""
    from .decisions import additional_catalog, read_decisions
    from .kg import load

    catalog = load().catalog
    if decisions is None:
        return catalog, None
    return catalog, additional_catalog(read_decisions(decisions), catalog)


def new_questionnaire_file(output: str | Path, *, source: str = "mic", items: Sequence[str] | None = None,
                           decisions: str | Path | None = None) -> tuple[Path, list[Question]]:
    """Write the questionnaire (the practice items, or ``items``; adopted items of ``decisions`` too)."""
    catalog, extra = _catalogs(decisions)
    questions = questionnaire(catalog, source, items=items or None, extra=extra)
    return write_questionnaire(questions, output), questions


@dataclass(frozen=True)
class SurveyImport:
    """What :func:`import_survey` found and wrote."""

    answers: int
    rates: tuple[ItemRate, ...]
    proposals: tuple[Proposal, ...]
    written: Path | None = None
    registered: int | None = None


def import_survey(files: Iterable[str | Path], *, threshold: float = 0.8, year: int | None = None,
                  min_answers: int = 1, output: str | Path | None = None,
                  decisions: str | Path | None = None) -> SurveyImport:
    """Read answers, rate every item, propose measures below ``threshold``; write them to ``output`` and
    register them in ``decisions`` when given."""
    from .decisions import read_decisions, register, write_decisions

    catalog, extra = _catalogs(decisions)
    both = catalog.merge(extra) if extra is not None else catalog
    answers = read_answers(*files, catalog=both)
    rates = aggregate(answers, both)
    proposals = make_proposals(rates, threshold=threshold, year=year, min_answers=min_answers)
    written = write_proposals(proposals, output) if output else None
    registered = None
    if decisions:
        before = read_decisions(decisions)
        after = register(before, proposals)
        write_decisions(after, decisions)
        registered = len(after) - len(before)
    return SurveyImport(len(answers), rates, proposals, written, registered)

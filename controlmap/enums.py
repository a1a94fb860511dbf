"""The closed lists of the model: mapping relations (with their inverse and composition), provenance, answers.

Each is a :class:`~controlmap.labels.LabelledEnum`: the value is what files hold, ``label_ja`` what
people read, and ``parse`` reads the words people write. :mod:`controlmap.model` re-exports them.

>>> compose(Relation.EQUAL, Relation.SUBSET_OF), Provenance.RECONSTRUCTED.tag
(<Relation.SUBSET_OF: 'subset_of'>, '[I]')
>>> INVERSE[Relation.SUBSET_OF]
<Relation.SUPERSET_OF: 'superset_of'>
"""

from __future__ import annotations

from .labels import LabelledEnum

__all__ = ["ANSWER_WORDS", "INVERSE", "Provenance", "Relation", "SelfCheckStatus", "compose", "parse_answer"]


class Relation(LabelledEnum):
    """Set-theory relationship (NIST IR 8477) of a subject control to an object control.

    The value is the string written to files.

    >>> Relation.SUBSET_OF.inverse, Relation.EQUAL.label_ja, Relation.parse("superset of")
    (<Relation.SUPERSET_OF: 'superset_of'>, '同等', <Relation.SUPERSET_OF: 'superset_of'>)
    """

    EQUAL = "equal", "同等", "equivalent"
    SUBSET_OF = "subset_of", "一部のみ", "subset of"
    SUPERSET_OF = "superset_of", "包含する", "superset of"
    INTERSECTS_WITH = "intersects_with", "重なる", "intersects with"
    NO_RELATIONSHIP = "no_relationship", "関係なし", "no relationship"

    @property
    def inverse(self) -> Relation:
        """The relation read from the object's side."""
        return INVERSE[self]

    @property
    def covers(self) -> bool:
        """True for the relations that can cover an object on their own."""
        return self in (Relation.EQUAL, Relation.SUPERSET_OF)

    @property
    def rank(self) -> int:
        """Order of preference when choosing the best path (higher is stronger)."""
        return _RANK[self]


INVERSE: dict[Relation, Relation] = {
    Relation.EQUAL: Relation.EQUAL,
    Relation.SUBSET_OF: Relation.SUPERSET_OF,
    Relation.SUPERSET_OF: Relation.SUBSET_OF,
    Relation.INTERSECTS_WITH: Relation.INTERSECTS_WITH,
    Relation.NO_RELATIONSHIP: Relation.NO_RELATIONSHIP,
}

_RANK = {
    Relation.EQUAL: 4,
    Relation.SUPERSET_OF: 3,
    Relation.SUBSET_OF: 2,
    Relation.INTERSECTS_WITH: 1,
    Relation.NO_RELATIONSHIP: 0,
}

_E, _SUP, _SUB, _INT = (
    Relation.EQUAL,
    Relation.SUPERSET_OF,
    Relation.SUBSET_OF,
    Relation.INTERSECTS_WITH,
)
_COMPOSITION: dict[tuple[Relation, Relation], Relation] = {
    (_E, _E): _E, (_E, _SUP): _SUP, (_E, _SUB): _SUB, (_E, _INT): _INT,
    (_SUP, _E): _SUP, (_SUP, _SUP): _SUP, (_SUP, _SUB): _INT, (_SUP, _INT): _INT,
    (_SUB, _E): _SUB, (_SUB, _SUB): _SUB,
    (_INT, _E): _INT, (_INT, _SUB): _INT,
}  # fmt: skip


def compose(first: Relation, second: Relation) -> Relation | None:
    """Relation of A to C given ``A first B`` and ``B second C``; None when nothing follows.

    Examples
    --------
    >>> compose(Relation.SUPERSET_OF, Relation.EQUAL)
    <Relation.SUPERSET_OF: 'superset_of'>
    >>> compose(Relation.SUBSET_OF, Relation.SUPERSET_OF) is None
    True
    """
    return _COMPOSITION.get((first, second))


class Provenance(LabelledEnum):
    """How a row was obtained: read in a cited source (``R``), or reconstructed (``I``).

    >>> Provenance.READ.tag, Provenance.parse("[I]".strip("[]")).label_ja
    ('[R]', '再構成')
    """

    READ = "R", "出典で確認"
    RECONSTRUCTED = "I", "再構成"

    @property
    def tag(self) -> str:
        """The tag as printed in outputs: ``[R]`` or ``[I]``."""
        return f"[{self.value}]"


class SelfCheckStatus(LabelledEnum):
    """Answer to a check item on the MIC three-level scale, plus not applicable; the value is the label.

    :meth:`parse` also reads the marks and short words people write in a checklist (○ △ ×, 1 2 3, a b c, -).

    >>> SelfCheckStatus.parse("△"), SelfCheckStatus.lookup("たぶん") is None
    (<SelfCheckStatus.ESTABLISHED: '整備している'>, True)
    """

    OPERATING = "適切に運用している", "", "運用している", "○", "◯", "a", "1"
    ESTABLISHED = "整備している", "", "整備済", "△", "b", "2"
    NOT_ESTABLISHED = "整備していない", "", "未整備", "×", "c", "3"
    NOT_APPLICABLE = "該当なし", "", "-", "―", "対象外", "n/a"


#: every word a checklist cell or an I-sheet may hold for an answer (NFKC, case folded); declared on SelfCheckStatus
ANSWER_WORDS: dict[str, SelfCheckStatus] = SelfCheckStatus.words()


def parse_answer(raw: str) -> SelfCheckStatus | None:
    """The self-check status a cell means, or None when it means none of them.

    Examples
    --------
    >>> parse_answer("適切に運用している")
    <SelfCheckStatus.OPERATING: '適切に運用している'>
    >>> parse_answer("×"), parse_answer("たぶん")
    (<SelfCheckStatus.NOT_ESTABLISHED: '整備していない'>, None)
    """
    return SelfCheckStatus.lookup(raw)

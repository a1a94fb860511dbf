"""Text features of controls for suggestions: NFKC character n-grams, TF-IDF vectors, pair similarity.

Japanese has no spaces between words, so character 1–3-grams stand in for words. These are the
lexical half of :class:`controlmap.queries.suggest.Suggester` (which adds what curated rows teach)
and what the mapping lint measures ``equal`` rows with.

>>> v = TextVectorizer().fit(["入退室の記録", "暗号化"])
>>> sorted(v.vocabulary)[:3]
['の', 'の記', 'の記録']
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..model import Catalog, Control

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

__all__ = ["TextVectorizer", "char_ngrams", "control_text", "pair_similarity"]

_WORD = re.compile(r"\w+")


def char_ngrams(text: str, ngram_range: tuple[int, int] = (1, 3)) -> list[str]:
    """Character n-grams of ``text`` after NFKC and case folding, never across punctuation or spaces.

    Japanese has no spaces between words, so character n-grams stand in for words; 1-grams keep
    single-kanji words (鍵, 鍵管理), 2- and 3-grams the compounds (入退室, 暗号化).

    Examples
    --------
    >>> char_ngrams("入退室・ＩＤ", (2, 3))
    ['入退', '退室', '入退室', 'id']
    """
    low, high = ngram_range
    out: list[str] = []
    for seg in _WORD.findall(unicodedata.normalize("NFKC", text).casefold()):
        for n in range(low, high + 1):
            out.extend(seg[i:i + n] for i in range(len(seg) - n + 1))
    return out


def control_text(catalog: Catalog, control: Control, context: bool = True) -> str:
    """The text compared for one control: title, summary and text, plus the parent's title as context."""
    parts = [control.title, control.summary, control.text]
    if context and control.parent and catalog.has_control(control.parent):
        parts.append(catalog.control(control.parent).title)
    return " ".join(p for p in parts if p)


class TextVectorizer:
    """TF-IDF (sublinear tf, smoothed idf, L2-normalised rows) over :func:`char_ngrams`, as scipy CSR.

    Examples
    --------
    >>> v = TextVectorizer().fit(["入退室の記録", "入退室の管理", "暗号化"])
    >>> X = v.transform(["入退室の記録", "暗号化"])
    >>> round(float((X[0] @ X[0].T).toarray()[0, 0]), 6), float((X[0] @ X[1].T).toarray()[0, 0])
    (1.0, 0.0)
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 3)):
        self.ngram_range = ngram_range
        self.vocabulary: dict[str, int] = {}
        self.idf: np.ndarray | None = None

    def fit(self, docs: Sequence[str]) -> TextVectorizer:
        self._fit_counts(self._counts(docs))
        return self

    def transform(self, docs: Sequence[str]) -> sparse.csr_matrix:
        return self._matrix(self._counts(docs))

    def fit_transform(self, docs: Sequence[str]) -> sparse.csr_matrix:
        counts = self._counts(docs)
        self._fit_counts(counts)
        return self._matrix(counts)

    def _counts(self, docs: Sequence[str]) -> list[Counter]:
        return [Counter(char_ngrams(doc, self.ngram_range)) for doc in docs]

    def _fit_counts(self, counts: list[Counter]) -> None:
        import numpy as np

        df: Counter = Counter()
        for c in counts:
            df.update(c.keys())
        self.vocabulary = {g: j for j, g in enumerate(df)}
        self.idf = np.log((1 + len(counts)) / (1 + np.fromiter(df.values(), dtype=np.float64, count=len(df)))) + 1.0

    def _matrix(self, counts: list[Counter]) -> sparse.csr_matrix:
        import numpy as np
        from scipy import sparse

        vocab, idf = self.vocabulary, self.idf
        if idf is None:
            raise UsageError("TextVectorizer.transform before fit")
        indices: list[int] = []
        values: list[int] = []
        indptr = [0]
        for c in counts:
            for g, n in c.items():
                j = vocab.get(g)
                if j is not None:
                    indices.append(j)
                    values.append(n)
            indptr.append(len(indices))
        idx = np.asarray(indices, dtype=np.int64)
        data = (1.0 + np.log(np.asarray(values, dtype=np.float64))) * idf[idx] if idx.size else np.zeros(0)
        X = sparse.csr_matrix((data, idx, np.asarray(indptr)), shape=(len(counts), len(vocab)))
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ X)


def pair_similarity(catalog: Catalog, pairs: Iterable[tuple[str, str]], context: bool = True) -> list[float]:
    """Lexical cosine similarity (0–1) of each (control id, control id) pair, as the suggester measures it.

    IDF is fitted on every control of the editions involved. Used by the mapping lint to find
    ``equal`` rows between texts with almost nothing in common.

    Examples
    --------
    >>> import controlmap as cm
    >>> c = cm.load().catalog
    >>> same, other = pair_similarity(c, [("MIC:MIC-03-06", "MIC:MIC-03-06"), ("MIC:MIC-03-06", "MIC:MIC-05-07")])
    >>> round(same, 6), other < 0.1
    (1.0, True)
    """
    import numpy as np

    pairs = list(pairs)
    if not pairs:
        return []
    ids = sorted({cid for p in pairs for cid in p})
    editions = {catalog.control(cid).framework for cid in ids}
    corpus = [control_text(catalog, c, context) for c in catalog.controls if c.framework in editions]
    vec = TextVectorizer().fit(corpus)
    X = vec.transform([control_text(catalog, catalog.control(cid), context) for cid in ids])
    row = {cid: i for i, cid in enumerate(ids)}
    a = X[[row[s] for s, _ in pairs]]
    b = X[[row[o] for _, o in pairs]]
    return [float(v) for v in np.asarray(a.multiply(b).sum(axis=1)).ravel()]

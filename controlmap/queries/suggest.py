"""Text similarity -> proposed mappings (TF-IDF over NFKC character n-grams); never counted until reviewed."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import BASE_IRI, NO_TERM, Catalog, Control, Framework, Mapping, MappingSet, Relation
from ..normalize import norm
from .features import TextVectorizer, char_ngrams, control_text, pair_similarity

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

__all__ = [
    "AUTHOR",
    "DEFAULT_CALIBRATION",
    "JUSTIFICATION",
    "SIMILARITY_MEASURE",
    "Suggester",
    "TextVectorizer",
    "char_ngrams",
    "control_text",
    "curated_pairs",
    "pair_similarity",
    "suggest",
]

JUSTIFICATION = "semapv:LexicalSimilarityThresholdMatching"
AUTHOR = "controlmap suggest"

# Logistic calibration of the lexical score into the chance that a curated set maps the pair
# (intercept, slope), fitted by benchmarks/suggest_eval.py on the three shipped curated sets over every
# (source, target) pair of their editions. Refitted on held-out scores whenever :meth:`Suggester.learn` runs.
DEFAULT_CALIBRATION = (-5.3148, 24.6538)
#: the SSSOM similarity_measure of the similarity_score column (the ranking score, at most 1)
SIMILARITY_MEASURE = "cosine of TF-IDF vectors of NFKC character 1-3-grams"
SIMILARITY_MEASURE_LEARNED = (SIMILARITY_MEASURE + ", target profiles moved towards curated sources (Rocchio)"
                              " plus weighted nearest-neighbour votes, capped at 1")
# A pair this similar, with texts of comparable length, is proposed as ``equal``.
EQUAL_SIMILARITY = 0.55

@dataclass(frozen=True)
class _Learned:
    """What :meth:`Suggester.learn` fitted from curated rows."""

    profiles: sparse.csr_matrix     # target profile vectors (L2-normalised)
    train_rows: sparse.csr_matrix   # source vectors of the training subjects
    gold: np.ndarray                # training subject x target, 1 where curated
    knn_weight: float
    calibration: tuple[float, float]
    relation_of_target: dict[int, tuple[Relation, int]]
    relation_default: Relation | None
    n_rows: int


class Suggester:
    """Ranks target controls for each source control by Japanese text similarity.

    The score of (s, t) is the cosine of TF-IDF vectors over NFKC character 1–3-grams of title,
    summary and parent title. :meth:`learn` may add what curated rows teach: each target's profile
    moves towards the sources already mapped to it (Rocchio, shrunk for rarely mapped targets) and,
    where an inner cross-validation on the curated rows shows it helps, sources similar to already
    mapped ones propose the same targets (nearest neighbours). The confidence is the score passed
    through a logistic calibration.

    Examples
    --------
    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> s = Suggester(kg.catalog, "mic", "jisq15001")
    >>> [(m.object_id, m.relation.value) for m in s.suggest(top_k=1, sources=["MIC:MIC-06-10"]).mappings]
    [('JISQ15001-2006:3.4.3.1', 'equal')]
    """

    def __init__(self, catalog: Catalog, source: str | Framework, target: str | Framework, *,
                 ngram_range: tuple[int, int] = (1, 3), context: bool = True, assessable_only: bool = True):
        self.catalog = catalog
        self.source = source if isinstance(source, Framework) else catalog.framework(source)
        self.target = target if isinstance(target, Framework) else catalog.framework(target)
        pick = catalog.assessable if assessable_only else catalog.controls_of
        self.sources: list[Control] = pick(self.source)
        self.targets: list[Control] = pick(self.target)
        texts = [control_text(catalog, c, context) for c in (*self.sources, *self.targets)]
        self.vectorizer = TextVectorizer(ngram_range)
        X = self.vectorizer.fit_transform(texts)
        self.S = X[:len(self.sources)]
        self.T = X[len(self.sources):]
        self._lengths = [len(t) for t in texts]
        self.source_index = {c.id: i for i, c in enumerate(self.sources)}
        self.target_index = {c.id: j for j, c in enumerate(self.targets)}
        self.learned: _Learned | None = None

    # -- learning ------------------------------------------------------------------------------
    def training_pairs(self, mappings: Iterable[Mapping]) -> list[tuple[int, int, Relation]]:
        """(source index, target index, relation) of curated rows between the two editions, either way round."""
        out: list[tuple[int, int, Relation]] = []
        for m in mappings:
            if not m.is_curated or m.relation is Relation.NO_RELATIONSHIP:
                continue
            if m.subject_id in self.source_index and m.object_id in self.target_index:
                out.append((self.source_index[m.subject_id], self.target_index[m.object_id], m.relation))
            elif m.object_id in self.source_index and m.subject_id in self.target_index:
                out.append((self.source_index[m.object_id], self.target_index[m.subject_id], m.relation.inverse))
        return sorted(set(out), key=lambda p: (p[0], p[1], p[2].value))

    def learn(self, mappings: Iterable[Mapping], *, beta: float = 1.0, kappa: float = 3.0,
              knn_weights: Sequence[float] = (0.0, 0.1, 0.2), folds: int = 5, seed: int = 0) -> Suggester:
        """Fit on curated rows between the editions; returns ``self``. Without usable rows nothing changes."""
        import numpy as np

        pairs = self.training_pairs(mappings)
        if not pairs:
            self.learned = None
            return self
        subjects = np.array(sorted({s for s, _, _ in pairs}))
        row_of = {s: i for i, s in enumerate(subjects.tolist())}
        gold = np.zeros((subjects.size, len(self.targets)))
        for s, t, _ in pairs:
            gold[row_of[s], t] = 1.0
        train = self.S[subjects]
        weights = [0.0, *(w for w in knn_weights if w)]
        calibration = DEFAULT_CALIBRATION
        best_w = 0.0
        if subjects.size >= 2 * folds:  # inner cross-validation: choose the kNN weight and calibrate
            fold = np.random.default_rng(seed).permutation(subjects.size) % folds
            held = {w: np.zeros_like(gold) for w in weights}
            for f in range(folds):
                te, tr = np.where(fold == f)[0], np.where(fold != f)[0]
                profiles = _profiles(self.T, train[tr], gold[tr], beta, kappa)
                for w in weights:
                    held[w][te] = _score(train[te], profiles, train[tr], gold[tr], w)
            quality = {w: _mean_average_precision(held[w], gold) for w in weights}
            best_w = max(weights, key=lambda w: (round(quality[w], 4), -w))
            calibration = _fit_logistic(held[best_w].ravel(), gold.ravel()) or DEFAULT_CALIBRATION
        by_target: dict[int, Counter] = {}
        for _, t, rel in pairs:
            by_target.setdefault(t, Counter())[rel] += 1
        overall = Counter(rel for _, _, rel in pairs)
        self.learned = _Learned(
            profiles=_profiles(self.T, train, gold, beta, kappa), train_rows=train, gold=gold,
            knn_weight=best_w, calibration=calibration,
            relation_of_target={t: c.most_common(1)[0] for t, c in by_target.items()},
            relation_default=overall.most_common(1)[0][0], n_rows=len(pairs),
        )
        return self

    # -- scoring -------------------------------------------------------------------------------
    def scores(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Dense score matrix (selected sources x all targets)."""
        import numpy as np

        S = self.S if rows is None else self.S[np.asarray(rows, dtype=np.int64)]
        if self.learned is None:
            return (S @ self.T.T).toarray()
        lr = self.learned
        return _score(S, lr.profiles, lr.train_rows, lr.gold, lr.knn_weight)

    def lexical(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Plain cosine similarity (selected sources x all targets), whatever was learned."""
        import numpy as np

        S = self.S if rows is None else self.S[np.asarray(rows, dtype=np.int64)]
        return (S @ self.T.T).toarray()

    def confidence(self, scores: np.ndarray) -> np.ndarray:
        """Calibrated probability (0–1) that a curator would map the pair."""
        import numpy as np

        a, b = self.learned.calibration if self.learned else DEFAULT_CALIBRATION
        return 1.0 / (1.0 + np.exp(-(a + b * np.asarray(scores))))

    def top_k(self, k: int = 5, rows: np.ndarray | None = None, exclude: Set[tuple[int, int]] = frozenset(),
              chunk: int = 1024) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(source row, target column, score) of the best ``k`` targets per source, best first."""
        import numpy as np

        rows = np.arange(len(self.sources)) if rows is None else np.asarray(rows, dtype=np.int64)
        k = max(0, min(k, len(self.targets)))
        banned: dict[int, list[int]] = {}
        for s, t in exclude:
            banned.setdefault(s, []).append(t)
        out_r, out_c, out_s = [], [], []
        for start in range(0, rows.size, chunk):
            part = rows[start:start + chunk]
            M = self.scores(part)
            for i, r in enumerate(part.tolist()):
                if r in banned:
                    M[i, banned[r]] = -np.inf
            if k == 0:
                continue
            if k < M.shape[1]:
                top = np.argpartition(-M, k - 1, axis=1)[:, :k]
            else:
                top = np.tile(np.arange(M.shape[1]), (len(part), 1))
            vals = np.take_along_axis(M, top, axis=1)
            order = np.argsort(-vals, axis=1, kind="stable")
            top = np.take_along_axis(top, order, axis=1)
            vals = np.take_along_axis(vals, order, axis=1)
            keep = np.isfinite(vals)
            out_r.append(np.repeat(part, k).reshape(len(part), k)[keep])
            out_c.append(top[keep])
            out_s.append(vals[keep])
        if not out_r:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        return np.concatenate(out_r), np.concatenate(out_c), np.concatenate(out_s)

    # -- relations -----------------------------------------------------------------------------
    def guess_relation(self, source: int, target: int, lexical: float, fan_in: int) -> tuple[Relation, str]:
        """A relation for the reviewer to confirm, with the reason in words.

        ``equal`` when the titles are the same, or the texts are very similar and of comparable length;
        otherwise what curated rows to this target (or between the editions) most often say; otherwise, without curated
        rows, ``subset_of`` when the target is the best match of several sources (it is broader),
        ``superset_of`` when the target text is much shorter, else ``intersects_with``.
        """
        n_src = len(self.sources)
        ratio = self._lengths[n_src + target] / max(1, self._lengths[source])
        if norm(self.sources[source].title).casefold() == norm(self.targets[target].title).casefold():
            return Relation.EQUAL, "見出しが同一"
        if lexical >= EQUAL_SIMILARITY and 2 / 3 <= ratio <= 3 / 2:
            return Relation.EQUAL, f"文字n-gram類似度 {lexical:.2f} が高く長さも同程度"
        lr = self.learned
        if lr is not None:
            if target in lr.relation_of_target:
                rel, n = lr.relation_of_target[target]
                return rel, f"この対象への既存の対応付け {n} 件で最多の関係"
            if lr.relation_default is not None:
                return lr.relation_default, "両版間の既存の対応付けで最多の関係"
        if fan_in >= 2:
            return Relation.SUBSET_OF, f"対象は {fan_in} 件の点検項目の第1候補で、より広い要求とみられる"
        if ratio < 1 / 2:
            return Relation.SUPERSET_OF, "対象の文が短く、点検項目の方が広いとみられる"
        return Relation.INTERSECTS_WITH, "重なりはあるが包含関係は判断できない"

    def suggest(self, *, top_k: int = 5, min_score: float = 0.0, exclude: Iterable[tuple[str, str]] = (),
                sources: Iterable[str] | None = None, date: str | None = None) -> MappingSet:
        """A MappingSet of kind ``suggested``: the best ``top_k`` targets per source, confidence >= ``min_score``.

        ``exclude`` lists (source id, target id) pairs never to propose (rejected or already curated).
        """
        import numpy as np

        excl = {(self.source_index[s], self.target_index[t]) for s, t in exclude
                if s in self.source_index and t in self.target_index}
        rows = None
        if sources is not None:
            rows = np.array([self.source_index[self.catalog.control(s).id] for s in sources], dtype=np.int64)
        r, c, score = self.top_k(top_k, rows, excl)
        lexical = np.asarray(self.S[r].multiply(self.T[c]).sum(axis=1)).ravel() if r.size else np.zeros(0)
        conf = self.confidence(score)
        first = np.ones(r.size, dtype=bool)
        first[1:] = r[1:] != r[:-1]
        fan_in = Counter(c[first].tolist())
        rank = np.zeros(r.size, dtype=np.int64)
        for i in range(r.size):
            rank[i] = 1 if first[i] else rank[i - 1] + 1
        today = date or _dt.date.today().isoformat()
        method = "学習済み" if self.learned else "語彙のみ"
        rows_out = []
        for i in range(r.size):
            if conf[i] < min_score:
                continue
            rel, why = self.guess_relation(int(r[i]), int(c[i]), float(lexical[i]), fan_in[int(c[i])])
            confidence = round(float(conf[i]), 2)
            rows_out.append(Mapping(
                subject_id=self.sources[r[i]].id, object_id=self.targets[c[i]].id, relation=rel,
                strength=_strength(rel, confidence), confidence=confidence, justification=JUSTIFICATION,
                author=AUTHOR, date=today,
                comment=(f"自動提案(未レビュー, {method}): 文字n-gram類似度 {float(lexical[i]):.3f}, "
                         f"候補順位 {int(rank[i])}. 関係の推定: {why}"),
                extra=(("similarity_score", f"{min(1.0, max(0.0, float(score[i]))):.3f}"),),
            ))
        s, o = self.source, self.target
        return MappingSet(
            id=f"{BASE_IRI}suggestions/{s.id}-{s.edition}_{o.id}-{o.edition}",
            title=(f"自動提案(未レビュー): {s.title} {s.edition_label or s.edition} → "
                   f"{o.title} {o.edition_label or o.edition}"),
            subject_framework=s.key, object_framework=o.key, mappings=tuple(rows_out), complete=False,
            kind="suggested", version=today, creators=(AUTHOR,),
            extra=(("similarity_measure", SIMILARITY_MEASURE_LEARNED if self.learned else SIMILARITY_MEASURE),),
            description=("文字n-gram TF-IDF の類似度による対応付けの提案。レビューで採用されるまで網羅性の判定には"
                         "使われない(semapv:LexicalSimilarityThresholdMatching)。strength と関係は推定値。"),
        )


def _strength(relation: Relation, confidence: float) -> int:
    """A placeholder strength the reviewer corrects: confidence x 10, at most 5 unless equal/superset_of."""
    value = max(1, min(10, round(confidence * 10)))
    return value if relation.covers else min(value, 5)


def _profiles(T, train, gold, beta: float, kappa: float):
    """Target vectors moved towards the centroid of the training sources mapped to them (shrunk by count)."""
    import numpy as np
    from scipy import sparse

    G = sparse.csr_matrix(gold)
    count = np.asarray(G.sum(axis=0)).ravel()
    shrink = beta * count / (count + kappa) / np.maximum(count, 1.0)
    prof = sparse.csr_matrix(T + sparse.diags(shrink) @ (G.T @ train))
    norms = np.sqrt(np.asarray(prof.multiply(prof).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ prof)


def _score(S, profiles, train, gold, knn_weight: float):
    from scipy import sparse

    out = (S @ profiles.T).toarray()
    if knn_weight and train.shape[0]:
        knn = ((S @ train.T) @ sparse.csr_matrix(gold)).toarray()
        knn /= knn.max(axis=1, keepdims=True) + 1e-9
        out = out + knn_weight * knn
    return out


def _mean_average_precision(scores, gold) -> float:
    import numpy as np

    total, n = 0.0, 0
    for i in range(gold.shape[0]):
        if not gold[i].any():
            continue
        rel = gold[i][np.argsort(-scores[i], kind="stable")] > 0
        hits = np.flatnonzero(rel)
        total += float(np.mean((np.arange(hits.size) + 1) / (hits + 1)))
        n += 1
    return total / n if n else 0.0


def _fit_logistic(x, y, iterations: int = 50) -> tuple[float, float] | None:
    """Intercept and slope of a 1-D logistic regression by Newton's method; None when it cannot be fitted."""
    import numpy as np

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if y.min() == y.max():
        return None
    w = np.zeros(2)
    X = np.column_stack([np.ones_like(x), x])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(X @ w)))
        grad = X.T @ (y - p) - 1e-3 * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + 1e-3 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w += step
        if np.abs(step).max() < 1e-8:
            break
    return (round(float(w[0]), 4), round(float(w[1]), 4)) if np.all(np.isfinite(w)) else None


def curated_pairs(catalog: Catalog, source: Framework, target: Framework) -> set[tuple[str, str]]:
    """(source id, target id) pairs a curated set between the editions already states, either way round."""
    out = set()
    for ms in catalog.mapping_sets:
        if ms.kind == "suggested":
            continue
        for m in ms.mappings:
            if not m.is_curated or NO_TERM in (m.subject_id, m.object_id):
                continue
            if ms.subject_framework == source.key and ms.object_framework == target.key:
                out.add((m.subject_id, m.object_id))
            elif ms.subject_framework == target.key and ms.object_framework == source.key:
                out.add((m.object_id, m.subject_id))
    return out


def suggest(catalog: Catalog, source: str, target: str, *, top_k: int = 5, min_score: float = 0.0,
            rejected: Iterable[tuple[str, str]] = (), learn: bool = True, include_curated: bool = False,
            date: str | None = None) -> MappingSet:
    """Suggested mappings from ``source`` to ``target`` (a MappingSet of kind ``suggested``).

    Learns from the curated rows between the two editions when there are any (``learn``), never
    proposes a ``rejected`` pair, and skips pairs already curated unless ``include_curated``.

    Examples
    --------
    >>> import controlmap as cm
    >>> kg = cm.load()
    >>> ms = suggest(kg.catalog, "mic", "govt_unified_std", top_k=3, date="2026-01-01")
    >>> ms.kind, ms.complete, {m.justification for m in ms.mappings}
    ('suggested', False, {'semapv:LexicalSimilarityThresholdMatching'})
    >>> any(m.is_curated for m in ms.mappings)
    False
    """
    s = Suggester(catalog, source, target)
    if learn:
        s.learn(m for ms in catalog.mapping_sets if ms.kind != "suggested" for m in ms.mappings)
    exclude = set(rejected)
    if not include_curated:
        exclude |= curated_pairs(catalog, s.source, s.target)
    return s.suggest(top_k=top_k, min_score=min_score, exclude=exclude, date=date)

"""One text through a trained text classifier (and feature dicts through a linear tagger)
without scikit-learn's per-call checks.

``Pipeline.predict_proba([text])`` spends most of its time outside the arithmetic: input
validation, parameter checks and a joblib dispatch in ``FeatureUnion`` run on every call
(about 80% of the reader's time in a profile). ``TextScorer`` does only the arithmetic of
a fitted ``FeatureUnion`` of ``TfidfVectorizer``s feeding a linear classifier with
probabilities (our ``_text_classifier``), with the same operations in the same order (the
counts, sublinear tf, idf, the l2 norm by scikit-learn's own routine, scipy's sparse
product), so the probabilities are equal to the pipeline's bit for bit
(``tests/agent/test_nlu_inference.py`` compares them on every 25th corpus text). Any other
pipeline shape goes through ``predict_proba`` as before.
``predict_labels`` does the same for a ``DictVectorizer`` feeding a ``LogisticRegression``'s
``predict`` (the name tagger, the genre-polarity model).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from numbers import Number
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2


class _Vectorizer:
    """A fitted ``TfidfVectorizer``'s arithmetic for one text (l2 norm, idf on)."""

    def __init__(self, fitted: TfidfVectorizer) -> None:
        self.analyze: Callable[[str], list[str]] = fitted.build_analyzer()
        self.vocabulary: dict[str, int] = fitted.vocabulary_
        self.idf: np.ndarray = fitted.idf_
        self.sublinear = bool(fitted.sublinear_tf)
        self.width = len(self.vocabulary)

    def columns(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The row's column indices (sorted) and its values after tf-idf, before the norm."""
        counts: dict[int, int] = {}
        for feature in self.analyze(text):
            index = self.vocabulary.get(feature)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        indices = np.fromiter(sorted(counts), dtype=np.int32, count=len(counts))
        values = np.array([counts[i] for i in indices.tolist()], dtype=np.float64)
        if self.sublinear:
            np.log(values, values)
            values += 1.0
        values *= self.idf[indices]
        return indices, values


def _supported(pipeline: Pipeline) -> bool:
    if len(pipeline.steps) != 2:
        return False
    union, classifier = pipeline.steps[0][1], pipeline.steps[1][1]
    if not isinstance(union, FeatureUnion) or union.transformer_weights is not None:
        return False
    if not all(isinstance(t, TfidfVectorizer) and t.norm == "l2" and t.use_idf
               and not t.binary for _, t in union.transformer_list):
        return False
    # (a LogisticRegression's probabilities are a softmax: not this arithmetic)
    return type(classifier) is SGDClassifier and classifier.loss == "log_loss"


class TextScorer:
    """``predict_proba`` of one text through a supported pipeline (see the module)."""

    def __init__(self, pipeline: Pipeline) -> None:
        union, classifier = pipeline.steps[0][1], pipeline.steps[1][1]
        self.parts = [_Vectorizer(t) for _, t in union.transformer_list]
        self.width = sum(p.width for p in self.parts)
        # C order up front: scipy would otherwise copy the transposed view on every product
        self.coef_t = np.ascontiguousarray(classifier.coef_.T)
        self.intercept = classifier.intercept_

    def predict_proba(self, text: str) -> np.ndarray:
        indices, values, offset = [], [], 0
        for part in self.parts:
            # each vectorizer's row is normalised on its own, as FeatureUnion stacks them
            columns, row = part.columns(text)
            single = sp.csr_array((row, columns, np.array([0, len(columns)], dtype=np.int32)),
                                  shape=(1, part.width))
            inplace_csr_row_normalize_l2(single)
            indices.append(single.indices.astype(np.int32) + offset)
            values.append(single.data)
            offset += part.width
        stacked = np.concatenate(indices)
        features = sp.csr_array(
            (np.concatenate(values), stacked, np.array([0, len(stacked)], dtype=np.int32)),
            shape=(1, self.width))
        scores = features @ self.coef_t + self.intercept
        if scores.shape[1] == 1:
            positive = expit(scores.reshape(-1))
            return np.stack([1 - positive, positive], axis=1)[0]
        expit(scores, out=scores)
        total = scores.sum(axis=1)
        if total[0] == 0:  # every class at zero: uniform, as scikit-learn does
            scores[:] = 1
            total[:] = scores.shape[1]
        scores /= total.reshape((1, -1))
        return scores[0]


_scorers: weakref.WeakKeyDictionary[Pipeline, TextScorer | None] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def predict_proba(pipeline: Pipeline, text: str) -> Any:
    """``pipeline.predict_proba([text])[0]``, the same numbers, faster where the shape allows."""
    with _lock:
        if pipeline not in _scorers:
            _scorers[pipeline] = TextScorer(pipeline) if _supported(pipeline) else None
        scorer = _scorers[pipeline]
    if scorer is None:
        return pipeline.predict_proba([text])[0]
    return scorer.predict_proba(text)


class _Labeller:
    """``classifier.predict(vectorizer.transform(rows))`` for a fitted ``DictVectorizer``
    (sparse, sorted) and a linear classifier: the same sparse rows, the same product."""

    def __init__(self, vectorizer: DictVectorizer, classifier: LogisticRegression) -> None:
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.separator: str = vectorizer.separator
        self.dtype = vectorizer.dtype
        self.coef_t = np.ascontiguousarray(classifier.coef_.T)
        self.intercept = classifier.intercept_
        self.classes = classifier.classes_

    def predict(self, rows: list[dict[str, Any]]) -> np.ndarray | None:
        indices: list[int] = []
        values: list[Any] = []
        indptr = [0]
        for row in rows:
            found: list[tuple[int, Any]] = []
            for name, value in row.items():
                if isinstance(value, str):
                    name, value = f"{name}{self.separator}{value}", 1
                elif not isinstance(value, Number):
                    return None  # an iterable value: left to scikit-learn
                index = self.vocabulary.get(name)
                if index is not None:
                    found.append((index, self.dtype(value)))
            found.sort(key=lambda pair: pair[0])  # sort_indices(), as the vectorizer does
            indices += [i for i, _ in found]
            values += [v for _, v in found]
            indptr.append(len(indices))
        features = sp.csr_array(
            (np.array(values, dtype=self.dtype), np.array(indices, dtype=np.int32),
             np.array(indptr, dtype=np.int32)), shape=(len(rows), len(self.vocabulary)))
        scores = features @ self.coef_t + self.intercept
        if scores.shape[1] == 1:
            return np.take(self.classes, (scores.reshape(-1) > 0).astype(np.intp), axis=0)
        return np.take(self.classes, scores.argmax(axis=1), axis=0)


_labellers: weakref.WeakKeyDictionary[LogisticRegression, _Labeller | None] = \
    weakref.WeakKeyDictionary()


def predict_labels(vectorizer: DictVectorizer, classifier: LogisticRegression,
                   rows: list[dict[str, Any]]) -> Any:
    """``classifier.predict(vectorizer.transform(rows))``, the same labels, faster."""
    with _lock:
        if classifier not in _labellers:
            _labellers[classifier] = _Labeller(vectorizer, classifier) \
                if vectorizer.sparse and type(classifier) is LogisticRegression else None
        labeller = _labellers[classifier]
    labels = labeller.predict(rows) if labeller is not None and rows else None
    if labels is None:
        return classifier.predict(vectorizer.transform(rows))
    return labels

"""The reader's fast path gives scikit-learn's numbers exactly (bot/agent/nlu/inference.py).

If a change to the model's pipelines (features, classifier) left the fast arithmetic behind,
these comparisons fail instead of the reader's figures drifting silently.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.agent.intent.words import _GENRE, normalise
from bot.agent.nlu.features import mention_features
from bot.agent.nlu.generate import read_corpus
from bot.agent.nlu.inference import _scorers, predict_labels, predict_proba
from bot.agent.nlu.model import Understanding, _token_features, _without_moods, tokens, trained


@pytest.fixture(scope="module")
def model() -> Understanding:
    return trained()


@pytest.fixture(scope="module")
def texts() -> list[str]:
    corpus = read_corpus()
    # every split, typos and all; plus texts with no known n-gram at all
    return [r["text"] for r in corpus[::25]] + ["", "zzzq", "!!!", "Ünïcödé ßtraße 𝄞"]


def test_probabilities_equal_the_pipelines_bit_for_bit(model: Understanding,
                                                        texts: list[str]) -> None:
    pipelines = [model.intent, model.signal, model.polarity, model.criterion, model.popularity]
    compared = 0
    for text in texts:
        prepared = model.prepare(text)
        for pipeline in pipelines:
            for given in (prepared, _without_moods(prepared), text):
                expected = pipeline.predict_proba([given])[0]
                got = predict_proba(pipeline, given)
                assert got.dtype == expected.dtype and got.shape == expected.shape
                assert np.array_equal(got, expected), (given, got, expected)
                compared += 1
    assert compared >= 3 * 5 * 400
    # every pipeline of the model took the fast path (none fell back to predict_proba)
    assert all(_scorers.get(p) is not None for p in pipelines)


def test_labels_equal_the_taggers(model: Understanding, texts: list[str]) -> None:
    names = mentions = 0
    for text in texts:
        words = [w for w, _, _ in tokens(text)]
        if words:
            rows = [_token_features(words, i, model.known_words) for i in range(len(words))]
            expected = model.names.predict(model.name_vectors.transform(rows))
            assert list(predict_labels(model.name_vectors, model.names, rows)) == list(expected)
            names += 1
        said = normalise(text)
        for match in _GENRE.finditer(said):
            rows = [mention_features(said, *match.span())]
            expected = model.genre_polarity.predict(model.genre_vectors.transform(rows))
            got = predict_labels(model.genre_vectors, model.genre_polarity, rows)
            assert list(got) == list(expected)
            mentions += 1
    assert names > 400 and mentions > 20


def test_an_unsupported_pipeline_goes_through_scikit_learn() -> None:
    # a logistic regression's probabilities are a softmax, not the fast path's arithmetic
    texts = ["calm songs please", "more upbeat", "why number two", "i love it"] * 3
    labels = ["recommend", "rerank", "explain", "feedback"] * 3
    pipeline = Pipeline([
        ("features", FeatureUnion([("words", TfidfVectorizer())])),
        ("classify", LogisticRegression(max_iter=200)),
    ]).fit(texts, labels)
    got = predict_proba(pipeline, "calm please")
    assert _scorers[pipeline] is None
    assert np.array_equal(got, pipeline.predict_proba(["calm please"])[0])

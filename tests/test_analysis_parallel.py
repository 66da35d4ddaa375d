"""Analysis on a process pool (training side by side, chunks on workers) equals the
in-process analysis, row for row."""

from __future__ import annotations

import gc
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, select

from compare.analysis import run, text, training
from compare.analysis.run import analyze_database
from compare.analysis.sentiment.base_models import load_base
from compare.analysis.sentiment.bundle import load_bundle
from compare.analysis.sentiment.classifier import SentimentClassifier
from compare.analysis.sentiment.opinion import load_detector
from compare.analysis.sentiment.vectorizer import FeatureVectorizer
from compare.analysis.tables import ASPECT_MENTION, KEY_PHRASE, REVIEW_ANALYSIS, REVIEW_SENTENCE
from compare.analysis.text import lemma, tokenize
from compare.analysis.training import TrainingJob, train_bundle
from storage.db import open_database
from tests.sample_reviews import french_ratings
from tests.test_analysis_run import (
    POLISH_BAD,
    POLISH_GOOD,
    PORTUGUESE_BAD,
    PORTUGUESE_GOOD,
    add_reviews,
    polish_rated,
    portuguese_rated,
    rated,
)


def _reviews() -> list[dict[str, object]]:
    # stored languages: detecting one would load lingua here, and the pool would then spawn
    unrated = [{"text": "The delivery was late, but the quality is great.", "language": "en"}] * 5
    return [*rated(160, "fr"), *portuguese_rated(30), *polish_rated(30), *unrated]


def _stored(engine: Engine) -> list[list[tuple[object, ...]]]:
    queries = [
        select(
            REVIEW_ANALYSIS.c.review_id,
            REVIEW_ANALYSIS.c.language,
            REVIEW_ANALYSIS.c.polarity,
            REVIEW_ANALYSIS.c.label,
            REVIEW_ANALYSIS.c.model,
        ).order_by(REVIEW_ANALYSIS.c.review_id),
        select(
            REVIEW_SENTENCE.c.review_id,
            REVIEW_SENTENCE.c.position,
            REVIEW_SENTENCE.c.polarity,
            REVIEW_SENTENCE.c.aspects,
        ).order_by(REVIEW_SENTENCE.c.review_id, REVIEW_SENTENCE.c.position),
        select(
            ASPECT_MENTION.c.review_id, ASPECT_MENTION.c.aspect, ASPECT_MENTION.c.label
        ).order_by(ASPECT_MENTION.c.id),
        select(KEY_PHRASE.c.review_id, KEY_PHRASE.c.phrase).order_by(KEY_PHRASE.c.id),
    ]
    with engine.connect() as connection:
        return [[tuple(row) for row in connection.execute(query)] for query in queries]


def test_pool_analysis_equals_in_process_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = []
    for workers in (1, 2):
        engine = open_database(f"sqlite:///{tmp_path}/w{workers}.db")
        add_reviews(engine, _reviews())
        # a pool for any number of reviews, and small chunks so several are in flight
        monkeypatch.setattr(run, "IN_PROCESS_BELOW", 1)
        monkeypatch.setattr(run, "CHUNK", 20)
        summary = analyze_database(
            engine, progress=False, models_dir=tmp_path / f"m{workers}", workers=workers
        )
        assert summary.analyzed == 225
        assert summary.model_trained
        assert {"pt", "fr", "multi"} <= set(summary.model_languages)
        assert set(summary.model_guard) == {"fr", "pl"}
        stored.append(_stored(engine))
        engine.dispose()
    assert stored[0] == stored[1]
    assert len(stored[0][0]) == 225
    one, two = load_bundle(tmp_path / "m1" / "v0001"), load_bundle(tmp_path / "m2" / "v0001")
    assert one.pooled_languages == two.pooled_languages == {"pt": 30}
    assert one.guard == two.guard
    for language in ("fr", "multi"):
        assert one.classifiers[language].vectorizer.vocabulary == (
            two.classifiers[language].vectorizer.vocabulary
        )
        assert np.array_equal(
            one.classifiers[language].model.coef, two.classifiers[language].model.coef
        )


def _polish_ratings() -> list[tuple[str, str]]:
    """15 positive and 15 negative Polish ratings."""
    return [(POLISH_GOOD[i % 2], "positive") for i in range(15)] + [
        (POLISH_BAD[i % 2], "negative") for i in range(15)
    ]


def test_train_bundle_on_a_pool_equals_training_in_process() -> None:
    examples = {
        "fr": french_ratings(120),
        "pt": [(PORTUGUESE_GOOD[i % 2], "positive") for i in range(15)]
        + [(PORTUGUESE_BAD[i % 2], "negative") for i in range(15)],
        "pl": _polish_ratings(),
    }
    alone = train_bundle(examples, "test data")
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = train_bundle(examples, "test data", pool=pool)
    assert list(pooled.classifiers) == list(alone.classifiers)
    assert {"fr", "multi"} <= set(alone.classifiers)
    assert pooled.pooled_languages == alone.pooled_languages == {"pt": 30}
    assert pooled.guard == alone.guard and set(alone.guard) == {"fr", "pl"}
    texts = ["Excellente qualité !", "Horrible, cassé.", "Entrega rápida"]
    for language in ("fr", "multi"):
        assert pooled.classifiers[language].score(texts) == alone.classifiers[language].score(texts)


def test_training_on_a_pool_hands_its_lemmas_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # analysis workers are forked after training: they inherit these lemmas instead of
    # lemmatising the rated reviews again
    monkeypatch.setattr(text, "_LEMMA_MEMO", {})
    examples = {
        "pl": _polish_ratings(),
        "fr": french_ratings(120),
    }
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("fork")) as pool:
        train_bundle(examples, "test data", pool=pool)
    handed = {language: dict(found) for language, found in text._LEMMA_MEMO.items()}
    polish = set(tokenize(" ".join(POLISH_GOOD + POLISH_BAD)))
    assert polish <= set(handed.get("pl", {}))
    monkeypatch.setattr(text, "_LEMMA_MEMO", {})
    assert all(lemma(token, "pl") == handed["pl"][token] for token in polish)


def _copy(vectorizer: FeatureVectorizer) -> FeatureVectorizer:
    """``vectorizer`` as a process that loads it has it (its pickled state)."""
    copy = FeatureVectorizer.__new__(FeatureVectorizer)
    copy.__setstate__(vectorizer.__getstate__())
    return copy


def _fresh_vectorizer(model: Any, monkeypatch: pytest.MonkeyPatch) -> FeatureVectorizer:
    """A copy of ``model``'s vectorizer put in its place for the test: the columns handed to
    it are those of this test's training, none found by an earlier test."""
    fresh = _copy(model.vectorizer)
    monkeypatch.setattr(model, "vectorizer", fresh)
    return fresh


def _train_polish_on_pool() -> set[str]:
    """The Polish ratings trained on a pool of forked processes; their tokens."""
    examples = {"pl": _polish_ratings()}
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("fork")) as pool:
        train_bundle(examples, "test data", pool=pool)
    return set(tokenize(" ".join(POLISH_GOOD + POLISH_BAD)))


def _assert_handed(fresh: FeatureVectorizer, model: Any, tokens: set[str]) -> None:
    """``fresh`` holds the columns of ``tokens``, the same that a copy of ``model``'s
    vectorizer finds itself."""
    handed = dict(fresh._char_columns)
    assert tokens <= set(handed)
    again = _copy(model.vectorizer)
    assert all(again._char_columns[token] == handed[token] for token in tokens)


def test_training_on_a_pool_hands_the_base_models_columns_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # training scores the ratings with their base model; the analysis workers, forked after
    # it, score the same reviews with it: they inherit its character n-gram columns
    base = load_base("pl")
    assert base is not None
    fresh = _fresh_vectorizer(base, monkeypatch)
    _assert_handed(fresh, base, _train_polish_on_pool())


def test_training_on_a_pool_hands_the_opinion_detectors_columns_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # training never reads the Polish opinion detector; the analysis workers, forked after
    # it, read the same reviews with it: they inherit its columns of the ratings' tokens
    detector = load_detector("pl")
    assert detector is not None
    fresh = _fresh_vectorizer(detector, monkeypatch)
    base = load_base("pl")
    assert base is not None
    _fresh_vectorizer(base, monkeypatch)  # the base model finds the tokens anew
    _assert_handed(fresh, detector, _train_polish_on_pool())


@pytest.mark.parametrize("workers", [1, 2])
def test_the_trained_classifiers_columns_are_handed_to_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    # the classifiers trained on the ratings (fr's own, the pooled one) found their
    # character n-gram columns for the rated reviews in training; the analysis (its workers
    # forked after it) reads the saved model again and scores the same reviews: it gets them
    analysed: dict[str, dict[str, bytes]] = {}
    fresh: dict[str, FeatureVectorizer] = {}
    analyse = run._analyse_pending

    def recorded(engine: Engine, job: Any, bundle: Any, *args: Any) -> Any:
        for key, classifier in bundle.classifiers.items():
            if isinstance(classifier, SentimentClassifier):
                analysed[key] = dict(classifier.vectorizer._char_columns)
                fresh[key] = FeatureVectorizer.__new__(FeatureVectorizer)
                fresh[key].__setstate__(classifier.vectorizer.__getstate__())
        return analyse(engine, job, bundle, *args)

    monkeypatch.setattr(run, "_analyse_pending", recorded)
    monkeypatch.setattr(run, "IN_PROCESS_BELOW", 1)
    engine = open_database(f"sqlite:///{tmp_path}/fr.db")
    add_reviews(engine, _reviews())
    summary = analyze_database(engine, progress=False, models_dir=tmp_path / "m", workers=workers)
    engine.dispose()
    assert summary.model_trained and {"fr", "multi"} <= set(analysed)
    french = set(tokenize(" ".join(text for text, _ in french_ratings(160))))
    assert french <= set(analysed["fr"])
    assert set(tokenize(" ".join(PORTUGUESE_GOOD + PORTUGUESE_BAD))) <= set(analysed["multi"])
    # the same columns the analysis finds itself
    for key, columns in analysed.items():
        assert all(fresh[key]._char_columns[token] == found for token, found in columns.items())


def test_a_languages_function_words_are_learnt_where_its_ratings_were_lemmatised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # learning a language's function words lemmatises its newest reviews, mostly its rated
    # ones: on a process of its own it lemmatised again what the training job had
    handed: list[tuple[str | None, str]] = []
    remember = training.remember_lemmas

    def recorded(found: dict[str | None, dict[str, str]]) -> None:
        handed.extend((language, token) for language, lemmas in found.items() for token in lemmas)
        remember(found)

    monkeypatch.setattr(training, "remember_lemmas", recorded)
    monkeypatch.setattr(text, "_LEMMA_MEMO", {})
    monkeypatch.setattr(text, "_HANDED", {})
    monkeypatch.setattr(run, "IN_PROCESS_BELOW", 1)
    engine = open_database(f"sqlite:///{tmp_path}/pl.db")
    add_reviews(engine, polish_rated(30))
    summary = analyze_database(engine, progress=False, models_dir=tmp_path / "m", workers=2)
    engine.dispose()
    assert summary.model_trained and "pl" in summary.model_guard
    polish = set(tokenize(" ".join(POLISH_GOOD + POLISH_BAD)))
    # each of the reviews' tokens lemmatised (and handed over) once
    assert sorted(t for language, t in handed if language == "pl" and t in polish) == sorted(polish)


def test_a_vectoriser_hands_each_columns_over_once() -> None:
    base = load_base("pl")
    assert base is not None
    vectorizer = FeatureVectorizer.__new__(FeatureVectorizer)
    vectorizer.__setstate__(base.vectorizer.__getstate__())
    vectorizer.transform([["szybka", "dostawa"]])
    first = vectorizer.new_char_columns()
    assert set(first) == {"szybka", "dostawa"}
    assert vectorizer.new_char_columns() == {}
    vectorizer.transform([["dostawa", "paczki"]])
    assert set(vectorizer.new_char_columns()) == {"paczki"}
    other = FeatureVectorizer.__new__(FeatureVectorizer)
    other.__setstate__(base.vectorizer.__getstate__())
    other.remember_char_columns(first)
    assert dict(other._char_columns) == first
    # what it was handed is not handed back (by it, or by a process forked from it)
    assert other.new_char_columns() == {}
    assert (other.transform([["szybka"]]) != vectorizer.transform([["szybka"]])).nnz == 0


def test_a_pool_process_hands_each_lemma_over_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # the training's calls are many and short (a guard's folds): handing the whole memo
    # back after each one pickled every lemma again and again
    monkeypatch.setattr(text, "_LEMMA_MEMO", {})
    text.lemmas(["szybka", "dostawa"], "pl")
    assert text.new_lemmas() == {
        "pl": {"szybka": lemma("szybka", "pl"), "dostawa": lemma("dostawa", "pl")}
    }
    assert text.new_lemmas() == {}
    text.lemmas(["dostawa", "paczki"], "pl")
    text.lemmas(["delivery"], "en")
    assert text.new_lemmas() == {
        "pl": {"paczki": lemma("paczki", "pl")},
        "en": {"delivery": "delivery"},
    }


class _NotRun(Exception):
    pass


class _Recording(Executor):
    """Records the language of each training job submitted, runs none of them."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        first = args[1][0]
        self.keys.append(first.key if isinstance(first, TrainingJob) else first)
        future: Future[Any] = Future()
        future.set_exception(_NotRun())
        return future


def _ratings(count: int) -> list[tuple[str, str]]:
    return [(f"review {i}", "positive" if i % 2 else "negative") for i in range(count)]


@pytest.mark.parametrize(
    ("sizes", "order"),
    [
        # 300 ratings are fitted in repeated k-folds, 2,500 once on a held-out fifth
        ({"en": 2_500, "pl": 300}, ["pl", "en"]),
        ({"en": 2_500, "pl": 100}, ["en", "pl"]),
        ({"en": 300, "pl": 400}, ["pl", "en"]),
    ],
)
def test_the_costliest_training_jobs_are_queued_first(
    sizes: dict[str, int], order: list[str]
) -> None:
    pool = _Recording()
    with pytest.raises(_NotRun):
        train_bundle({lang: _ratings(n) for lang, n in sizes.items()}, "test data", pool=pool)
    assert pool.keys == order


def test_a_languages_chunks_keep_to_one_worker_while_the_workers_keep_pace() -> None:
    # each worker builds its own memos (lemmas, n-gram columns): a language seen by both
    # workers was looked up twice; a worker far behind still gives its chunks away
    routing = run._LanguageRouting(2)
    assert routing.worker_for("en", [0, 0]) == 0
    assert routing.worker_for("en", [1, 0]) == 0
    assert routing.worker_for("fr", [2, 0]) == 1  # fr's first chunk: the idler worker
    assert routing.worker_for("en", [3, 1]) == 0
    assert routing.worker_for("fr", [0, 2]) == 1
    assert routing.worker_for(None, [1, 3]) == 0
    behind = run.ROUTING_SLACK + 1
    assert routing.worker_for("en", [behind, 0]) == 1
    assert routing.worker_for("fr", [0, behind]) == 0
    assert routing.worker_for("en", [run.ROUTING_SLACK, 0]) == 0


def test_the_last_chunks_are_written_in_small_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the workers hold the last chunks (AHEAD per worker), the rows are written in
    TAIL_WRITE batches while they finish: the last write, which nothing runs beside, was a
    whole WRITE_BATCH."""
    engine = open_database(f"sqlite:///{tmp_path}/tail.db")
    add_reviews(
        engine, [{"text": f"Quick delivery, parcel {i}.", "language": "en"} for i in range(200)]
    )
    for name, value in [
        ("IN_PROCESS_BELOW", 1),
        ("CHUNK", 20),
        ("AHEAD", 2),
        ("WRITE_BATCH", 100),
        ("TAIL_WRITE", 40),
    ]:
        monkeypatch.setattr(run, name, value, raising=name != "TAIL_WRITE")
    written: list[int] = []
    write_rows = run.write_rows

    def recorded(engine: Engine, batch: Any, *, plain: Any) -> None:
        written.append(len(batch.review_ids))
        write_rows(engine, batch, plain=plain)

    monkeypatch.setattr(run, "write_rows", recorded)
    summary = analyze_database(engine, progress=False, models_dir=tmp_path / "m", workers=2)
    assert summary.analyzed == 200
    # received in order, 20 at a time; the tail begins with 80 (2 workers x 2 chunks) to come
    assert written == [100, 40, 40, 20]
    engine.dispose()


def test_the_pool_processes_collect_only_their_own_objects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The objects a pool process inherits (models, lexicons, memos) are frozen there, and in
    this process while the pool works (``gc.freeze``): the collections of the oldest
    generation traversed them all each time, ~10 % of the analysis' CPU. Unfrozen after."""
    engine = open_database(f"sqlite:///{tmp_path}/frozen.db")
    add_reviews(engine, _reviews())
    monkeypatch.setattr(run, "IN_PROCESS_BELOW", 1)
    monkeypatch.setattr(run, "CHUNK", 50)
    monkeypatch.setattr(run, "WRITE_BATCH", 50)
    seen: list[int] = []
    # called in the training's processes (after each job) and the analysis workers (each chunk)
    new_lemmas, analyse = training.new_lemmas, run._analyse_chunk

    def training_call() -> Any:
        assert gc.get_freeze_count() > 0
        return new_lemmas()

    def analysis_call(*args: Any) -> Any:
        assert gc.get_freeze_count() > 0
        return analyse(*args)

    monkeypatch.setattr(training, "new_lemmas", training_call)
    monkeypatch.setattr(run, "_analyse_chunk", analysis_call)
    write_rows = run.write_rows

    def writing(engine: Engine, batch: Any, *, plain: Any) -> None:
        seen.append(gc.get_freeze_count())
        write_rows(engine, batch, plain=plain)

    monkeypatch.setattr(run, "write_rows", writing)
    assert gc.get_freeze_count() == 0
    summary = analyze_database(engine, progress=False, models_dir=tmp_path / "m", workers=2)
    assert summary.analyzed == 225 and summary.model_trained
    # this process, writing while the pool works (the last 25 are written after it)
    assert len(seen) == 5 and all(count > 0 for count in seen[:-1])
    assert gc.get_freeze_count() == 0
    engine.dispose()

"""Function words learnt from the spread of words in the reviews (``function_words``), and
their use as phrase bounds by ``analyze`` (key phrases, need topics)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from compare.analysis import run
from compare.analysis.function_words import (
    CACHE_NAME,
    database_function_words,
    learn_function_words,
    plan_function_words,
)
from compare.analysis.model_versions import ModelVersions
from compare.analysis.review import ReviewInput, analyze_reviews
from compare.analysis.run import AnalyzeSummary, analyze_database
from compare.analysis.sentiment.scorer import SentimentScorer
from compare.analysis.tables import KEY_PHRASE
from compare.analysis.taxonomy import load_taxonomy
from compare.analysis.version import ANALYZER_VERSION
from rivalscope.commands.analyze import print_summary
from storage.db import open_database
from tests.test_analysis_run import add_reviews, polish_rated

KNOWN = tuple(f"stop{letter}" for letter in "abcdefghijklmno")
"""Stand-ins for a language's listed stopwords (15, every one measurable)."""
TOPICS = tuple(f"topic{letter}" for letter in "abcdefghijklmnopqrst")


def synthetic_reviews(
    count: int,
    length: int,
    known: tuple[str, ...],
    even: tuple[str, ...],
    topics: tuple[str, ...] = TOPICS,
    seed: int = 7,
) -> list[list[str]]:
    """Reviews of ``length`` words: the ``known`` words at a rate that varies from review to
    review (writers differ, so real function words are a little bursty), the ``even`` words
    at one rate everywhere (spread as chance puts them), one topic word per review repeated
    within it (bursty, as content words are), and rare filler."""
    rng = random.Random(seed)
    reviews = []
    for _ in range(count):
        style = rng.gammavariate(4.0, 0.25)
        topic = rng.choice(topics)
        words = []
        for _ in range(length):
            draw = rng.random()
            if draw < 0.3 * style:
                words.append(rng.choice(known))
            elif draw < 0.3 * style + 0.05:
                words.append(rng.choice(even))
            elif draw < 0.3 * style + 0.1:
                words.append(topic)
            else:
                words.append(f"ord{rng.randrange(3000)}")  # "filler" is English
        reviews.append(words)
    return reviews


def _learn(
    reviews: list[list[str]], known: tuple[str, ...], keep: frozenset[str] = frozenset()
) -> frozenset[str]:
    return learn_function_words(((r, r) for r in reviews), frozenset(known), keep.__contains__)


@pytest.mark.parametrize(
    ("word", "learnt"),
    [
        ("evenword", True),  # as evenly spread as the known stopwords, and as frequent
        ("topica", False),  # bursty: repeated within the reviews about it
        ("evenaspect", False),  # spread evenly, but the caller keeps it (a taxonomy term)
        ("stopa", False),  # listed already
        ("ord1", False),  # too rare to be measured
    ],
)
def test_even_frequent_words_are_learnt(word: str, learnt: bool) -> None:
    reviews = synthetic_reviews(400, 120, KNOWN, ("evenword", "evenaspect"))
    assert (word in _learn(reviews, KNOWN, frozenset({"evenaspect"}))) is learnt


@pytest.mark.parametrize(
    ("count", "length", "known"),
    [
        (400, 20, KNOWN),  # sentences: no word can repeat in a review, every word looks even
        (400, 120, KNOWN[:5]),  # too few known stopwords to calibrate on
        (20, 120, KNOWN),  # a handful of reviews: nothing is measurable
    ],
)
def test_nothing_is_learnt_without_evidence(
    count: int, length: int, known: tuple[str, ...]
) -> None:
    assert _learn(synthetic_reviews(count, length, known, ("evenword",)), known) == frozenset()


def test_learnt_words_bound_key_phrases_and_need_topics() -> None:
    review = ReviewInput(1, 1, "Kanskje batteriet er svakt. Skulle ønske kanskje en lader.")
    taxonomy = load_taxonomy()
    (plain,) = analyze_reviews([review], SentimentScorer(None), taxonomy)
    (learnt,) = analyze_reviews(
        [review], SentimentScorer(None), taxonomy, {"no": frozenset({"kanskje"})}
    )
    assert "kanskje" in " ".join(plain.key_phrases)
    assert "kanskje" not in " ".join(learnt.key_phrases)
    assert "batteri" in learnt.key_phrases
    assert [s.need_topic for s in learnt.sentences if s.need] == ["lader"]


NORWEGIAN_STOPWORDS = (
    *("alle", "bare", "ble", "blir", "den", "denne", "der", "det", "dette", "eller", "etter"),
    *("for", "fra", "har", "hun", "ikke", "med", "men", "mye", "noe", "som", "til", "var"),
)
"""Words of the Norwegian stopword list (three letters or more: shorter ones are no phrase
words anyway)."""
NORWEGIAN_TOPICS = ("batteri", "skjerm", "lader", "deksel", "kamera", "høyttaler")


def _key_phrase_words(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return {
            word
            for (phrase,) in connection.execute(select(KEY_PHRASE.c.phrase))
            for word in str(phrase).split()
        }


def test_analyze_learns_function_words_from_long_reviews(tmp_path: Path) -> None:
    """Long Norwegian reviews in which "kanskje" (on no list) is spread like the listed
    stopwords: no stored key phrase holds it, while topic words and the evenly spread
    taxonomy term "pris" stay; the words are kept until the reviews grow by a fifth (the
    taxonomy still filters them), and a broken cache is learnt anew."""
    reviews = synthetic_reviews(
        300, 120, NORWEGIAN_STOPWORDS, ("kanskje", "pris"), NORWEGIAN_TOPICS, seed=3
    )
    rows: list[dict[str, object]] = [
        # a sentence every 12 words: key phrases are taken sentence by sentence
        {"text": ". ".join(" ".join(r[i : i + 12]) for i in range(0, len(r), 12)), "language": "no"}
        for r in reviews
    ]
    models = tmp_path / "models"
    cache = models / CACHE_NAME
    engine = open_database(f"sqlite:///{tmp_path / 'long.db'}")
    try:
        add_reviews(engine, rows)
        first = analyze_database(engine, progress=False, workers=1, models_dir=models)
        words = _key_phrase_words(engine)
        assert "kanskje" in first.function_words["no"]
        assert "kanskje" not in words
        assert {"pris", "batteri", "skjerm"} <= words

        stored = {"reviews": 300, "words": ["kanskje", "pris", "ordx"]}
        cache.write_text(
            json.dumps({"analyzer_version": ANALYZER_VERSION, "languages": {"no": stored}})
        )
        add_reviews(engine, rows[:1])
        kept = analyze_database(engine, progress=False, workers=1, models_dir=models)
        assert kept.function_words == {"no": frozenset({"kanskje", "ordx"})}

        cache.write_text("{")
        add_reviews(engine, rows[1:2])
        relearnt = analyze_database(engine, progress=False, workers=1, models_dir=models)
        assert "kanskje" in relearnt.function_words["no"]
        assert json.loads(cache.read_text())["languages"]["no"]["reviews"] == 302
    finally:
        engine.dispose()


def test_analyze_prints_the_learnt_words(capsys: pytest.CaptureFixture[str]) -> None:
    summary = AnalyzeSummary(
        analyzer_version=ANALYZER_VERSION,
        analyzed=1,
        function_words={"no": frozenset(f"ord{i}" for i in range(10))},
    )
    print_summary(summary, [])
    assert (
        "function words learnt from your reviews (not aspects or need topics): "
        "no 10 (ord0, ord1, ord2, ord3, ord4, ord5, ord6, ord7, ...)"
    ) in capsys.readouterr().out


def test_analyze_names_each_guarded_language_apart_from_its_outcome(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Norwegian's code is "no": written before the outcome without a mark, the line read
    "no model trained on your ratings in every language" (met by a QA walk)."""
    figures = {"chosen": "pooled", "base_accuracy": 0.79, "adapted_accuracy": 0.95}
    summary = AnalyzeSummary(
        analyzer_version=ANALYZER_VERSION,
        analyzed=1,
        model_name="v0001",
        model_trained=True,
        model_languages=["no"],
        model_guard={"no": {**figures, "own_accuracy": 0.99, "ratings_model": "pooled"}},
    )
    print_summary(summary, [])
    said = " ".join(capsys.readouterr().out.split())
    assert "trained sentiment model v0001: no: model trained on your ratings" in said, said


@pytest.mark.parametrize("ratings", [0, 30])
def test_words_learnt_on_the_training_pool_equal_those_learnt_here(
    tmp_path: Path, ratings: int
) -> None:
    """With two processes the words are learnt on the pool that trains the models, behind
    its jobs (or on a pool of their own, two languages and nothing to train): the same
    words and the same cache as learnt in this process."""
    rows: list[dict[str, object]] = []
    for language, seed in (("no", 3), ("en", 5)):
        for review in synthetic_reviews(
            200, 120, NORWEGIAN_STOPWORDS, ("kanskje",), NORWEGIAN_TOPICS, seed=seed
        ):
            rows.append(
                {
                    "text": ". ".join(" ".join(review[i : i + 12]) for i in range(0, 120, 12)),
                    "language": language,
                }
            )
    engine = open_database(f"sqlite:///{tmp_path / 'long.db'}")
    try:
        add_reviews(engine, rows + polish_rated(ratings))
        taxonomy = load_taxonomy(None)
        here = database_function_words(engine, taxonomy, ["en", "no"], tmp_path / "here.json")
        plan = plan_function_words(engine, taxonomy, ["en", "no"], tmp_path / "pool.json")
        _, trained, learnt, _ = run._refresh_and_learn(
            engine, ModelVersions(engine, tmp_path / "m"), 2, plan
        )
        assert trained is (ratings > 0)
        assert set(learnt) == {"en", "no"}
        assert plan.finish(learnt) == here
        assert "kanskje" in here["no"]
        assert (tmp_path / "pool.json").read_text() == (tmp_path / "here.json").read_text()
    finally:
        engine.dispose()

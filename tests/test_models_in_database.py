"""A PostgreSQL database keeps its trained sentiment models in itself: ``analyze`` run in
one folder (or on one machine) and ``sentiment score`` or the model lookup run in another
find the same version, and two databases never share or mix their models."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from compare.analysis.function_words import CACHE_NAME, plan_function_words
from compare.analysis.model_versions import ModelVersions
from compare.analysis.run import analyze_database, database_bundle
from compare.analysis.sentiment.scorer import SentimentScorer
from compare.analysis.taxonomy import load_taxonomy
from compare.analysis.version import ANALYZER_VERSION
from storage.db import open_database
from storage.model_files import (
    model_file,
    newest_model_version,
    replace_newest_model_file,
    store_model_files,
)
from tests.cli import run_cli
from tests.conftest import throwaway_schema
from tests.test_analysis_run import add_reviews, rated
from tests.test_function_words import NORWEGIAN_STOPWORDS, NORWEGIAN_TOPICS, synthetic_reviews

pytestmark = pytest.mark.postgres

SHOP_WORDS = "Le modèle zorblax numéro 7, zorblax."
"""Only a model of the ratings reads the shop's own words (``french_ratings``)."""
IN_DATABASE = "v0001 (kept in the database)"

other_pg_url = pytest.fixture(name="other_pg_url")(throwaway_schema)


@pytest.fixture
def rated_pg(pg_url: str) -> Iterator[Engine]:
    """The PostgreSQL database with 120 rated French reviews: enough for a French model."""
    engine = open_database(pg_url)
    add_reviews(engine, rated(120, "fr"))
    yield engine
    engine.dispose()


def _machine(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Run from ``folder`` with a cache of its own, as another machine would."""
    folder.mkdir(exist_ok=True)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("RIVALSCOPE_CACHE_DIR", str(folder / "cache"))


def test_a_model_trained_in_one_folder_is_found_from_another(
    rated_pg: Engine, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _machine(monkeypatch, tmp_path / "a")
    trained = analyze_database(rated_pg, progress=False, workers=1)
    assert trained.model_trained and trained.model_name == IN_DATABASE
    assert trained.languages["fr"].models == {"classifier:fr@v0001": 120}
    assert newest_model_version(rated_pg) == 1
    assert not (tmp_path / "a" / "rivalscope.models").exists()  # nothing in the folder
    _machine(monkeypatch, tmp_path / "b")
    found = database_bundle(rated_pg)
    assert found is not None and found.name == "v0001" and "fr" in found.classifiers
    again = analyze_database(rated_pg, progress=False, workers=1)
    assert not again.model_trained and again.model_name == IN_DATABASE
    expected = SentimentScorer(found).score([SHOP_WORDS], "fr")[0]
    assert expected[1] != SentimentScorer(None).score([SHOP_WORDS], "fr")[0][1]
    # the command, from a third folder with an empty cache of its own
    _machine(monkeypatch, tmp_path / "c")
    scored = run_cli(
        "sentiment", "score", "--db", pg_url, cwd=tmp_path / "c",
        stdin=json.dumps({"text": SHOP_WORDS, "lang": "fr"}) + "\n",
    )  # fmt: skip
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["label"] == expected[1]


def test_two_databases_keep_their_own_models(
    rated_pg: Engine, other_pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _machine(monkeypatch, tmp_path)
    other_db = open_database(other_pg_url)
    try:
        add_reviews(other_db, [{"text": "Livraison rapide.", "language": "fr"}])
        assert analyze_database(rated_pg, progress=False, workers=1).model_trained
        other = analyze_database(other_db, progress=False, workers=1)
        assert not other.model_trained and other.model_name is None
        assert "classifier:fr@v0001" not in other.languages["fr"].models
        assert database_bundle(other_db) is None
        assert database_bundle(rated_pg) is not None
        assert ModelVersions(rated_pg).root != ModelVersions(other_db).root
    finally:
        other_db.dispose()


def test_a_stale_cached_copy_is_replaced_by_the_databases_version(
    rated_pg: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache left by a database since dropped and made again under the same URL."""
    _machine(monkeypatch, tmp_path)
    analyze_database(rated_pg, progress=False, workers=1)
    cached = ModelVersions(rated_pg).root / "v0001"
    meta = json.loads((cached / "meta.json").read_text("utf-8"))
    (cached / "meta.json").write_text(json.dumps({**meta, "languages": {}}), "utf-8")
    (cached / "fr.pkl").unlink()
    found = database_bundle(rated_pg)
    assert found is not None and "fr" in found.classifiers


def test_an_explicit_models_dir_still_holds_the_models(
    rated_pg: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _machine(monkeypatch, tmp_path)
    models = tmp_path / "mine"
    summary = analyze_database(rated_pg, progress=False, workers=1, models_dir=models)
    assert summary.model_name == str(models / "v0001")
    assert (models / "v0001" / "meta.json").is_file()
    assert newest_model_version(rated_pg) is None
    assert database_bundle(rated_pg) is None  # the database keeps none of its own
    assert database_bundle(rated_pg, models) is not None


def test_a_version_is_stored_whole_or_not_at_all(pg_url: str) -> None:
    """One transaction: a file that cannot be stored leaves no part of its version."""
    engine = open_database(pg_url)
    try:
        with pytest.raises(DBAPIError):
            store_model_files(engine, {"meta.json": b"{}", "x" * 200: b"too long a name"})
        assert newest_model_version(engine) is None
        assert store_model_files(engine, {"meta.json": b"{}"}) == 1
    finally:
        engine.dispose()


def _long_norwegian(count: int) -> list[dict[str, object]]:
    """Long Norwegian reviews in which "kanskje" is spread like the listed stopwords:
    ``analyze`` learns it as a function word (``test_function_words``)."""
    reviews = synthetic_reviews(
        count, 120, NORWEGIAN_STOPWORDS, ("kanskje", "pris"), NORWEGIAN_TOPICS, seed=3
    )
    return [
        {"text": ". ".join(" ".join(r[i : i + 12]) for i in range(0, len(r), 12)), "language": "no"}
        for r in reviews
    ]


def _words_file(languages: dict[str, dict[str, object]]) -> bytes:
    return json.dumps({"analyzer_version": ANALYZER_VERSION, "languages": languages}).encode()


@pytest.mark.parametrize("with_ratings", [True, False])
def test_function_words_learnt_on_one_machine_are_read_on_another(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_ratings: bool
) -> None:
    """Bug: the function words analyze learnt (``function_words.json``) stayed in the cache
    of the machine that ran it, so another machine learnt its own or kept older ones and
    bounded key phrases differently. Now they are a file of the database's model version
    (stored with a new model in its transaction; a first version of them alone without
    ratings), and a cached copy with other words is replaced."""
    engine = open_database(pg_url)
    try:
        add_reviews(engine, _long_norwegian(300) + (rated(120, "fr") if with_ratings else []))
        _machine(monkeypatch, tmp_path / "a")
        first = analyze_database(engine, progress=False, workers=1)
        assert "kanskje" in first.function_words["no"]
        assert first.model_trained is with_ratings
        stored = model_file(engine, 1, CACHE_NAME)  # with the model of v0001, or alone
        assert stored is not None and "kanskje" in json.loads(stored)["languages"]["no"]["words"]
        assert newest_model_version(engine) == 1
        if not with_ratings:  # words without a model: still no model to score with
            assert database_bundle(engine) is None and first.model_name is None
        # another machine reads the same words, nothing to learn again
        _machine(monkeypatch, tmp_path / "b")
        words = ModelVersions(engine).function_words()
        assert words is not None and words.read_bytes() == stored
        plan = plan_function_words(engine, load_taxonomy(None), ["no"], words)
        assert plan.to_learn == [] and plan.finish({}) == first.function_words
        # words learnt anew there (kept as v0001's, no new model version) reach machine a
        replace_newest_model_file(
            engine, CACHE_NAME, _words_file({"no": {"reviews": 300, "words": ["kanskje", "ordx"]}})
        )
        add_reviews(engine, _long_norwegian(1))
        _machine(monkeypatch, tmp_path / "a")
        kept = analyze_database(engine, progress=False, workers=1)
        assert kept.function_words == {"no": frozenset({"kanskje", "ordx"})}
        assert newest_model_version(engine) == 1 and not kept.model_trained
        # a fifth more reviews: learnt anew by analyze, kept as v0001's words for everyone
        add_reviews(engine, _long_norwegian(60))
        relearnt = analyze_database(engine, progress=False, workers=1)
        assert "kanskje" in relearnt.function_words["no"]
        assert "ordx" not in relearnt.function_words["no"]
        assert newest_model_version(engine) == 1 and not relearnt.model_trained
        _machine(monkeypatch, tmp_path / "b")
        words = ModelVersions(engine).function_words()
        assert words is not None
        assert json.loads(words.read_bytes())["languages"]["no"]["reviews"] == 361
        assert (database_bundle(engine) is not None) is with_ratings
    finally:
        engine.dispose()

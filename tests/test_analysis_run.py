"""analyze_database on a real SQLite file: incremental runs, odd reviews, model round trip."""

from __future__ import annotations

import itertools
from pathlib import Path

from sqlalchemy import Engine, func, insert, select

from compare.analysis.run import analyze_database
from compare.analysis.sentiment.base_models import base_model_id
from compare.analysis.sentiment.bundle import FORMAT, load_bundle, save_bundle
from compare.analysis.tables import ASPECT_MENTION, REVIEW_ANALYSIS, REVIEW_NEED, REVIEW_SENTENCE
from compare.analysis.training import train_bundle
from storage.models import Company, Review, Source
from tests.sample_reviews import BAD, GOOD, french_ratings

_keys = itertools.count()


def add_reviews(engine: Engine, rows: list[dict[str, object]]) -> None:
    with engine.begin() as connection:
        if connection.execute(select(func.count()).select_from(Company)).scalar_one() == 0:
            connection.execute(insert(Company).values(id=1, name="Acme"))
            connection.execute(insert(Source).values(id=1, name="acme-shop", company_id=1))
        for row in rows:  # rows differ in keys, so one insert each
            connection.execute(
                insert(Review).values(
                    company_id=1, source_id=1, content_key=f"k{next(_keys)}", **row
                )
            )


def rated(count: int, language: str = "en") -> list[dict[str, object]]:
    """Clearly rated reviews, half good, half bad (English, or French: no base model, and
    ratings a model reads better than its lexicons, ``french_ratings``)."""
    rows: list[dict[str, object]] = []
    french = french_ratings(count)
    for i in range(count):
        good = i % 2 == 0
        if language == "fr":
            text = french[i][0]
        else:
            text = " ".join((GOOD if good else BAD)[j % 3] for j in range(i, i + 2))
        rows.append(
            {
                "text": text,
                "rating": 5.0 if good else 1.0,
                "rating_normalized": 1.0 if good else 0.0,
                "language": language,
            }
        )
    return rows


def analysed(engine: Engine) -> list[tuple[object, ...]]:
    query = select(
        REVIEW_ANALYSIS.c.review_id,
        REVIEW_ANALYSIS.c.language,
        REVIEW_ANALYSIS.c.label,
        REVIEW_ANALYSIS.c.model,
        REVIEW_ANALYSIS.c.analyzer_version,
    )
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(query.order_by(REVIEW_ANALYSIS.c.review_id))]


def test_second_run_analyses_nothing_and_new_version_reanalyses(
    engine: Engine, tmp_path: Path
) -> None:
    add_reviews(
        engine, [*rated(10), {"text": "I wish the delivery were faster.", "language": "en"}]
    )
    first = analyze_database(engine, progress=False, models_dir=tmp_path / "m")
    assert first.analyzed == 11
    assert first.model_trained is False  # 10 rated reviews are below the training threshold
    assert first.languages["en"].models[base_model_id("en")] == 11
    assert analyze_database(engine, progress=False, models_dir=tmp_path / "m").analyzed == 0
    add_reviews(engine, [{"text": "Slow delivery.", "language": "en"}])
    assert analyze_database(engine, progress=False, models_dir=tmp_path / "m").analyzed == 1
    again = analyze_database(
        engine, progress=False, models_dir=tmp_path / "m", analyzer_version="next"
    )
    assert again.analyzed == 12
    rows = analysed(engine)
    assert len(rows) == 12 and {r[4] for r in rows} == {"next"}  # old versions replaced
    with engine.connect() as connection:
        needs = connection.execute(
            select(REVIEW_NEED.c.kind, REVIEW_NEED.c.aspect, REVIEW_NEED.c.company_id)
        ).all()
        mentions = connection.execute(select(func.count()).select_from(ASPECT_MENTION)).scalar_one()
        delivery = connection.execute(
            select(REVIEW_SENTENCE.c.text, ASPECT_MENTION.c.label, ASPECT_MENTION.c.polarity)
            .join(
                REVIEW_SENTENCE,
                (REVIEW_SENTENCE.c.review_id == ASPECT_MENTION.c.review_id)
                & (REVIEW_SENTENCE.c.position == ASPECT_MENTION.c.sentence_position),
            )
            .where(ASPECT_MENTION.c.aspect == "delivery")
        ).all()
    assert ("wish", "delivery", 1) in [tuple(n) for n in needs]
    assert {n[0] for n in needs} == {"wish", "complaint"}  # "never again" is a complaint
    assert mentions >= 6
    # the wish names delivery without judging it; the plain opinion judges it
    assert {
        ("I wish the delivery were faster.", "neutral", True),
        ("Slow delivery.", "negative", False),
    } <= {(text, label, polarity is None) for text, label, polarity in delivery}


def test_model_is_trained_from_ratings_and_used(engine: Engine, tmp_path: Path) -> None:
    add_reviews(engine, rated(120, "fr"))
    summary = analyze_database(engine, progress=False, models_dir=tmp_path / "m", workers=1)
    assert summary.model_trained and summary.model_languages == ["fr"]
    assert summary.model_folder == tmp_path / "m" / "v0001"
    labels = {r[2] for r in analysed(engine)}
    assert labels <= {"positive", "negative", "neutral"}
    assert {r[3] for r in analysed(engine)} == {"classifier:fr@v0001"}
    assert summary.languages["fr"].positive >= 50 and summary.languages["fr"].negative >= 50


def test_a_base_model_scores_every_language_it_ships_for_in_a_fresh_database(
    engine: Engine, tmp_path: Path
) -> None:
    add_reviews(
        engine,
        [
            {"text": "Great coffee, fast delivery. I love it.", "language": "en"},
            {"text": "Terrible grinder, it broke after a week.", "language": "en"},
            {"text": "Fantastisk kaffe, rask levering.", "language": "no"},
            {"text": "Elendig kvalitet, jeg er skuffet.", "language": "no"},
            {"text": "Świetna kawa, szybka dostawa, polecam.", "language": "pl"},
            {"text": "Fatalna jakość, jestem rozczarowany.", "language": "pl"},
        ],
    )
    summary = analyze_database(engine, progress=False, models_dir=tmp_path / "m")
    assert summary.model_folder is None and not summary.model_trained
    rows = analysed(engine)
    assert [r[3] for r in rows] == [base_model_id(r[1]) for r in rows]  # type: ignore[arg-type]
    assert {r[1] for r in rows} == {"en", "no", "pl"}
    assert [r[2] for r in rows] == ["positive", "negative"] * 3


def test_a_model_in_an_older_format_is_retrained(engine: Engine, tmp_path: Path) -> None:
    add_reviews(engine, rated(120))
    first = analyze_database(engine, progress=False, models_dir=tmp_path / "m", workers=1)
    assert first.model_folder == tmp_path / "m" / "v0001"
    # the same data again: nothing to retrain while the saved format is current
    again = analyze_database(
        engine, progress=False, models_dir=tmp_path / "m", workers=1, analyzer_version="x"
    )
    assert not again.model_trained
    meta = tmp_path / "m" / "v0001" / "meta.json"
    written = meta.read_text("utf-8")
    assert f'"format": {FORMAT}' in written
    meta.write_text(written.replace(f'"format": {FORMAT}', f'"format": {FORMAT - 1}'), "utf-8")
    later = analyze_database(
        engine, progress=False, models_dir=tmp_path / "m", workers=1, analyzer_version="y"
    )
    assert later.model_trained and later.model_folder == tmp_path / "m" / "v0002"


def test_an_older_model_that_cannot_be_retrained_gives_way_to_the_base_model(
    engine: Engine, tmp_path: Path
) -> None:
    examples = {"fr": french_ratings(120)}
    folder = save_bundle(train_bundle(examples, "an older version"), tmp_path / "m" / "v0001")
    meta = folder / "meta.json"
    meta.write_text(
        meta.read_text("utf-8").replace(f'"format": {FORMAT}', f'"format": {FORMAT - 1}'),
        "utf-8",
    )
    add_reviews(engine, rated(10))  # too few ratings to train a new model
    summary = analyze_database(engine, progress=False, models_dir=tmp_path / "m", workers=1)
    assert summary.analyzed == 10 and not summary.model_trained
    assert summary.model_folder is None
    assert set(summary.languages["en"].models) == {base_model_id("en")}


def test_empty_emoji_and_unknown_language_reviews(engine: Engine, tmp_path: Path) -> None:
    add_reviews(
        engine,
        [
            {"text": None, "title": None},
            {"text": "😀😀👍"},
            {"text": "これは素晴らしい製品です。配送も早かった。"},
            {"text": "Bardzo szybka dostawa, polecam."},  # Polish: the shipped base model
        ],
    )
    summary = analyze_database(engine, progress=False, models_dir=tmp_path / "m")
    assert summary.analyzed == 4
    rows = analysed(engine)
    assert [(r[1], r[2]) for r in rows] == [
        (None, "unknown"),
        (None, "unknown"),
        (None, "unknown"),
        ("pl", "positive"),
    ]
    with engine.connect() as connection:
        polarity = connection.execute(
            select(REVIEW_ANALYSIS.c.polarity, REVIEW_ANALYSIS.c.confidence).order_by(
                REVIEW_ANALYSIS.c.review_id
            )
        ).all()
        aspects = connection.execute(select(ASPECT_MENTION.c.aspect, ASPECT_MENTION.c.label)).all()
    assert all(p is None and c == 0.0 for p, c in polarity[:3])
    assert polarity[3][0] > 0 and polarity[3][1] > 0.5
    assert [tuple(a) for a in aspects] == [("delivery", "positive")]


def test_model_save_load_round_trip(tmp_path: Path) -> None:
    examples = {"fr": french_ratings(120)}
    bundle = train_bundle(examples, "test data")
    folder = save_bundle(bundle, tmp_path / "model")
    loaded = load_bundle(folder)
    texts = ["Excellente qualité !", "Horrible, cassé."]
    assert loaded.classifiers["fr"].score(texts) == bundle.classifiers["fr"].score(texts)
    assert loaded.training_data == "test data"
    assert loaded.classifiers["fr"].score(texts)[0][1] == "positive"
    assert loaded.classifiers["fr"].score(texts)[1][1] == "negative"


POLISH_GOOD = ["Szybka dostawa, polecam.", "Świetna jakość, działa idealnie."]
POLISH_BAD = ["Paczka przyszła uszkodzona.", "Obsługa klienta nie odpowiada."]


def alternating(
    good: list[str], bad: list[str], language: str, count: int
) -> list[dict[str, object]]:
    """``count`` rated reviews, good and bad in turn, two texts of each."""
    return [
        {
            "text": (good if i % 2 == 0 else bad)[i % 4 // 2],
            "rating": 5.0 if i % 2 == 0 else 1.0,
            "rating_normalized": 1.0 if i % 2 == 0 else 0.0,
            "language": language,
        }
        for i in range(count)
    ]


def polish_rated(count: int) -> list[dict[str, object]]:
    return alternating(POLISH_GOOD, POLISH_BAD, "pl", count)


# Portuguese: neither a base model nor a lexicon ships for it, so few ratings of it share
# the pooled model.
PORTUGUESE_GOOD = ["Entrega rápida, recomendo muito.", "Qualidade ótima, funciona muito bem."]
PORTUGUESE_BAD = ["A encomenda chegou danificada.", "O apoio ao cliente não responde."]


def portuguese_rated(count: int) -> list[dict[str, object]]:
    return alternating(PORTUGUESE_GOOD, PORTUGUESE_BAD, "pt", count)


def test_language_below_threshold_is_scored_by_the_pooled_model(
    engine: Engine, tmp_path: Path
) -> None:
    add_reviews(engine, [*rated(120, "fr"), *portuguese_rated(30), *rated(30)])
    summary = analyze_database(engine, progress=False, models_dir=tmp_path / "m", workers=1)
    # English has a base model: its guard weighs a correction and (30 ratings: too few for
    # its own) the pooled model; English never joins the pooled model's languages
    assert summary.model_pooled_languages == ["pt"]
    # French's lexicons were guarded too: a model of its ratings beat them
    assert set(summary.model_guard) == {"en", "fr"}
    assert summary.languages["pt"].models == {"pooled:pt@v0001": 30}
    assert summary.languages["fr"].models == {"classifier:fr@v0001": 120}
    assert set(summary.languages["en"].models) <= {base_model_id("en"), "adapted:en@v0001"}
    assert summary.languages["pt"].unknown == 0
    assert summary.languages["pt"].negative >= 10 and summary.languages["pt"].positive >= 10
    # nothing new: the model is not retrained and nothing is analysed again
    again = analyze_database(engine, progress=False, models_dir=tmp_path / "m", workers=1)
    assert again.analyzed == 0 and not again.model_trained

"""analyze_database on a real SQLite file: incremental runs, odd reviews, model round trip."""

from __future__ import annotations

import itertools
from pathlib import Path

from sqlalchemy import Engine, func, insert, select

from compare.analysis.run import analyze_database
from compare.analysis.sentiment.bundle import FORMAT, load_bundle, save_bundle
from compare.analysis.tables import ASPECT_MENTION, REVIEW_ANALYSIS, REVIEW_NEED
from compare.analysis.training import train_bundle
from storage.models import Company, Review, Source
from tests.sample_reviews import BAD, GOOD

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


def rated(count: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i in range(count):
        good = i % 2 == 0
        text = " ".join((GOOD if good else BAD)[j % 3] for j in range(i, i + 2))
        rows.append(
            {
                "text": text,
                "rating": 5.0 if good else 1.0,
                "rating_normalized": 1.0 if good else 0.0,
                "language": "en",
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
    assert first.languages["en"].models["lexicon-vader-en+pattern-en"] == 11
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
    assert ("wish", "delivery", 1) in [tuple(n) for n in needs]
    assert {n[0] for n in needs} == {"wish", "complaint"}  # "never again" is a complaint
    assert mentions >= 6


def test_model_is_trained_from_ratings_and_used(engine: Engine, tmp_path: Path) -> None:
    add_reviews(engine, rated(120))
    summary = analyze_database(engine, progress=False, models_dir=tmp_path / "m", workers=1)
    assert summary.model_trained and summary.model_languages == ["en"]
    assert summary.model_folder == tmp_path / "m" / "v0001"
    labels = {r[2] for r in analysed(engine)}
    assert labels <= {"positive", "negative", "neutral"}
    assert {r[3] for r in analysed(engine)} == {"classifier:en@v0001"}
    assert summary.languages["en"].positive >= 50 and summary.languages["en"].negative >= 50


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


def test_an_older_model_that_cannot_be_retrained_gives_way_to_the_fallbacks(
    engine: Engine, tmp_path: Path
) -> None:
    examples = {
        "en": [(GOOD[i % 3] + " " + GOOD[(i + 1) % 3], "positive") for i in range(60)]
        + [(BAD[i % 3] + " " + BAD[(i + 2) % 3], "negative") for i in range(60)]
    }
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
    assert set(summary.languages["en"].models) == {"lexicon-vader-en+pattern-en"}


def test_empty_emoji_and_unknown_language_reviews(engine: Engine, tmp_path: Path) -> None:
    add_reviews(
        engine,
        [
            {"text": None, "title": None},
            {"text": "😀😀👍"},
            {"text": "これは素晴らしい製品です。配送も早かった。"},
            {"text": "Bardzo szybka dostawa, polecam."},  # Polish: no model, no lexicon
        ],
    )
    summary = analyze_database(engine, progress=False, models_dir=tmp_path / "m")
    assert summary.analyzed == 4
    rows = analysed(engine)
    assert [(r[1], r[2]) for r in rows] == [
        (None, "unknown"),
        (None, "unknown"),
        (None, "unknown"),
        ("pl", "unknown"),
    ]
    with engine.connect() as connection:
        polarity = connection.execute(
            select(REVIEW_ANALYSIS.c.polarity, REVIEW_ANALYSIS.c.confidence)
        ).all()
        aspects = connection.execute(select(ASPECT_MENTION.c.aspect, ASPECT_MENTION.c.label)).all()
    assert all(p is None and c == 0.0 for p, c in polarity)
    assert [tuple(a) for a in aspects] == [("delivery", "unknown")]


def test_model_save_load_round_trip(tmp_path: Path) -> None:
    examples = {
        "en": [(GOOD[i % 3] + " " + GOOD[(i + 1) % 3], "positive") for i in range(60)]
        + [(BAD[i % 3] + " " + BAD[(i + 2) % 3], "negative") for i in range(60)]
    }
    bundle = train_bundle(examples, "test data")
    folder = save_bundle(bundle, tmp_path / "model")
    loaded = load_bundle(folder)
    texts = ["Great quality!", "Terrible, it broke."]
    assert loaded.classifiers["en"].score(texts) == bundle.classifiers["en"].score(texts)
    assert loaded.training_data == "test data"
    assert loaded.classifiers["en"].score(texts)[0][1] == "positive"
    assert loaded.classifiers["en"].score(texts)[1][1] == "negative"


POLISH_GOOD = ["Szybka dostawa, polecam.", "Świetna jakość, działa idealnie."]
POLISH_BAD = ["Paczka przyszła uszkodzona.", "Obsługa klienta nie odpowiada."]


def polish_rated(count: int) -> list[dict[str, object]]:
    return [
        {
            "text": (POLISH_GOOD if i % 2 == 0 else POLISH_BAD)[i % 4 // 2],
            "rating": 5.0 if i % 2 == 0 else 1.0,
            "rating_normalized": 1.0 if i % 2 == 0 else 0.0,
            "language": "pl",
        }
        for i in range(count)
    ]


def test_language_below_threshold_is_scored_by_the_pooled_model(
    engine: Engine, tmp_path: Path
) -> None:
    add_reviews(engine, [*rated(120), *polish_rated(30)])
    summary = analyze_database(engine, progress=False, models_dir=tmp_path / "m", workers=1)
    assert summary.model_languages == ["en", "multi", "pl"]
    assert summary.model_pooled_languages == ["pl"]
    assert summary.languages["pl"].models == {"pooled:pl@v0001": 30}
    assert summary.languages["en"].models == {"classifier:en@v0001": 120}
    assert summary.languages["pl"].unknown == 0
    assert summary.languages["pl"].negative >= 10 and summary.languages["pl"].positive >= 10
    # nothing new: the model is not retrained and nothing is analysed again
    again = analyze_database(engine, progress=False, models_dir=tmp_path / "m", workers=1)
    assert again.analyzed == 0 and not again.model_trained

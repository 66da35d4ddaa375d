"""A source's stored reviews read in the language the user names where detection read a
neighbour (short Norwegian reviews detected as Danish): ``storage.review_languages`` and
``rivalscope db read-as``."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select

from settings.content_keys import review_content_key
from settings.records import ReviewItem
from storage.analysis_models import ReviewAnalysis
from storage.db import open_database
from storage.models import Review
from storage.review_languages import relabel_detected
from storage.writer import CollectWriter, RunFigures
from tests.cli import run_cli

_REVIEW = Review.__table__  # type: ignore[attr-defined]
_ANALYSIS = ReviewAnalysis.__table__  # type: ignore[attr-defined]

STORED = [
    # (text, language, how it was set)
    ("Rask levering, god sekk.", "da", "detected"),
    ("Glidelåsen gikk i stykker.", "da", "detected"),
    ("Bra jakke til prisen.", "sv", "detected"),
    ("Great jacket, fast delivery.", "en", "detected"),
    ("Fin og varm.", "da", "markup"),  # the page said Danish: stays
    ("God pris.", "no", "detected"),
]


def _store(engine: Engine, source: str = "fjell-shop") -> None:
    writer = CollectWriter(engine, company="Fjell", source=source)
    writer.start_run()
    items = []
    for text, language, how in STORED:
        item = ReviewItem(text=text, product_name="Sekk", language=language)
        item.language_source = how
        item.content_key = review_content_key(
            external_id=None,
            text=text,
            title=None,
            rating_raw=None,
            date_raw=None,
            author=None,
            product="Sekk",
        )
        items.append(item)
    writer.write([], items)
    writer.finish_run("finished", "finished", RunFigures())
    with engine.begin() as conn:
        for review_id in conn.execute(select(_REVIEW.c.id)).scalars():
            conn.execute(
                insert(_ANALYSIS).values(
                    review_id=review_id,
                    company_id=1,
                    analyzer_version="v",
                    label="positive",
                    model="m",
                )
            )


def _languages(engine: Engine) -> dict[str, tuple[str, str, bool]]:
    """text -> (language, how it was set, analysed)."""
    with engine.connect() as conn:
        analysed = set(conn.execute(select(_ANALYSIS.c.review_id)).scalars())
        rows = conn.execute(
            select(_REVIEW.c.id, _REVIEW.c.text, _REVIEW.c.language, _REVIEW.c.language_source)
        ).all()
    return {text: (language, how, rid in analysed) for rid, text, language, how in rows}


def _relabel_on(engine: Engine) -> None:
    _store(engine)
    before = _languages(engine)
    dry = relabel_detected(engine, "fjell-shop", "no", {"da", "sv"}, dry_run=True)
    assert dict(dry.from_languages) == {"da": 2, "sv": 1}
    assert _languages(engine) == before
    done = relabel_detected(engine, "fjell-shop", "no", {"da", "sv"})
    assert done.reviews == 3
    assert _languages(engine) == {
        "Rask levering, god sekk.": ("no", "user", False),
        "Glidelåsen gikk i stykker.": ("no", "user", False),
        "Bra jakke til prisen.": ("no", "user", False),
        # English was not named, the page's Danish was stated, Norwegian was right:
        # each keeps its language and its analysis
        "Great jacket, fast delivery.": ("en", "detected", True),
        "Fin og varm.": ("da", "markup", True),
        "God pris.": ("no", "detected", True),
    }
    assert relabel_detected(engine, "fjell-shop", "no", {"da", "sv"}).reviews == 0
    with pytest.raises(KeyError):
        relabel_detected(engine, "fjel-shop", "no", {"da"})


def test_detected_neighbours_are_read_in_the_named_language(engine: Engine) -> None:
    _relabel_on(engine)


@pytest.mark.postgres
def test_detected_neighbours_are_read_in_the_named_language_on_postgres(pg_url: str) -> None:
    engine = open_database(pg_url)
    try:
        _relabel_on(engine)
    finally:
        engine.dispose()


def test_read_as_command(engine: Engine, db_url: str, tmp_path: Path) -> None:
    _store(engine)
    dry = run_cli(
        "db", "read-as", "nb", "--source", "fjell-shop", "-n", cwd=tmp_path, db_url=db_url
    )
    assert dry.returncode == 0, dry.stderr
    assert "3 reviews of fjell-shop would be read as no (2 da, 1 sv)" in dry.stdout
    done = run_cli("db", "read-as", "no", "--source", "fjell-shop", cwd=tmp_path, db_url=db_url)
    assert done.returncode == 0, done.stderr
    assert "3 reviews of fjell-shop are read as no now" in done.stdout
    assert "rivalscope analyze" in done.stdout
    again = run_cli("db", "read-as", "no", "--source", "fjell-shop", cwd=tmp_path, db_url=db_url)
    assert again.returncode == 0 and "nothing to change" in again.stdout


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["no", "--source", "fjel-shop"], "no such source 'fjel-shop'; did you mean 'fjell-shop'?"),
        (["zz", "--source", "fjell-shop"], "'zz' is not a language we read"),
        (["en", "--source", "fjell-shop"], "--from: say which detected languages"),
        (["no", "--source", "fjell-shop", "--from", "xx"], "'xx' is not a language"),
    ],
)
def test_read_as_mistakes_are_said(
    engine: Engine, db_url: str, tmp_path: Path, arguments: list[str], said: str
) -> None:
    _store(engine)
    refused = run_cli("db", "read-as", *arguments, cwd=tmp_path, db_url=db_url)
    assert refused.returncode == 2, refused.stdout
    assert "Traceback" not in refused.stderr
    assert said in " ".join(refused.stderr.split()), refused.stderr

"""Candidate aspects (``compare.analysis.discovery``): frequent key phrases the taxonomy
does not cover, and that name a thing rather than an opinion."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, insert

from compare.analysis.discovery import candidate_aspects
from compare.analysis.tables import KEY_PHRASE
from compare.analysis.taxonomy import load_taxonomy


def test_an_opinion_word_is_no_candidate_aspect(tmp_path: Path) -> None:
    """Met by a QA walk: "fantastisk sekk" and "zadowolony" (satisfied) were listed as
    aspects to add to the taxonomy. A word that one lexicon alone rates (Pattern's "sound",
    a noun too) still names an aspect; our own seed words need no second lexicon ("rask")."""
    engine = create_engine(f"sqlite:///{tmp_path / 'k.db'}")
    try:
        KEY_PHRASE.create(engine)
        phrases = {
            "no": ["fantastisk sekk", "sekk", "fantastisk", "rask", "regntrekk"],
            "pl": ["zadowolony", "młynek"],
            "en": ["sound", "great sound", "cord"],
        }
        rows = [
            {"review_id": review, "company_id": 1, "language": language, "phrase": phrase}
            for language, listed in phrases.items()
            for phrase in listed
            for review in range(3)
        ]
        with engine.begin() as connection:
            connection.execute(insert(KEY_PHRASE), rows)
        found = {phrase for phrase, _, _ in candidate_aspects(engine, load_taxonomy(None))}
    finally:
        engine.dispose()
    assert found == {"sekk", "regntrekk", "młynek", "sound", "cord"}, found

"""Reviewer pseudonyms: keyed, stable per database, never the raw name."""

from __future__ import annotations

import hmac
from pathlib import Path

import pytest
from sqlalchemy import Engine

from settings.language_detection import detect_languages
from settings.records import ReviewItem
from spiders.pipelines.language import assign_languages
from storage.db import open_database
from storage.pseudonym import KEY_ENV, pseudonym_key, pseudonymize


def test_same_name_same_pseudonym_within_a_database(engine: Engine) -> None:
    key = pseudonym_key(engine)
    assert pseudonym_key(engine) == key  # created once, then kept
    first = pseudonymize("Kari  Nordmann", key)
    assert first == pseudonymize("kari nordmann", key)  # case and spacing ignored
    assert first != pseudonymize("Kari Nordman", key)
    assert first is not None and len(first) == 16 and "kari" not in first.lower()
    assert pseudonymize("  ", key) is None and pseudonymize(None, key) is None


def test_databases_get_different_keys(tmp_path: Path, engine: Engine) -> None:
    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        assert pseudonym_key(other) != pseudonym_key(engine)
    finally:
        other.dispose()


def test_environment_key_wins(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "shared-secret")
    assert pseudonym_key(engine) == b"shared-secret"


@pytest.mark.parametrize(
    "key",
    [b"", b"shared-secret", b"ab" * 32, b"k" * 64, b"k" * 65, "nøkkel".encode() * 40],
)
@pytest.mark.parametrize("name", ["Kari Nordmann", "  ÅSE   Ødegård ", "İnci", "x" * 500])
def test_pseudonyms_stay_the_keyed_hmac(key: bytes, name: str) -> None:
    """Pseudonyms already stored must keep matching: the first 8 bytes of HMAC-SHA256 of the
    folded name, whatever the key's length (one from the environment may be long)."""
    folded = " ".join(name.split()).casefold().encode()
    assert pseudonymize(name, key) == hmac.digest(key, folded, "sha256")[:8].hex()


@pytest.mark.parametrize(
    ("text", "hint", "expected", "source"),
    [
        (
            "Leveringen tok tre uker, og kundeservice svarte aldri på e-post.",
            None,
            "no",
            "detected",
        ),
        ("La livraison a pris trois semaines et personne ne répond.", "en", "fr", "detected"),
        ("Dostawa trwała trzy tygodnie, obsługa klienta nie odpisuje.", None, "pl", "detected"),
        ("👍👍", "fr", "fr", "hint"),  # nothing to detect: the target's hint
        ("👍👍", None, None, None),
    ],
)
def test_assign_languages(
    text: str, hint: str | None, expected: str | None, source: str | None
) -> None:
    review = ReviewItem(text=text)
    assign_languages([review], hint)
    assert (review.language, review.language_source) == (expected, source)


def test_declared_language_is_kept() -> None:
    review = ReviewItem(text="Great machine", language="fr", language_source="markup")
    assign_languages([review], "no")
    assert (review.language, review.language_source) == ("fr", "markup")


def test_sequential_detection_equals_parallel() -> None:
    texts = [
        "Leveringen tok tre uker, og kundeservice svarte aldri.",
        "Great grinder, but the hopper is too small.",
        None,
        "Dostawa była szybka.",
    ]
    sequential = detect_languages(texts, parallel=False)
    parallel = detect_languages(texts, parallel=True)
    assert [code for code, _ in sequential] == [code for code, _ in parallel]
    assert [c for _, c in sequential] == pytest.approx([c for _, c in parallel])

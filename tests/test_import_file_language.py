"""An import without ``--language`` takes the Scandinavian language its file's long reviews
agree on for its reviews detected as Scandinavian: a Norwegian shop's export stored about
one short review in fifteen as Danish (lingua reads 6.7 % of Norwegian reviews cut to 15
words so), which lost its Norwegian aspects, needs and base model."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlmodel import Session, select

from spiders.file_import import import_file
from spiders.pipelines.language import MIN_DECIDING, dominant_scandinavian
from storage.db import open_database
from storage.models import Review

NORWEGIAN = [
    "Kaffemaskinen kom raskt og var godt pakket, men bruksanvisningen var vanskelig å forstå "
    "og kundeservice svarte ikke på e-posten min før etter en uke.",
    "Vi har brukt kvernen hver dag i tre måneder nå, og den fungerer fortsatt like bra som "
    "den første dagen, selv om den bråker litt.",
    "Bønnene smaker nydelig og har en fin fruktig tone, men posen lekket da den kom frem, så "
    "jeg måtte helle alt over i en boks med en gang.",
]
DANISH = [
    "Kaffemaskinen kom hurtigt og var godt pakket ind, men brugsanvisningen var svær at forstå "
    "og kundeservice svarede ikke på min mail før efter en uge.",
    "Vi har brugt kværnen hver dag i tre måneder nu, og den virker stadig lige så godt som "
    "den første dag, selvom den larmer en smule.",
    "Bønnerne smager dejligt og har en fin frugtig tone, men posen var utæt da den kom frem, "
    "så jeg måtte hælde det hele over i en dåse med det samme.",
]
ENGLISH = [
    "The grinder arrived quickly and was well packed, but the manual was hard to follow and "
    "support did not answer my email for a whole week.",
]
SHORT_NORWEGIAN = "God kvalitet og rask levering, anbefales."  # lingua: Danish, 0.99


def _long(texts: list[str], count: int) -> list[str]:
    return [texts[i % len(texts)] for i in range(count)]


@pytest.mark.parametrize(
    ("texts", "language"),
    [
        (_long(NORWEGIAN, MIN_DECIDING), "no"),
        (_long(DANISH, MIN_DECIDING), "da"),
        (_long(NORWEGIAN, MIN_DECIDING - 1), None),  # too few to say
        (_long(NORWEGIAN, 20) + _long(DANISH, 20), None),  # a mixed Nordic shop: not assumed
        (_long(NORWEGIAN, 32) + _long(DANISH, 8), "no"),  # 80 % agree
        (_long(ENGLISH, 60) + _long(NORWEGIAN, MIN_DECIDING), "no"),  # others do not count
        ([SHORT_NORWEGIAN] * 100, None),  # short reviews never decide
        ([], None),
    ],
)
def test_a_files_long_reviews_decide_its_scandinavian_language(
    texts: list[str], language: str | None
) -> None:
    assert dominant_scandinavian(texts) == language


def _import(
    tmp_path: Path, long: list[str], hint: str | None = None
) -> tuple[str | None, dict[str, str | None]]:
    """The file's language the import found, and the short reviews' stored languages."""
    path = tmp_path / "eksport.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "text", "rating", "language"])
        writer.writerow(["short", SHORT_NORWEGIAN, 5, ""])
        writer.writerow(["tagged", SHORT_NORWEGIAN + " Takk!", 5, "da"])  # its own language
        for number, text in enumerate(long):
            writer.writerow([f"r{number}", text, 4, ""])
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        report = import_file(engine, path, company="Nordlys", new_company=True, language_hint=hint)
        with Session(engine) as session:
            stored = {r.external_id: r.language for r in session.exec(select(Review)).all()}
    finally:
        engine.dispose()
    return report.scandinavian, {key: stored[key] for key in ("short", "tagged")}


def test_a_norwegian_export_keeps_its_short_reviews_norwegian(tmp_path: Path) -> None:
    assert _import(tmp_path, _long(NORWEGIAN, 40)) == ("no", {"short": "no", "tagged": "da"})


def test_a_file_too_small_to_say_keeps_the_detection(tmp_path: Path) -> None:
    assert _import(tmp_path, _long(NORWEGIAN, 5)) == (None, {"short": "da", "tagged": "da"})


def test_the_language_option_comes_first(tmp_path: Path) -> None:
    found = _import(tmp_path, _long(NORWEGIAN, 40), hint="sv")
    assert found == (None, {"short": "sv", "tagged": "da"})

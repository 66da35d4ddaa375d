"""Scandinavian reviews: lingua's no/da/sv confusion is settled by the source's language
hint, and a review's language never depends on the batch it arrives in."""

from __future__ import annotations

import pytest

from settings.language_detection import detect_language
from settings.records import ReviewItem
from spiders.pipelines.language import assign_languages

# Norwegian (Bokmål) demo sentences; the first one alone is read as Danish by lingua
NORWEGIAN_READ_AS_DANISH = (
    "Erstattet den gamle maskinen min. Ærlig talt overpriset, men kaffen er nydelig og "
    "maskinen er laget for å vare. Enkle og intuitive knapper."
)
NORWEGIAN = [
    "Etter et år med daglig bruk fungerer den som ny. God oppfølging fra kundeservice.",
    "Altfor dyr for det den er, men etter et år med daglig bruk fungerer den som ny.",
    "Leveringen tok tre uker, og kundeservice svarte aldri på e-post.",
]
DANISH = [
    "Levering tog tre uger, og kundeservice svarede aldrig på min e-mail.",
    "Maskinen er nem at bruge, men den larmer meget om morgenen.",
    "Jeg er meget tilfreds med købet, kaffen smager fantastisk hver dag.",
]


def _assigned(texts: list[str], hint: str | None) -> list[tuple[str | None, str | None]]:
    reviews = [ReviewItem(text=text) for text in texts]
    assign_languages(reviews, hint)
    return [(r.language, r.language_source) for r in reviews]


def test_the_example_is_one_lingua_gets_wrong_alone() -> None:
    assert detect_language(NORWEGIAN_READ_AS_DANISH)[0] == "da"
    assert _assigned([NORWEGIAN_READ_AS_DANISH], None) == [("da", "detected")]


ENGLISH = "The grinder is quiet and the coffee tastes great, but the lid cracked after a week."
BATCHES = {
    "alone": [],
    "norwegian batch": NORWEGIAN,
    "danish batch": DANISH,
    "mixed nordic batch": [*DANISH, *NORWEGIAN],
    "english batch": [ENGLISH] * 3,
}


@pytest.mark.parametrize("hint", [None, "en", "no", "da"])
@pytest.mark.parametrize("text", [NORWEGIAN_READ_AS_DANISH, NORWEGIAN[0], DANISH[0], ENGLISH])
def test_a_reviews_language_is_the_same_alone_and_in_any_batch(text: str, hint: str | None) -> None:
    # Distributed crawls batch differently from single-process ones and imports: the rows
    # stored must not differ, so no neighbour may settle a review's language.
    found = {
        name: _assigned([*neighbours[:2], text, *neighbours[2:]], hint)[min(2, len(neighbours))]
        for name, neighbours in BATCHES.items()
    }
    assert set(found.values()) == {found["alone"]}, found


def test_without_a_scandinavian_hint_a_danish_looking_review_stays_danish() -> None:
    # The price of batch independence: only the target's hint settles lingua's confusion.
    assigned = _assigned([*NORWEGIAN, NORWEGIAN_READ_AS_DANISH], None)
    assert assigned == [("no", "detected")] * 3 + [("da", "detected")]


def test_a_scandinavian_hint_settles_a_single_review() -> None:
    assert _assigned([NORWEGIAN_READ_AS_DANISH], "no") == [("no", "detected")]


def test_a_mixed_nordic_shop_keeps_each_detection() -> None:
    assigned = _assigned([*NORWEGIAN, *DANISH], "en")
    assert [code for code, _ in assigned] == ["no"] * 3 + ["da"] * 3


def test_a_split_scandinavian_confidence_still_beats_a_foreign_hint() -> None:
    # lingua splits this text's confidence between no and da; the group is sure
    assert detect_language(NORWEGIAN[2]) == ("no", pytest.approx(1.0, abs=0.1))
    assert _assigned([NORWEGIAN[2]], "en") == [("no", "detected")]


@pytest.mark.parametrize(
    ("text", "hint", "page_language", "expected"),
    [
        (NORWEGIAN_READ_AS_DANISH, None, "no", ("no", "detected")),  # the page says Norwegian
        (NORWEGIAN_READ_AS_DANISH, None, None, ("da", "detected")),  # nothing says otherwise
        (NORWEGIAN_READ_AS_DANISH, None, "en", ("da", "detected")),  # not a Scandinavian page
        (NORWEGIAN_READ_AS_DANISH, "da", "no", ("da", "detected")),  # the target's word first
        (DANISH[0], None, "da", ("da", "detected")),
        (ENGLISH, None, "no", ("en", "detected")),  # an English review on a Norwegian page
    ],
)
def test_the_pages_declared_language_settles_a_scandinavian_detection(
    text: str, hint: str | None, page_language: str | None, expected: tuple[str, str]
) -> None:
    review = ReviewItem(text=text, page_language=page_language)
    assign_languages([review], hint)
    assert (review.language, review.language_source) == expected

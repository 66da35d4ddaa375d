"""Reviews in script state and JSON documents (self-written fixtures)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import lxml.html
import pytest

from spiders.extract import script_json
from spiders.extract.auto import extract_auto
from spiders.extract.embedded_json import (
    aggregate_from_json,
    embedded_json_aggregate,
    key_role,
    key_words,
    review_candidate,
    reviews_from_json,
)
from spiders.extract.review_limit import REVIEWS_OVER_LIMIT
from spiders.extract.script_json import script_json_values

URL = "https://shop.example/p/kettle-9"
TEXT_A = "Boils fast and the handle stays cool, very happy with it."
TEXT_B = "The lid broke after two weeks and support never answered."


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("reviewText", ("review", "text")),
        ("review_text", ("review", "text")),
        ("ReviewTEXT", ("review", "text")),
        ("HTMLBody", ("html", "body")),
        ("Überschrift", ("uberschrift",)),
        ("créé-le", ("cree", "le")),
    ],
)
def test_key_words(key: str, words: tuple[str, ...]) -> None:
    assert key_words(key) == words


@pytest.mark.parametrize(
    ("key", "role"),
    [
        ("reviewBody", "text"),
        ("comment", "text"),
        ("Kommentar", "text"),
        ("texte", "text"),
        ("review", "text"),
        ("Bewertung", "text"),
        ("rating", "rating"),
        ("ratingValue", "rating"),
        ("reviewRating", "rating"),
        ("note", "rating"),
        ("ocena", "rating"),
        ("stars", "rating"),
        ("bestRating", "best"),
        ("ratingMax", "best"),
        ("worstRating", "worst"),
        ("createdAt", "date"),
        ("submission_time", "date"),
        ("datum", "date"),
        ("fecha", "date"),
        ("nickname", "author"),
        ("customers_name", "author"),
        ("userName", "author"),
        ("autor", "author"),
        ("reviewTitle", "title"),
        ("headline", "title"),
        ("titre", "title"),
        ("reviewId", "id"),
        # about something else
        ("ratingCount", None),
        ("averageRating", None),
        ("userId", None),
        ("reviewUrl", None),
        ("helpfulVotes", None),
        ("productName", None),
        ("translatedText", None),
        ("merchantResponse", None),
        ("name", None),
        ("", None),
    ],
)
def test_key_role(key: str, role: str | None) -> None:
    assert key_role(key) == role


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ({"text": TEXT_A, "rating": 5}, (TEXT_A, 5.0, None, None)),
        ({"commentaire": TEXT_A, "note": "4", "auteur": "Ann"}, (TEXT_A, 4.0, "Ann", None)),
        ({"inhalt": TEXT_A, "datum": "2024-03-02"}, (TEXT_A, None, None, date(2024, 3, 2))),
        (
            {"body": {"html": "<p>Boils fast</p><br>Good"}, "rating": {"value": 4, "max": 5}},
            ("Boils fast Good", 4.0, None, None),
        ),
        ({"content": TEXT_A, "author": {"displayName": "Ann"}}, (TEXT_A, None, "Ann", None)),
        ({"text": TEXT_A, "createdAt": 1709337600000}, (TEXT_A, None, None, date(2024, 3, 2))),
        ({"text": TEXT_A, "createdAt": 1709337600}, (TEXT_A, None, None, date(2024, 3, 2))),
        ({"text": TEXT_A, "score": "4/5"}, (TEXT_A, 4.0, None, None)),
        # not reviews
        ({"text": TEXT_A}, None),  # words alone: a message, a tooltip
        ({"text": TEXT_A, "rating": 4.5, "price": "19.99"}, None),  # a product card
        ({"text": TEXT_A, "rating": 4, "question": "Does it fit?"}, None),
        ({"text": "https://shop.example/r/1", "rating": 4}, None),
        ({"text": "12345", "rating": 4}, None),
        ({"text": "current.cnt", "user": "udata.ua"}, None),  # code in a config object
        ({"content": "224f4e4c-f48f-47d3", "author": "Ann", "date": "2024-05-12"}, None),
        ({"text": "REVIEW_BODY", "rating": 4}, None),
        ({"text": "Génial!", "rating": 5}, ("Génial!", 5.0, None, None)),  # one word is fine
        ({"note": "Great kettle", "author": 17}, None),  # "note" as text is not the rating
        ({"rating": 4, "author": "Ann"}, None),  # no text
        ({"text": TEXT_A, "rating": True}, None),
    ],
)
def test_review_candidate(
    obj: dict[str, Any], expected: tuple[str, float | None, str | None, date | None] | None
) -> None:
    found = review_candidate(obj)
    if expected is None:
        assert found is None
        return
    assert found is not None
    text, rating, author, published = expected
    assert found.text == text
    assert (found.rating[0] if found.rating else None) == rating
    assert found.author == author
    assert (found.date[1] if found.date else None) == published


def test_reviews_from_json_finds_lists_anywhere_and_maps_fields() -> None:
    data = {
        "props": {
            "pageProps": {
                "product": {"name": "Kettle", "price": 49},
                "reviews": {
                    "items": [
                        {"id": 7, "title": "Great", "body": TEXT_A, "rating": 5,
                         "user": {"nickname": "Ann"}, "createdAt": "2024-03-02T10:00:00Z"},
                        {"id": 8, "title": "Bad lid", "body": TEXT_B, "rating": 2,
                         "user": {"nickname": "Bo"}, "createdAt": "2024-04-01T10:00:00Z"},
                    ],
                    "ratingCount": 2,
                },
            }
        }
    }  # fmt: skip
    items = reviews_from_json(data, URL)
    assert [(r.text, r.title, r.rating, r.best_rating, r.author) for r in items] == [
        (TEXT_A, "Great", 5.0, 5.0, "Ann"),
        (TEXT_B, "Bad lid", 2.0, 5.0, "Bo"),
    ]
    first = items[0]
    assert (first.published, first.external_id, first.url) == (date(2024, 3, 2), "7", URL)
    assert first.rating_normalized == 1.0
    assert set(first.explain.values()) == {"embedded-json"}


def test_reviews_from_json_reads_id_keyed_stores_once() -> None:
    review = {"comment": TEXT_A, "stars": 4, "nickname": "Ann"}
    data = {"entities": {"reviews": {"r1": review, "r2": {**review, "comment": TEXT_B}}},
            "visible": [review]}  # fmt: skip
    assert [r.text for r in reviews_from_json(data, URL)] == [TEXT_A, TEXT_B]


@pytest.mark.parametrize(
    ("ratings", "best"),
    [([4, 5, 3], 5.0), ([8, 10, 4], 10.0), ([80, 60], 100.0)],
)
def test_scale_is_inferred_from_the_whole_list(ratings: list[int], best: float) -> None:
    data = [{"text": f"{TEXT_A} {i}", "rating": r} for i, r in enumerate(ratings)]
    assert {r.best_rating for r in reviews_from_json(data, URL)} == {best}


def test_a_stated_scale_wins() -> None:
    data = [{"text": TEXT_A, "rating": {"value": 4, "bestRating": 10}}]
    assert [(r.rating, r.best_rating) for r in reviews_from_json(data, URL)] == [(4.0, 10.0)]


def test_lists_that_are_mostly_other_things_are_not_reviews() -> None:
    other = {"label": "Shipping", "value": 3}
    data = [{"text": TEXT_A, "rating": 5}, other, other, other]
    assert reviews_from_json(data, URL) == []
    assert reviews_from_json({"nested": [[[]]]}, URL) == []
    assert reviews_from_json("not json at all", URL) == []
    assert reviews_from_json(None, URL) == []


def test_deep_documents_are_bounded() -> None:
    deep: Any = [{"text": TEXT_A, "rating": 5}]
    for _ in range(500):
        deep = {"a": deep}
    assert reviews_from_json(deep, URL) == []  # deeper than MAX_DEPTH: not read, no error


def _root(body: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><body>{body}</body></html>")


REVIEWS = [{"text": TEXT_A, "rating": 5}]


@pytest.mark.parametrize(
    "script",
    [
        f'<script id="__NEXT_DATA__" type="application/json">{json.dumps({"r": REVIEWS})}</script>',
        f"<script>window.__INITIAL_STATE__ = {json.dumps({'r': REVIEWS})};</script>",
        f"<script>var x = 1; window['__PRELOADED_STATE__']={json.dumps(REVIEWS)}</script>",
        f"<script type='text/javascript'>const reviews = {json.dumps(REVIEWS)};\nfoo();</script>",
        f"<script>window.s = JSON.parse({json.dumps(json.dumps(REVIEWS))});</script>",
        '<script>window.s = JSON.parse(\'[{"text": "Boils\\\'s fine", "rating": 5}]\');</script>',
        f"<script type='application/json'>{json.dumps(REVIEWS)[:-1]},]</script>",  # repaired
    ],
)
def test_script_json_values_read_state_scripts(script: str) -> None:
    values = script_json_values(_root(script))
    texts = [r.text for v in values for r in reviews_from_json(v, URL)]
    assert texts and texts[0] in (TEXT_A, "Boils's fine")


@pytest.mark.parametrize(
    "script",
    [
        f"<script type='application/ld+json'>{json.dumps(REVIEWS)}</script>",  # JSON-LD layer's
        f"<script type='text/x-template'>{json.dumps(REVIEWS)}</script>",
        "<script>if (a == [1]) { b = {c: 1} }</script>",  # JavaScript, not JSON
        '<script>x = {"a": [1, 2</script>',  # cut off
        "<script type='application/json'>{broken</script>",
        "<script></script>",
    ],
)
def test_script_json_values_skip_what_is_not_state(script: str) -> None:
    values = script_json_values(_root(script))
    assert [r for v in values for r in reviews_from_json(v, URL)] == []


def test_script_json_values_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    script = f"<script>window.s = {json.dumps(REVIEWS)};</script>"
    assert script_json_values(_root(script))
    monkeypatch.setattr(script_json, "MAX_SCRIPT_CHARS", 20)
    assert script_json_values(_root(script)) == []
    monkeypatch.setattr(script_json, "MAX_SCRIPT_CHARS", 10_000)
    monkeypatch.setattr(script_json, "MAX_PAGE_CHARS", 150)
    assert len(script_json_values(_root(script * 3))) == 1


def test_auto_reads_reviews_from_script_state() -> None:
    state = {"props": {"reviews": [
        {"text": TEXT_A, "rating": 5, "author": "Ann", "date": "2024-03-02"},
        {"text": TEXT_B, "rating": 1, "author": "Bo", "date": "2024-03-05"},
    ]}}  # fmt: skip
    html = (
        "<html lang='en'><body><h1>Kettle</h1>"
        f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(state)}</script>"
        "</body></html>"
    )
    page = extract_auto(html, URL)
    assert [(r.text, r.rating, r.explain["text"]) for r in page.reviews] == [
        (TEXT_A, 5.0, "embedded-json"),
        (TEXT_B, 1.0, "embedded-json"),
    ]


def _state_page(count: int) -> str:
    """A page whose script state holds ``count`` reviews."""
    state = {"props": {"reviews": [
        {"text": f"Review number {i} of the kettle", "rating": 1 + i % 5, "author": f"A{i}"}
        for i in range(count)
    ]}}  # fmt: skip
    return (
        "<html lang='en'><body><h1>Kettle</h1>"
        f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(state)}</script>"
        "</body></html>"
    )


def test_script_state_reviews_obey_max_reviews_and_say_what_they_left() -> None:
    """The script state's reviews stopped at 1,000 without a word (a page of 1,500 gave
    1,000): they obey ``limits.max_reviews``, and the page says it left some."""
    html = _state_page(1_500)
    page = extract_auto(html, URL)
    assert len(page.reviews) == 1_500
    assert REVIEWS_OVER_LIMIT not in page.skipped and page.warnings == []
    page = extract_auto(html, URL, max_reviews=1_200)
    assert len(page.reviews) == 1_200
    assert page.reviews[-1].text == "Review number 1199 of the kettle"
    assert REVIEWS_OVER_LIMIT in page.skipped
    assert any("only the first 1,200 read" in w for w in page.warnings)


def test_reviews_from_json_builds_at_most_the_limit() -> None:
    """A widget's answer (or a state) of more reviews than the limit: the first ``limit``,
    the reason recorded; a state of exactly the limit leaves nothing."""
    data = {"reviews": [{"text": f"Fine kettle {i}", "rating": 4} for i in range(5)]}
    skipped: list[str] = []
    found = reviews_from_json(data, URL, limit=3, skipped=skipped)
    assert [r.text for r in found] == ["Fine kettle 0", "Fine kettle 1", "Fine kettle 2"]
    assert skipped == [REVIEWS_OVER_LIMIT]
    skipped = []
    assert len(reviews_from_json(data, URL, limit=5, skipped=skipped)) == 5
    assert skipped == []
    # the scale comes from the whole list, past the limit too: a 10 makes it a list on 10
    data["reviews"].append({"text": "Great kettle", "rating": 10})
    assert {r.best_rating for r in reviews_from_json(data, URL, limit=2)} == {10.0}


def test_auto_keeps_a_review_in_markup_and_state_once() -> None:
    jsonld = {"@type": "Product", "name": "Kettle", "review": [
        {"@type": "Review", "reviewBody": TEXT_A, "author": "Ann",
         "reviewRating": {"ratingValue": 5}},
    ]}  # fmt: skip
    state = {"reviews": [
        {"text": TEXT_A, "rating": 5, "author": "Ann", "id": "r-1"},
        {"text": TEXT_B, "rating": 2, "author": "Bo", "id": "r-2"},
    ]}  # fmt: skip
    html = (
        "<html><body>"
        f"<script type='application/ld+json'>{json.dumps(jsonld)}</script>"
        f"<script type='application/ld+json'>{json.dumps(jsonld)}</script>"  # printed twice
        f"<script>window.__INITIAL_STATE__ = {json.dumps(state)};</script></body></html>"
    )
    page = extract_auto(html, URL)
    assert [(r.text, r.explain["text"]) for r in page.reviews] == [
        (TEXT_A, "json-ld"),
        (TEXT_B, "embedded-json"),
    ]
    assert page.reviews[0].external_id == "r-1"  # a gap filled from the state's copy
    assert page.reviews[1].product_name == "Kettle"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"product": {"averageRating": 4.6, "reviewCount": 12}}, (4.6, 5.0, None, 12)),
        (
            {"rating": {"ratingValue": "8.4", "bestRating": 10, "ratingCount": 90}},
            (8.4, 10.0, 90, None),
        ),
        ([{"avg_score": 4.2, "total_votes": 7}], (4.2, 5.0, 7, None)),
        ({"stats": {"average": 4.1, "count": 33}}, (4.1, 5.0, 33, None)),
        ({"averageRating": 4.6}, None),  # no count: a card's rating, not the page's
        ({"averageRating": 0.94, "reviewCount": 12}, None),  # a share, not an average
        ({"averageRating": 7, "bestRating": 5, "reviewCount": 12}, None),  # above its scale
        ({"averageRating": 4.6, "reviewCount": 0}, None),
        ({"averageRating": True, "reviewCount": 3}, None),
        ("4.6", None),
    ],
)
def test_aggregate_from_json(
    data: object, expected: tuple[float, float, int | None, int | None] | None
) -> None:
    found = aggregate_from_json(data)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found.value, found.best, found.rating_count, found.review_count) == expected


def test_auto_reads_an_aggregate_from_script_state_when_markup_has_none() -> None:
    state = {
        "product": {"name": "Kettle", "ratingSummary": {"averageRating": 4.4, "totalReviews": 31}}
    }
    html = f"<html><body><script>window.__STATE__ = {json.dumps(state)};</script></body></html>"
    found = extract_auto(html, URL).aggregate_rating
    assert found is not None
    assert (found.rating_value, found.review_count, found.explain["rating_value"]) == (
        4.4,
        31,
        "embedded-json",
    )
    assert embedded_json_aggregate([]) is None


def test_json_containers_in_document_order() -> None:
    from spiders.extract.embedded_json import json_containers

    data = {"a": [1, {"b": []}], "c": {}}
    assert list(json_containers(data)) == [data, [1, {"b": []}], {"b": []}, [], {}]
    assert list(json_containers(5)) == []


def _aggregate_read_per_object(obj: dict[str, object]) -> tuple[object, ...] | None:
    """The aggregate of one object as read before its keys were classified once each: every
    value parsed, then its key's words read (the reference of the test below)."""
    from spiders.extract import embedded_json as ej

    value = best = rating_count = review_count = None
    for key, raw in obj.items():
        if not isinstance(key, str) or isinstance(raw, bool) or not isinstance(raw, int | float | str):  # fmt: skip
            continue
        words = set(key_words(key))
        number = ej._number(raw)
        if number is None:
            continue
        if (words & ej._COUNT_WORDS and words & ej._COUNTED_WORDS) or ej.joined_key(key) == "count":
            count = ej.plausible_count(number)
            if count:
                if words & {"review", "reviews"}:
                    review_count = count
                else:
                    rating_count = count
        elif (words & ej._AVERAGE_WORDS and words & (ej._RATING_WORDS | {"score"})) or ej.joined_key(key) in ("ratingvalue", "average", "avg"):  # fmt: skip
            value = number
        elif key_role(key) == ej.BEST:
            best = number
    if value is None or (rating_count is None and review_count is None):
        return None
    scale = best or ej.infer_scale(value, None, None)[0]
    if not 0 < value <= scale or (best is None and value < 1):
        return None
    return (value, scale, rating_count, review_count)


_AGGREGATE_KEYS = (
    "averageRating", "avg_score", "ratingValue", "average", "avg", "overallScore", "meanRating",
    "reviewCount", "ratingCount", "total_votes", "count", "nbReviews", "numRatings", "totalReviews",
    "bestRating", "maxScore", "outOf", "worstRating", "rating", "score", "id", "name", "price",
    "stars", "reviewsCount", "amount", "Überschrift", "AVG_RATING", "count_reviews", "",
)  # fmt: skip
_AGGREGATE_VALUES = (4.6, 4, 0.94, 12, 0, -3, 7.5, 10, 100, 250000, "4,5", "12", " 9 ", "many",
                     "", True, False, None, [4], {"value": 4})  # fmt: skip


def test_an_aggregate_reads_as_when_each_value_was_parsed_before_its_key() -> None:
    import random

    from spiders.extract.embedded_json import _aggregate_in

    chance = random.Random(13)
    for _ in range(3000):
        keys = chance.sample(_AGGREGATE_KEYS, chance.randint(1, 6))
        obj = {k: chance.choice(_AGGREGATE_VALUES) for k in keys}
        found = _aggregate_in(obj)
        got = None if found is None else (found.value, found.best, found.rating_count, found.review_count)  # fmt: skip
        assert got == _aggregate_read_per_object(obj), obj

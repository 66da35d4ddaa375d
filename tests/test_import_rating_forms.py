"""An import's rating column as exports write it: "4/5", "80%", "★★★★☆" are read with their
scale (they were rejected as "rating '4/5': rating form"); anything with more than a rating
in it stays refused, with the forms that are read."""

from __future__ import annotations

import pytest

from spiders.file_import import review_from_row
from spiders.raw_fields import written_rating


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("4", (4.0, None)),
        ("4,5", (4.5, None)),
        (" 3 ", (3.0, None)),
        ("4/5", (4.0, 5.0)),
        ("4 / 5", (4.0, 5.0)),
        ("8 out of 10", (8.0, 10.0)),
        ("4 av 6", (4.0, 6.0)),
        ("80%", (80.0, 100.0)),
        ("★★★★☆", (4.0, 5.0)),
        ("★★★", (3.0, None)),  # no empty star: the scale is not stated
        ("☆☆☆☆☆", (0.0, 5.0)),
        ("4 stjerner", (4.0, None)),  # a star noun of any language after the rating
        ("2 étoiles", (2.0, None)),
        ("4,5 gwiazdki", (4.5, None)),
        ("4 av 5 stjerner", (4.0, 5.0)),
        ("3 sur 5 étoiles", (3.0, 5.0)),
        ("4 stjerner og mer", None),
        ("stars", None),
        ("4/5 great", None),
        ("A-4", None),
        ("1e400", None),
        ("", None),
    ],
)
def test_a_field_that_is_only_a_rating_is_read_with_its_scale(
    text: str, read: tuple[float, float | None] | None
) -> None:
    assert written_rating(text) == read


@pytest.mark.parametrize(
    ("row", "rating", "best"),
    [
        ({"text": "ok", "rating": "4/5"}, 4.0, 5.0),
        ({"text": "ok", "rating": "8/10"}, 8.0, 10.0),
        ({"text": "ok", "rating": "8/10", "best_rating": "10"}, 8.0, 10.0),
        ({"text": "ok", "rating": "80%"}, 80.0, 100.0),
        ({"text": "ok", "rating": "★★★★☆"}, 4.0, 5.0),
        ({"text": "ok", "rating": "7", "best_rating": "10"}, 7.0, 10.0),
        ({"text": "ok", "rating": "4"}, 4.0, 5.0),
        ({"text": "ok", "rating": "2 étoiles"}, 2.0, 5.0),
    ],
)
def test_import_rows_take_the_scale_their_rating_states(
    row: dict[str, str], rating: float, best: float
) -> None:
    review = review_from_row(row)
    assert (review.rating, review.best_rating) == (rating, best)


@pytest.mark.parametrize(
    ("rating", "best", "message"),
    [
        ("4/5", "10", "rating '4/5' says out of 5, best_rating 10"),
        ("4 stjerner og mer", None, "rating '4 stjerner og mer': not a rating (write 4, 4.5"),
        ("1e400", None, "rating '1e400': exponent form"),
    ],
)
def test_ratings_that_are_not_only_a_rating_are_refused(
    rating: str, best: str | None, message: str
) -> None:
    row = {"text": "ok", "rating": rating} | ({"best_rating": best} if best else {})
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        review_from_row(row)

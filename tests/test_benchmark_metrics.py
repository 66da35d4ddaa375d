"""The scoring of benchmarks/reviews.py and benchmarks/ratings.py (the data sets' metrics)."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
import ratings
import reviews
import site_folds
from site_folds import grouped_folds, page_ids, site_of

from settings.records import AggregateRatingItem, PageExtraction, ReviewItem


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("  Great   Kettle\n boils fast ", "great kettle boils fast"),
        ("A" * 40, "a" * 30),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),  # case-folded, not lower-cased
        (None, ""),
        ("   ", ""),
    ],
)
def test_review_key(text: str | None, key: str) -> None:
    assert reviews.review_key(text) == key


@pytest.mark.parametrize(
    ("expected", "found", "matched"),
    [
        (["Boils fast and the handle stays cool"], ["boils fast and the handle stays COLD"], 1),
        (["Boils fast"], ["Boils fast, read more"], 0),  # shorter text: all of it must match
        (["Same text", "Same text"], ["Same text"], 1),  # each found review matches once
        (["Same text"], ["Same text", "Same text"], 1),
        ([None, None, "x"], [None], 1),  # textless by count
        ([None], ["", None], 1),
        ([], ["anything"], 0),
    ],
)
def test_matched_reviews(expected: list[str | None], found: list[str | None], matched: int) -> None:
    assert reviews.matched_reviews(expected, found) == matched


def _page(
    value: float | None = None, ratings_n: int | None = None, texts: tuple[str, ...] = ()
) -> PageExtraction:
    page = PageExtraction(url="https://shop.example/p/1")
    if value is not None:
        page.aggregate_rating = AggregateRatingItem(rating_value=value, rating_count=ratings_n)
    page.reviews = [ReviewItem(text=t) for t in texts]
    return page


@pytest.mark.parametrize(
    ("expected", "page", "right"),
    [
        ({"value": 4.3, "count": 12}, _page(4.3, 12), (True, True)),
        ({"value": 4.3, "count": 12}, _page(4.35, 11), (True, False)),
        ({"value": 4.3, "count": 12}, _page(4.4, 12), (False, True)),
        ({"value": 4.3, "count": None}, _page(4.3, 12), (True, False)),
        ({"value": 4.3, "count": 12}, _page(), (False, False)),
    ],
)
def test_aggregate_right(
    expected: dict[str, float], page: PageExtraction, right: tuple[bool, bool]
) -> None:
    assert reviews.aggregate_right(expected, page) == right


def test_score_page_counts_reviews_and_aggregate() -> None:
    record = {
        "url": "https://shop.example/p/1",
        "aggregate": {"value": 4.0, "count": 3},
        "reviews": [{"text_start": "Lovely"}, {"text_start": "Broke in a week"}],
    }
    tally = reviews.score_page(record, _page(4.0, 3, ("lovely", "Shipping info")))
    assert (tally.matched, tally.found, tally.expected) == (1, 2, 2)
    assert (tally.aggregate_pages, tally.aggregate_right, tally.aggregate_count_right) == (1, 1, 1)
    assert (tally.precision, tally.recall, tally.f1) == (0.5, 0.5, 0.5)
    no_aggregate = reviews.score_page({**record, "aggregate": None}, _page(4.0))
    assert no_aggregate.aggregate_pages == 0


@pytest.mark.parametrize(
    ("expected", "page", "value_ok", "count_ok"),
    [
        (4.5, _page(4.5, 10), True, False),
        (4.5, _page(4.46, 10), True, False),
        (4.5, _page(4.44, 10), False, False),
        (None, _page(), True, True),
    ],
)
def test_rating_value_and_count(
    expected: float | None, page: PageExtraction, value_ok: bool, count_ok: bool
) -> None:
    assert ratings.value_right(expected, page) is value_ok
    assert ratings.count_right(None, page) is count_ok
    assert ratings.count_right(10, page) is (page.aggregate_rating is not None)


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.shop.com/p/1", "shop"),
        ("https://www.shop.co.uk/p/1", "shop"),
        ("https://shop.fr/dp/1", "shop"),
        ("https://city.shop.org/x", "shop"),
        ("shop.com.au", "shop"),
        ("localhost", "localhost"),
    ],
)
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site


def test_grouped_folds_keep_a_site_together_and_balance() -> None:
    groups = {"a1": "a", "a2": "a", "a3": "a", "b1": "b", "c1": "c", "c2": "c", "d1": "d"}
    folds = grouped_folds(groups, 2)
    assert sorted(i for fold in folds for i in fold) == sorted(groups)
    for fold in folds:
        for other in folds:
            if other is not fold:
                assert not {groups[i] for i in fold} & {groups[i] for i in other}
    assert sorted(len(fold) for fold in folds) == [3, 4]
    assert grouped_folds(groups, 2) == folds  # deterministic
    assert len(grouped_folds(groups, 10)) == 4  # never an empty fold


def test_page_ids_and_benchmarks_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = (
        "<html><body><script type='application/ld+json'>"
        '{"@type": "Product", "name": "Kettle", "aggregateRating": {"ratingValue": "4.5",'
        ' "reviewCount": "2"}, "review": [{"@type": "Review", "reviewBody": "Boils fast",'
        ' "reviewRating": {"ratingValue": 5}}]}</script></body></html>'
    )
    (tmp_path / "p1.html.gz").write_bytes(gzip.compress(html.encode()))
    (tmp_path / "p2.html").write_text(html)
    url = "https://shop.example/p/1"
    assert page_ids(tmp_path, ["p2", "p1", "missing"]) == ["p1", "p2"]
    truth = tmp_path / "truth.json"
    record = {
        "url": url,
        "aggregate": {"value": 4.5, "count": 2},
        "reviews": [{"text_start": "Boils fast"}],
    }
    truth.write_text(json.dumps({"p1": record, "p2": record}))
    assert reviews.main([str(tmp_path), str(truth), "--folds", "2"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == "pages=2 precision=1.000 recall=1.000 f1=1.000 aggregate_acc=1.000"
    truth.write_text(json.dumps({"p1": {"url": url, "rating": 4.5, "count": 3}}))
    assert ratings.main([str(tmp_path), str(truth)]) == 0
    assert (
        capsys.readouterr().out.strip().splitlines()[-1]
        == "pages=1 value_acc=1.000 count_acc=0.000"
    )
    assert reviews.main([str(tmp_path / "nope"), str(truth)]) == 2


_STRESS_PAGE = (
    "<html><head><meta property='og:title' content='Kettle'></head><body>"
    "<script type='application/ld+json'>"
    '{"@type": "Product", "name": "Kettle", "aggregateRating": {"ratingValue": "4.5",'
    ' "reviewCount": "2"}}</script>'
    "<div id='reviews' class='review-list'><div class='review-card' itemprop='review'>"
    "<span class='stars'>★★★★★</span><p class='review-author'>Ann</p>"
    "<p class='review-body'>Boils fast and quietly</p></div></div></body></html>"
)


@pytest.mark.parametrize(
    ("flags", "gone", "kept"),
    [
        ([], [], ["review-card", "ld+json", "og:title", "itemprop"]),
        (["--strip-markup"], ["ld+json", "og:title", "itemprop"], ["review-card", "★★★★★"]),
        (["--obfuscate-classes"], ["review-card", "reviews", "stars"], ["ld+json", "Ann"]),
        (
            ["--strip-markup", "--obfuscate-classes"],
            ["review-card", "stars", "ld+json", "og:title", "itemprop"],
            ["Boils fast", "★★★★★"],
        ),
    ],
)
def test_stress_modes_change_the_page_before_extraction(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    gone: list[str],
    kept: list[str],
) -> None:
    (tmp_path / "p1.html").write_text(_STRESS_PAGE)
    truth = tmp_path / "truth.json"
    truth.write_text(json.dumps({"p1": {"url": "https://shop.example/p/1", "reviews": []}}))
    seen: list[str] = []  # the pages as the extraction gets them
    real = site_folds.extract_auto

    def spy(html: bytes, url: str) -> PageExtraction:
        seen.append(html.decode("utf-8"))
        return real(html, url)

    monkeypatch.setattr(site_folds, "extract_auto", spy)
    assert reviews.main([str(tmp_path), str(truth), *flags]) == 0
    (page,) = seen
    for text in gone:
        assert text not in page
    for text in kept:
        assert text in page

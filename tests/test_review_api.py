"""Pure parts of reading a review widget's JSON API: settings, URLs, next links."""

from __future__ import annotations

from typing import Any

import pytest

from settings.targets import ReviewApi, TargetsError, parse_targets
from spiders.extract.review_limit import REVIEWS_OVER_LIMIT
from spiders.review_api import (
    api_url,
    find_next_link,
    next_url,
    parse_json,
    product_id,
    reviews_in,
)

API = "http://api.widget.test/r?p={product_id}"


@pytest.mark.parametrize(
    ("data", "link"),
    [
        ({"next": "http://api.widget.test/r?page=2"}, "http://api.widget.test/r?page=2"),
        ({"links": {"next": "/r?page=3"}}, "/r?page=3"),
        ({"paging": {"nextPage": {"href": "?cursor=abc"}}}, "?cursor=abc"),
        ({"meta": {"next_url": None}}, None),
        ({"next": True}, None),  # a flag, not a link
        ({"reviews": [{"next": "/not/pagination"}]}, None),  # inside data, not paging
        ([1, 2], None),
    ],
)
def test_find_next_link(data: Any, link: str | None) -> None:
    assert find_next_link(data) == link


@pytest.mark.parametrize(
    ("paginate", "template", "second"),
    [
        ("page", API + "&page={page}", "http://api.widget.test/r?p=K%201&page=2"),
        ("offset", API + "&start={offset}", "http://api.widget.test/r?p=K%201&start=20"),
        ("next", API, "http://api.widget.test/r?page=2"),
        ("none", API, None),
    ],
)
def test_next_url_by_pagination(paginate: str, template: str, second: str | None) -> None:
    api = ReviewApi(url=template, paginate=paginate)  # type: ignore[arg-type]
    data = {"next": "/r?page=2"}
    first = api_url(api, "K 1", "http://shop.test/p/1", 0)
    assert next_url(api, data, first, "K 1", "http://shop.test/p/1", 0, 5) == second
    # An empty page ends the reviews; max_pages ends the requests.
    assert next_url(api, data, first, "K 1", "http://shop.test/p/1", 0, 0) is None
    capped = ReviewApi(url=template, paginate=paginate, max_pages=1)  # type: ignore[arg-type]
    assert next_url(capped, data, first, "K 1", "http://shop.test/p/1", 0, 5) is None


def test_url_template_quotes_the_page_url() -> None:
    api = ReviewApi(url="http://api.widget.test/r?u={url}")
    assert api_url(api, "1", "http://shop.test/p?a=1", 0) == (
        "http://api.widget.test/r?u=http%3A%2F%2Fshop.test%2Fp%3Fa%3D1"
    )


@pytest.mark.parametrize(
    ("pattern", "html", "url", "sku", "expected"),
    [
        (None, "", "http://shop.test/p/1", " SKU-9 ", "SKU-9"),
        (None, "", "http://shop.test/p/1", None, None),
        (r'data-product-id="(\d+)"', '<div data-product-id="4711">', "", "S", "4711"),
        (r"/p/(\d+)", "<html></html>", "http://shop.test/p/88", "S", "88"),
        (r"/p/(\d+)", "<html></html>", "http://shop.test/other", "S", None),
    ],
)
def test_product_id(
    pattern: str | None, html: str, url: str, sku: str | None, expected: str | None
) -> None:
    api = ReviewApi(url=API, product_id=pattern)
    assert product_id(api, html, url, sku) == expected


def test_parse_json_is_bounded_and_forgiving() -> None:
    assert parse_json(b'{"a": 1}') == {"a": 1}
    assert parse_json(b"<html>not json</html>") is None
    assert parse_json(b"[" * 100_000) is None  # nesting too deep for the parser


def test_an_answer_of_many_reviews_obeys_max_reviews() -> None:
    """A widget's answer of 1,500 reviews gave its first 1,000 and said nothing of the rest:
    it gives them all under the limit, and says when the limit left some."""
    data = {"reviews": [{"text": f"Fine kettle {i}", "rating": 4} for i in range(1_500)]}
    left: list[str] = []
    assert len(reviews_in(data, "http://api.widget.test/r", skipped=left)) == 1_500
    assert left == []
    assert len(reviews_in(data, "http://api.widget.test/r", 1_200, left)) == 1_200
    assert left == [REVIEWS_OVER_LIMIT]


def _targets(table: str) -> str:
    return f"""
[[company]]
name = "Own"
own = true
[[company.source]]
name = "own-shop"
start_urls = ["http://127.0.0.1:9/p/"]
[company.source.review_api]
{table}
"""


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('url = "http://api.test/r?id={sku}"', "unknown placeholder"),
        ('url = "/relative/{product_id}"', "not an http"),
        ('url = "http://{product_id}.test/r"', "fixed host"),
        ('url = "http://api.test/r"\npaginate = "page"', "needs {page}"),
        ('url = "http://api.test/r"\nproduct_id = "id-\\\\d+"', "needs a group"),
        ('url = "http://api.test/r"\nproduct_id = "("', "not a valid regular expression"),
        ('url = "http://api.test/r"\nmax_pages = 0', "max_pages"),
    ],
)
def test_review_api_table_is_validated(table: str, message: str) -> None:
    with pytest.raises(TargetsError, match=message):
        parse_targets(_targets(table))


def test_review_api_host_joins_the_allowed_domains() -> None:
    targets = parse_targets(_targets('url = "http://api.widget.test/r?p={product_id}"'))
    _, source = targets.find_source("own-shop")
    assert source.domains() == ["127.0.0.1", "api.widget.test"]

"""The next-page link is joined as a browser joins it; a malformed one is no next page
(never an exception, another scheme or an off-host surprise)."""

from __future__ import annotations

import lxml.html
import pytest

from spiders.extract.pagination import next_page_url

PAGE = "https://shop.test/p/1"


def _next(href: str, *, rel: bool = True, url: str = PAGE, then: str = "") -> str | None:
    link = f'<a rel="next" href="{href}">more</a>' if rel else f'<a href="{href}">Next</a>'
    return next_page_url(lxml.html.fromstring(f"<html><body>{link}{then}</body></html>"), url)


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/p?page=2", "https://shop.test/p?page=2"),
        ("  ?page=2  ", "https://shop.test/p/1?page=2"),
        ("/p\n?page=\t2", "https://shop.test/p?page=2"),  # browsers drop tabs and newlines
        ("\\\\elsewhere.test/p?page=2", "https://elsewhere.test/p?page=2"),  # read as //
        ("//cdn.shop.test/p?page=2", "https://cdn.shop.test/p?page=2"),
        ("http://[::1/x", None),  # broken IPv6 literal: urljoin raised before
        ("https://shop.test:99999/p", None),  # port out of range
        ("http://", None),
        ("http:page2", None),  # a scheme without a host
        ("mailto:shop@shop.test", None),
        ("data:text/html,next", None),
        ("tel:+4712345678", None),
        ("javascript:next()", None),
        ("#reviews", None),
        ("", None),
    ],
)
@pytest.mark.parametrize("rel", [True, False])
def test_next_links_are_joined_like_a_browser(href: str, expected: str | None, rel: bool) -> None:
    assert _next(href, rel=rel) == expected


def test_a_malformed_rel_next_gives_way_to_a_good_pager_link() -> None:
    assert _next("http://[::1/x", then='<a href="?page=2">Next</a>') == PAGE + "?page=2"


def test_a_saved_page_without_its_url_keeps_file_links() -> None:
    assert _next("page2.html", url="file:///tmp/saved/page1.html") == "file:///tmp/saved/page2.html"


@pytest.mark.parametrize(
    ("url", "href", "expected"),
    [
        # Later pages of the same reviews or listing: kept.
        ("https://shop.test/p/kettle", "?page=2", True),
        ("https://shop.test/p/kettle", "/p/kettle/reviews/2", True),
        ("https://shop.test/p/kettle/", "/p/kettle/comment-page-2/#comments", True),
        ("https://shop.test/shoes.html", "/shoes-2.html", True),
        ("https://shop.test/shoes/page/2", "/shoes/page/3", True),
        ("https://shop.test/c/shoes?p=4", "/c/shoes?p=5", True),
        ("https://shop.test/", "/?page=2", True),
        # "Next" in a product's or article's navigation: the next item, not a page of this.
        ("https://shop.test/lot/40021_oak-stool", "/lot/40022_brass-lamp", False),
        ("https://blog.test/2021/03/rye-bread.html", "/2021/03/pea-soup.html", False),
        ("https://blog.test/118/kettle-guide/", "/121/grinder-guide/", False),
        ("https://blog.test/rye-bread/", "/pea-soup/", False),
        # A reviews page elsewhere (another folder, another depth): kept.
        ("https://shop.test/p/kettle", "/reviews/kettle?page=2", True),
        ("https://shop.test/p/widget-123", "/r/2", True),
    ],
)
@pytest.mark.parametrize("rel", [True, False])
def test_a_next_link_to_another_item_is_no_next_page(
    url: str, href: str, expected: bool, rel: bool
) -> None:
    """Before, the next article's or product's link was taken as this page's next page:
    `targets check` showed it as the reviews' next page, and incremental stops applied
    to the walk from item to item."""
    found = _next(href, rel=rel, url=url)
    assert (found is not None) == expected, found


@pytest.mark.parametrize(
    ("label", "followed"),
    [
        ("Next", True),
        ("Next »", True),  # an arrow beside the word, in any language
        ("Neste side ›", True),
        ("Suivant ›", True),
        ("→ Dalej", True),
        ("Następna strona →", True),
        ("next ❯", True),
        ("»", True),  # a lone arrow, as before
        ("❯", False),  # alone, a carousel's or a player's as often as a pager's
        ("« Previous", False),
        ("Next day delivery", False),
    ],
)
def test_a_pager_label_may_carry_an_arrow(label: str, followed: bool) -> None:
    page = f'<html><body><a href="?page=2">{label}</a></body></html>'
    found = next_page_url(lxml.html.fromstring(page), PAGE)
    assert found == (PAGE + "?page=2" if followed else None)
